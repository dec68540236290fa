"""Loading: every supported kind reads; every bad file is skipped with a reason, nothing else lost."""
import os
import subprocess

import pytest

from kb.cite import section_label
from kb.errors import UnreadableFile
from kb.load import garbled_text, load_corpus, load_file, meta_from_name
from kb.layout import Page, Run, layout_pages
from kb.pdf_worker import Glyph, lines_of, runs_of
from pdfs import make_pdf
from chromium import CHROMIUM, FLAGS

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
    assert not [w for w in loaded.warnings if not w.startswith("goed.md")]  # a skipped file has only its reason


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


REPORT_HTML = """<html><head><meta charset="utf-8"><style>
body { font-family: "DejaVu Sans"; font-size: 10pt; } .columns { columns: 2; column-gap: 8mm; text-align: justify; }
td, th { padding: 3px 8px; } th { text-align: left; }
</style></head><body><h1>Jaarverslag Stichting Voorbeeld 2024</h1><div class="columns">
<p>In 2024 ontving de stichting 1.234 klachten. Dat is 25 procent meer dan in 2023, toen er 987 klachten
binnenkwamen. De stijging komt vooral door de langere wachttijden bij de balie in Rotterdam en Utrecht.</p>
<p>Van alle klachten werd 82 procent binnen de wettelijke termijn afgehandeld. Efficiëntie en officiële
afspraken met de rechtspraak hielpen daarbij, net als een flinke investering in de afhandeling.</p>
</div><table><tr><th>Onderwerp</th><th>2023</th><th>2024</th></tr>
<tr><td>Klachten ontvangen</td><td>987</td><td>1.234</td></tr></table>
<h2 style="letter-spacing: 0.25em; text-transform: uppercase">Terugvordering en Woo</h2>
<p>Het totaal teruggevorderde<br>bedrag kwam uit op € 2.315.640. Er kwamen 96 Woo-verzoeken binnen, en er is een Woo-<br>
contactpersoon aangesteld.</p></body></html>"""


