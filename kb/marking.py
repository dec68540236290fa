"""Which unit of a passage answers: a few features per sentence or table row, and a linear model
over them fitted on the tuning half of the question set (scripts/fit_marking.py), stored as JSON
beside this file. Pure: the features come from the text, the question and the unit vectors'
similarities; nothing here touches a model or an index.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .lines import is_table_line
from .kinds import holds_kind
from .lexical import lemma_terms, tokenize, words

MARKING = Path(__file__).with_name("marking.json")
FEATURES = ("term_share", "dense_share", "dense_gap", "kind", "year", "previous_terms", "next_terms", "length", "table_row", "terms_of_kind")
NO_VECTOR_GAP = 0.2  # a unit without a vector counts as this far below the passage's nearest


@dataclass(frozen=True)
class Asked:
    """What a question looks for: its terms, the kind of answer its question words ask for
    (see kinds.py), the years it names, the names it mentions (lexical.names), whether it is
    asked in English, and what it counts when it asks how many."""

    terms: frozenset[str]
    kind: str = ""
    years: tuple[int, ...] = ()
    names: tuple[str, ...] = ()
    english: bool = False
    counted: tuple[frozenset[str], ...] = ()  # what a how-many question counts (kinds.counted)


def term_share(unit: str, ask: Asked, idf: dict[str, float]) -> float:
    """The share of the question's term weight the unit holds (0..1)."""
    if not ask.terms:
        return 0.0
    terms = unit_terms(unit)
    return sum(idf.get(t, 1.0) for t in ask.terms & terms) / sum(idf.get(t, 1.0) for t in ask.terms)


@lru_cache(maxsize=16_384)
def unit_terms(unit: str) -> frozenset[str]:
    """A unit's terms and its words' lemmas' (as `answer.asked` adds the question's: "ontving"
    meets "ontvangen"), remembered: the same passages come back question after question."""
    return frozenset(tokenize(unit)).union(*(lemma_terms(w) for w in words(unit)))


def _dense(sims: list[float | None]) -> tuple[list[float], list[float]]:
    """Per unit: its similarity rescaled over the passage (1 nearest, 0 farthest) and its gap to the nearest."""
    known = [x for x in sims if x is not None]
    if not known:
        return [0.0] * len(sims), [-NO_VECTOR_GAP] * len(sims)
    lo, hi = min(known), max(known)
    share = [0.0 if x is None else (1.0 if hi == lo else (x - lo) / (hi - lo)) for x in sims]
    return share, [-NO_VECTOR_GAP if x is None else x - hi for x in sims]


def unit_features(units: list[str], sims: list[float | None], ask: Asked, idf: dict[str, float],
                  own: list[str] | None = None) -> np.ndarray:
    """One row of FEATURES per unit (a unit's text with its table header, its similarity to the
    question or None). Neighbours' words count apart: a sentence often answers about the subject
    its neighbour names ("Verder zijn er 67 vergunningen ingetrokken" after "... fotofraude"). A
    neighbour counts by its `own` text, without the table header every row of a table shares, and
    only for prose: a table row or list item names its own subject, and the row after a matching
    one won on its neighbour ("Aantal beslissingen mvv" for "aantal aanvragen mvv")."""
    shares = [term_share(u, ask, idf) for u in units]
    near = shares if own is None else [w if o == u else term_share(o, ask, idf) for w, u, o in zip(shares, units, own)]
    share, gap = _dense(sims)
    prose = [not is_table_line(o) for o in (own or units)]
    rows = []
    for i, unit in enumerate(units):
        rows.append([shares[i], share[i], gap[i], float(holds_kind(unit, ask.kind)),
                     float(bool(ask.years) and any(str(y) in unit for y in ask.years)),
                     near[i - 1] if i > 0 and prose[i] else 0.0, near[i + 1] if i + 1 < len(units) and prose[i] else 0.0,
                     float(np.log1p(len(unit.split()))), float(is_table_line(unit))])
        rows[-1].append(rows[-1][0] * rows[-1][3])  # the question's words in a unit that holds the kind asked
    return np.array(rows, dtype=np.float64).reshape(len(units), len(FEATURES))


@lru_cache(maxsize=1)
def load_weights(path: Path = MARKING) -> np.ndarray:
    """The fitted weights, divided by the features' scales (they were fitted on scaled features)."""
    data = json.loads(path.read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: fitted for features {data['features']}, kb computes {list(FEATURES)}; "
                         "run scripts/fit_marking.py")
    return np.array(data["weights"], dtype=np.float64) / np.array(data["scales"], dtype=np.float64)


def unit_scores(x: np.ndarray) -> np.ndarray:
    """The model's score of each unit: the log-odds, up to a constant, that it is the one that answers."""
    return x @ load_weights()
