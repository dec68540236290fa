"""The candidates' data as the PostgreSQL store fetches it: arrays over the bytes it arrives in,
each part turned into Python objects only when scoring asks for it."""
from __future__ import annotations

import numpy as np

from . import latent
from .records import Chunk


# the candidates' data, one row each: record, text, terms, BM25 weights, vector (pgvector's binary
# form, read by vector_send: no loader call a row), sentence units, latent terms
FETCH = ('SELECT c.row, doc_id, year, chunk_id, title, section, page, start, "end", c.years, text, c.terms, '
         "b.terms, b.weights, vector_send(embedding), unit_spans, unit_vectors, latent FROM kb.chunk_{g} c "
         "JOIN kb.vector_{g} v ON v.row = c.row JOIN kb.bm25_{g} b ON b.row = c.row WHERE c.row = ANY(%s)")


def rows_from(found: list[tuple]):
    """(row, Row) of each fetched record (FETCH's columns, in order)."""
    for (row, doc_id, year, chunk_id, title, section, page, start, end, years, text, text_terms, bm25_ids,
         bm25_weights, vector, spans, unit_vectors, latent_terms) in found:
        chunk = Chunk(chunk_id, doc_id, title, year, section, page, start, end, text, tuple(years))
        yield row, Row(chunk, text_terms, bm25_ids, bm25_weights, vector, spans, unit_vectors, latent_terms)


class Row:
    """One candidate's data as fetched; its terms stay the stored lines (TermLines), its vector
    and latent terms bytes until read with the other candidates'."""

    __slots__ = ("chunk", "text_terms", "bm25_ids", "bm25_weights", "vector", "spans", "unit_vectors", "latent")

    def __init__(self, chunk, text_terms, bm25_ids, bm25_weights, vector, spans, unit_vectors, latent_terms) -> None:
        self.chunk, self.text_terms, self.vector = chunk, text_terms, vector  # vector: read by vector_matrix
        self.spans = np.frombuffer(spans, dtype=np.int32).reshape(-1, 2)
        self.latent = latent_terms  # as stored: parsed with the other candidates' (latent_matrix)
        self.bm25_ids = np.frombuffer(bm25_ids, dtype="<i4")
        self.bm25_weights = np.frombuffer(bm25_weights, dtype="<f4")
        self.unit_vectors = np.frombuffer(unit_vectors, dtype=np.float16).reshape(-1, (len(vector) - 4) // 4)

    @property
    def terms(self) -> TermLines:
        return TermLines(self.text_terms)


class TermLines:
    """A chunk's terms as stored, one a line, asked term by term: retrieval asks each candidate
    for the question's few terms, and a set of its ~40 terms, built and freed for each of ~190
    candidates a question, cost more than the look-ups (about 1 ms a question at 100,000 chunks)."""

    __slots__ = ("_lines",)

    def __init__(self, lines: str) -> None:
        self._lines = f"\n{lines}\n"

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and bool(term) and "\n" not in term and f"\n{term}\n" in self._lines


def weight_matrix(chunks: list[tuple[np.ndarray, np.ndarray]], ids: np.ndarray) -> np.ndarray:
    """(chunks, ids) float32: each chunk's BM25 weight of each term id asked (`ids` ascending), 0
    where it lacks the term; `chunks` are (term ids, weights) pairs, in one pass over all."""
    out = np.zeros((len(chunks), len(ids)), dtype=np.float32)
    if not chunks or not len(ids):
        return out
    every = np.concatenate([t for t, _ in chunks])
    weights = np.concatenate([w for _, w in chunks])
    asked = np.isin(every, ids)
    owner = np.repeat(np.arange(len(chunks)), [len(t) for t, _ in chunks])
    out[owner[asked], np.searchsorted(ids, every[asked])] = weights[asked]
    return out


def latent_matrix(stored: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Candidates' stored latent terms (pg_schema.latent_bytes: int16 ids, then as many float16
    weights) as latent.padded gives them: (n, width) ids, -1 padded, and weights. When every row
    holds as many terms (the rule: latent.WIDTH each) their bytes are one (n, 2, width) block,
    read in one call instead of two arrays and two copies a row."""
    sizes = {len(b) for b in stored}
    if len(sizes) == 1:
        block = np.frombuffer(b"".join(stored), dtype=np.int16).reshape(len(stored), 2, sizes.pop() // 4)
        return block[:, 0], block[:, 1].view(np.float16)
    half = [len(b) // 2 for b in stored]
    return latent.padded([(np.frombuffer(b, dtype=np.int16, count=h // 2), np.frombuffer(b, dtype=np.float16, offset=h))
                          for b, h in zip(stored, half)])


def vector_matrix(stored: list[bytes]) -> np.ndarray:
    """Candidates' vectors in pgvector's binary form (int16 dim, int16 unused, big-endian float4s)
    as one (n, dim) float32 matrix, read in one call."""
    if not stored:
        return np.zeros((0, 0), dtype=np.float32)
    width = len(stored[0]) // 4  # the header's 4 bytes, then dim floats
    return np.frombuffer(b"".join(stored), dtype=">f4").reshape(len(stored), width)[:, 1:].astype(np.float32)