@pytest.mark.skipif(not CHROMIUM, reason="needs Debian's chromium")
def test_a_pdf_printed_by_chromium_reads_as_words_columns_and_table_rows(tmp_path):
    """Chromium (Skia) places every glyph on its own: read as PDFium's text rectangles, this came
    out letter by letter ("E v a l u a t i e"), with letters doubled and the columns mixed. A
    letter-spaced heading reads as words; two words at a line break stay two (kb keeps a PDF's
    hyphens, so a bare line break is no lost one)."""
    html, pdf = tmp_path / "verslag.html", tmp_path / "stichting-2024.pdf"
    html.write_text(REPORT_HTML, "utf-8")
    subprocess.run([CHROMIUM, *FLAGS[:-1], f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", html.as_uri()], capture_output=True, timeout=120, check=True)
    doc, warnings = load_file(pdf, meta_from_name(pdf))
    words = " ".join(doc.text.split())
    assert warnings == [] and words.startswith("Jaarverslag Stichting Voorbeeld 2024 In 2024 ontving de stichting")
    assert "Utrecht. Van alle klachten werd 82 procent" in words  # the first column read whole, then the second
    assert "Efficiëntie en officiële" in words and "een flinke investering" in words  # ligatures read once
    assert "Klachten ontvangen\t987\t1.234" in doc.text
    assert "TERUGVORDERING EN WOO Het totaal teruggevorderde bedrag kwam uit op € 2.315.640." in words  # not "T E R U G"
    assert "een Woo- contactpersoon" in words  # a hyphen the document writes ("Woo-verzoeken") is kept


def test_a_text_read_letter_by_letter_or_without_spaces_is_named(tmp_path):
    assert garbled_text("E v a l u a t i e van de k l a c h t e n " * 10).startswith("89% of its words are single")
    assert "spaces between words are lost" in garbled_text("Deklachtafhandelingsproceduresvanhetjaar " * 60)
    assert garbled_text((CORPUS / "ind-jaarverslag-2011.txt").read_text("utf-8")) is None
    path = tmp_path / "gespatieerd-2020.txt"
    path.write_text("E v a l u a t i e   v a n   d e   k l a c h t e n. " * 20, "utf-8")
    _, warnings = load_file(path, meta_from_name(path))
    assert len(warnings) == 1 and "gespatieerd-2020.txt: 100% of its words are single letters (\"E v a l u a t i e\")" in warnings[0]


def glyphs(words: list[tuple[float, str]], source_per_glyph: bool = True) -> list:
    """A line of glyphs 6 points wide in a 12-point line, each word starting at its x."""
    line = []
    for x, word in words:
        for i, letter in enumerate(word):
            left = x + 6 * i
            line.append(Glyph(letter, left, 2, left + 6, 10, left, 0, left + 6, 12,
                              source=len(line) if source_per_glyph else 0, spaced=i == 0 and bool(line)))
    return line


def test_a_line_of_glyphs_placed_alone_is_cut_at_cell_borders_not_at_stretched_spaces():
    justified = glyphs([(0, "de"), (20, "wettelijke"), (88, "termijn"), (138, "van")])  # spaces of 8 points
    assert [run[4] for run in runs_of(justified)] == ["de wettelijke termijn van"]
    row = glyphs([(0, "Klachten"), (50, "ontvangen"), (130, "987"), (170, "1.234")])
    assert [run[4] for run in runs_of(row)] == ["Klachten ontvangen", "987", "1.234"]
    assert runs_of(row)[1][:4] == [130, 2, 148, 10]
    assert [run[4] for run in runs_of(glyphs([(0, "Klachten"), (130, "987")], source_per_glyph=False))] == [
        "Klachten 987"]  # one text object of the PDF is one run, as PDFium's rectangles had it
    ligature = [Glyph("f", 0, 2, 6, 10, 0, 0, 6, 12, 1), Glyph("l", 0, 2, 6, 10, 0, 0, 6, 12, 1),
                Glyph("i", 6, 2, 9, 10, 6, 0, 9, 12, 2)]
    assert [[run[4] for run in runs_of(line)] for line in lines_of(ligature)] == [["fli"]]


def test_a_letter_spaced_line_reads_as_words_and_a_broken_line_of_one_line_is_one():
    spaced = glyphs([(0, "I"), (9, "N"), (18, "L"), (27, "E"), (36, "I"), (51, "D"), (60, "E")])  # tracking 3, a word gap 9
    assert [run[4] for run in runs_of(spaced)] == ["INLEI DE"]
    assert [[g.text for g in line] for line in lines_of(glyphs([(0, "I")]) + [Glyph("\r", 6, 2, 6, 2, 6, 2, 6, 2)]
                                                          + glyphs([(6, "ng")]))] == [["I", "n", "g"]]


def test_a_running_header_that_names_each_page_s_chapter_is_left_out_but_not_a_title_like_it():
    def page(header: list[str], body: str) -> Page:
        runs = [Run(50 + 300 * i, 20, 250 + 300 * i, 30, text) for i, text in enumerate(header)]
        return Page(600, 800, runs + [Run(50, 60, 550, 70, body), Run(50, 400, 550, 410, "Meer tekst van de pagina.")])
    pages = [page([], "Jaarverslag Bezwaar 2023"), page(["Jaarverslag Bezwaar 2023", "1 Bezwaarschriften"], "Tekst een."),
             page(["Jaarverslag Bezwaar 2023", "2 Kwijtschelding"], "Tekst twee."),
             page(["Jaarverslag Bezwaar 2023", "3 Klachten"], "Tekst drie.")]
    texts = layout_pages(pages)
    assert texts[0].startswith("Jaarverslag Bezwaar 2023") and [t.split("\n")[0] for t in texts[1:]] == [
        "Tekst een.", "Tekst twee.", "Tekst drie."]
