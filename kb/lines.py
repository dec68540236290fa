"""What a line of a report is: a table row, a figure, a year header, a torn table's label, a
contents list's entry. Pure predicates that chunking, headings and answer units share."""
from __future__ import annotations

import re

TOC_LINE = re.compile(r"^(\S[^\t\n]{2,80}?)\t+\d{1,3}[ \t]*$", re.M)
_VALUE = r"(?:[-+]?€?\s?\d[\d.,]*\s?(?:%|mln|miljoen|milj\.|mld|miljard|fte)?|-|–)"
_ROW_END = re.compile(rf"(?:\s{_VALUE}){{1,4}}\s*$")  # a label followed by 1-4 figures
BULLETS = ("•", "·", "▪")  # what opens a list item or a table row label in the reports
TORN_LABELS = 8  # how far a torn table's label column is read ahead for its year header: one small table's rows
TORN_LABEL_LEN = 45  # a longer line is prose, not a table's label
_NUMERIC_LINE = re.compile(rf"^\s*{_VALUE}(?:\s+{_VALUE})*\s*$")


def is_table_line(line: str) -> bool:
    s = line.strip()
    if not s:
        return True
    if "\t" in s or s.startswith(BULLETS) or _NUMERIC_LINE.match(s):
        return True
    return len(s) <= 100 and bool(_ROW_END.search(s)) and not s.endswith(".")


def is_contents(text: str) -> bool:
    """A table of contents: most of its lines are a title and a page number ("Voorwoord<TAB>4")."""
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) >= 3 and 2 * len(TOC_LINE.findall(text)) > len(lines)


def is_numeric_line(line: str) -> bool:
    return bool(line.strip()) and bool(_NUMERIC_LINE.match(line))


def is_year_header(line: str) -> bool:
    """" 2011 2010": the header row of a table whose values follow on their own lines."""
    return bool(re.fullmatch(r"\s*(?:(?:19|20)\d\d\s*)+", line))


def in_torn_table(before: str, after: list[str]) -> bool:
    """A short line followed by a run of short lines (no bullet rows: those stand under a table's
    title) that ends at a table's year header (" 2011 2010"), or which stands between two bullet
    labels, is a label of a PDF table torn into a label column and a value column ("Totaal";
    "Overig" above "Totaal"; the wrapped end "Corpus" of "Habeas Corpus"), not a heading: as a
    heading it cuts the values off from their labels (in the 2011 report seven tables' values
    stood alone under "Overig")."""
    for line in after[:TORN_LABELS]:
        if is_year_header(line):
            return True
        if not is_torn_label(line) or line.strip().startswith(BULLETS):
            break  # prose, or the bullet rows a table's title stands over
    nxt = after[0] if after else ""
    return before.strip().startswith(BULLETS) and nxt.strip().startswith(BULLETS)


def is_torn_label(line: str) -> bool:
    """Short enough for a label of a torn table's label column, and no sentence."""
    return len(line.strip()) <= TORN_LABEL_LEN and not line.rstrip().endswith((".", ":", ";"))
