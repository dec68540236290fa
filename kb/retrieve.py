"""Retrieve stage: BM25 and dense rankings fused by reciprocal rank, a year as a soft hint.

Pure over a built Index: the query arrives embedded and tokenized; nothing here touches a model.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .chunk import mentioned_years
from .index import Index
from .lexical import bm25_scores, tokenize
from .records import Chunk, Passage
from .vectors import nearest, similarities

DENSE_WEIGHT = 1.0
BM25_WEIGHT = 0.5
SENTENCE_WEIGHT = 0.5  # the best sentence of a passage, beside the passage as a whole
YEAR_WEIGHT = 1.0  # a report covering the asked year
WORDS_WEIGHT = 0.5  # the share of the question's term weight the passage holds
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


def unit_range(index: Index, row: int) -> tuple[int, int]:
    """The rows of index.unit_spans that belong to chunk `row` (the spans are sorted by row)."""
    rows = index.unit_spans[:, 0]
    return int(np.searchsorted(rows, row, "left")), int(np.searchsorted(rows, row, "right"))


def unit_similarities(index: Index, passage: Passage, vector: np.ndarray) -> dict[tuple[int, int], float]:
    """Cosine of the question with each sentence unit of the passage's chunks, by span in its text."""
    out: dict[tuple[int, int], float] = {}
    for row in passage.rows:
        lo, hi = unit_range(index, row)
        shift = index.chunks[row].start - passage.chunk.start
        sims = index.unit_vectors[lo:hi].astype(np.float32) @ np.asarray(vector, dtype=np.float32)
        out.update({(int(s) + shift, int(e) + shift): float(x) for (_, s, e), x in zip(index.unit_spans[lo:hi], sims)})
    return out


def best_sentence_scores(index: Index, vector: np.ndarray, pool: set[int]) -> dict[int, float]:
    """Each candidate's best sentence similarity to the question: a passage about something else
    that holds the one answering sentence scores by that sentence."""
    rows = np.array(sorted(pool), dtype=np.int64)
    los = np.searchsorted(index.unit_spans[:, 0], rows, "left")
    his = np.searchsorted(index.unit_spans[:, 0], rows, "right")
    has = his > los
    rows, los, his = rows[has], los[has], his[has]
    if not len(rows):
        return {}
    units = np.concatenate([np.arange(lo, hi) for lo, hi in zip(los, his)])
    sims = index.unit_vectors[units].astype(np.float32) @ vector
    starts = np.concatenate([[0], np.cumsum(his - los)[:-1]])
    return dict(zip(rows.tolist(), np.maximum.reduceat(sims, starts).tolist()))


def year_match(chunk: Chunk, period: tuple[int, ...], years: tuple[int, ...]) -> float:
    """1 when the chunk's report covers a queried year, whether or not the passage prints it
    (a report's figures are about its period); 0.5 when only the passage names the year."""
    if not years:
        return 0.0
    named = any(y in chunk.years for y in years)
    covered = any(y in period for y in years)
    return 1.0 if covered else 0.5 * named


def _period(index: Index, doc_id: str) -> tuple[int, ...]:
    return tuple(index.documents.get(doc_id, {}).get("period", ()))


def vocabulary_coverage(index: Index, query: Query) -> float:
    """Share of the query's words the corpus knows. An English question against Dutch
    reports matches one stray loan word; the dense ranking, multilingual, should lead then."""
    if not query.terms:
        return 0.0
    vocab = index.bm25.vocab_dict
    return sum(t in vocab for t in query.terms) / len(query.terms)


def overlaps(a: Chunk, b: Chunk) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


@dataclass(frozen=True)
class Weights:
    """How much each normalised score counts in the fused one (chosen on the tuning half of the
    question set by scripts/tune_fusion.py; see README)."""

    bm25: float = BM25_WEIGHT
    dense: float = DENSE_WEIGHT
    sentence: float = SENTENCE_WEIGHT
    year: float = YEAR_WEIGHT
    words: float = WORDS_WEIGHT


@dataclass
class Candidates:
    """The rows either ranking found, with every score each row has (not only its rank)."""

    rows: np.ndarray
    bm25: np.ndarray  # raw BM25 score
    dense: np.ndarray  # cosine of the passage vector
    sentence: np.ndarray  # cosine of its best sentence (the passage's own when it has none)
    year: np.ndarray  # year_match, 0..1
    coverage: float  # vocabulary_coverage of the query
    words: np.ndarray  # share of the question's term weight the passage holds, 0..1


def candidates(index: Index, query: Query, filters: Filters = Filters()) -> Candidates:
    allowed = allowed_rows(index, filters)
    lexical = bm25_scores(index.bm25, list(query.terms))
    vector = np.asarray(query.vector, dtype=np.float32)
    by_dense, _ = dense_ranking(index, vector, allowed)
    rows = np.array(sorted(set(ranking(lexical, allowed)) | set(by_dense)), dtype=np.int64)
    dense = similarities(index.vectors, vector, rows.tolist()) if len(rows) else np.zeros(0, np.float32)
    best = best_sentence_scores(index, vector, set(rows.tolist()))
    sentence = np.array([best.get(int(r), float(d)) for r, d in zip(rows, dense)], dtype=np.float32)
    year = np.array([year_match(index.chunks[r], _period(index, index.chunks[r].doc_id), query.years)
                     for r in rows], dtype=np.float32)
    weights = term_weights(index, query.terms)
    words = np.array([term_share(chunk_terms(index, int(r)), weights) for r in rows], dtype=np.float32)
    return Candidates(rows, lexical[rows], dense, sentence, year, vocabulary_coverage(index, query), words)


