"""Latent terms: the packing and scoring maths, and the bundled model's sparse head in an index."""
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from kb import latent
from kb.index import open_index


def test_a_row_scores_the_weighted_terms_it_shares_with_the_question():
    ids, weights = latent.pack([(np.array([3, 7, 9]), np.array([0.5, 2.0, 1.0])), (np.array([1]), np.array([4.0]))], width=4)
    assert ids.tolist() == [[7, 9, 3, -1], [1, -1, -1, -1]]  # strongest first, padded
    query = (np.array([7, 1, 42]), np.array([1.0, 0.25, 9.0]))
    assert np.allclose(latent.scores(ids, weights, query), [2.0, 1.0])  # padding and unshared ids count nothing
    assert latent.scores(ids, weights, None).tolist() == [0.0, 0.0]


def test_packing_keeps_the_strongest_terms_when_a_text_has_more_than_fit():
    ids, weights = latent.pack([(np.arange(6), np.array([1.0, 6.0, 2.0, 5.0, 3.0, 4.0]))], width=3)
    assert ids.tolist() == [[1, 3, 5]] and weights.astype(float).tolist() == [[6.0, 5.0, 4.0]]


def test_cached_rows_come_back_as_the_same_terms():
    terms = (np.array([5, 300, 16000]), np.array([0.75, 1.5, 0.25]))
    ids, weights = latent.from_rows([latent.as_row(terms), latent.as_row(terms)])
    assert ids.shape == (2, latent.WIDTH) and ids.dtype == np.int16
    assert np.allclose(latent.scores(ids, weights, terms), [0.75**2 + 1.5**2 + 0.25**2] * 2, atol=1e-2)


def test_shapes_that_disagree_with_the_chunks_do_not_fit():
    ids, weights = latent.pack([(np.array([1]), np.array([1.0]))])
    assert latent.fits(ids, weights, 1)
    assert not latent.fits(ids, weights, 2)
    assert not latent.fits(ids, weights[:, :3], 1)
    assert latent.fits(*latent.none(3), 3)  # a model without a sparse head stores none


def test_the_bundled_model_gives_every_chunk_latent_terms_a_question_meets(slice_paths, slice_kb, embedder):
    assert embedder.latent_dim > 0
    index = open_index(slice_paths[1])
    assert index.latent_ids.shape == (len(index.chunks), latent.WIDTH)
    assert ((index.latent_ids >= 0).sum(axis=1) > 50).all()  # a passage has many terms, not a few
    top = slice_kb.ask("Hoeveel klachten kwamen er binnen bij de IND?", k=3)
    assert top[0].why["latent_score"] > 0
    assert index.manifest["embedder"]["latent_dim"] == embedder.latent_dim


def test_stored_terms_side_by_side_score_as_packed():
    terms = [(np.array([7, 9], dtype=np.int16), np.array([2.0, 1.0], dtype=np.float16)),
             (np.array([1], dtype=np.int16), np.array([4.0], dtype=np.float16))]
    query = (np.array([7, 1]), np.array([1.0, 0.25]))
    assert latent.padded(terms)[0].shape == (2, 2)
    assert np.allclose(latent.scores(*latent.padded(terms), query), latent.scores(*latent.pack(terms), query))
    assert latent.padded([])[0].shape == (0, 0)


def test_a_questions_two_passes_side_by_side_give_what_they_give_one_after_the_other(embedder):
    questions = ["tijdige afhandeling klachten 2012", "How many asylum applications were there in 2023?"] * 3
    with ThreadPoolExecutor(3) as users:  # several users at once share the two threads
        together = list(users.map(embedder.embed_question, questions))
    for question, (vector, terms) in zip(questions, together):
        alone = embedder.embed_query(question), embedder.latent_terms([question])[0]
        assert np.allclose(vector, alone[0], atol=1e-6)
        assert np.array_equal(terms[0], alone[1][0]) and np.allclose(terms[1], alone[1][1])


def test_a_batch_of_texts_two_at_a_time_gives_each_texts_own_terms_in_order(embedder):
    texts = ["De IND ontving in 2012 ruim 2.000 klachten.", "Asylum applications rose sharply.",
             "Naturalisatie", "Wachttijden voor het ophalen van verblijfsdocumenten waren lang."]
    batch = embedder.latent_terms(texts)  # the build's path: two texts at once
    assert len(batch) == len(texts)
    for text, (ids, weights) in zip(texts, batch):
        alone_ids, alone_weights = embedder.latent_terms([text])[0]
        assert len(ids) > 0 and np.array_equal(ids, alone_ids) and np.allclose(weights, alone_weights)
    assert not np.array_equal(batch[0][0], batch[1][0])  # each text its own terms, not a neighbour's


def test_stored_bytes_read_side_by_side_as_padded_whether_widths_agree_or_not():
    from kb.pg_rows import latent_matrix
    from kb.pg_schema import latent_bytes

    rng = np.random.default_rng(3)
    ids = rng.integers(0, 30_000, (4, 6)).astype(np.int16)
    weights = rng.random((4, 6)).astype(np.float16)
    same = [latent_bytes(i, w) for i, w in zip(ids, weights)]
    ragged_ids = ids.copy()
    ragged_ids[1, 3:], ragged_ids[3, :] = -1, -1  # fewer terms, none at all
    ragged = [latent_bytes(i, w) for i, w in zip(ragged_ids, weights)]
    query = (np.array([int(ids[0, 0]), int(ids[2, 5])]), np.array([1.0, 0.5], dtype=np.float32))
    for stored, packed in ((same, ids), (ragged, ragged_ids)):
        got_ids, got_weights = latent_matrix(stored)
        want_ids, want_weights = latent.padded([(i[i >= 0], w[i >= 0]) for i, w in zip(packed, weights)])
        assert np.array_equal(got_ids, want_ids) and np.array_equal(got_weights, want_weights)
        assert np.array_equal(latent.scores(got_ids, got_weights, query), latent.scores(want_ids, want_weights, query))
    assert latent.scores(*latent_matrix(ragged), query)[3] == 0.0
    assert latent_matrix([])[0].shape == (0, 0)


def test_float16_read_as_float32_gives_what_a_cast_gives_for_every_value():
    from kb.half import as_float32

    every = np.arange(2**16, dtype=np.uint16).view(np.float16).reshape(256, 256)[:, ::2]  # a strided view too
    got, want = as_float32(every), every.astype(np.float32)
    assert got.dtype == np.float32 and got.shape == want.shape
    assert np.array_equal(got, want, equal_nan=True)
    assert np.array_equal(np.signbit(got), np.signbit(want))  # -0.0 stays -0.0
    assert as_float32(np.array([0.1], dtype=np.float64)).dtype == np.float32
