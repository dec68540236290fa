"""Shared fixtures: the real bundled model, one index of a small corpus slice per session,
and the full-corpus index built at most once per run."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from kb.embed import Embedder, get_embedder
from kb.build import ingest
from kb.pipeline import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


class FakeEmbedder(Embedder):
    """Deterministic hashed bag of words: for unit tests of the pure stages only."""

    backend = "fake"

    def __init__(self, name: str = "fake-words", dim: int = 64) -> None:
        self.name, self.dim, self.calls = name, dim, 0

    def embed_batch(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        out[:, 0] += 1e-3  # no all-zero rows
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def slice_text(name: str, start_marker: str, length: int) -> str:
    text = (CORPUS / name).read_text("utf-8")
    at = text.index(start_marker)
    return text[at:at + length]


def write_slice_corpus(folder: Path) -> Path:
    """A small corpus from the real reports: the 2011 complaints pages (a torn table), the 2012
    results around complaints, and the 2016 figures, with the real manifest entries."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ind-jaarverslag-2011.txt").write_text(slice_text("ind-jaarverslag-2011.txt", " Klachten\n\nIn 2011", 3200), "utf-8")
    (folder / "ind-jaarresultaten-2012.md").write_text(slice_text("ind-jaarresultaten-2012.md", "## Doorlooptijden", 4000), "utf-8")
    (folder / "ind-jaarverslag-2016.txt").write_text(slice_text("ind-jaarverslag-2016.txt", "De cijfers", 4200), "utf-8")
    shutil.copy(CORPUS / "manifest.toml", folder / "manifest.toml")
    return folder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder()


@pytest.fixture(scope="session")
def slice_paths(tmp_path_factory, embedder) -> tuple[Path, Path]:
    """(corpus, index) of the slice, indexed once for the run; tests must not change them."""
    base = tmp_path_factory.mktemp("slice")
    corpus = write_slice_corpus(base / "corpus")
    ingest(corpus, base / "index", embedder)
    return corpus, base / "index"


@pytest.fixture(scope="session")
def slice_kb(slice_paths, embedder) -> KnowledgeBase:
    corpus, index = slice_paths
    return KnowledgeBase(index, embedder, corpus=corpus)


@pytest.fixture(scope="session")
def full_index(tmp_path_factory, embedder) -> Path:
    """The whole bundled corpus, indexed once for the run."""
    index = tmp_path_factory.mktemp("full") / "index"
    ingest(CORPUS, index, embedder)
    return index


@pytest.fixture(scope="session")
def full_kb(full_index, embedder) -> KnowledgeBase:
    return KnowledgeBase(full_index, embedder, corpus=CORPUS)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory) -> str:
    """A real PostgreSQL 18 + pgvector on 127.0.0.1, started here for the run (tests/pg.py). It
    must start: a Postgres test fails loudly when it cannot, it never skips."""
    from pg import Server

    with Server() as url:
        yield url


_databases = iter(range(1_000_000))


@pytest.fixture()
def pg_url(pg_server) -> str:
    """A fresh, empty database on the run's server, for one test."""
    import psycopg

    name = f"kb_test_{next(_databases)}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_server.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def slice_in_postgres(pg_server, slice_paths, embedder) -> str:
    """The slice corpus ingested into its own database (the folder index's embedding cache reused)."""
    import psycopg

    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute("CREATE DATABASE kb_slice")
    url = pg_server.rsplit("/", 1)[0] + "/kb_slice"
    corpus, index = slice_paths
    ingest(corpus, url, embedder, cache=index)
    return url


@pytest.fixture(scope="session", params=["folder", "postgres"])
def stored_kb(request, slice_paths, embedder) -> KnowledgeBase:
    """The slice knowledge base in each store: the same retrieval tests run on both."""
    corpus, index = slice_paths
    if request.param == "folder":
        return KnowledgeBase(index, embedder, corpus=corpus)
    return KnowledgeBase(request.getfixturevalue("slice_in_postgres"), embedder, corpus=corpus)
