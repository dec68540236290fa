"""A passage's tables laid out for the app: each table as a grid whose columns are the header's
years (or a tab header's own cells), the rows the answer marks marked. Built on kb.tables, so a
card shows the table kb read; a block that cannot be laid out with confidence is left to be shown
as lines of text. Pure functions over strings."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kb.cite import plain
from kb.figures import Row
from kb.tables import Table, touches
from kb.units import RankedList


@dataclass(frozen=True)
class Grid:
    """A table laid out: column names after the label column, one (label, cells, answers) per row."""

    title: str
    columns: tuple[str, ...]
    body: tuple[tuple[str, tuple[str, ...], bool], ...]


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


def ranked_grid(lst: RankedList, spans: list[tuple[int, int]]) -> Grid | None:
    """A torn top-N list as a grid: its rows ("1. Indiase") with the values under its own header
    ("aantal", "percentage"), the row a span touches (its label or its values) marked; None when a
    value row does not fill the header's columns."""
    columns = tuple(lst.header[2].split())
    body = []
    for label, value in zip(lst.rows, lst.values):
        cells = tuple(value[2].split())
        if len(cells) != len(columns):
            return None
        hit = any(s < e2 and s2 < e for s, e in spans for s2, e2 in ((label[0], label[1]), (value[0], value[1])))
        body.append((" ".join(label[2].split()), cells, hit))
    return Grid(" ".join(" ".join(ln[2].split()) for ln in lst.title), columns, tuple(body))
