"""Where the index lives: the store interface, and the one factory that picks a backend.

A store stores and searches; kb's retrieval (kb/retrieve.py) decides. Two backends:
  embedded   the index/ folder of generations (kb/index.py, kb/embedded.py): the default
  postgres   one PostgreSQL + pgvector database shared by many processes (kb/postgres.py)
Both number a generation's chunks 0..n-1 in build order, so the same question meets the same
rows, scores and tie-breaks whichever store holds them.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Container
from pathlib import Path
from typing import TYPE_CHECKING, ContextManager, Protocol

import numpy as np

from .latent import Terms
from .records import Chunk

if TYPE_CHECKING:
    from .retrieve import Filters

Location = Path | str  # an index folder, or a postgresql:// URL


class Store(Protocol):
    """One opened generation of the index, read-only."""

    manifest: dict

    @property
    def num_docs(self) -> int: ...  # chunks in the generation (BM25's documents)

    @property
    def chunks(self) -> list[Chunk]: ...  # every chunk, in row order (figures, compare, verify)

    @property
    def documents(self) -> dict[str, dict]: ...  # doc_id -> {"title", "year", "text", "period", ...}

    def generation(self) -> str: ...  # the store's current generation now: cheap, asked per question

    def bm25_top(self, terms: tuple[str, ...], filters: Filters, depth: int) -> list[int]: ...

    def dense_top(self, vector: np.ndarray, filters: Filters, depth: int) -> list[int]: ...

    def fetch(self, rows: list[int]) -> None: ...  # candidates about to be scored: bring them in at once

    def chunks_at(self, rows: list[int]) -> list[Chunk]: ...

    def bm25_scores(self, terms: tuple[str, ...], rows: np.ndarray) -> np.ndarray: ...  # float32, BM25 per row

    def dense_scores(self, vector: np.ndarray, rows: list[int]) -> np.ndarray: ...  # exact cosine per row

    def latent_scores(self, query: Terms | None, rows: list[int]) -> np.ndarray: ...  # float32, latent terms dot

    def units_of(self, row: int) -> tuple[np.ndarray, np.ndarray]: ...  # (k, 2) spans, (k, dim) float16

    def terms_of(self, row: int) -> Container[str]: ...  # the BM25 terms of the chunk's text (asked: `in`)

    def doc_freqs(self, terms: tuple[str, ...]) -> dict[str, int]: ...  # known terms only

    def document(self, doc_id: str) -> dict | None: ...  # a report's metadata (its text need not be there)

    def period(self, doc_id: str) -> tuple[int, ...]: ...

    def text(self, doc_id: str, start: int, end: int) -> str: ...


class Backend(Protocol):
    """Writes generations and opens the current one."""

    cache_root: Path  # where the embedding cache lives (kb/cache.py)

    def building(self, waiting: Callable[[], None] | None = None) -> ContextManager[None]: ...
    # the one writer: a second one waits (waiting() called once) or, without `waiting`, gets IndexBusy

    def save(self, manifest: dict, chunks: list[Chunk], documents: list[dict], vectors: np.ndarray, bm25,
             units: tuple[np.ndarray, np.ndarray], latent_terms: tuple[np.ndarray, np.ndarray] | None = None) -> None: ...
    # latent_terms: (chunks, width) ids and weights (kb/latent.py); None: the model has none

    def current_manifest(self) -> dict: ...  # checked; IndexMissing, DamagedIndex or StaleIndex

    def open(self) -> Store: ...

    def restore(self) -> str: ...  # the previous generation made current again; its name


def is_url(location: Location) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def location_of(store: str | None, index: Path | str) -> Location:
    """`--store` (or KB_STORE) when given, else the index folder."""
    chosen = store or os.environ.get("KB_STORE") or ""
    return chosen if chosen else Path(index)


def backend(location: Location, cache_root: Path | None = None) -> Backend:
    """The backend for an index folder or a postgresql:// URL. A Postgres store keeps its
    embedding cache in `cache_root` (default: index/ beside the working folder)."""
    if is_url(location):
        from .postgres import PostgresBackend

        return PostgresBackend(str(location), cache_root or Path("index"))
    if isinstance(location, str) and "://" in location:
        from .errors import KbError

        raise KbError(f"--store {location.split('://')[0]}://...: kb stores in a folder or in PostgreSQL; "
                      "give postgresql://USER@HOST:PORT/DB")
    from .embedded import EmbeddedBackend

    return EmbeddedBackend(Path(location))


def describe(location: Location) -> str:
    """The location for messages, without a password."""
    if not is_url(location):
        return str(location)
    scheme, rest = str(location).split("://", 1)
    if "@" in rest:
        user, host = rest.rsplit("@", 1)
        rest = f"{user.split(':', 1)[0]}@{host}"
    return f"{scheme}://{rest}"
