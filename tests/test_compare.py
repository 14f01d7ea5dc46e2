"""Comparing groups of scored articles: the bootstrap's numbers, odd group keys, every input form, the command."""
import json
import math

import numpy as np
import pytest

import framing
from framing.cli import main
from framing.corpus.compare import _replicates, estimates, group_key, period_key


def sentence(bias=0.1, labels=(), frames=(), text="Officials met."):
    return {"text": text, "bias": bias, "biased": bias >= 0.5, "labels": list(labels), "frames": list(frames)}


def article(source, sentences, loaded_score=0.2, **fields):
    return {"source": source, "loaded_score": loaded_score, "loaded": loaded_score >= 0.5, "sentences": sentences, **fields}


def rows_of(result, measure):
    return {tuple(r[k] for k in result.by): r for r in result.rows if r["measure"] == measure}


def test_estimates_of_given_weights_by_hand():
    # columns: sentences, loaded score, loaded, bias sum, biased count, techniques..., frames..., articles
    stats = np.zeros((3, 6 + len(framing.TECHNIQUES) + len(framing.FRAMES)))
    stats[:, :5] = [[2, 0.2, 0, 0.9, 1], [1, 0.5, 1, 0.1, 0], [1, 0.8, 1, 0.6, 1]]
    stats[:, -1] = 1
    doubt = 5 + framing.TECHNIQUES.index("Doubt")
    stats[:, doubt] = [1, 0, 1]
    weights = np.array([[1, 1, 1], [2, 0, 1], [0, 0, 0]], dtype=float)
    got = estimates(stats, weights)
    loaded_score, loaded, bias, biased = got[:, 0], got[:, 1], got[:, 2], got[:, 3]
    assert loaded_score[:2] == pytest.approx([(0.2 + 0.5 + 0.8) / 3, (0.4 + 0.8) / 3])
    assert loaded[:2] == pytest.approx([2 / 3, 1 / 3])
    assert bias[:2] == pytest.approx([1.6 / 4, 2.4 / 5])  # sentences pooled: (2 * 0.9 + 0.6) / (2 * 2 + 1)
    assert biased[:2] == pytest.approx([2 / 4, 3 / 5])
    assert got[:2, doubt - 1] == pytest.approx([1000 * 2 / 4, 1000 * 3 / 5])  # per 1,000 sentences
    assert np.isnan(got[2]).all()  # a replicate that draws no article


def test_two_articles_zero_and_one_give_the_whole_range():
    # Poisson weights w1, w2: the mean is w2 / (w1 + w2), exactly 0 or 1 with probability e^-1 (1 - e^-1) = 0.23
    # each, more than the 2.5% in each tail: the interval is [0, 1], whatever the seed.
    docs = [article("a", [sentence()], 0.0), article("a", [sentence()], 1.0)]
    for seed in (0, 1, 2):
        (r,) = rows_of(framing.compare(docs, by="source", seed=seed), "loaded_score").values()
        assert (r["value"], r["low"], r["high"]) == (0.5, 0.0, 1.0)


def test_interval_matches_the_exact_poisson_bootstrap_distribution():
    # five articles scoring 0 and five scoring 1: the replicate mean is S1 / (S0 + S1) with S0, S1 ~ Poisson(5),
    # i.e. Binomial(N, 1/2) / N given N = S0 + S1 ~ Poisson(10). Its exact 2.5% and 97.5% points, by enumeration:
    atoms: dict[float, float] = {}
    for n in range(1, 60):
        pn = math.exp(-10) * 10 ** n / math.factorial(n)
        for k in range(n + 1):
            atoms[k / n] = atoms.get(k / n, 0.0) + pn * math.comb(n, k) / 2 ** n
    xs = sorted(atoms)
    cdf = np.cumsum([atoms[x] for x in xs]) / sum(atoms.values())
    exact_low, exact_high = xs[np.searchsorted(cdf, 0.025)], xs[np.searchsorted(cdf, 0.975)]
    docs = [article("a", [sentence()], float(i % 2)) for i in range(10)]
    (r,) = rows_of(framing.compare(docs, by="source", replicates=20_000, seed=3), "loaded_score").values()
    assert r["low"] == pytest.approx(exact_low, abs=0.01) and r["high"] == pytest.approx(exact_high, abs=0.01)
    assert (exact_low, exact_high) == pytest.approx((1 / 6, 5 / 6))


