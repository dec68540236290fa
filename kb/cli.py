"""The `kb` command. The one place where kb's typed errors become messages and exit codes."""
from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from pathlib import Path

from .errors import IndexMissing, KbError

EXIT_ERROR = 2
EXIT_FOUND, EXIT_NOT_AS_WRITTEN = 0, 1  # kb verify, as grep: 1 when the reports do not say the text as written
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader went away


def one_line(text: str) -> str:
    """Text for one line of a report: control and format characters (a newline in a file name,
    a terminal escape) are shown as escapes, so a name cannot split or forge report lines."""
    return "".join(ascii(ch)[1:-1] if unicodedata.category(ch).startswith("C") else ch for ch in text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb", description="Cited answers from the IND reports, offline.")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="folder of reports (default: corpus)")
    parser.add_argument("--index", type=Path, default=Path("index"), help="index folder (default: index)")
    parser.add_argument("--store", default=None, metavar="URL",
                        help="a shared PostgreSQL + pgvector store instead of the index folder: "
                             "postgresql://USER@HOST:PORT/DB (default: $KB_STORE, else the index folder)")
    parser.add_argument("--model", default=None, help="sentence-transformers model name or path (default: bundled e5)")
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="build or update the index")
    ingest.add_argument("--force", action="store_true", help="rebuild even when up to date")
    sub.add_parser("restore", help="make the previous index current again (after a damaged build)")
    ask = sub.add_parser("ask", help="ask a question")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=5, help="number of passages (1-50)")
    ask.add_argument("--year", type=int, action="append", default=[], help="only reports of this year")
    ask.add_argument("--doc", action="append", default=[], help="only this document id")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--why", action="store_true", help="show why each passage ranked")
    cmp_ = sub.add_parser("compare", help="what each report year says about a subject")
    cmp_.add_argument("topic")
    cmp_.add_argument("-k", type=int, default=3, help="passages per year")
    cmp_.add_argument("--json", action="store_true")
    fig = sub.add_parser("figures", help="the reports' table figures on a subject, per year, with sources")
    fig.add_argument("query")
    fig.add_argument("--json", action="store_true")
    ver = sub.add_parser("verify", help="did the reports say this text? where, and how it differs",
                         epilog="exit status: 0 the reports say it (exact or equivalent); 1 they do not as written "
                                "(altered, partial or not found; with --file: a sentence is altered); 2 an error")
    ver.add_argument("text", nargs="?", help="the sentence or passage to check")
    ver.add_argument("--file", type=Path, help="check a whole text (an article), sentence by sentence")
    ver.add_argument("--json", action="store_true")
    ev = sub.add_parser("eval", help="score a question set (JSON lines)")
    ev.add_argument("cases", type=Path, nargs="+")
    ev.add_argument("-k", type=int, default=10)
    ev.add_argument("--half", choices=("all", "tune", "frozen"), default="all",
                    help="the tuning or the frozen half of the cases (split by a hash of the id)")
    ev.add_argument("--misses", action="store_true", help="list kb's misses (never the frozen half's)")
    ev.add_argument("--no-peer", action="store_true", help="skip the plain RRF peer")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code = {"ingest": cmd_ingest, "ask": cmd_ask, "compare": cmd_compare, "eval": cmd_eval,
                "figures": cmd_figures, "verify": cmd_verify, "restore": cmd_restore}[args.command](args)
        sys.stdout.flush()  # a reader that has gone is met here, not at exit
        return code
    except BrokenPipeError:
        # `kb ask ... | head -1`: the reader has all it wanted; stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KbError as exc:
        print(f"kb: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kb: interrupted; the index is as it was before", file=sys.stderr)
        return 130


def _progress_bar():
    from tqdm import tqdm

    bar = tqdm(total=0, unit="char", unit_scale=True, desc="embedding", file=sys.stderr, disable=None)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()
    return bar, update