def term_weights(index: Index, terms: tuple[str, ...]) -> dict[str, float]:
    """The BM25 idf of each query term the corpus knows."""
    indptr = index.bm25.scores["indptr"]
    n = int(index.bm25.scores["num_docs"])
    out = {}
    for t in set(terms):
        i = index.bm25.vocab_dict.get(t)
        if i is not None and i + 1 < len(indptr):
            df = int(indptr[i + 1] - indptr[i])
            out[t] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
    return out


def chunk_terms(index: Index, row: int) -> frozenset[str]:
    """The BM25 terms of chunk `row`, tokenized once per opened index."""
    terms = index.terms.get(row)
    if terms is None:
        terms = index.terms[row] = frozenset(tokenize(index.chunks[row].text))
    return terms


def rarest_missing(index: Index, query: Query, present: frozenset[str]) -> float:
    """How rare (idf over the largest possible idf, 0..1) the rarest question term is that the
    passage lacks; a term the corpus never uses counts as rarest: "paspoort" in a question the
    reports cannot answer."""
    n = int(index.bm25.scores["num_docs"])
    top = float(np.log(1 + (n + 0.5) / 0.5))
    weights = term_weights(index, query.terms)
    missing = [weights.get(t, top) for t in set(query.terms) if t not in present]
    return max(missing, default=0.0) / top if top > 0 else 0.0


def term_share(terms: set[str], weights: dict[str, float]) -> float:
    """How much of the question's term weight a text holds, each term once: a passage with
    every word of the question beats one repeating a few of them."""
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in terms) / total if total > 0 else 0.0


def _minmax(x: np.ndarray) -> np.ndarray:
    span = float(x.max() - x.min()) if len(x) else 0.0
    return (x - x.min()) / span if span > 0 else np.zeros_like(x)


def fused_scores(c: Candidates, w: Weights = Weights()) -> np.ndarray:
    """A convex combination of the scores, each scaled to 0..1 over the candidates (Bruch et
    al.): a passage one ranking puts far ahead keeps that lead, which rank fusion flattens.
    BM25 counts as much as the question's words are the corpus's (an English question)."""
    top = float(c.bm25.max()) if len(c.bm25) else 0.0
    bm25 = c.bm25 / top if top > 0 else np.zeros_like(c.bm25)
    return (w.bm25 * c.coverage * bm25 + w.dense * _minmax(c.dense) + w.sentence * _minmax(c.sentence)
            + w.year * c.year + w.words * c.words)


def search(index: Index, query: Query, k: int = 5, filters: Filters = Filters(),
           weights: Weights = Weights()) -> list[Passage]:
    """The k best passages, no two overlapping, each saying why it ranked."""
    c = candidates(index, query, filters)
    fused = fused_scores(c, weights)
    picked: list[Passage] = []
    for i in sorted(range(len(c.rows)), key=lambda i: (-fused[i], c.rows[i])):
        row = int(c.rows[i])
        chunk = index.chunks[row]
        at = next((j for j, p in enumerate(picked) if overlaps(chunk, p.chunk)), None)
        if at is not None:  # the pieces of one split paragraph: one passage, not a lost answer
            picked[at] = merged(index, picked[at], chunk, row)
        elif len(picked) < k:  # past k, a candidate may still extend a picked passage
            picked.append(Passage(chunk=chunk, score=float(fused[i]), why=_why(index, query, c, i, fused), rows=(row,)))
    return picked


def _why(index: Index, query: Query, c: Candidates, i: int, fused: np.ndarray) -> dict:
    """The scores behind a passage's rank (and the no-answer model's features)."""
    terms = chunk_terms(index, int(c.rows[i]))
    return {"fused": round(float(fused[i]), 5), "bm25_score": round(float(c.bm25[i]), 3),
            "dense_score": round(float(c.dense[i]), 4), "sentence_score": round(float(c.sentence[i]), 4),
            "year_hint": round(float(c.year[i]), 3), "term_share": round(float(c.words[i]), 4),
            "vocabulary_coverage": round(c.coverage, 4), "rarest_missing": round(rarest_missing(index, query, terms), 4),
            "bm25_terms": sorted(set(query.terms) & terms)}


def merged(index: Index, passage: Passage, chunk: Chunk, row: int) -> Passage:
    """`passage` stretched over an overlapping chunk of the same document (kept as ranked)."""
    first = passage.chunk
    start, end = min(first.start, chunk.start), max(first.end, chunk.end)
    if (start, end) == (first.start, first.end):
        return passage
    text = index.documents[first.doc_id]["text"][start:end]
    joined = dataclasses.replace(first, chunk_id=f"{first.doc_id}:{start}-{end}", start=start, end=end, text=text,
                                 years=tuple(sorted(set(first.years) | set(chunk.years))))
    return dataclasses.replace(passage, chunk=joined, rows=passage.rows + (row,))