def test_same_seed_same_intervals_other_seed_other_intervals():
    rng = np.random.default_rng(0)
    docs = [article("a", [sentence(float(b)) for b in rng.random(5)], float(rng.random())) for _ in range(40)]
    first, again = framing.compare(docs, by="source", seed=1), framing.compare(docs, by="source", seed=1)
    other = framing.compare(docs, by="source", seed=2)
    assert first.rows == again.rows
    assert rows_of(first, "bias")[("a",)]["low"] != rows_of(other, "bias")[("a",)]["low"]
    # a group's interval does not depend on the other groups
    alone = rows_of(framing.compare(docs + [article("b", [sentence()])], by="source", seed=1), "bias")[("a",)]
    assert alone == rows_of(first, "bias")[("a",)]


def test_the_interval_covers_the_true_share_about_95_in_100_times():
    # Articles differ (each has its own rate p ~ Beta(2, 5)), so their sentences are not independent;
    # the true share of biased sentences is E[p] = 2/7. Resampling whole articles should cover it about 95% of the time.
    rng = np.random.default_rng(7)
    width = 6 + len(framing.TECHNIQUES) + len(framing.FRAMES)
    covered = 0
    for sim in range(200):
        n = 1 + rng.poisson(8, size=60)
        p = rng.beta(2, 5, size=60)
        stats = np.zeros((60, width))
        stats[:, 0], stats[:, 4], stats[:, -1] = n, rng.binomial(n, p), 1
        reps = _replicates(stats, 400, sim, ("sim",))
        low, high = np.percentile(reps[:, 3], [2.5, 97.5])
        covered += low <= 2 / 7 <= high
    assert 180 <= covered <= 198, covered  # 90% to 99% of 200


def test_resampling_whole_outlets_when_the_claim_is_about_outlets():
    # ten articles of an outlet scoring 0, ten of another scoring 1, both "left". Resampling articles, the
    # mean is S1 / (S0 + S1) with S0, S1 ~ Poisson(10): about 0.28 to 0.72. Resampling outlets, a replicate
    # draws only one of the two outlets with probability 2 e^-1 (1 - e^-1) = 0.46: the interval is [0, 1].
    docs = [article("left", [sentence()], float(i >= 10), outlet=f"o{int(i >= 10)}") for i in range(20)]
    by_article = rows_of(framing.compare(docs, by="source"), "loaded_score")[("left",)]
    by_outlet = rows_of(framing.compare(docs, by="source", unit="outlet"), "loaded_score")[("left",)]
    assert 0.2 < by_article["low"] < 0.35 and 0.65 < by_article["high"] < 0.8 and "units" not in by_article
    assert (by_outlet["low"], by_outlet["high"], by_outlet["value"]) == (0.0, 1.0, 0.5)
    assert (by_outlet["articles"], by_outlet["units"]) == (20, 2)


def test_odd_group_keys_are_their_own_groups_and_missing_ones_one_group():
    values = [None, "", "  ", float("nan"), 3, True, ["a", "b"], " Reuters ", "Reuters"]
    docs = [article(v, [sentence()]) for v in values] + [{"loaded_score": 0.1, "loaded": False, "sentences": [sentence()]}]
    result = framing.compare(docs, by="source", min_articles=1)
    got = {k[0]: r["articles"] for k, r in rows_of(result, "loaded_score").items()}
    assert got == {None: 5, "3": 1, "true": 1, '["a", "b"]': 1, "Reuters": 2}
    assert list(got)[-1] is None  # missing sorts last
    assert "| (missing) | 5 |" in result.to_markdown()
    assert "\n,loaded_score,5," in result.to_csv()  # an empty cell in CSV
    assert json.loads(result.to_json())["rows"][-1]["source"] is None
    assert [group_key(v) for v in (np.int64(4), np.float64("nan"))] == ["4", None]


