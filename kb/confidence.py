"""Confidence stage: how likely the reports answer a question, from its search's scores.

A logistic model over a few scores of the top passage, fitted on the tuning half of the
project's question set (answerable against unanswerable) by scripts/calibrate.py and stored
as JSON beside this file. Below its threshold kb says the reports seem not to answer.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .records import Passage

CALIBRATION = Path(__file__).with_name("calibration.json")
FEATURES = ("dense", "sentence", "term_share", "vocabulary_coverage", "rarest_missing", "year_uncovered",
            "latent", "bm25", "fused", "fused_margin", "unknown_words")


@dataclass(frozen=True)
class Calibration:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # confidence below this: no answer
    means: tuple[float, ...]  # feature standardisation, from the training questions
    scales: tuple[float, ...]


def features(passages: list[Passage], question_years: tuple[int, ...], periods: set[int]) -> list[float]:
    """The scores of the top passage that tell an answerable question from one the reports do
    not answer, and its lead over the second; a year no report is about counts against it, as
    do question words the corpus never uses."""
    why = passages[0].why if passages else {}
    runner_up = (passages[1].why.get("fused") or 0.0) if len(passages) > 1 else 0.0
    uncovered = float(bool(question_years) and not set(question_years) & periods)
    return [float(why.get("dense_score") or 0.0), float(why.get("sentence_score") or 0.0),
            float(why.get("term_share") or 0.0), float(why.get("vocabulary_coverage") or 0.0),
            float(why.get("rarest_missing") or 0.0), uncovered, float(why.get("latent_score") or 0.0),
            float(why.get("bm25_score") or 0.0), float(why.get("fused") or 0.0),
            float(why.get("fused") or 0.0) - float(runner_up), float(why.get("unknown_words") or 0.0)]


def confidence(x: list[float], cal: Calibration) -> float:
    z = cal.bias + sum(w * (v - m) / s for w, v, m, s in zip(cal.weights, x, cal.means, cal.scales))
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


@lru_cache(maxsize=1)
def load_calibration(path: Path = CALIBRATION) -> Calibration:
    data = json.loads(path.read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: fitted for features {data['features']}, kb computes {list(FEATURES)}; "
                         "run scripts/calibrate.py")
    return Calibration(tuple(data["weights"]), data["bias"], data["threshold"], tuple(data["means"]), tuple(data["scales"]))
