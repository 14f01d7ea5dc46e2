"""The ``framing`` command: ``score`` corpus files, ``report`` them as HTML, ``evaluate`` a model on
labelled data, ``adapt`` it to labelled data, ``train`` a model."""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from pathlib import Path

from framing._version import __version__


SHOWN_ERRORS = 10
"""With ``--errors FILE``, stderr shows this many bad records and a count; the file has them all."""
SCORED_FIELDS = ("text", "loaded_score", "loaded", "labels", "frames", "frame_scores", "spans", "paragraphs",
                 "sentences", "error")
"""The fields of a scored record, which ``--keep`` cannot name."""


def _score(args) -> int:
    from framing.corpus import writers
    from framing.corpus.output import ResumableOutput
    from framing.corpus.progress import Progress
    from framing.corpus.records import STDIN, InputError, count_records, read_records
    from framing.corpus.rows import columns, rows
    from framing.scoring.scorer import Rejected, load

    stdin = str(args.input) == STDIN
    if args.resume and args.output is None:
        raise ValueError("--resume needs -o OUTPUT: the file of the interrupted run")
    if args.resume and stdin:
        raise ValueError("--resume needs an input file: standard input cannot be read again")
    fmt = writers.output_format(args.output, args.format, args.output is None and sys.stdout.isatty())
    if args.resume and fmt not in writers.RESUMABLE:
        raise ValueError(f"--resume goes on with {' or '.join(writers.RESUMABLE)} output; a {fmt} file is written whole")
    id_fields = list(dict.fromkeys(args.id_field))
    keep = [f for f in dict.fromkeys(f.strip() for v in args.keep for f in v.split(",") if f.strip()) if f not in id_fields]
    if clash := [f for f in keep if f in SCORED_FIELDS]:
        raise ValueError(f"--keep {clash[0]!r} would clash with the scored record's own {clash[0]!r} field; "
                         f"keep other fields ({', '.join(SCORED_FIELDS)} are taken)")
    carried = id_fields + keep  # copied into each output record, in this order
    scorer = load(args.model)
    scorer.max_chars = args.max_chars
    _set_thresholds(scorer, args.threshold)
    options = {"input": str(args.input) if stdin else str(args.input.resolve()),
               "input_bytes": args.input.stat().st_size if not stdin and args.input.is_file() else None,
               "text_field": args.text_field, "id_field": id_fields, "keep": keep, "max_chars": args.max_chars,
               "model": str(scorer.path), "errors": str(args.errors.resolve()) if args.errors else None,
               "format": fmt, "level": args.level, "all_scores": args.all_scores, "thresholds": dict(scorer.thresholds)}
    cols = columns(args.level, carried, args.all_scores, scorer.technique_head.labels, scorer.frame_head.labels)
    out = writers.TextFormat(fmt, cols, args.level, carried) if fmt != "parquet" else None
    job = parquet = None
    if fmt == "parquet":
        parquet = writers.ParquetOutput(args.output, cols)
    elif args.output:
        job = ResumableOutput(args.output, args.errors, options, args.resume, out.header())
        if args.resume and not job.resumed:
            print(f"framing score: nothing to resume for {args.output}; starting from the beginning", file=sys.stderr)
    skip = job.done if job else 0
    if job is None and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # a lone surrogate goes out as its JSON escape
    errors_file = None if job else (open(args.errors, "w", encoding="utf-8") if args.errors else None)
    records = itertools.islice(read_records(args.input, args.text_field, id_fields, args.input_format, optional=keep), skip, args.limit)
    pairs = ((r.text if r.error is None else Rejected(r.error), r) for r in records)
    as_json = fmt in ("jsonl", "json") and args.level == "doc"  # JSON made where the docs are (in the workers)
    if as_json:
        results = scorer.pipe_json(pairs, args.batch_size, args.n_process, as_tuples=True, all_scores=args.all_scores)
    else:
        results = (((doc, doc.error), r) for doc, r in
                   scorer.pipe(pairs, args.batch_size, args.n_process, on_error="skip", as_tuples=True))

    progress, failed = None, 0
    try:
        if job is None and parquet is None and out.header() is not None:
            print(out.header())
        if not args.quiet and not (fmt == "table" and sys.stderr.isatty()):  # a bar would cut through the table
            total = count_records(args.input, args.input_format)
            if total is not None:
                total = max((min(total, args.limit) if args.limit is not None else total) - skip, 0)
            progress = Progress(total)
        for n, ((result, error), r) in enumerate(results, skip + 1):
            if error is None:
                if as_json:
                    if carried:  # the ids and kept fields go first: '{"id": 7, ' + the rest of the record
                        ids = ", ".join(json.dumps(f) + ": " + json.dumps(r.ids.get(f), ensure_ascii=False, default=str)
                                        for f in carried)
                        result = "{" + ids + ", " + result[1:]
                    items = [result]
                else:
                    items = rows(result, n, r.ids, args.level, args.all_scores)
                if parquet:
                    parquet.write(items)
                else:
                    text = out.record(items)
                    if job:
                        job.write(text)
                    elif text:
                        print(text)
            else:
                failed += 1
                if args.errors is None or failed <= SHOWN_ERRORS:
                    print(f"{args.input}:{r.line}: {error}", file=sys.stderr)
                record = {"line": r.line, **r.ids, "error": error}
                if job:
                    job.fail(record)
                elif errors_file:
                    errors_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            if job and n % args.batch_size == 0:
                job.checkpoint()
            if progress:
                progress.update()
    except InputError as e:
        if job:
            job.discard()
        if parquet:
            parquet.discard()
        print(f"framing score: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if job:
            job.checkpoint()
            job.close()
            print("framing score: interrupted; run the same command with --resume to go on", file=sys.stderr)
        if parquet:
            parquet.discard()
        return 130
    finally:
        if progress:
            progress.close()
        if errors_file:
            errors_file.close()
    if job:
        job.finish(out.footer())
    elif parquet:
        parquet.finish()
    elif out.footer() is not None:
        print(out.footer())
    if fmt == "table" and not args.quiet:
        print("framing score: a short view for the terminal; -o FILE.csv (or .jsonl, .parquet) or a pipe gets "
              "every field", file=sys.stderr)
    if failed:
        where = f" (all of them in {args.errors})" if args.errors else ""
        print(f"framing score: {failed} record(s) could not be scored{where}", file=sys.stderr)
    return 1 if failed and not args.skip_errors else 0


def _set_thresholds(scorer, values: list[str]) -> None:
    """Apply ``--threshold NAME=VALUE[,NAME=VALUE]`` options to ``scorer``."""
    from framing.scoring.thresholds import parse_thresholds

    for value in values:
        scorer.thresholds.update(parse_thresholds(value))


META_FIELDS = {"id": ("id", "article_id"), "title": ("title", "headline"), "outlet": ("outlet", "source")}
"""The fields ``framing report`` shows a record's id, title and outlet from (the first one a record has)."""


def _report(args) -> int:
    from framing.corpus.progress import Progress
    from framing.corpus.records import input_type, read_records
    from framing.presenting.explain import Explainer
    from framing.presenting.render import render
    from framing.scoring.scorer import load

    scorer = load(args.model)
    _set_thresholds(scorer, args.threshold)
    chosen = {k: ([getattr(args, f"{k}_field")] if getattr(args, f"{k}_field") else list(v)) for k, v in META_FIELDS.items()}
    fields = [] if input_type(args.input, args.input_format) == ".txt" else list(dict.fromkeys(f for v in chosen.values() for f in v))
    texts, metas, failed = [], [], 0
    for r in itertools.islice(read_records(args.input, args.text_field, input_format=args.input_format,
                                           optional=fields), args.limit):
        if r.error is None:
            texts.append(r.text)
            metas.append({k: next((r.ids[f] for f in v if r.ids.get(f) not in (None, "")), None)
                          for k, v in chosen.items()} if fields else None)
        else:
            failed += 1
            print(f"framing report: {args.input}:{r.line}: {r.error} (left out of the report)", file=sys.stderr)
    shown = min(len(texts), args.max_records)
    progress = None if args.quiet else Progress(len(texts))
    docs, explanations = [], []
    try:
        for doc, explanation in Explainer.of(scorer).pipe(texts[:shown]):  # explained: the records shown in full
            docs.append(doc)
            explanations.append(explanation)
            if progress:
                progress.update()
        for doc in scorer.pipe(texts[shown:]):  # the others are rows of a table: scores only
            docs.append(doc)
            if progress:
                progress.update()
    finally:
        if progress:
            progress.close()
    page = render(docs, explanations, title=args.title or f"{args.input.name}: framing report", records=metas,
                  thresholds=dict(scorer.thresholds), all_notes=args.all_notes, max_records=args.max_records)
    args.output.write_text(page, encoding="utf-8")
    if not args.quiet:
        rest = f"; {len(docs) - shown:,} more as table rows" if shown < len(docs) else ""
        print(f"wrote {args.output} ({shown:,} records in full{rest}, {sum(len(d.spans) for d in docs):,} loaded phrases, "
              f"{len(page) / 1e6:.1f} MB)", file=sys.stderr)
    return 1 if failed else 0


def _compare(args) -> int:
    from framing.corpus.compare import compare
    from framing.presenting.forest import render_comparison

    if args.output is not None and args.output.suffix not in (".csv", ".json", ".md"):
        raise ValueError(f"-o {args.output}: write a .csv, .json or .md table")
    by = [f.strip() for v in args.by for f in v.split(",") if f.strip()]
    result = compare(args.input, by=by, period=args.period, date_field=args.date_field, min_articles=args.min_articles,
                     against=tuple(args.against) or None, unit=args.unit, replicates=args.replicates, seed=args.seed,
                     dedupe=args.dedupe)
    if args.output is None:
        print(result.to_markdown(differences=False), end="")
        if args.against:
            print("\n" + result.to_markdown(differences=True), end="")
    elif args.output.suffix == ".csv":
        result.to_csv(args.output)
    elif args.output.suffix == ".json":
        result.to_json(args.output)
    else:
        result.to_markdown(path=args.output)
    if args.html:
        title = f"{args.input.name} by {', '.join(result.by)}"
        args.html.write_text(render_comparison(result, title=title), encoding="utf-8")
    if not args.quiet:
        groups = result.groups
        few = sum(g["few"] for g in groups)
        print(f"framing compare: {len(groups)} groups, {sum(g['articles'] for g in groups):,} articles"
              + (f" ({few} with fewer than {args.min_articles})" if few else "")
              + (f", {result.skipped:,} left out (not scored or without sentences)" if result.skipped else "")
              + (f", {result.dropped_sentences:,} repeated sentences left out" if args.dedupe else ""), file=sys.stderr)
    return 0


def _evaluate(args) -> int:
    from framing.scoring.scorer import load

    scorer = load(args.model)
    if args.data.is_dir():
        from framing.training import evaluate

        metrics = evaluate.evaluate_scorer(scorer, evaluate.validation(args.data), batch_size=args.batch_size)
        print("| benchmark | metric | value |\n|---|---|---|")
        print("\n".join(f"| {label} | {metric} | {metrics[key]:.3f} |" for label, metric, key in evaluate.ROWS))
        failed = 0
    else:
        from framing.training.labelled import evaluate_labelled, format_report, read_labelled

        data, errors = read_labelled(args.data, args.text_field)
        for line, reason in errors:
            print(f"{args.data}:{line}: {reason} (left out)", file=sys.stderr)
        if not data.texts:
            raise ValueError(f"{args.data}: no labelled record to measure on (see the messages above)")
        metrics = evaluate_labelled(scorer, data, args.batch_size, args.n_process)
        print(f"framing evaluate: {len(data.texts)} records of {args.data}, model {scorer.path}")
        print(format_report(metrics))
        failed = len(errors)
        metrics["bad_records"] = failed
    if args.json:
        args.json.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


def _adapt(args) -> int:
    from framing.corpus.progress import Progress
    from framing.scoring.scorer import load
    from framing.training.adapt import FOLDS, adapt, check_destination, measured_table, save_adapted
    from framing.training.labelled import read_labelled

    check_destination(args.out)
    base = load(args.model)
    data, errors = read_labelled(args.data, args.text_field, unlabelled=args.prevalence is not None)
    if errors:
        for line, reason in errors[:SHOWN_ERRORS]:
            print(f"{args.data}:{line}: {reason}", file=sys.stderr)
        raise ValueError(f"{args.data}: {len(errors)} bad record(s) (see above); fix them and run again; nothing was written")
    labelled = [i for i, v in enumerate(data.label) if v is not None]
    if labelled and len(labelled) < len(data.texts) and args.prevalence is None:
        print(f"framing adapt: {len(data.texts) - len(labelled)} record(s) without 'label' are left out", file=sys.stderr)
    if not labelled and args.prevalence is None:
        raise ValueError(f"{args.data}: no record has a 'label' (1 slanted / 0 not); give labels, or --prevalence P "
                         "to move the decisions to your corpus's share of slanted texts; nothing was written")
    unused = [k for k in ("spans", "techniques", "frames") if any(v is not None for v in getattr(data, k))]
    if unused:
        print(f"framing adapt: the {', '.join(unused)} labels are not used: only the bias and loaded_score heads adapt "
              "(measure the others with framing evaluate)", file=sys.stderr)
    texts = [data.texts[i] for i in labelled] if labelled else data.texts
    labels = [data.label[i] for i in labelled] if labelled else None
    progress = None
    if not args.quiet:
        folds = min(FOLDS, min(labels.count(0), labels.count(1))) if labels else 0
        progress = Progress(len(texts) + folds, unit="steps")  # the texts featurized, then the folds
    try:
        adapted = adapt(base, texts, labels, prevalence=args.prevalence, seed=args.seed, progress=progress,
                        source=f"`{args.data.name}`")
    finally:
        if progress:
            progress.close()
    info = adapted.meta["adapted"]
    if "measured" in info:
        print(f"framing adapt: {len(texts)} texts of {args.data} ({info['positives']} slanted), cross-validated "
              f"({FOLDS} folds at most; before: {base.path.name}; after: adapted on the other folds)")
        print(measured_table(info["measured"]))
    else:
        print(f"framing adapt: loaded_score moved to a prevalence of {args.prevalence} on {len(texts)} texts "
              f"(threshold {adapted.loaded_head.thresholds[0]:.3f}); no labels, so nothing is measured")
    save_adapted(adapted, args.out, base.path)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _train(args) -> int:
    from framing.training import evaluate
    from framing.training.card import model_card
    from framing.training.recipe import TrainConfig, train
    from framing.training.terms import model_license

    log = (lambda *a: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    config = TrainConfig(seed=args.seed, distilled=str(args.distilled) if args.distilled else None,
                         tagger_learned_vectors=args.tagger_learned_vectors,
                         news=str(args.news) if args.news else None, news_sentences=args.news_sentences,
                         exclude_lexicons=tuple(n for v in args.exclude_lexicons for n in v.split(",") if n))
    scorer, _ = train(args.data, config, log=log)
    metrics = None
    if not args.no_eval:
        log("measuring on the validation split ...")
        metrics = evaluate.evaluate_scorer(scorer, evaluate.validation(args.data))
    scorer.meta["validation"] = metrics
    reports = {k: json.loads(v.read_text(encoding="utf-8")) if v else None
               for k, v in (("generalization", args.generalization), ("ablation", args.ablation), ("terms", args.terms),
                         ("adaptation", args.adaptation))}
    scorer.save(args.out, model_card(args.out.name, scorer.meta, metrics, scorer, **reports),
                model_license(scorer.meta, list(scorer.lexicons)))
    log(f"wrote {args.out}")
    return 0


class _Version(argparse.Action):
    """``--version``: the library's version and the bundled model's (read only when asked)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from framing.scoring.persist import model_version
        from framing.scoring.scorer import bundled_model_dir

        print(f"framing {__version__}\nbundled model: {model_version(bundled_model_dir())}")
        parser.exit()


INPUT_FORMATS = ("txt", "jsonl", "json", "csv", "parquet")
THRESHOLD_HELP = ("change decision thresholds, e.g. loaded=0.5,bias=0.6 (names: bias, loaded, technique, frame, "
                  "frame_evidence, sentence_frame; see nlp.thresholds): decisions change, scores do not")


def _output_options(s: argparse.ArgumentParser) -> None:
    """The options of ``framing score`` that choose what it writes."""
    from framing.corpus.rows import LEVELS
    from framing.corpus.writers import FORMATS

    s.add_argument("--format", choices=FORMATS, default=None,
                   help="the output format (default: by the extension of -o; without -o, a table on a terminal and "
                        "JSON lines into a pipe)")
    s.add_argument("--level", choices=LEVELS, default="doc",
                   help="one output row per document (default), paragraph, sentence or loaded span; other than doc, "
                        "rows have flat columns (record, ids, offsets, text, scores, decisions, ';'-joined labels)")
    s.add_argument("--all-scores", action="store_true",
                   help="every technique and frame score (default: the scores of the chosen labels and frames only)")
    s.add_argument("--input-format", choices=INPUT_FORMATS, default=None,
                   help="the type of INPUT when its extension does not say it (standard input: jsonl)")
    s.add_argument("--threshold", action="append", default=[], metavar="NAME=VALUE[,...]", help=THRESHOLD_HELP)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``framing`` command."""
    from framing.training.corpora import default_data_dir

    p = argparse.ArgumentParser(prog="framing", description="Where and how news text is slanted.")
    p.add_argument("--version", action=_Version, nargs=0, help="print the library's and the bundled model's versions")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser(
        "score",
        help="score a corpus file: JSON lines, a JSON array, CSV or Parquet, or a short table on a terminal",
        description="Score each record of INPUT and write the result. By default one compact JSON line per record "
        "(the fields of Doc.to_dict(), with the scores of the chosen labels and frames only; --all-scores for every "
        "score); -o FILE.csv, .parquet, .json or .jsonl (or --format) chooses the format, and --level one row per "
        "document, paragraph, sentence or loaded phrase with flat columns. Without -o, a terminal gets a short "
        "table and a pipe JSON lines. A .txt file has one record per paragraph (paragraphs are separated by blank "
        "lines); .jsonl, .json (an array), .csv and .parquet files have one per row, with the text in --text-field; "
        "- reads standard input (JSON lines, or --input-format). Records stream through: memory stays flat "
        "however large the file.",
    )
    s.add_argument("input", type=Path, help="a .txt, .jsonl, .json, .csv or .parquet file, or - for standard input")
    s.add_argument("-o", "--output", type=Path,
                   help="the file to write; its extension (.jsonl, .json, .csv, .parquet) is its format "
                        "(default: standard output)")
    s.add_argument("--text-field", default="text", help="the field or column holding the text (default: text)")
    s.add_argument("--model", type=Path, default=None, help="a model directory (default: the bundled model)")
    s.add_argument("--id-field", action="append", default=[], metavar="FIELD",
                   help="a field or column copied into each output record (e.g. id); repeat it for several")
    _output_options(s)
    s.add_argument("--keep", action="append", default=[], metavar="FIELD[,FIELD]",
                   help="more fields or columns copied into each output record, after the ids, e.g. source,date,leaning "
                        "(null where a record lacks one); `framing compare` groups by them")
    s.add_argument("--limit", type=int, default=None, help="score only the first N records")
    s.add_argument("--batch-size", type=int, default=1024, help="texts scored together (default: 1024)")
    s.add_argument("--n-process", type=int, default=1, help="worker processes, each loading the model once (default: 1)")
    s.add_argument("--max-chars", type=int, default=None,
                   help="records longer than N characters are errors instead of being scored (default: no limit)")
    s.add_argument("--errors", type=Path, default=None,
                   help="write each record that could not be scored to this JSONL file (line, id, reason)")
    s.add_argument("--skip-errors", action="store_true",
                   help="exit with status 0 even when some records could not be scored")
    s.add_argument("--resume", action="store_true",
                   help="go on with an interrupted run of the same command (needs -o); the result is the same file")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar on standard error")
    s.set_defaults(func=_score)

    r = sub.add_parser(
        "report",
        help="write an HTML page that highlights loaded language and framing",
        description="Score INPUT and write one self-contained HTML page (no script, no network): each record "
        "with its loaded-score bar (and its id, title and outlet when the records have them), loaded phrases "
        "highlighted, a note beside each biased sentence with its techniques and frames and the reasons for each "
        "score in words (their log-odds on demand), the decision thresholds, a table of contents and a summary. "
        "The first --max-records records are shown in full, the others as rows of a table. A .txt file has one "
        "record per paragraph (paragraphs are separated by blank lines), so an article reads as itself; .jsonl, "
        ".json, .csv and .parquet files have one per row, with the text in --text-field.",
    )
    r.add_argument("input", type=Path, help="a .txt, .jsonl, .json, .csv or .parquet file, or - for standard input")
    r.add_argument("--input-format", choices=INPUT_FORMATS, default=None,
                   help="the type of INPUT when its extension does not say it (standard input: jsonl)")
    r.add_argument("--threshold", action="append", default=[], metavar="NAME=VALUE[,...]", help=THRESHOLD_HELP)
    r.add_argument("-o", "--output", type=Path, required=True, help="the HTML file to write, e.g. report.html")
    r.add_argument("--text-field", default="text", help="the field or column holding the text (default: text)")
    r.add_argument("--model", type=Path, default=None, help="a model directory (default: the bundled model)")
    r.add_argument("--limit", type=int, default=None, help="show only the first N records")
    r.add_argument("--title", default=None, help="the page title (default: the input file's name)")
    r.add_argument("--max-records", type=int, default=250,
                   help="show this many records in full, the others as rows of a table (default: 250)")
    r.add_argument("--all-notes", action="store_true",
                   help="a note for every sentence with a technique or a loaded phrase (default: biased sentences only)")
    for key, names in META_FIELDS.items():
        r.add_argument(f"--{key}-field", default=None,
                       help=f"the field holding each record's {key}, shown above it (default: {' or '.join(names)}, when present)")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar or message on standard error")
    r.set_defaults(func=_report)

    c = sub.add_parser(
        "compare",
        help="compare outlets, sides or periods in scored output, with 95% intervals",
        description="Read the JSON lines `framing score --keep ...` wrote and compare groups of articles: per group, "
        "articles, sentences, mean loaded score, share of loaded articles, mean sentence bias, share of biased "
        "sentences, each technique per 1,000 sentences and each frame's share of sentences, each with a 95%% "
        "interval from a bootstrap that resamples whole articles. Prints markdown tables unless -o is given.",
    )
    c.add_argument("input", type=Path, help="the JSON lines of `framing score` (with the grouping fields kept)")
    c.add_argument("--by", action="append", default=[], metavar="FIELD",
                   help="a field to group by, e.g. source or leaning (repeat, or a comma list, for several)")
    c.add_argument("--period", choices=("day", "week", "month", "year"), default=None,
                   help="also group by the period of --date-field (unreadable or missing dates are a group of their own)")
    c.add_argument("--date-field", default="date", help="the field holding the date (default: date)")
    c.add_argument("--min-articles", type=int, default=30,
                   help="groups with fewer articles are marked (not hidden) as having little to go on (default: 30)")
    c.add_argument("--against", action="append", default=[], metavar="GROUP",
                   help="the reference group (a value of the first --by field; repeat for the next fields): "
                        "every group gets its difference from it, with an interval")
    c.add_argument("--dedupe", type=int, nargs="?", const=2, default=None, metavar="N",
                   help="leave out sentences found in N or more articles (default N: 2): boilerplate such as "
                        "'Sign up for our newsletter', and wire copy several outlets carry")
    c.add_argument("--unit", default="article", metavar="FIELD",
                   help="what the bootstrap resamples: whole articles (default), or all articles sharing a FIELD's "
                        "value, e.g. source, when the claim is about outlets in general rather than these articles")
    c.add_argument("--replicates", type=int, default=1000, help="bootstrap replicates (default: 1000)")
    c.add_argument("--seed", type=int, default=0, help="random seed of the bootstrap (default: 0)")
    c.add_argument("-o", "--output", type=Path, default=None, help="write the table to a .csv, .json or .md file")
    c.add_argument("--html", type=Path, default=None, help="also write a forest-plot page, e.g. compare.html")
    c.add_argument("-q", "--quiet", action="store_true", help="no summary on standard error")
    c.set_defaults(func=_compare)

    e = sub.add_parser(
        "evaluate",
        help="measure a model on your own labelled JSONL (or on the corpora's validation split)",
        description="Score the texts of a labelled JSONL file and compare them with the labels each record has: "
        "'label' (1 slanted / 0 not; AUC of loaded_score, macro-F1 of loaded), 'spans' (a list of "
        "{\"start\": ..., \"end\": ...} character offsets; character F1 of the loaded phrases), 'techniques' "
        "and 'frames' (lists of framing.TECHNIQUES / framing.FRAMES names; micro-F1 and per-label F1). Bad records "
        "are listed with their line numbers and left out (exit status 1). Given the corpora directory instead "
        "(e.g. ../shared/data), it measures the rows of the model card on its fixed validation split.",
    )
    e.add_argument("--data", type=Path, required=True, help="a labelled .jsonl file, or the corpora directory")
    e.add_argument("--text-field", default="text", help="the field holding the text (default: text)")
    e.add_argument("--model", type=Path, default=None, help="a model directory (default: the bundled model)")
    e.add_argument("--batch-size", type=int, default=1024, help="texts scored together (default: 1024)")
    e.add_argument("--n-process", type=int, default=1, help="worker processes (default: 1)")
    e.add_argument("--json", type=Path, default=None, help="also write the metrics to this JSON file")
    e.set_defaults(func=_evaluate)

    a = sub.add_parser(
        "adapt",
        help="adapt a model to your own labelled news: recalibrate it and learn from your labels",
        description="Adapt a model to the labelled JSONL that framing evaluate reads (records with 'label': 1 "
        "slanted / 0 not): the sentence-bias and loaded_score heads move toward your labels (held to the model's "
        "own weights by a penalty chosen by cross-validation), loaded_score is recalibrated to be a probability "
        "for your corpus, and the threshold of loaded is tuned on your labels. Prints a cross-validated "
        "before/after table and writes the adapted model to --out (atomically, with SHA256SUMS and a model card); "
        "load it with framing.load(DIR) or --model DIR. Bad input writes nothing. With --prevalence and no "
        "labels, the scores and threshold move to that share of slanted texts among the file's texts.",
    )
    a.add_argument("--data", type=Path, required=True, help="a labelled .jsonl file (text and label per line)")
    a.add_argument("--out", type=Path, required=True, help="the model directory to write, e.g. models/mine")
    a.add_argument("--model", type=Path, default=None, help="the model to adapt (default: the bundled model)")
    a.add_argument("--prevalence", type=float, default=None,
                   help="the share of slanted texts in your corpus (e.g. 0.1), when your labelled sample's differs "
                        "or you have no labels")
    a.add_argument("--text-field", default="text", help="the field holding the text (default: text)")
    a.add_argument("--seed", type=int, default=0, help="seed of the cross-validation folds (default: 0)")
    a.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    a.set_defaults(func=_adapt)

    from framing.training.config import TrainConfig  # a dataclass: nothing heavy

    t = sub.add_parser(
        "train",
        help="train a model from the annotated corpora",
        description="Train every head from the training split of the corpora in --data, measure the result on "
        "the fixed validation split, and write the model directory (weights.npz, config.json, MODEL_CARD.md, "
        "SHA256SUMS) to --out. Same data and seed, same model.",
    )
    t.add_argument("--data", type=Path, default=default_data_dir(), help="the corpora directory (default: ../shared/data)")
    t.add_argument("--out", type=Path, required=True, help="the model directory to write, e.g. models/default")
    t.add_argument("--seed", type=int, default=0, help="random seed of the solvers (default: 0)")
    t.add_argument("--distilled", type=Path, default=None,
                   help="word and sentence vectors made by `python -m framing.training.distill` (the bundled model uses them)")
    t.add_argument("--news", type=Path, default=None,
                   help="news sentences and their vectors made by `python -m framing.training.news`: the teacher "
                        "labels them for the bias head (needs --distilled; the bundled model uses them)")
    t.add_argument("--news-sentences", type=int, default=TrainConfig.news_sentences,
                   help=f"how many of the --news sentences the teacher labels (default: {TrainConfig.news_sentences:,})")
    t.add_argument("--tagger-learned-vectors", action="store_true",
                   help="let the span tagger learn its own word vectors even with --distilled: worse spans, "
                        "slightly better WikiNPOV (see TrainConfig.tagger_learned_vectors)")
    t.add_argument("--exclude-lexicons", action="append", default=[], metavar="NAME[,NAME]",
                   help="leave these word lists out of the model, e.g. strong_subjective,weak_subjective,babe_bias "
                        "(the MPQA clues, GPL, and BABE's lexicon, AGPL; see models/default/LICENSE)")
    t.add_argument("--generalization", type=Path, default=None,
                   help="put this leave-one-corpus-out result (benchmarks/generalization.py --json) in the model card")
    t.add_argument("--ablation", type=Path, default=None,
                   help="put this ablation result (benchmarks/ablation.py --json) in the model card")
    t.add_argument("--terms", type=Path, default=None,
                   help="put this result of benchmarks/ablation.py --only full,no_mpqa,no_babe_lexicon,no_copyleft_lists "
                        "--json in the model card's terms section (what the model loses without the copyleft word lists)")
    t.add_argument("--adaptation", type=Path, default=None,
                   help="put this result of benchmarks/adapt.py --json in the model card")
    t.add_argument("--no-eval", action="store_true", help="skip measuring on the validation split")
    t.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    t.set_defaults(func=_train)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``framing`` command."""
    args = build_parser().parse_args(argv)
    for option in ("batch_size", "n_process", "limit", "max_chars", "max_records", "min_articles", "replicates"):
        value = getattr(args, option, None)
        if value is not None and value < 1:
            print(f"framing: --{option.replace('_', '-')} must be at least 1, got {value}", file=sys.stderr)
            return 2
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly, as other tools do
        _silence_stdout()
        return 141
    except (FileNotFoundError, ValueError) as e:
        print(f"framing {args.command}: {e}", file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that flushing it at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (e.g. captured in a test)
        pass


if __name__ == "__main__":
    sys.exit(main())
