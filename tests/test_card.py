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
