"""The embedded store: the index/ folder of generations (kb/index.py) behind the store interface.

Everything is in this process's memory once opened: BM25 scores are bm25s's, dense search is
FAISS's, the sentence vectors are one float16 matrix sorted by chunk row.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import numpy as np

from . import index as files
from . import latent
from .index import Index
from .lexical import bm25_scores, tokenize
from .records import Chunk
from .vectors import nearest, similarities


class EmbeddedStore:
    def __init__(self, index: Index) -> None:
        self.index = index
        self.manifest = index.manifest
        self._scored: tuple[tuple[str, ...], np.ndarray] | None = None  # the last query's BM25 scores

    @property
    def folder(self) -> Path:
        return self.index.folder

    @property
    def vectors(self):  # the FAISS index (tests, benchmarks)
        return self.index.vectors

    @property
    def num_docs(self) -> int:
        return len(self.index.chunks)

    @property
    def chunks(self) -> list[Chunk]:
        return self.index.chunks

    @property
    def documents(self) -> dict[str, dict]:
        return self.index.documents

    def generation(self) -> str:
        """The folder's CURRENT now (one small read): a build by another process shows here."""
        try:
            return (self.index.folder.parent / "CURRENT").read_text("utf-8").strip()
        except OSError:
            return self.index.folder.name

    def allowed(self, filters) -> np.ndarray | None:
        """A boolean mask over the chunks, or None when nothing is filtered out."""
        if not filters.years and not filters.doc_ids:
            return None
        return np.array([filters.allows(c) for c in self.index.chunks], dtype=bool)

    def _bm25_all(self, terms: tuple[str, ...]) -> np.ndarray:
        if self._scored is None or self._scored[0] != terms:
            self._scored = (terms, bm25_scores(self.index.bm25, list(terms)))
        return self._scored[1]

    def bm25_top(self, terms: tuple[str, ...], filters, depth: int) -> list[int]:
        from .retrieve import ranking

        return ranking(self._bm25_all(terms), self.allowed(filters), depth)

    def dense_top(self, vector: np.ndarray, filters, depth: int) -> list[int]:
        rows, sims = nearest(self.index.vectors, vector, self.allowed(filters), depth)
        return rows[sims > 0].tolist()

    def fetch(self, rows: list[int]) -> None:
        """Everything is in memory already."""

    def chunks_at(self, rows: list[int]) -> list[Chunk]:
        return [self.index.chunks[r] for r in rows]

    def bm25_scores(self, terms: tuple[str, ...], rows: np.ndarray) -> np.ndarray:
        return self._bm25_all(terms)[np.asarray(rows, dtype=np.int64)]

    def dense_scores(self, vector: np.ndarray, rows: list[int]) -> np.ndarray:
        if not len(rows):
            return np.zeros(0, np.float32)
        return similarities(self.index.vectors, vector, list(rows))

    def latent_scores(self, query: latent.Terms | None, rows: list[int]) -> np.ndarray:
        at = np.asarray(rows, dtype=np.int64)
        return latent.scores(self.index.latent_ids[at], self.index.latent_weights[at], query)

    def units_of(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """The chunk's sentence spans and their vectors (the spans are sorted by row)."""
        spans = self.index.unit_spans
        lo, hi = np.searchsorted(spans[:, 0], row, "left"), np.searchsorted(spans[:, 0], row, "right")
        return spans[lo:hi, 1:], self.index.unit_vectors[lo:hi]

    def terms_of(self, row: int) -> frozenset[str]:
        """Tokenized once per opened index."""
        terms = self.index.terms.get(row)
        if terms is None:
            terms = self.index.terms[row] = frozenset(tokenize(self.index.chunks[row].text))
        return terms

    def doc_freqs(self, terms: tuple[str, ...]) -> dict[str, int]:
        indptr = self.index.bm25.scores["indptr"]
        vocab = self.index.bm25.vocab_dict
        out = {}
        for t in set(terms):
            i = vocab.get(t)
            if i is not None and i + 1 < len(indptr):
                out[t] = int(indptr[i + 1] - indptr[i])
        return out

    def document(self, doc_id: str) -> dict | None:
        return self.index.documents.get(doc_id)

    def period(self, doc_id: str) -> tuple[int, ...]:
        return tuple(self.index.documents.get(doc_id, {}).get("period", ()))

    def text(self, doc_id: str, start: int, end: int) -> str:
        return self.index.documents[doc_id]["text"][start:end]


class EmbeddedBackend:
    def __init__(self, root: Path) -> None:
        self.root = self.cache_root = root

    def building(self, waiting=None) -> AbstractContextManager[None]:
        return files.building(self.root, waiting=waiting)

    def save(self, manifest, chunks, documents, vectors, bm25, units, latent_terms=None) -> None:
        files.save_index(self.root, manifest, chunks, documents, vectors, bm25, units, latent_terms)

    def current_manifest(self) -> dict:
        return files.checked_manifest(files.current_generation(self.root))

    def open(self) -> EmbeddedStore:
        return EmbeddedStore(files.open_index(self.root))

    def restore(self) -> str:
        return files.restore_previous(self.root)
