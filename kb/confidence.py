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

from .chunk import passage_text
from .evaluate import marked_text
from .kinds import counts_near_figure, holds_kind
from .lexical import mentions
from .marking import Asked, term_share
from .records import Passage

CALIBRATION = Path(__file__).with_name("calibration.json")
FEATURES = ("dense", "sentence", "term_share", "vocabulary_coverage", "rarest_missing", "year_uncovered",
            "latent", "bm25", "fused", "fused_margin", "unknown_words", "marked_share", "marked_kind", "names_missing",
            "english", "marked_count", "year_missed", "term_share_dutch", "dense_english", "latent_english")


@dataclass(frozen=True)
class Calibration:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # confidence below this: no answer
    means: tuple[float, ...]  # feature standardisation, from the training questions
    scales: tuple[float, ...]


def features(passages: list[Passage], ask: Asked, periods: set[int], idf: dict[str, float]) -> list[float]:
    """The scores of the top passage that tell an answerable question from one the reports do
    not answer, and its lead over the second. A year no report is about (by its period or its
    title) counts against it, and so does a year the top passage's report is not about and the
    passage never names (a question about 2016 met by a 2012 passage), as do question words the
    corpus never uses. And what the marked text holds: the reports often speak of the subject
    without the asked detail ("hoeveel naturalisatieverzoeken afgewezen"), and then the marked
    sentence lacks the detail's word or a figure. An English question scores apart: its words
    are the corpus's unknown ones and its passages meet it on meaning alone (5-fold on the
    tuning half, beside the names: 47% to 52% recognised, answered 96.2% to 95.9%)."""
    top = passages[0] if passages else None
    why = top.why if top else {}
    runner_up = (passages[1].why.get("fused") or 0.0) if len(passages) > 1 else 0.0
    uncovered = float(bool(ask.years) and not set(ask.years) & periods)
    return [float(why.get("dense_score") or 0.0), float(why.get("sentence_score") or 0.0),
            float(why.get("term_share") or 0.0), float(why.get("vocabulary_coverage") or 0.0),
            float(why.get("rarest_missing") or 0.0), uncovered, float(why.get("latent_score") or 0.0),
            float(why.get("bm25_score") or 0.0), float(why.get("fused") or 0.0),
            float(why.get("fused") or 0.0) - float(runner_up), float(why.get("unknown_words") or 0.0),
            *marked_evidence(top, ask, idf), names_missing(top, ask.names), float(ask.english),
            marked_count(top, ask),
            float(bool(ask.years) and not why.get("year_hint")), *language_apart(why, ask.english)]


def language_apart(why: dict, english: bool) -> tuple[float, float, float]:
    """The scores whose meaning differs by the question's language, read apart: a Dutch question's
    share of terms met, an English one's meaning and latent-term scores. An English question meets
    Dutch passages on meaning alone and at lower similarity, so one weight per score served neither
    ("what's the weather ... in amsterdam" was answered, its low scores excused by being English).
    5-fold on the tuning half at the same threshold rule: 51.3% to 55.0% recognised, 96.3% to 96.1%
    answered."""
    dense, latent = float(why.get("dense_score") or 0.0), float(why.get("latent_score") or 0.0)
    if english:
        return 0.0, dense, latent
    return float(why.get("term_share") or 0.0), 0.0, 0.0


def marked_evidence(passage: Passage | None, ask: Asked, idf: dict[str, float]) -> tuple[float, float]:
    """The share of the question's term weight the passage's marked text holds, and whether it
    holds an answer of the kind asked (1 for a question without a question word)."""
    if passage is None or not passage.highlights:
        return 0.0, 0.0
    marked = marked_text(passage.chunk.text, passage.highlights)  # what answer@1 reads
    return term_share(marked, ask, idf), float(holds_kind(marked, ask.kind)) if ask.kind else 1.0


def marked_count(passage: Passage | None, ask: Asked) -> float:
    """For a how-many question, whether the marked text holds a figure next to a word naming what
    is counted (1 for another question): "Hoeveel IND-medewerkers zitten er in het expatcenter?"
    meets a passage about the expatcenter with other figures. 5-fold on the tuning half: 51% to
    56% of unanswerable questions recognised, answered 95.9% to 95.8%."""
    if not ask.counted:
        return 1.0
    if passage is None or not passage.highlights:
        return 0.0
    return float(counts_near_figure(marked_text(passage.chunk.text, passage.highlights), ask.counted))


def names_missing(passage: Passage | None, names: tuple[str, ...]) -> float:
    """The share of the names the question mentions that the top passage, its report's title and
    section path never name: a question about the UWV, Rijswijk or the Zweedse migratiedienst
    meets passages on its other words. 5-fold on the tuning half: 39% to 47% of unanswerable
    questions recognised, 95.2% to 96.2% of answerable ones answered."""
    if not names:
        return 0.0
    if passage is None:
        return 1.0
    text = passage_text(passage.chunk)
    return sum(not mentions(text, name) for name in names) / len(names)


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
