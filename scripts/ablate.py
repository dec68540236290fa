"""What each part of the retrieval earns: hit@1 and hit@5 with one part switched off, on both
halves of the question set (totals only), against the full method.

    python scripts/ablate.py eval/questions-*.jsonl

Ranks come from the fused scores of the candidates (as `kb ask` ranks them before merging
overlapping pieces of one paragraph), so figures can differ from `kb eval` by a question or two.
"""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np

from kb.embed import get_embedder
from kb.evaluate import answers, half, read_cases
from kb.pipeline import KnowledgeBase, check_question
from kb.retrieve import Weights, candidates, fused_scores

VARIANTS = {"everything": {}, "without BM25": {"bm25": 0.0}, "without the passage vector": {"dense": 0.0},
            "without the best sentence's vector": {"sentence": 0.0}, "without the year hint": {"year": 0.0},
            "without the term share": {"words": 0.0}, "dense only": {"bm25": 0.0, "sentence": 0.0, "year": 0.0, "words": 0.0}}


def main(paths: list[str]) -> None:
    kb = KnowledgeBase(Path("index"), get_embedder(), corpus=Path("corpus"))
    prepared: dict[str, list] = {"tune": [], "frozen": []}
    for case in (c for p in paths for c in read_cases(Path(p)) if c.answerable):
        q = check_question(case.question)
        cand = candidates(kb.index, kb.query(q))
        good = np.array([answers(case, kb.index.chunks[r].year, kb.index.chunks[r].text) for r in cand.rows])
        prepared[half(case.case_id)].append((cand, good))
    print(f"{'variant':<38}{'tune hit@1':>11}{'hit@5':>7}{'frozen hit@1':>14}{'hit@5':>7}")
    for name, change in VARIANTS.items():
        w = dataclasses.replace(Weights(), **change)
        row = f"{name:<38}"
        for part in ("tune", "frozen"):
            ranks = [np.flatnonzero(good[np.argsort(-fused_scores(cand, w), kind="stable")][:5]) for cand, good in prepared[part]]
            n = len(ranks)
            row += f"{sum(len(r) and r[0] == 0 for r in ranks) / n:>11.3f}{sum(len(r) > 0 for r in ranks) / n:>7.3f}"
            row += "   " if part == "tune" else ""
        print(row)


if __name__ == "__main__":
    main(sys.argv[1:])
