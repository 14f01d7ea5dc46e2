"""framing.dask on a real two-process LocalCluster (loopback only): same results as one process."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("dask")
pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pytestmark = pytest.mark.slow  # a real two-process cluster

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import framing.dask  # noqa: E402
from framing.scoring.scorer import bundled_model_dir  # noqa: E402

SLANTED = [
    "The corrupt regime once again sabotaged the plan in a shameless power grab.",
    "Radical bureaucrats rammed through a reckless scheme that will bankrupt hardworking families.",
    "Pakistan's jealousy is apparent as India continues to secure high-profile visits.",
    "This disgraceful betrayal shows the minister's utter contempt for voters!",
    "The so-called 'experts' peddled hysterical lies about the vaccine, as usual.",
    "Only a fool would believe the pathetic excuses of this failed administration.",
    "Thugs and criminals are flooding our streets while the elites look the other way.",
    "The mainstream media will never tell you the shocking truth about this cover-up.",
    "Our brave heroes will never surrender to these traitors who hate our nation.",
    "Is it any wonder that nobody trusts the liars in Brussels anymore?",
]
FACTUAL = [
    "The council said on Monday that it would review the tax proposal next month.",
    "Officials from the ministry met on Tuesday to discuss the hospital budget.",
    "The agency published its annual report on police spending on Friday.",
    "A spokesperson confirmed the election vote will take place on 3 March.",
    "Rainfall in the region was 12% above the ten-year average, the weather service said.",
    "The company reported revenue of $4.2 billion for the quarter, up 3% from a year earlier.",
    "The bridge will be closed to traffic between 10 p.m. and 5 a.m. for maintenance.",
    "Researchers tracked 1,200 patients over five years.",
    "The court adjourned the hearing until 14 June.",
    "Turnout was 61 percent, according to the electoral commission.",
]
ODD = [
    "",
    "   \n\t ",
    "A short headline",
    "Le gouvernement a annoncé une réforme des retraites très contestée.",
    "Die Regierung hat am Montag neue Regeln beschlossen. 🚨🔥 Unglaublich!",
    "东京的官员周一表示，他们将审查这项提案。",
    "الحكومة أعلنت عن خطة جديدة يوم الاثنين.",
    "Ünïcödé “quotes” — dashes… and emoji 😡 in a shameless, pathetic stunt.",
    "WHAT A DISASTER!!! TOTAL CORRUPTION!!!",
    "no punctuation at all just words running on and on about the budget",
    "Dr. Smith et al. reported results (p < 0.05) in the U.S. on Jan. 5.",
    "x" * 500,
]


def _texts() -> list[str]:
    """60 texts: slanted, factual, odd and multi-paragraph ones."""
    paragraphs = [s + "\n\n" + f for s, f in zip(SLANTED, FACTUAL)]
    articles = ["Headline " + str(i) + "\n\n" + "\n\n".join(SLANTED[i::3] + FACTUAL[i::4]) for i in range(8)]
    texts = SLANTED + FACTUAL + ODD + paragraphs + articles + [s.upper() for s in SLANTED]
    assert len(texts) == 60
    return texts


TEXTS = _texts()


@pytest.fixture(scope="module")
def client():
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster, Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def expected(nlp) -> list[dict]:
    return [d.to_dict() for d in nlp.pipe(TEXTS)]


def _frame(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"doc-{i:03d}" for i in range(len(texts))], "text": texts})


def test_import_framing_does_not_import_dask():
    code = "import sys, framing; assert not any(m.split('.')[0] in ('dask', 'distributed') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_dask_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.bag", None)
    with pytest.raises(ImportError, match=r'pip install "framing\[dask\]"'):
        framing.dask.score_bag(TEXTS)


def test_score_bag_matches_one_process(client, expected):
    bag = db.from_sequence(TEXTS, npartitions=6)
    assert bag.npartitions >= 4
    assert client.compute(framing.dask.score_bag(bag, batch_size=4), sync=True) == expected


def test_score_dataframe_matches_one_process(client, expected):
    ddf = dd.from_pandas(_frame(TEXTS), npartitions=4)
    scored = framing.dask.score_dataframe(ddf, batch_size=7)
    out = client.compute(scored, sync=True)

    assert list(out.columns) == ["id", "text", *framing.dask.COLUMNS]
    assert out.dtypes.to_dict() == scored.dtypes.to_dict()  # the meta is right
    assert (out.dtypes["loaded_score"], out.dtypes["loaded"]) == ("float64", "bool")
    assert out["id"].tolist() == _frame(TEXTS)["id"].tolist() and out.index.tolist() == list(range(len(TEXTS)))
    assert out["text"].tolist() == TEXTS
    for row, want in zip(out.itertuples(), expected):
        assert row.loaded_score == want["loaded_score"] and row.loaded == want["loaded"]
        assert row.labels == want["labels"] and row.frames == want["frames"] and row.spans == want["spans"]
    assert any(out["spans"].map(len)) and not all(out["spans"].map(len))


def test_scored_dataframe_writes_to_parquet(client, tmp_path):
    texts = FACTUAL[:4] + ["", " "] + SLANTED[:2]  # the first partitions have no spans, nor labels
    scored = framing.dask.score_dataframe(dd.from_pandas(_frame(texts), npartitions=4))
    scored.to_parquet(tmp_path / "scored", schema=framing.dask.parquet_schema(scored))
    back = pd.read_parquet(tmp_path / "scored")
    want = client.compute(scored, sync=True)
    assert back["id"].tolist() == want["id"].tolist()
    assert back["loaded_score"].tolist() == want["loaded_score"].tolist()
    for column in ("labels", "frames", "spans"):
        assert [list(v) for v in back[column]] == want[column].tolist()


def test_model_is_loaded_once_per_worker(client):
    bag = db.from_sequence(TEXTS, npartitions=12)
    framing.dask.score_bag(bag, model=bundled_model_dir()).compute()  # the same model, named by its path
    framing.dask.score_dataframe(dd.from_pandas(_frame(TEXTS), npartitions=6)).compute()

    counts = client.run(framing.dask.load_counts)
    assert len(counts) == 2
    assert all(c == {str(bundled_model_dir()): 1} for c in counts.values() if c), counts
    assert any(counts.values())


def test_a_missing_model_directory_is_named_by_the_worker(client):
    bag = framing.dask.score_bag(db.from_sequence(["x"]), model=Path("/nowhere/model"))
    with pytest.raises(FileNotFoundError, match="/nowhere/model"):
        client.compute(bag, sync=True)


def test_a_missing_text_column_is_named():
    ddf = dd.from_pandas(pd.DataFrame({"id": [1], "body": ["x"]}), npartitions=1)
    with pytest.raises(KeyError, match=r"'text'.*\['id', 'body'\]"):
        framing.dask.score_dataframe(ddf)
    assert "loaded" in framing.dask.score_dataframe(ddf, text_column="body").columns


def test_bad_arguments_are_refused_on_the_client():
    with pytest.raises(TypeError, match="from_sequence"):
        framing.dask.score_bag(TEXTS)
    with pytest.raises(ValueError, match="batch_size"):
        framing.dask.score_bag(db.from_sequence(TEXTS), batch_size=0)
