"""The index: atomic generations, checks on open, staleness, and the embedding cache."""
import json
import shutil

import pytest

from kb import index as store
from kb.errors import DamagedIndex, IndexMissing, StaleIndex
from kb.build import ingest
from kb.pipeline import KnowledgeBase

from conftest import FakeEmbedder, write_slice_corpus


@pytest.fixture()
def built(tmp_path):
    corpus = write_slice_corpus(tmp_path / "corpus")
    embedder = FakeEmbedder()
    report = ingest(corpus, tmp_path / "index", embedder)
    return corpus, tmp_path / "index", embedder, report


def test_build_writes_one_generation_and_reopens(built):
    corpus, index, embedder, report = built
    assert report.documents == 3 and report.chunks > 10 and report.embedded == report.chunks
    kb = KnowledgeBase(index, embedder, corpus=corpus)
    assert len(kb.index.chunks) == report.chunks == kb.index.vectors.ntotal
    manifest = kb.index.manifest
    assert manifest["embedder"]["model"] == "fake-words" and manifest["counts"]["bm25_docs"] == report.chunks
    assert set(manifest["corpus"]) == {"ind-jaarverslag-2011.txt", "ind-jaarresultaten-2012.md", "ind-jaarverslag-2016.txt", "manifest.toml"}
    assert not any(p.suffix in (".pkl", ".pickle") for p in index.rglob("*"))


def test_unchanged_corpus_is_up_to_date_and_embeds_nothing(built):
    corpus, index, embedder, _ = built
    calls = embedder.calls
    assert ingest(corpus, index, embedder).up_to_date
    report = ingest(corpus, index, embedder, force=True)
    assert report.embedded == 0 and embedder.calls == calls


def test_changed_file_re_embeds_only_its_new_chunks(built):
    corpus, index, embedder, first = built
    path = corpus / "ind-jaarresultaten-2012.md"
    path.write_text(path.read_text("utf-8") + "\n\n## Nieuw\n\nEen nieuwe alinea over leges en kosten.", "utf-8")
    with pytest.raises(StaleIndex, match="changed ind-jaarresultaten-2012.md.*kb ingest"):
        KnowledgeBase(index, embedder, corpus=corpus)
    report = ingest(corpus, index, embedder)
    assert 1 <= report.embedded <= 3 and report.chunks >= first.chunks


def test_added_and_deleted_files_are_named(built):
    corpus, index, embedder, _ = built
    (corpus / "extra-2020.md").write_text("# Extra\n\nTekst.", "utf-8")
    (corpus / "ind-jaarverslag-2016.txt").unlink()
    with pytest.raises(StaleIndex) as err:
        KnowledgeBase(index, embedder, corpus=corpus)
    assert "added extra-2020.md" in str(err.value) and "deleted ind-jaarverslag-2016.txt" in str(err.value)
    ingest(corpus, index, embedder)
    kb = KnowledgeBase(index, embedder, corpus=corpus)
    assert all(c.doc_id != "ind-jaarverslag-2016" for c in kb.index.chunks)
    assert not kb.ask("Aantal ontvangen klachten 2016", k=10, years=(2016,))


def test_other_model_of_the_same_dimension_is_stale(built):
    corpus, index, _, _ = built
    with pytest.raises(StaleIndex, match="built with model fake-words.*not other-words.*kb ingest"):
        KnowledgeBase(index, FakeEmbedder(name="other-words"), corpus=corpus)


def test_missing_index_says_how_to_build_it(tmp_path):
    with pytest.raises(IndexMissing, match="kb ingest"):
        store.open_index(tmp_path / "index")


def test_damaged_files_are_detected_not_crashed_on(built):
    corpus, index, embedder, _ = built
    gen = store.current_generation(index)
    faiss_file = gen / "vectors.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[: faiss_file.stat().st_size // 2])
    with pytest.raises(DamagedIndex, match="vectors.faiss.*damaged.*kb ingest"):
        store.open_index(index)


def test_flipped_byte_in_chunk_records_is_detected(built):
    _, index, _, _ = built
    records = store.current_generation(index) / "chunks.jsonl"
    data = bytearray(records.read_bytes())
    data[100] ^= 0x01
    records.write_bytes(bytes(data))
    with pytest.raises(DamagedIndex, match="chunks.jsonl"):
        store.open_index(index)


def test_empty_or_newer_manifest_is_refused(built):
    _, index, _, _ = built
    manifest = store.current_generation(index) / "manifest.json"
    original = manifest.read_text("utf-8")
    manifest.write_text("", "utf-8")
    with pytest.raises(DamagedIndex, match="manifest.json"):
        store.open_index(index)
    manifest.write_text(json.dumps({**json.loads(original), "format_version": 99}), "utf-8")
    with pytest.raises(DamagedIndex, match="newer kb.*format 99"):
        store.open_index(index)
    manifest.write_text(json.dumps({**json.loads(original), "format_version": 0}), "utf-8")
    with pytest.raises(StaleIndex, match="format 0.*kb ingest"):
        store.open_index(index)


def test_counts_that_disagree_are_refused(built):
    _, index, _, _ = built
    gen = store.current_generation(index)
    lines = (gen / "chunks.jsonl").read_text("utf-8").splitlines(keepends=True)
    (gen / "chunks.jsonl").write_text("".join(lines[:-1]), "utf-8")
    manifest = json.loads((gen / "manifest.json").read_text("utf-8"))
    manifest["files"]["chunks.jsonl"] = store.file_sha256(gen / "chunks.jsonl")
    (gen / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(DamagedIndex, match="disagree"):
        store.open_index(index)


def test_rebuild_keeps_the_previous_generation_and_switches_atomically(built):
    corpus, index, embedder, _ = built
    first = store.current_generation(index)
    ingest(corpus, index, embedder, force=True)
    second = store.current_generation(index)
    assert second != first and first.is_dir()
    assert (index / "CURRENT").read_text("utf-8") == second.name
    assert not list(index.glob(".tmp-*"))


def test_pointer_to_a_missing_generation_is_damage(built):
    _, index, _, _ = built
    shutil.rmtree(store.current_generation(index))
    with pytest.raises(DamagedIndex, match="CURRENT"):
        store.open_index(index)
