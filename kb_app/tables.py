"""A passage's tables for reading: which spans are tables (title line and rows), each table as a grid
whose columns are the header's years (or a tab header's own cells), and a table row as a quote a
reader can paste. Built on kb.figures' rows, so a card shows the table kb read; a block that cannot
be laid out with confidence is left to be shown as lines of text. Pure functions over strings."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kb.cite import plain
from kb.figures import Row, table_rows


ACRONYMS = {"IND", "EU", "VN", "BRP", "COA", "DT&V", "KMar", "MVV", "TEV"}


@dataclass(frozen=True)
class Table:
    """A table block of a passage: its span (title line included) and the rows kb read in it."""

    start: int
    end: int
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Grid:
    """A table laid out: column names after the label column, one (label, cells, answers) per row."""

    title: str
    columns: tuple[str, ...]
    body: tuple[tuple[str, tuple[str, ...], bool], ...]


def title_case(title: str) -> str:
    """"KLACHTEN" -> "Klachten", "IND CARIBISCH NEDERLAND" -> "IND caribisch nederland" (an acronym
    stays); a title already in mixed case stays as written."""
    title = " ".join(plain(title).split())
    if not title.isupper():
        return title
    words = [w if w in ACRONYMS else w.lower() for w in title.split()]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


def tables(text: str) -> list[Table]:
    """The passage's tables in text order: rows of one table with only blank lines between them
    form a block; the line above (the title with its years, or a tab header) belongs to it."""
    blocks: list[list] = []
    for row in table_rows(text):
        if blocks and blocks[-1][2] == row.table and not text[blocks[-1][1]:row.start].strip():
            blocks[-1][1] = max(blocks[-1][1], row.end)
            blocks[-1][3].append(row)
        else:
            blocks.append([row.start, row.end, row.table, [row]])
    out: list[Table] = []
    for start, end, title, rows in blocks:
        above = text[:start].rstrip()
        line_start = above.rfind("\n") + 1
        header = above[line_start:]
        if header.strip() and (title.lower() in header.lower() or "\t" in header or re.search(r"(?:19|20)\d\d", header)):
            if not out or out[-1].end <= line_start:
                start = line_start
        out.append(Table(start, end, title_case(title), tuple(rows)))
    return out


def touches(text: str, row: Row, spans: list[tuple[int, int]]) -> bool:
    """Whether a span meets the row's label line or its value line. A torn table's row runs from
    its label down to its values, over the other rows' labels and the year header between them:
    marking the header, or a later row's label, must not mark it too."""
    body = text[row.start:row.end]
    ends = ((row.start, row.start + len(body.split("\n", 1)[0])), (row.start + body.rfind("\n") + 1, row.end))
    return any(s < e2 and s2 < e for s, e in spans for s2, e2 in ends)


def grid(text: str, table: Table, spans: list[tuple[int, int]]) -> Grid | None:
    """The table as a grid, the rows a span touches marked; None when its rows do not all have a
    value for every column (then it is shown as text, never as a grid with cells out of place)."""
    def hit(row: Row) -> bool:
        return touches(text, row, spans)

    tab = _tab_grid(text, table, hit)
    if tab:
        return tab
    years: list[int] = []
    for row in table.rows:
        years += [c.year for c in row.cells if c.year not in years]
    if not years or any([c.year for c in row.cells] != years for row in table.rows):
        return None
    body = tuple((plain(row.label), tuple(c.as_written for c in row.cells), hit(row)) for row in table.rows)
    return Grid(table.title, tuple(map(str, years)), body)


def _tab_grid(text: str, table: Table, hit) -> Grid | None:
    """A tab-separated table by its own header line, so a column that is no year ("verschil") stays."""
    lines = text[table.start:table.end].split("\n")
    header = lines[0].strip().split("\t")
    if table.start == table.rows[0].start or "\t" not in lines[0] or not all("\t" in text[r.start:r.end] for r in table.rows):
        return None
    if re.fullmatch(r"(?:19|20)\d\d", header[0].strip()):
        header = ["", *header]
    body = []
    for row in table.rows:
        cells = [plain(c).strip() for c in text[row.start:row.end].strip().split("\t")]
        if len(cells) != len(header):
            return None
        body.append((plain(row.label), tuple(cells[1:]), hit(row)))
    return Grid(table.title, tuple(plain(c).strip() for c in header[1:]), tuple(body))


def row_quote(text: str, spans: list[tuple[int, int]]) -> str | None:
    """A quote that is table rows only, readable: "Klachten, Tijdige afhandeling klachten (streefwaarde
    90%): 2011: 91%, 2012: 83%" (rows of several tables joined by "; "). None when the spans hold prose."""
    found = tables(text)
    if not spans or not all(any(t.start <= s and e <= t.end for t in found) for s, e in spans):
        return None
    parts = [f"{t.title}, {plain(r.label)}: " + ", ".join(f"{c.year}: {c.as_written}" for c in r.cells)
             for t in found for r in t.rows if touches(text, r, spans)]
    return "; ".join(parts) or None