def run_ingest(args, embedder=None, force: bool = False):
    from .embed import get_embedder
    from .build import ingest
    from .store import describe

    embedder = embedder or get_embedder(args.model)
    bar, update = _progress_bar()
    try:
        report = ingest(args.corpus, location(args), embedder, progress=update, force=force, cache=args.index,
                        waiting=lambda: print(f"kb: {describe(location(args))} is being built by another process; "
                                              "waiting for it to finish", file=sys.stderr))
    finally:
        bar.close()
    for name, reason in report.skipped:
        print(f"skipped: {one_line(reason)}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {one_line(warning)}", file=sys.stderr)
    return embedder, report


def cmd_ingest(args) -> int:
    _, report = run_ingest(args, force=args.force)
    if report.up_to_date:
        print(f"index/ is up to date ({report.seconds:.1f} s); use --force to rebuild")
        return 0
    for doc_id, repairs in report.repairs.items():
        fixed = ", ".join(f"{n} {kind}" for kind, n in repairs.items()) or "none"
        print(f"  {one_line(doc_id)}: repairs: {fixed}")
    skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(report.skip_counts.items()))
    print(f"indexed {report.documents} documents, {report.chunks} chunks ({report.embedded} embedded anew) "
          f"in {report.seconds:.1f} s; {len(report.skipped)} files skipped" + (f" ({skipped})" if skipped else ""))
    return 0


def cmd_restore(args) -> int:
    from .store import backend, describe

    where = location(args)
    name = backend(where).restore()
    print(f"{describe(where)}: {name} is the current index again; `kb ingest` rebuilds it when the corpus changed")
    return 0


def location(args):
    """The --store URL (or $KB_STORE), else the --index folder."""
    from .store import location_of

    return location_of(args.store, args.index)


def open_kb(args):
    """The knowledge base; on a fresh checkout the index is built first."""
    from .embed import get_embedder
    from .pipeline import KnowledgeBase

    embedder = get_embedder(args.model)
    try:
        return KnowledgeBase(location(args), embedder, corpus=args.corpus)
    except IndexMissing:
        print("kb: no index yet; building it first (once)", file=sys.stderr)
        run_ingest(args, embedder)
        return KnowledgeBase(location(args), embedder, corpus=args.corpus)


NO_ANSWER = ("the reports seem not to answer this question; the closest passages follow, "
             "‹ › marking the sentence nearest the question, not an answer")


def cmd_ask(args) -> int:
    from .answer import passage_json
    from .pipeline import check_question
    from .render import fact_json

    if not 1 <= args.k <= 50:
        raise KbError(f"-k {args.k}: ask for 1 to 50 passages")
    question = check_question(args.question)  # before loading anything: a bad question fails fast
    kb = open_kb(args)
    _check_filters(kb, args.year, args.doc)
    answer = kb.answer(question, k=args.k, years=tuple(args.year), doc_ids=tuple(args.doc))
    passages = answer.passages
    if args.json:
        results = [passage_json(p, rank) for rank, p in enumerate(passages, 1)]
        print(json.dumps({"query": question, "no_answer": answer.no_answer, "confidence": answer.confidence,
                          "facts": [fact_json(f) for f in answer.facts], "results": results,
                          "respelled": _respelled_json(answer.respelled)},
                         ensure_ascii=False, indent=1))
        return 0
    _say_respelled(answer.respelled)
    if not passages:
        print("no passages found; try other words or fewer filters")
    elif answer.no_answer:
        print(NO_ANSWER)
    for f in answer.facts:
        print(f"{f.year}: {f.as_written} ({f.label}), {f.citation}")
    for rank, p in enumerate(passages, 1):
        print(f"\n{rank}. {p.citation}")
        print(_marked(p.chunk.text, p.highlights, answers=not answer.no_answer))
        if args.why:
            print(f"   why: {json.dumps({**p.why, 'score': round(p.score, 4)}, ensure_ascii=False)}")
    return 0