def test_small_groups_are_marked_not_hidden():
    docs = [article("big", [sentence()]) for _ in range(30)] + [article("small", [sentence()]) for _ in range(3)]
    result = framing.compare(docs, by="source")
    assert {g["source"]: g["few"] for g in result.groups} == {"big": False, "small": True}
    assert "| small † | 3 |" in result.to_markdown() and "† fewer than 30 articles" in result.to_markdown()


def test_differences_against_a_reference_within_each_other_key():
    docs = []
    for topic, extra in (("economy", 0.0), ("crime", 0.3)):
        docs += [article("center", [sentence()], 0.2 + extra, topic=topic) for _ in range(30)]
        docs += [article("left", [sentence()], 0.4 + extra, topic=topic) for _ in range(30)]
    result = framing.compare(docs, by=["source", "topic"], against="center")
    got = rows_of(result, "loaded_score")
    assert got[("left", "crime")]["reference"] == "center / crime"
    assert got[("left", "crime")]["diff"] == pytest.approx(0.2) and got[("left", "economy")]["diff"] == pytest.approx(0.2)
    assert got[("center", "crime")]["diff"] is None
    assert "reference" in result.to_markdown(differences=True)
    with pytest.raises(ValueError, match="no group 'right'.*center, left"):
        framing.compare(docs, by="source", against="right")


def test_periods_from_free_form_dates():
    assert [period_key("2016-09-20", p) for p in ("day", "week", "month", "year")] == [
        "2016-09-20", "2016-W38", "2016-09", "2016"]
    assert period_key("9/20/16", "month") == "2016-09" and period_key("2016-09-20T10:00:00Z", "year") == "2016"
    assert [period_key(v, "month") for v in ("", None, "yesterday", "13/45/16", 2016)] == [None] * 5
    docs = [article("a", [sentence()], date=d) for d in ("2016-01-03", "2016-01-30", "2016-02-01", "", None)]
    result = framing.compare(docs, by="source", period="month", min_articles=1)
    assert result.by == ["source", "month"]
    assert {k: r["articles"] for k, r in rows_of(result, "loaded").items()} == {
        ("a", "2016-01"): 2, ("a", "2016-02"): 1, ("a", None): 2}


def test_dedupe_leaves_out_sentences_repeated_across_articles():
    boiler = "Sign up for our newsletter."
    docs = [article("a", [sentence(0.9, ["Loaded_Language"], text=boiler), sentence(0.1, text=f"Fact {i}.")])
            for i in range(5)]
    docs.append(article("b", [sentence(0.1, text="SIGN UP  for our newsletter."), sentence(0.2, text="Other.")]))
    plain, deduped = framing.compare(docs, by="source"), framing.compare(docs, by="source", dedupe=2)
    assert rows_of(plain, "Loaded_Language")[("a",)]["value"] == 500.0
    assert rows_of(deduped, "Loaded_Language")[("a",)]["value"] == 0.0
    assert deduped.dropped_sentences == 6 and rows_of(deduped, "bias")[("b",)]["sentences"] == 1
    assert framing.compare(docs, by="source", dedupe=7).dropped_sentences == 0
    with pytest.raises(ValueError, match="iterator can be read once"):
        framing.compare(iter(docs), by="source", dedupe=2)


