"""Presentation helpers: escaping, exports, safe upload names."""
import csv
import io

import pytest

from kb.records import Chunk, Passage
from kb.render import csv_cell, marked, md_escape, results_csv, results_markdown, safe_filename


def passage(text="=SUM(A1) 83% tijdig", quote_span=(0, 8)):
    chunk = Chunk("d:0-10", "d", "Jaarresultaten 2012", 2012, "Klachten", None, 0, len(text), text)
    return Passage(chunk=chunk, score=0.5, highlights=[quote_span])


@pytest.mark.parametrize("name, expected", [
    ("../../x.pdf", "x.pdf"), ("C:\\x.pdf", "x.pdf"), ("CON", "doc-CON"), ("con.txt", "doc-con.txt"),
    ("verslag\u202e.fdp.md", "verslag-.fdp.md".replace("-.", ".")) , ("a" * 300 + ".pdf", "a" * 120 + ".pdf"),
    ("...", "document"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected
    assert "/" not in safe_filename(name) and "\\" not in safe_filename(name)


def test_markdown_escaping_keeps_text_literal():
    escaped = md_escape("[x](javascript:alert(1)) $5 en $6 <b>")
    assert "\\[x\\]\\(javascript" in escaped and "\\$5 en \\$6" in escaped and "\\<b\\>" in escaped


def test_highlight_markup_survives_a_closing_bracket_in_the_text():
    out = marked("a ] b", [(0, 5)])
    assert out == ":orange-background[**a \\] b**]"


def test_csv_neutralises_formulas_and_keeps_quote_and_citation():
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@x") == "'@x" and csv_cell("83%") == "83%"
    rows = list(csv.reader(io.StringIO(results_csv([("vraag", passage())]))))
    assert rows[0] == ["label", "rank", "year", "citation", "quote", "passage"]
    assert rows[1][3] == "Jaarresultaten 2012 (2012), Klachten" and rows[1][4] == "'=SUM(A1)"


def test_markdown_export_quotes_with_citation():
    text = results_markdown("klachten", [("klachten", passage())])
    assert "> =SUM\\(A1\\)" in text and "— Jaarresultaten 2012 \\(2012\\), Klachten" in text


def test_a_highlight_over_a_paragraph_break_is_marked_line_by_line():
    text = "Klachten\n\nDe IND ontving 4.750 klachten.\nDat is meer."
    out = marked(text, [(0, len(text))])
    assert out == (":orange-background[**Klachten**]  \n  \n:orange-background[**De IND ontving 4\\.750 klachten\\.**]"
                   "  \n:orange-background[**Dat is meer\\.**]")