def _check_filters(kb, years: list[int], doc_ids: list[str]) -> None:
    """A filter naming no report is a mistake to say, not an empty result."""
    known_ids = sorted(kb.index.documents)
    known_years = sorted({int(d["year"]) for d in kb.index.documents.values() if d.get("year")})
    for doc_id in doc_ids:
        if doc_id not in known_ids:
            raise KbError(f"--doc {doc_id}: no report has that id; the ids are {', '.join(known_ids)}")
    for year in years:
        if year not in known_years:
            raise KbError(f"--year {year}: no report is of that year; the years are {', '.join(map(str, known_years))}")


def _say_respelled(respelled: tuple[tuple[str, str], ...]) -> None:
    for slip, read in respelled:
        print(f"searched for '{read}' where you typed '{slip}'")


def _respelled_json(respelled: tuple[tuple[str, str], ...]) -> list[dict]:
    return [{"typed": slip, "read": read} for slip, read in respelled]


def _marked(text: str, spans: list[tuple[int, int]], answers: bool = True) -> str:
    """The passage with the answering part between » and «, bold where the terminal allows; where
    nothing answers, the nearest sentence between ‹ and ›, not bold."""
    from .render import pieces

    bold, plain = ("\033[1m", "\033[0m") if sys.stdout.isatty() and answers else ("", "")
    opens, closes = ("»", "«") if answers else ("‹", "›")
    out = "".join(f"{opens}{bold}{p}{plain}{closes}" if lit else p for p, lit in pieces(text, spans))
    return "   " + out.replace("\n", "\n   ")


def cmd_compare(args) -> int:
    from .answer import passage_json
    from .compare import compare
    from .pipeline import check_question
    from .tables import quoted

    kb = open_kb(args)
    typed = check_question(args.topic)
    topic, respelled = kb.respelled(typed)
    summaries = compare(kb, topic, per_year=args.k)
    if args.json:
        years = [{"year": s.year, "mentions": s.mentions,
                  "passages": [passage_json(p, rank) for rank, p in enumerate(s.passages, 1)]} for s in summaries]
        print(json.dumps({"topic": typed, "years": years,
                          "respelled": _respelled_json(respelled)},
                         ensure_ascii=False, indent=1))
        return 0
    _say_respelled(respelled)
    if not any(s.mentions for s in summaries):
        print(f"no report uses the words '{topic}'; compare looks for the reports' own (Dutch) words, "
              "e.g. dwangsommen, klachten, nareizigers")
        return 0
    for s in summaries:
        print(f"\n== {s.year}: {s.mentions} passage(s) about '{topic}'")
        if not s.passages:
            print("   nothing in this year's report speaks of it")
        for p in s.passages:
            print(f"   {p.citation}\n   {quoted(p, limit=300)}")
    return 0


def cmd_figures(args) -> int:
    from .pipeline import check_question
    from .render import series_json

    kb = open_kb(args)
    typed = check_question(args.query)
    query, respelled = kb.respelled(typed)
    found = kb.figures(query)
    if args.json:
        print(json.dumps({"query": typed, "series": [series_json(s) for s in found],
                          "respelled": _respelled_json(respelled)},
                         ensure_ascii=False, indent=1))
        return 0
    _say_respelled(respelled)
    if not found:
        print(f"no table figures about '{query}'; try a word from a table title, e.g. klachten, asiel")
    for s in found:
        print(f"\n== {s.name}" + (f"  (sources disagree on {', '.join(map(str, s.disputed))})" if s.disputed else ""))
        for f in s.facts:
            flag = "  ≠" if f.year in s.disputed else ""
            print(f"   {f.year}  {f.as_written:>14}{flag}   {f.citation}: \"{f.label}\"")
    return 0


HEADLINES = {
    "exact": "exact: the reports say this word for word",
    "equivalent": "equivalent: the reports say this; the differences are of form only (case, notation, punctuation, an article; after 'Volgens ...' the verb's place)",
    "altered": "ALTERED: the reports say something else here",
    "partial": "PARTIAL: the words are in the reports, but not as one passage",
}