def test_docs_pairs_frames_and_datasets_give_the_same_comparison(nlp):
    import datasets
    import pandas as pd

    texts = ["A disastrous, shameful plan by corrupt elites.", "The council met on Tuesday.",
             "Officials said the vote was delayed. Critics called it a reckless stunt."] * 4
    meta = [{"source": s} for s in ("x", "y", "x", "z") * 3]
    docs = list(nlp.pipe(texts))
    records = [{**m, **d.to_dict()} for m, d in zip(meta, docs)]
    expected = framing.compare(records, by="source", min_articles=2).rows
    assert framing.compare(list(zip(docs, meta)), by="source", min_articles=2).rows == expected
    assert framing.compare(pd.DataFrame(records), by="source", min_articles=2).rows == expected
    assert framing.compare(datasets.Dataset.from_list(records), by="source", min_articles=2).rows == expected
    with pytest.raises(ValueError, match="nothing to group by"):
        framing.compare(docs, by=[])
    with pytest.raises(TypeError, match="article 0: expected a scored record"):
        framing.compare(["just text"], by="source")


def test_keep_carries_fields_of_jsonl_csv_and_parquet(tmp_path, capsys):
    import pandas as pd

    rows = [{"id": 1, "text": "A reckless plan.", "source": "A", "date": "2020-01-02"},
            {"id": 2, "text": "It rained.", "leaning": "left"}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    pd.DataFrame(rows).to_csv(tmp_path / "in.csv", index=False)
    pd.DataFrame(rows).to_parquet(tmp_path / "in.parquet")
    for name in ("in.jsonl", "in.csv", "in.parquet"):
        out = tmp_path / f"{name}.out.jsonl"
        assert main(["score", str(tmp_path / name), "-o", str(out), "-q", "--id-field", "id",
                     "--keep", "source,leaning", "--keep", "missing"]) == 0
        first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        assert list(first)[:5] == ["id", "source", "leaning", "missing", "text"], name
        assert first["source"] == "A" and first["missing"] is None and first["leaning"] in (None, ""), name
    assert main(["score", str(src), "-q", "--keep", "text"]) == 1
    assert "--keep 'text' would clash" in capsys.readouterr().err


@pytest.mark.slow
def test_compare_command_end_to_end(tmp_path, capsys):
    texts = {"left": "A disastrous, shameful plan by corrupt elites. The council met on Tuesday.",
             "center": "The committee published its report. Officials said the vote was delayed.",
             "right": "The radical mob destroyed everything. Rain is expected tomorrow."}
    src = tmp_path / "articles.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for i in range(36):
            side = ("left", "center", "right")[i % 3]
            f.write(json.dumps({"id": i, "side": side, "date": f"2020-0{1 + i % 2}-15", "text": texts[side] + f" Item {i}."}) + "\n")
    scored = tmp_path / "scored.jsonl"
    assert main(["score", str(src), "-o", str(scored), "-q", "--id-field", "id", "--keep", "side,date"]) == 0
    capsys.readouterr()
    assert main(["compare", str(scored), "--by", "side", "--against", "center", "--min-articles", "13",
                 "--html", str(tmp_path / "page.html"), "--seed", "4"]) == 0
    out, err = capsys.readouterr()
    assert "| left † | 12 |" in out and "| center † | 12 | 36 | reference |" in out
    assert "framing compare: 3 groups, 36 articles (3 with fewer than 13)" in err
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert page.count("<section class='measure'") >= 4 and "http" not in page.replace("http-equiv", "")
    assert main(["compare", str(scored), "--by", "side", "--period", "month", "-o", str(tmp_path / "t.csv"), "-q"]) == 0
    lines = (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("side,month,measure,articles,sentences,value,low,high,few")
    assert sum(1 for line in lines if ",loaded_score," in line) == 6
    assert main(["compare", str(scored), "--by", "side", "-o", str(tmp_path / "t.json"), "--dedupe", "-q"]) == 0
    data = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert data["dedupe"] == 2 and data["dropped_sentences"] == 36 * 2  # each side's two sentences are in 12 articles
    assert main(["compare", str(scored), "--by", "side", "-o", str(tmp_path / "t.txt")]) == 1
    assert "write a .csv, .json or .md table" in capsys.readouterr().err
