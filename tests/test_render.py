"""Presentation helpers: escaping, safe CSV cells and upload names."""
import pytest

from kb.render import csv_cell, marked, md_escape, safe_filename


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


def test_a_web_address_in_a_report_is_an_autolink_with_its_text_unescaped():
    escaped = md_escape("Zie https://www.rijksoverheid.nl/docs/a_b. Of [x](javascript:alert(1)) en $5.")
    assert escaped.startswith("Zie <https://www.rijksoverheid.nl/docs/a_b>\\. Of \\[x\\]\\(javascript:alert\\(1\\)\\)")
    assert escaped.endswith("\\$5\\.")


def test_highlight_markup_survives_a_closing_bracket_in_the_text():
    out = marked("a ] b", [(0, 5)])
    assert out == ":orange-background[**a \\] b**]"


def test_csv_cells_never_start_a_formula():
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@x") == "'@x" and csv_cell("83%") == "83%"


def test_a_highlight_over_a_paragraph_break_is_marked_line_by_line():
    text = "Klachten\n\nDe IND ontving 4.750 klachten.\nDat is meer."
    out = marked(text, [(0, len(text))])
    assert out == (":orange-background[**Klachten**]  \n  \n:orange-background[**De IND ontving 4\\.750 klachten\\.**]"
                   "  \n:orange-background[**Dat is meer\\.**]")