def cmd_verify(args) -> int:
    from .verify import check_quote

    if (args.text is None) == (args.file is None):
        raise KbError("verify: give the text to check, or --file with a text to check sentence by sentence (not both)")
    if args.file is not None:
        return _verify_file(args)
    text = check_quote(args.text)  # before loading anything
    v = open_kb(args).verify(text)
    if args.json:
        from .verdict_view import verdict_json

        print(json.dumps(verdict_json(v), ensure_ascii=False, indent=1))
    else:
        _print_verdict(v)
    return EXIT_FOUND if v.found else EXIT_NOT_AS_WRITTEN


def _print_verdict(v) -> None:
    from .verdict_view import TRANSLATION_NOTE, change_words

    passage = v.match or v.source
    if passage:
        print(f"{HEADLINES[v.verdict]} (similarity {v.score:.2f}): {passage.citation}")
        if v.checked:
            print(f"   checked: “{v.checked}” (said as the report's: the words saying so are not checked)")
        for change in v.changes:
            print(f"   - {change_words(change, 'en')}")
        if v.omitted:
            print("   - left out: " + " ".join(v.omitted))
        for p in v.parts:
            print(f"   - also from: {p.citation}: “{p.quote}”")
        print(f"   “{passage.quote}”")
    else:
        print(f"not found in the reports (nearest similarity {v.score:.2f}); the closest passages:")
        if v.translation:
            print(f"   note: {TRANSLATION_NOTE}")
        for p in v.closest:
            print(f"   {p.citation}\n   “{p.quote[:300]}”")
    if v.diff and not v.exact:
        print("differences, report → text: " + " ".join(
            w if tag == "equal" else f"[-{w}-]" if tag == "delete" else f"{{+{w}+}}" for tag, w in v.diff))


def _verify_file(args) -> int:
    from .errors import UnreadableFile
    from .tables import cut
    from .verdict_view import article_json, sentence_row

    try:
        text = args.file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFile(f"{args.file}: cannot read it ({exc.__class__.__name__}); give a UTF-8 text file") from exc
    verdicts = open_kb(args).verify_text(text)
    # an article's own sentences are no quotes (not found); a changed claim is what fails it
    code = EXIT_NOT_AS_WRITTEN if any(v.verdict == "altered" for v in verdicts) else EXIT_FOUND
    if args.json:
        print(json.dumps({"file": str(args.file), **article_json(verdicts)}, ensure_ascii=False, indent=1))
        return code
    for n, row in enumerate((sentence_row(v) for v in verdicts), 1):
        print(f"{n:>3}. {row['verdict']:<10} {cut(row['sentence'], 100)}")  # not_found: not found as a quote
        for label in ("checked", "changes", "citation", "nearest"):
            if row[label] and row[label] != row["sentence"]:
                print(f"{'':16}{label}: {row[label]}")
    totals = article_json(verdicts)["totals"]
    print(", ".join(f"{n} {k}" for k, n in totals.items()))
    return code


def cmd_eval(args) -> int:
    from .baseline import build_peer
    from .evaluate import half, read_cases, report_lines, score_kb, score_peer

    cases = [c for path in args.cases for c in read_cases(path)]
    if args.half != "all":
        cases = [c for c in cases if half(c.case_id) == args.half]
    if not cases:
        raise KbError(f"no cases in {', '.join(map(str, args.cases))} (half: {args.half})")
    kb = open_kb(args)
    mine = score_kb(kb, cases, args.k)
    peer = None if args.no_peer else score_peer(build_peer(args.corpus, args.index, kb.embedder), cases, args.k)
    if args.misses:  # never a frozen case: that half is read as totals only
        for o in mine:
            if half(o.case.case_id) == "frozen" or (o.rank == 1 and o.answered_at_1) or not o.case.answerable:
                continue
            where = f"first answer at rank {o.rank}" if o.rank else "no answer in the first 10"
            print(f"miss {o.case.case_id} [{o.case.style}]: {o.case.question!r}: {where}"
                  + ("" if o.answered_at_1 or o.rank != 1 else "; rank 1 but the answer is not marked"))
    print(f"{len(cases)} cases ({args.half})")
    print("\n".join(report_lines(mine, peer)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
