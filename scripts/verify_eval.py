"""Quote verification scored on a held-out set (JSON lines: {"id", "text", "verdict", "doc",
"changes": [{"kind", "report", "text"}]}), by default eval/quotes.jsonl.

    python scripts/verify_eval.py [--cases eval/quotes.jsonl] [--corpus corpus] [--index index]

Prints totals only, never a case: accuracy per expected verdict, the confusion matrix, how many
altered / partial / not_found texts were called found (must be 0), how many exact / equivalent
ones were, and whether altered texts got the expected kinds of change. Builds the index first
when there is none.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from kb.embed import get_embedder
from kb.errors import IndexMissing, KbError
from kb.evaluate import verdict_scores
from kb.build import ingest
from kb.pipeline import KnowledgeBase
from kb.verdict_view import VERDICTS

ROOT = Path(__file__).resolve().parents[1]


def open_kb(corpus: Path, index: Path) -> KnowledgeBase:
    embedder = get_embedder()
    try:
        return KnowledgeBase(index, embedder, corpus=corpus)
    except IndexMissing:
        ingest(corpus, index, embedder)
        return KnowledgeBase(index, embedder, corpus=corpus)


def outcome(kb: KnowledgeBase, case: dict) -> tuple[str, str, set[str], set[str]]:
    try:
        v = kb.verify(case["text"], closest=False)
        got, kinds = v.verdict, {c.kind for c in v.changes}
    except KbError:
        got, kinds = "error", set()
    return case["verdict"], got, {c["kind"] for c in case.get("changes") or []}, kinds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=Path, default=ROOT / "eval" / "quotes.jsonl")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    args = parser.parse_args()
    cases = [json.loads(line) for line in args.cases.read_text("utf-8").splitlines() if line.strip()]
    kb = open_kb(args.corpus, args.index)
    s = verdict_scores([outcome(kb, case) for case in cases])
    print(f"{s['cases']} cases, accuracy {s['accuracy']:.3f}")
    columns = [*VERDICTS, "error"]
    print(f"{'expected':<12}" + "".join(f"{c:>11}" for c in columns) + "   accuracy")
    for expected in VERDICTS:
        row = s["confusion"].get(expected)
        if row:
            print(f"{expected:<12}" + "".join(f"{row.get(c, 0):>11}" for c in columns) + f"   {s['per_verdict'][expected]:.3f}")
    for expected, n in s["not_found_worthy"].items():
        print(f"{expected} called found: {s['wrongly_found'][expected]} of {n}")
    found, worthy = s["found_of_found_worthy"]
    print(f"exact/equivalent called found: {found} of {worthy}")
    same, covered, altered = s["kinds_match"]
    print(f"altered called altered: kinds of change the same in {same} of {altered}, expected kinds all named in {covered}")


if __name__ == "__main__":
    main()
