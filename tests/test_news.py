"""News sentences for the teacher: sampled from a made-up AllSides file, read back from chunks, taught to the bias head."""
import gzip
import json
import shutil

import numpy as np
import pytest

from framing.training import corpora as data
from framing.training import news
from framing.training.distill import corpus_sentences
from framing.training.recipe import TrainConfig, train
from test_distill import _fake_distilled, _fake_vectors

ARTICLES = [
    {"id": "a1", "source": "Outlet A", "leaning": "left", "text": (
        "The reckless mayor sabotaged the budget again this week.\nAdvertisement\n"
        "Officials met on Tuesday to review the quarterly figures.")},
    {"id": "a2", "source": "Outlet B", "leaning": "right", "text": (
        "Officials met on Tuesday to review the quarterly figures.\n"
        "Critics called the plan a corrupt and outrageous giveaway to donors.\nPhoto: Jane Doe / AP")},
]


@pytest.fixture()
def news_data(tiny_data, tmp_path):
    """The tiny corpora plus a two-article AllSides file, one of whose sentences an annotated corpus holds too."""
    root = shutil.copytree(tiny_data, tmp_path / "data")
    annotated = next(t for t in data.load_bias(root, "babe")["text"] if len(t.split()) >= 6)
    rows = ARTICLES + [{"id": "a3", "source": "Outlet C", "leaning": "center", "text": annotated}]
    (root / news.ARTICLES).parent.mkdir(parents=True)
    with gzip.open(root / news.ARTICLES, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows)
    return root, annotated


def test_prose_is_kept_and_boilerplate_is_not():
    assert news.is_prose("Officials met on Tuesday to review the quarterly figures.")
    for line in ("Advertisement", "Photo: Jane Doe / AP", "Read more", "1 2 3 4 5 6 7 8 9 10."):
        assert not news.is_prose(line)


def test_the_sample_is_deduplicated_leak_free_and_nested(news_data):
    root, annotated = news_data
    everything = news.sample(root)
    assert len(everything) == 3  # the repeated sentence once, boilerplate and the annotated sentence left out
    assert annotated not in everything and "Officials met on Tuesday to review the quarterly figures." in everything
    assert news.sample(root, 2) == everything[:2]


def test_chunks_read_back_in_order_and_say_how_to_embed_more(tmp_path):
    for i, part in enumerate((["s0", "s1"], ["s2"])):
        np.savez(news.chunk_path(tmp_path, i), sentences=np.array(part), vectors=np.eye(3, dtype=np.float16)[: len(part)])
    texts, vectors = news.load(tmp_path, 3)
    assert texts == ["s0", "s1", "s2"] and vectors.shape == (3, 3) and vectors.dtype == np.float32
    assert news.load(tmp_path, 2)[0] == ["s0", "s1"]
    with pytest.raises(FileNotFoundError, match="python -m framing.training.news"):
        news.load(tmp_path, 4)


def test_teacher_labelled_news_sentences_move_the_bias_head(news_data, tmp_path):
    root, _ = news_data
    texts = corpus_sentences(root)
    words = sorted({w for t in texts for w in data.normalise(t).split()})
    distilled = _fake_distilled(texts, words).save(tmp_path / "d.npz")
    sentences = news.sample(root)
    np.savez(news.chunk_path(tmp_path, 0), sentences=np.array(sentences),
             vectors=_fake_vectors(sentences, seed=2).astype(np.float16))
    config = TrainConfig(distilled=str(distilled), embedding_dim=8, tagger_dim=8)
    quiet = dict(log=lambda *a: None)
    without, _ = train(root, config, **quiet)
    with_news, _ = train(root, TrainConfig(**{**config.__dict__, "news": str(tmp_path), "news_sentences": 3}), **quiet)
    assert not np.allclose(without.bias_head.coef, with_news.bias_head.coef)
    with pytest.raises(FileNotFoundError, match="python -m framing.training.news"):
        train(root, TrainConfig(**{**config.__dict__, "news": str(tmp_path), "news_sentences": 4}), **quiet)
