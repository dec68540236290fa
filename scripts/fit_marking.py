"""Fit the weights of kb's answer marking (kb/marking.py) on the TUNING half of the question set.

For every tuning question, each of its first 10 passages that holds the answer gives a training
list: its units (sentences, table rows) with their features, the units holding an answer string
marked as right. A softmax over each list's units is fitted by gradient descent (a conditional
logit: which unit of this passage answers). Prints the share of lists whose top unit is right
under 5-fold cross-validation by question, for the fitted model and for the hand-set rule it
replaces, then writes kb/marking.json fitted on all of them.

    python scripts/fit_marking.py eval/questions-*.jsonl
    python scripts/fit_marking.py eval/questions-*.jsonl --frozen   # totals on the frozen half, no fitting
"""
from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

import numpy as np

from kb.answer import asked
from kb.embed import get_embedder
from kb.evaluate import answers, cases_of, fold
from kb.marking import FEATURES, MARKING, unit_features
from kb.pipeline import KnowledgeBase, check_question
from kb.retrieve import Filters, search, unit_similarities
from kb.units import answer_units, can_mark_at, with_header

L2 = 0.01
FOLDS = 5


def training_lists(kb: KnowledgeBase, paths: list[str], which: str = "tune") -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(case id, features of the passage's answering-capable units, 1 for units holding an answer string)."""
    out = []
    for case in (c for c in cases_of(paths, which) if c.answerable):
        q = check_question(case.question)
        query = kb.query(q)
        ask = asked(q, list(query.terms), query.years)  # as kb.answer reads the question
        for p in search(kb.index, query, k=10, filters=Filters()):
            text = p.chunk.text
            if not answers(case, p.chunk.year, text):
                continue
            spans = answer_units(text)
            keep = [i for i, (s, e) in enumerate(spans) if can_mark_at(text, (s, e))]
            sims = unit_similarities(kb.index, p, query.vector)
            units = [with_header(text, spans, i) for i in range(len(spans))]
            x = unit_features(units, [sims.get(s) for s in spans], ask, kb.idf, [text[s:e] for s, e in spans])[keep]
            y = np.array([float(any(fold(a) in fold(text[spans[i][0]:spans[i][1]]) for a in case.all_of)) for i in keep])
            if y.any() and len(y) > 1:
                out.append((case.case_id, x, y))
    return out


def fit(lists: list[tuple[str, np.ndarray, np.ndarray]], steps: int = 3000, rate: float = 0.5) -> np.ndarray:
    """Softmax over each list's units, the right units' share of it maximised, L2-regularised."""
    w = np.zeros(len(FEATURES))
    for _ in range(steps):
        grad = np.zeros_like(w)
        for _, x, y in lists:
            p = np.exp(x @ w - (x @ w).max())
            p /= p.sum()
            target = y / y.sum()
            grad += x.T @ (p - target)
        w -= rate * (grad / len(lists) + L2 * w)
    return w


def top_right(lists, score) -> float:
    return float(np.mean([y[int(np.argmax(score(x)))] for _, x, y in lists]))


def hand_rule(x: np.ndarray) -> np.ndarray:
    """The hand-set marking this model replaces: words (x1.25 holding the kind asked, +0.25 naming
    the year) plus the unit's rescaled meaning."""
    return x[:, 0] * np.where(x[:, 3] > 0, 1.25, 1.0) + 0.25 * x[:, 4] + x[:, 1]


def check_frozen(kb: KnowledgeBase, paths: list[str]) -> None:
    """Totals only: the share of the frozen half's answering passages whose top unit is right."""
    lists = training_lists(kb, paths, "frozen")
    w = json.loads(MARKING.read_text("utf-8"))
    model = np.array(w["weights"]) / np.array(w["scales"])
    print(f"frozen half, {len(lists)} passages: top unit right: fitted model {top_right(lists, lambda x: x @ model):.3f}; "
          f"hand-set rule {top_right(lists, hand_rule):.3f}")


def main(paths: list[str]) -> None:
    kb = KnowledgeBase(Path("index"), get_embedder(), corpus=Path("corpus"))
    if "--frozen" in paths:
        return check_frozen(kb, [p for p in paths if p != "--frozen"])
    lists = training_lists(kb, paths)
    scales = np.maximum(np.concatenate([x for _, x, _ in lists]).std(axis=0), 1e-6)
    lists = [(c, x / scales, y) for c, x, y in lists]  # features on one scale: the L2 penalty treats them alike
    folds = [[l for l in lists if zlib.crc32(l[0].encode()) % FOLDS == f] for f in range(FOLDS)]
    learned = []
    for f in range(FOLDS):
        w = fit([l for g in range(FOLDS) if g != f for l in folds[g]])
        learned.extend(y[int(np.argmax(x @ w))] for _, x, y in folds[f])
    print(f"{len(lists)} passages holding the answer, from the tuning half")
    rule = top_right([(c, x * scales, y) for c, x, y in lists], hand_rule)
    print(f"top unit right, 5-fold: learned {np.mean(learned):.3f}; hand-set rule {rule:.3f}")
    w = fit(lists)
    print("weights", dict(zip(FEATURES, w.round(3))))
    MARKING.write_text(json.dumps({"features": list(FEATURES), "weights": w.round(6).tolist(),
                                   "scales": scales.round(6).tolist(),
                                   "fitted_on": f"tuning half: {len(lists)} passages holding an answer"},
                                  indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
