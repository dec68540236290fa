"""A report as users download it: the 2012 report typeset by WeasyPrint (Dutch hyphenation, two
justified columns, a running header and page numbers in the margins, ruled tables), read by kb.
What WeasyPrint laid out on each page is the truth the reading is checked against."""
import re
import shutil

import pytest

from kb.chunk import chunk_document
from kb.evaluate import Outcome, first_hit, fold, read_cases, summary
from kb.load import load_file
from kb.build import ingest
from kb.pipeline import KnowledgeBase
from kb.records import DocMeta

from conftest import CORPUS
from test_eval import SHARED_DEV
import typeset

SOURCE = CORPUS / "ind-jaarresultaten-2012.md"
META = DocMeta(doc_id="ind-jaarresultaten-2012", title="De IND belicht: Jaarresultaten 2012", year=2012,
               source="ind-jaarresultaten-2012.pdf")


def letters(text: str) -> str:
    return re.sub(r"[\W_]", "", text)


@pytest.fixture(scope="session")
def typeset_2012(tmp_path_factory):
    """(pdf path, each page's text as typeset, the Document kb reads from the PDF)."""
    pdf = tmp_path_factory.mktemp("typeset") / "ind-jaarresultaten-2012.pdf"
    truth = typeset.typeset(SOURCE.read_text("utf-8"), pdf)
    doc, _ = load_file(pdf, META)
    return pdf, truth, doc


def test_the_pdf_is_a_real_report_layout(typeset_2012):
    pdf, truth, doc = typeset_2012
    assert len(truth) >= 5 and any("\u2010" in page for page in truth)  # hyphenated by the typesetter
    assert doc.repairs.get("hyphen_break", 0) >= 100


def test_text_is_read_in_order_without_headers_footers_or_page_numbers(typeset_2012):
    """Letter for letter what the pages' bodies hold, in reading order: nothing from the margins,
    no column read across, no line lost."""
    _, truth, doc = typeset_2012
    assert letters(doc.text) == letters("".join(truth))
    chunks = chunk_document(doc)
    assert chunks and not [c.chunk_id for c in chunks if typeset.HEADER in c.text]
    assert not [c.chunk_id for c in chunks if re.search(r"(?m)^\s*\d{1,2}\s*$", c.text)]


def test_no_word_is_broken_or_glued(typeset_2012):
    _, _, doc = typeset_2012
    source_words = set(re.findall(r"\w+", typeset.plain(SOURCE.read_text("utf-8"))))
    words = [w for c in chunk_document(doc) for w in re.findall(r"\w+", c.text)]
    assert len(words) > 3000 and [w for w in words if w not in source_words] == []


def test_every_passage_cites_the_page_it_starts_on(typeset_2012):
    _, truth, doc = typeset_2012
    page_ends, total = [], 0
    for page in truth:
        total += len(letters(page))
        page_ends.append(total)
    for chunk in chunk_document(doc):
        before = len(letters(doc.text[:chunk.start]))
        first_letter_page = next(i for i, end in enumerate(page_ends, 1) if before < end)
        assert chunk.page == first_letter_page, chunk.chunk_id
        assert f", p. {chunk.page}" in chunk.citation


def test_table_rows_stay_together(typeset_2012):
    _, _, doc = typeset_2012
    lines = doc.text.split("\n")
    assert "• Beslissingen mvv\t48.900\t45.750\t-6,5%" in lines
    wrapped = ("• Totaal afgehandelde asielaanvragen (inclusief beslissingen na gegrond beroep en intrekken "
               "beschikking)\t19.050\t15.650\t-18%")
    assert wrapped in lines


@pytest.mark.parametrize("mark", ["\\2010", "-", "\\2011"])
def test_sentences_run_over_page_and_column_breaks_with_every_hyphen_kind(tmp_path, mark):
    """Large type, so paragraphs run over columns and pages. Hyphen-minus (PDFium marks it) and the
    non-breaking hyphen are repaired as WeasyPrint's own U+2010 is. (A soft hyphen that WeasyPrint
    draws does not survive extraction at all: test_clean covers U+00AD in the text.)"""
    text = SOURCE.read_text("utf-8")
    excerpt = text[text.index("# Voorwoord"):text.index("## Asiel")]
    pdf = tmp_path / "excerpt.pdf"
    truth = typeset.typeset(excerpt, pdf, hyphen=mark, css="body { font-size: 15pt; }")
    doc, _ = load_file(pdf, META)
    source_words = set(re.findall(r"\w+", typeset.plain(excerpt)))
    assert [w for w in re.findall(r"\w+", doc.text) if w not in source_words] == []
    assert letters(doc.text) == letters("".join(truth))
    mid_sentence = [i for i, page in enumerate(truth[1:], 1) if page[:1].islower()]
    assert mid_sentence, "no page starts in the middle of a sentence"
    for i in mid_sentence:
        start = doc.page_starts[i]
        assert "\n\n" not in doc.text[start - 2:start + 1], doc.text[start - 40:start + 20]


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_DEV.exists(), reason="../shared/eval is not beside this checkout")
def test_dev_questions_score_as_on_the_text(typeset_2012, full_index, full_kb, embedder, tmp_path):
    """The corpus with the 2012 report as the typeset PDF answers the dev questions as the text
    corpus does: hit@5 on all of them, and on those whose answer stands in the 2012 report."""
    pdf, _, _ = typeset_2012
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / SOURCE.name).unlink()
    shutil.copy(pdf, corpus / pdf.name)
    manifest = corpus / "manifest.toml"
    manifest.write_text(manifest.read_text("utf-8").replace(SOURCE.name, pdf.name), "utf-8")
    shutil.copytree(full_index / "cache", tmp_path / "index" / "cache")  # only the PDF's passages are new
    ingest(corpus, tmp_path / "index", embedder)
    typeset_kb = KnowledgeBase(tmp_path / "index", embedder, corpus=corpus)
    cases = read_cases(SHARED_DEV)
    in_2012 = [c for c in cases if 2012 in c.years and all(fold(s) in fold(SOURCE.read_text("utf-8")) for s in c.all_of)]
    assert len(in_2012) >= 4
    for subset in (cases, in_2012):
        assert hit_at_5(typeset_kb, subset) == hit_at_5(full_kb, subset) == 1.0
    pages = {p.chunk.page for c in in_2012 for p in typeset_kb.ask(c.question, k=5) if p.chunk.year == 2012}
    assert pages and None not in pages


def hit_at_5(kb, cases) -> float:
    outcomes = [Outcome(c, first_hit(c, [(p.chunk.year, p.chunk.text) for p in kb.ask(c.question, k=10)]))
                for c in cases]
    return summary(outcomes)["hit@5"]
