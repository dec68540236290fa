"""Extraction of table figures, scored against the checked list in tests/data/facts.jsonl.

    python scripts/figures_eval.py [--corpus corpus] [--checked tests/data/facts.jsonl]

Prints recall, precision, values under a wrong year, and the misses. Needs no index or model.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from kb.evaluate import score_facts
from kb.series import corpus_facts

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--checked", type=Path, default=ROOT / "tests" / "data" / "facts.jsonl")
    args = parser.parse_args()
    checked = [json.loads(line) for line in args.checked.read_text("utf-8").splitlines() if line.strip()]
    facts = corpus_facts(args.corpus)
    score = score_facts(checked, facts)
    print(f"{len(facts)} facts extracted from {args.corpus}")
    print(f"checked values {score['checked']} in {len(checked)} rows: recall {score['recall']:.3f}  "
          f"precision {score['precision']:.3f}  under a wrong year {score['wrong_year']}")
    for miss in score["misses"]:
        print(f"  missed: {miss}")


if __name__ == "__main__":
    main()
