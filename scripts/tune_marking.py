"""Choose the marking weights on the TUNING half of the question set (never the frozen half).

The top passage of each tuning question is found once; the answering unit is then marked
under every combination of a small grid, scored by answer@1 (the marked text holds the answer).

    python scripts/tune_marking.py eval/questions-*.jsonl
"""
from __future__ import annotations

import itertools
import sys
from pathlib import Path

from kb import answer
from kb.embed import get_embedder
from kb.evaluate import answers, cases_of, marked_text
from kb.pipeline import KnowledgeBase, check_question
from kb.retrieve import make_query, unit_similarities

GRID = {"DENSE_SHARE": (0.5, 1.0, 1.5, 2.0), "KIND_BOOST": (1.0, 1.25, 1.5), "YEAR_SHARE": (0.0, 0.25, 0.5),
        "NEAR": (0.7, 0.8, 0.9)}


def main(paths: list[str]) -> None:
    kb = KnowledgeBase(Path("index"), get_embedder(), corpus=Path("corpus"))
    cases = [c for c in cases_of(paths) if c.answerable]
    prepared = []
    for case in cases:
        q = check_question(case.question)
        query = make_query(q, kb.embedder.embed_query(q))
        top = kb.ask(q, k=1)[0]
        prepared.append((case, top, answer.asked(q, list(query.terms), query.years), unit_similarities(kb.index, top, query.vector)))
    now = {name: getattr(answer, name) for name in GRID}
    results = []
    for values in itertools.product(*GRID.values()):
        for name, value in zip(GRID, values):
            setattr(answer, name, value)
        hits = sum(answers(c, p.chunk.year, marked_text(p.chunk.text, answer.highlight(p.chunk.text, a, kb.idf, sims)))
                   for c, p, a, sims in prepared)
        results.append((hits / len(prepared), dict(zip(GRID, values))))
    results.sort(key=lambda r: -r[0])
    print(f"{len(prepared)} tuning questions; current {now}")
    for score, combo in results[:12]:
        print(f"answer@1 {score:.3f}  {combo}")


if __name__ == "__main__":
    main(sys.argv[1:])
