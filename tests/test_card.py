"""The model card's tables."""
from framing.training.card import generalization_table

ROW = {"rows": 10, "positives": 4, "framing": 0.71, "tfidf_lr": 0.61, "subjective_clues": 0.68}


def test_the_leave_one_corpus_out_table_has_the_minilm_peer_only_when_every_corpus_measured_it():
    both = generalization_table({"babe": {**ROW, "minilm_lr": 0.74}, "wiki_npov": {**ROW, "minilm_lr": 0.736}})
    header, _, babe, wiki = both.split("\n")
    assert "all-MiniLM-L6-v2 sentence vectors + LR" in header and header.count("|") == 7
    assert babe.endswith("| 0.710 | 0.610 | 0.740 | 0.680 |") and wiki.endswith("| 0.736 | 0.680 |")
    one = generalization_table({"babe": {**ROW, "minilm_lr": 0.74}, "wiki_npov": ROW})
    assert "MiniLM" not in one and one.split("\n")[2].endswith("| 0.710 | 0.610 | 0.680 |")


def test_a_trained_model_directory_carries_its_terms(tiny_data, tmp_path):
    from framing.cli import main

    directory = tmp_path / "tiny"
    assert main(["train", "--data", str(tiny_data), "--out", str(directory), "--no-eval", "-q"]) == 0
    text = (directory / "LICENSE").read_text(encoding="utf-8")
    assert "LICENSE" in (directory / "SHA256SUMS").read_text(encoding="utf-8")
    assert "`strong_subjective`" in text and "GNU GPL" in text and "`babe_bias`" in text and "SemEval-2023" in text
    assert "--exclude-lexicons strong_subjective,weak_subjective,babe_bias" in text


def test_without_the_copyleft_lists_the_terms_say_so():
    from framing.training.terms import model_license

    text = model_license({"training": {"sentences": {"babe": 3}}}, ["hedge", "loaded_emotion"])
    assert "No copyleft word list is in this model." in text and "`hedge`" in text and "research release" not in text


def test_the_bundled_model_states_its_terms_and_what_it_loses_without_the_copyleft_lists():
    from framing.scoring.scorer import bundled_model_dir

    card = (bundled_model_dir() / "MODEL_CARD.md").read_text(encoding="utf-8")
    terms = (bundled_model_dir() / "LICENSE").read_text(encoding="utf-8")
    assert "## Terms of use" in card and "| no_copyleft_lists |" in card
    for name in ("strong_subjective", "weak_subjective", "babe_bias", "npov", "positive"):
        assert f"`{name}`" in terms
