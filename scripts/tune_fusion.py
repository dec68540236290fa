"""Choose the fusion weights on the TUNING half of the question set (never the frozen half).

For each tuning question the candidates and their scores are computed once; every weight
combination of a small grid is then scored by hit@1 and MRR@10 (overlapping passages aside).
Prints the best combinations; the chosen one is written into kb/retrieve.py by hand.

    python scripts/tune_fusion.py eval/questions-*.jsonl
"""
from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

from kb.embed import get_embedder
from kb.evaluate import answers, cases_of
from kb.pipeline import KnowledgeBase, check_question
from kb.retrieve import Weights, candidates, fused_scores

GRID = {"bm25": (0.25, 0.5, 1.0), "dense": (0.5, 1.0, 1.5), "sentence": (0.0, 0.5, 1.0), "year": (0.5, 1.0),
        "words": (0.0, 0.5, 1.0), "latent": (0.0, 0.5, 1.0, 1.5, 2.0), "kind": (0.0, 0.25, 0.5, 1.0)}


def main(paths: list[str]) -> None:
    kb = KnowledgeBase(Path("index"), get_embedder(), corpus=Path("corpus"))
    cases = [c for c in cases_of(paths) if c.answerable]
    prepared = []
    for case in cases:
        q = check_question(case.question)
        cand = candidates(kb.index, kb.query(q))
        good = np.array([answers(case, kb.index.chunks[r].year, kb.index.chunks[r].text) for r in cand.rows])
        prepared.append((cand, good))
    results = []
    for values in itertools.product(*GRID.values()):
        w = Weights(**dict(zip(GRID, values)))
        hits = mrr = 0.0
        for cand, good in prepared:
            order = np.argsort(-fused_scores(cand, w), kind="stable")[:10]
            ranks = np.flatnonzero(good[order])
            hits += bool(len(ranks)) and ranks[0] == 0
            mrr += 1 / (ranks[0] + 1) if len(ranks) else 0.0
        results.append((hits / len(prepared), mrr / len(prepared), w))
    results.sort(key=lambda r: (-r[0], -r[1]))
    print(f"{len(prepared)} tuning questions; current {Weights()}")
    for hit, mrr, w in results[:15]:
        print(f"hit@1 {hit:.3f}  mrr@10 {mrr:.3f}  {w}")


if __name__ == "__main__":
    main(sys.argv[1:])
