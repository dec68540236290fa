"""Retrieve stage: BM25 and dense rankings fused by reciprocal rank, a year as a soft hint.

Pure over a built Index: the query arrives embedded and tokenized; nothing here touches a model.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .chunk import mentioned_years
from .index import Index
from .lexical import bm25_scores, tokenize
from .records import Chunk, Passage
from .vectors import nearest

RRF_K = 60  # the constant of Cormack et al.; ranks past ~60 all weigh about the same
DENSE_WEIGHT = 1.0
BM25_WEIGHT = 1.0
YEAR_WEIGHT = 0.5  # a year match counts like half a first place in one ranking
CANDIDATES = 100  # how deep each ranking is read before fusion


@dataclass(frozen=True)
class Query:
    text: str
    vector: np.ndarray
    terms: tuple[str, ...]
    years: tuple[int, ...]


@dataclass(frozen=True)
class Filters:
    years: tuple[int, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def allows(self, chunk: Chunk) -> bool:
        return (not self.years or chunk.year in self.years) and (not self.doc_ids or chunk.doc_id in self.doc_ids)


def make_query(text: str, vector: np.ndarray) -> Query:
    """Years in the question are a hint, scored by year_match, not BM25 terms: otherwise a
    question that shares only its year with a passage would still rank that passage."""
    years = mentioned_years(text)
    terms = tuple(t for t in tokenize(text) if not (t.isdecimal() and int(t) in years))
    return Query(text=text, vector=vector, terms=terms, years=years)


def ranking(scores: np.ndarray, allowed: np.ndarray | None, depth: int = CANDIDATES) -> list[int]:
    """Indices of the best-scoring allowed rows, best first; rows scoring 0 or less are left out."""
    positive = scores > 0
    candidates = np.flatnonzero(positive if allowed is None else allowed & positive)
    if len(candidates) > depth:  # a common word matches much of a large corpus: no full sort
        cut = -np.partition(-scores[candidates], depth - 1)[depth - 1]
        candidates = candidates[scores[candidates] >= cut]
    order = candidates[np.argsort(-scores[candidates], kind="stable")]
    return order[:depth].tolist()


def allowed_rows(index: Index, filters: Filters) -> np.ndarray | None:
    """A boolean mask over the chunks, or None when nothing is filtered out."""
    if not filters.years and not filters.doc_ids:
        return None
    return np.array([filters.allows(c) for c in index.chunks], dtype=bool)


def dense_ranking(index: Index, vector: np.ndarray, allowed: np.ndarray | None,
                  depth: int = CANDIDATES) -> tuple[list[int], dict[int, float]]:
    """Rows nearest in meaning, best first, and their cosine similarity."""
    rows, sims = nearest(index.vectors, vector, allowed, depth)
    keep = sims > 0
    return rows[keep].tolist(), dict(zip(rows[keep].tolist(), sims[keep].tolist()))


def year_match(chunk: Chunk, period: tuple[int, ...], years: tuple[int, ...]) -> float:
    """1 when the chunk names a queried year and its report covers it; 0.5 for either alone."""
    if not years:
        return 0.0
    named = any(y in chunk.years for y in years)
    covered = any(y in period for y in years)
    return (named + covered) / 2


def _period(index: Index, doc_id: str) -> tuple[int, ...]:
    return tuple(index.documents.get(doc_id, {}).get("period", ()))


def fuse(rankings: list[tuple[list[int], float]], bonus: dict[int, float]) -> dict[int, float]:
    """Weighted reciprocal rank fusion, plus a bonus (in first-place units) per row."""
    fused: dict[int, float] = {}
    for rows, weight in rankings:
        for rank, row in enumerate(rows):
            fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank + 1)
    for row in fused:
        fused[row] += bonus.get(row, 0.0) / (RRF_K + 1)
    return fused


def vocabulary_coverage(index: Index, query: Query) -> float:
    """Share of the query's words the corpus knows. An English question against Dutch
    reports matches one stray loan word; the dense ranking, multilingual, should lead then."""
    if not query.terms:
        return 0.0
    vocab = index.bm25.vocab_dict
    return sum(t in vocab for t in query.terms) / len(query.terms)


def overlaps(a: Chunk, b: Chunk) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def search(index: Index, query: Query, k: int = 5, filters: Filters = Filters()) -> list[Passage]:
    """The k best passages, no two overlapping, each saying why it ranked."""
    chunks = index.chunks
    allowed = allowed_rows(index, filters)
    lexical = bm25_scores(index.bm25, list(query.terms))
    by_bm25 = ranking(lexical, allowed)
    by_dense, dense = dense_ranking(index, query.vector, allowed)
    pool = set(by_bm25) | set(by_dense)
    bonus = {row: YEAR_WEIGHT * year_match(chunks[row], _period(index, chunks[row].doc_id), query.years)
             for row in pool}
    fused = fuse([(by_bm25, BM25_WEIGHT * vocabulary_coverage(index, query)), (by_dense, DENSE_WEIGHT)], bonus)
    bm25_rank = {row: r + 1 for r, row in enumerate(by_bm25)}
    dense_rank = {row: r + 1 for r, row in enumerate(by_dense)}
    picked: list[Passage] = []
    for row in sorted(fused, key=lambda r: (-fused[r], r)):
        chunk = chunks[row]
        if any(overlaps(chunk, p.chunk) for p in picked):
            continue
        why = {"fused": round(fused[row], 5), "bm25_rank": bm25_rank.get(row), "bm25_score": round(float(lexical[row]), 3),
               "dense_rank": dense_rank.get(row), "dense_score": round(dense[row], 4) if row in dense else None,
               "year_hint": round(bonus.get(row, 0.0), 3),
               "bm25_terms": sorted(set(query.terms) & set(tokenize(chunk.text)))}
        picked.append(Passage(chunk=chunk, score=fused[row], why=why))
        if len(picked) == k:
            break
    return picked
