"""The vector index: exact while small, HNSW past the threshold, filters honoured either way."""
import numpy as np
import pytest

from kb import index as store
from kb import vectors
from kb.build import ingest
from kb.pipeline import KnowledgeBase

from conftest import FakeEmbedder, write_slice_corpus


@pytest.fixture(scope="module")
def unit_vectors():
    rng = np.random.default_rng(7)
    v = rng.standard_normal((3000, 32)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def exact(matrix, query, allowed=None, k=10):
    sims = matrix @ query
    if allowed is not None:
        sims = np.where(allowed, sims, -np.inf)
    return np.argsort(-sims, kind="stable")[:k].tolist()


def test_small_collections_stay_exact_and_large_ones_use_hnsw(unit_vectors):
    assert vectors.describe_vector_index(vectors.build_vector_index(unit_vectors))["kind"] == "flat"
    hnsw = vectors.build_vector_index(unit_vectors, exact_up_to=1000)
    assert vectors.describe_vector_index(hnsw)["kind"] == "hnsw" and hnsw.hnsw.efSearch == vectors.HNSW_EF_SEARCH
    np.testing.assert_array_equal(vectors.stored_matrix(hnsw), unit_vectors)


@pytest.mark.parametrize("share", [1.0, 0.5, 0.05, 0.0])
def test_nearest_honours_a_filter_and_finds_what_exact_search_finds(unit_vectors, share):
    rng = np.random.default_rng(1)
    allowed = rng.random(len(unit_vectors)) < share
    for exact_up_to in (10**9, 1000):
        index = vectors.build_vector_index(unit_vectors, exact_up_to=exact_up_to)
        recall = []
        for query in unit_vectors[:20]:
            rows, sims = vectors.nearest(index, query, None if share == 1.0 else allowed, 10)
            if share == 0.0:
                assert len(rows) == 0  # nothing allowed, nothing found
                continue
            if share < 1.0:
                assert allowed[rows].all()
            assert list(sims) == sorted(sims, reverse=True)
            truth = exact(unit_vectors, query, None if share == 1.0 else allowed)[: len(rows)]
            recall.append(len(set(rows.tolist()) & set(truth)) / max(1, len(truth)))
        if recall:
            assert np.mean(recall) >= (1.0 if exact_up_to > len(unit_vectors) else 0.9)


def test_an_hnsw_index_is_saved_checked_and_searched_like_a_flat_one(tmp_path, monkeypatch):
    corpus = write_slice_corpus(tmp_path / "corpus")
    ingest(corpus, tmp_path / "flat", FakeEmbedder())
    monkeypatch.setattr(vectors, "EXACT_UP_TO", 5)
    ingest(corpus, tmp_path / "hnsw", FakeEmbedder())
    flat, hnsw = (KnowledgeBase(tmp_path / name, FakeEmbedder(), corpus=corpus) for name in ("flat", "hnsw"))
    assert hnsw.index.manifest["vector_index"]["kind"] == "hnsw" and flat.index.manifest["vector_index"]["kind"] == "flat"
    for years in [(), (2016,)]:
        a = [p.chunk.chunk_id for p in flat.ask("tijdige afhandeling klachten", k=3, years=years)]
        b = [p.chunk.chunk_id for p in hnsw.ask("tijdige afhandeling klachten", k=3, years=years)]
        assert a == b and a
    assert store.open_index(tmp_path / "hnsw").vectors.hnsw.efSearch == vectors.HNSW_EF_SEARCH
