"""Loading: every supported kind reads; every bad file is skipped with a reason, nothing else lost."""
import os

import pytest

from kb.cite import section_label
from kb.errors import UnreadableFile
from kb.load import load_corpus, load_file, meta_from_name
from pdfs import make_pdf

from conftest import CORPUS


def test_bundled_corpus_loads_with_manifest_metadata():
    loaded = load_corpus(CORPUS)
    assert loaded.skipped == [] and loaded.warnings == []
    years = {d.meta.doc_id: d.meta.year for d in loaded.documents}
    assert years == {"ind-jaarverslag-2011": 2011, "ind-jaarresultaten-2012": 2012, "ind-jaarverslag-2016": 2016,
                     "ind-stand-van-de-uitvoering-2022": 2022, "ind-stand-van-de-uitvoering-2023": 2023}
    sv2023 = next(d for d in loaded.documents if d.meta.year == 2023)
    assert sv2023.meta.period == (2022,)


def test_bad_files_are_skipped_with_their_reason_and_the_rest_loads(tmp_path):
    (tmp_path / "goed.md").write_text("# Klachten\n\nIn 2012 ontving de IND 4.750 klachten.", "utf-8")
    (tmp_path / "kapot.pdf").write_bytes(os.urandom(4096))
    (tmp_path / "leeg.txt").write_bytes(b"")
    (tmp_path / "binair.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "tabel.xlsx").write_bytes(b"PK\x03\x04 not a report")
    make_pdf(tmp_path / "geheim.pdf", ["Vertrouwelijk verslag"], user_password="wachtwoord")
    loaded = load_corpus(tmp_path)
    assert [d.meta.source for d in loaded.documents] == ["goed.md"]
    reasons = dict(loaded.skipped)
    assert "not a readable PDF" in reasons["kapot.pdf"]
    assert "empty" in reasons["leeg.txt"]
    assert "binary" in reasons["binair.txt"]
    assert "not supported" in reasons["tabel.xlsx"]
    assert "encrypted" in reasons["geheim.pdf"]
    assert any("goed.md: no entry in manifest.toml" in w for w in loaded.warnings)


def test_pdf_with_empty_user_password_is_read(tmp_path):
    path = make_pdf(tmp_path / "open-2019.pdf", ["Eerste pagina over klachten."], user_password="")
    doc, _ = load_file(path, meta_from_name(path))
    assert "klachten" in doc.text and doc.meta.year == 2019


def test_cp1252_text_is_read_with_a_warning(tmp_path):
    path = tmp_path / "oud-2010.txt"
    path.write_bytes("Het geëmigreerde café: één ideeën".encode("cp1252"))
    doc, warnings = load_file(path, meta_from_name(path))
    assert doc.text == "Het geëmigreerde café: één ideeën"
    assert warnings and "Windows-1252" in warnings[0]


def test_pdf_pages_are_kept(tmp_path):
    path = make_pdf(tmp_path / "verslag-2020.pdf", ["Pagina een over asiel.", "Pagina twee over klachten.", "Pagina drie over leges."])
    doc, _ = load_file(path, meta_from_name(path))
    assert len(doc.page_starts) == 3
    assert doc.text[doc.page_starts[1]:].startswith("Pagina twee")


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(UnreadableFile, match="no corpus folder"):
        load_corpus(tmp_path / "nergens")


def test_invalid_manifest_names_the_file(tmp_path):
    (tmp_path / "manifest.toml").write_text("[[document]]\nid = 'x'\n", "utf-8")
    with pytest.raises(UnreadableFile, match="manifest.toml"):
        load_corpus(tmp_path)


def test_every_citation_says_where_and_never_an_empty_page(tmp_path):
    from kb.chunk import chunk_document

    for doc in load_corpus(CORPUS).documents:  # text reports: no pages known
        for chunk in chunk_document(doc):
            assert chunk.page is None and "p." not in chunk.citation.split("),")[-1]
            assert chunk.citation.endswith(", " + (section_label(chunk.section, chunk.text, chunk.year, "en") or "before the first heading"))
    body = "De IND ontving in dat jaar veel klachten over de behandeling van aanvragen. " * 9
    path = make_pdf(tmp_path / "verslag-2020.pdf", [f"Klachten\n\n{body}", f"Asiel\n\n{body}"])
    doc, _ = load_file(path, meta_from_name(path))
    chunks = chunk_document(doc)
    assert {c.page for c in chunks} == {1, 2} and all(c.citation.endswith(f", p. {c.page}") for c in chunks)


def test_a_quote_is_cited_by_the_page_it_stands_on(tmp_path, embedder):
    from kb.build import ingest
    from kb.pipeline import KnowledgeBase

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "veilig-thuis-2024.pdf", [
        "Jaarverslag Veilig Thuis 2024. Dit jaar kwamen er meer meldingen binnen dan ooit tevoren.",
        "Advies: een vraag om raad zonder dat Veilig Thuis zelf in actie komt. Dat gebeurde 1.200 keer."])
    ingest(corpus, tmp_path / "index", embedder)
    kb = KnowledgeBase(tmp_path / "index", embedder, corpus=corpus)
    [top] = kb.ask("Hoe vaak werd Veilig Thuis om advies gevraagd?", k=1)
    assert top.chunk.text.startswith("Jaarverslag Veilig Thuis 2024")  # the passage starts on page 1 ...
    assert "Advies" in top.quote and top.cited.endswith(", p. 2")  # ... its quote stands on page 2
    found = kb.verify("Advies: een vraag om raad zonder dat Veilig Thuis zelf in actie komt.")
    assert found.verdict == "exact" and found.match.cited.endswith(", p. 2")
