"""Figures stage: every table row of a report as facts (measure, year, value), linked into series.

Three table shapes occur: tab-separated rows under a header of years (2012, Markdown), a
capitalised title with its years followed by "label value value" rows (2016, "De cijfers"), and
a PDF table torn into a column of bullet labels, a header of years and the value rows (2011).
A value's year is always the year of its column, never the report's own year; a column that is
not a year ("verschil", "streven") yields no fact.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import is_year_header

VALUE = r"(?:€\s?)?[-+]?\d+(?:\.\d{3})*(?:,\d+)?(?:\s?%|\s?(?:mln|milj\.?|miljoen|mld|miljard)(?!\w)|\s?ft\s?e\b)?"
_VALUE = re.compile(VALUE)
_YEAR_CELL = re.compile(r"(?:19|20)\d\d")
_CAPS_HEADER = re.compile(r"^[ \t]*(?P<title>[A-ZÀ-Ý][A-ZÀ-Ý &'’()/-]*[A-ZÀ-Ý)])[ \t]+(?P<years>(?:(?:19|20)\d\d[ \t]*)+)$")
MAX_ROW = 300  # characters; a longer line is prose, not a table row
_SCALE = {"mln": 1e6, "milj": 1e6, "milj.": 1e6, "miljoen": 1e6, "mld": 1e9, "miljard": 1e9}
Span = tuple[int, int]


@dataclass(frozen=True)
class Cell:
    year: int
    as_written: str
    value: float
    unit: str


@dataclass(frozen=True)
class Row:
    """One table row: its table's title, its label and a value per year column; spans in `text`."""

    table: str
    label: str
    cells: tuple[Cell, ...]
    start: int
    end: int


REALISED = frozenset({"realisatie", "gerealiseerd", "realised", "actual"})  # a column header: the year's own figure


def parse_value(written: str) -> tuple[float, str] | None:
    """Dutch figures: "4.750" -> 4750, "83%" -> (83, "%"), "€ 450,2 mln" -> (450200000, "€")."""
    s = written.strip()
    if not re.fullmatch(VALUE, s):
        return None
    unit = "€" if s.startswith("€") else "%" if s.endswith("%") else "fte" if re.search(r"ft\s?e$", s) else ""
    number = re.search(r"[-+]?\d+(?:\.\d{3})*(?:,\d+)?", s).group()
    value = float(number.replace(".", "").replace(",", "."))
    scale = re.search(r"(mln|milj\.?|miljoen|mld|miljard)$", s)
    return value * (_SCALE[scale.group(1)] if scale else 1.0), unit


def _cells(years: list[int], written: list[str]) -> tuple[Cell, ...]:
    cells = []
    for year, w in zip(years, written):
        w = re.sub(r"</?\w+>", "", w)  # "<i>218.700</i>": markup around a total
        parsed = parse_value(w)
        if year and parsed:
            cells.append(Cell(year, w.strip(), *parsed))
    return tuple(cells)


def clean_label(label: str) -> str:
    """The row label without bullets, markup, footnote stars and runs of spaces."""
    label = re.sub(r"</?\w+>", "", label)
    label = re.sub(r"^[\s•·▪*-]+", "", label)
    return " ".join(label.rstrip(" *").split())


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def tab_rows(text: str, year: int = 0) -> list[Row]:
    """Rows of tab-separated tables whose header names years: "Klachten<TAB>2011<TAB>2012"; or,
    given the year the report is about, a header without years whose column of what was realised
    is that year's: "Doorlooptijden<TAB>realisatie<TAB>streven<TAB>verschil" in the 2012 results."""
    rows: list[Row] = []
    lines = _lines(text)
    i = 0
    while i < len(lines):
        head = lines[i][1].split("\t")
        if _YEAR_CELL.fullmatch(head[0].strip()):
            head = ["", *head]  # a header without a title cell: its first cell is a year column
        years = [int(c.strip()) if _YEAR_CELL.fullmatch(c.strip()) else 0 for c in head]
        if not any(years) and year:
            years = [year if c.strip().lower() in REALISED else 0 for c in head]
        if "\t" not in lines[i][1] or not any(years):
            i += 1
            continue
        table = clean_label(head[0]) or _title_above(lines, i)
        i += 1
        while i < len(lines) and "\t" in lines[i][1]:
            pos, line = lines[i]
            cells = line.split("\t")
            found = _cells(years[1:], cells[1:])
            if found:
                rows.append(Row(table, clean_label(cells[0]), found, pos, pos + len(line.rstrip())))
            i += 1
    return rows


def _title_above(lines: list[tuple[int, str]], i: int) -> str:
    """The nearest non-empty line above a table without a title cell (a heading, mostly)."""
    for _, line in reversed(lines[max(0, i - 4):i]):
        if line.strip():
            return clean_label(line.lstrip("#"))
    return ""


def caps_rows(text: str) -> list[Row]:
    """Rows under a capitalised title with years: "KLACHTEN 2016 2015" / "Aantal ontvangen 1.540 1.340"."""
    rows: list[Row] = []
    lines = _lines(text)
    for i, (_, line) in enumerate(lines):
        head = _CAPS_HEADER.match(line)
        if not head:
            continue
        years = [int(y) for y in head.group("years").split()]
        row_re = re.compile(rf"^(?P<label>.*?[^\W\d_].*?)[ \t]+(?P<values>{VALUE}(?:[ \t]+{VALUE}){{{len(years) - 1}}})[ \t]*$")
        for pos, row_line in lines[i + 1:]:
            if not row_line.strip():
                continue
            m = row_re.match(row_line) if len(row_line) <= MAX_ROW else None  # bounds the regex's work
            if not m or _CAPS_HEADER.match(row_line):
                break
            found = _cells(years, _VALUE.findall(m.group("values")))
            rows.append(Row(clean_label(head.group("title")), clean_label(m.group("label")), found,
                            pos, pos + len(row_line.rstrip())))
    return rows


def torn_rows(text: str) -> list[Row]:
    """Rows of tables whose PDF text lists bullet labels first, then the years, then the values.

    The n-th label goes with the n-th value row; when the counts differ the table is skipped
    rather than risk a value under the wrong label."""
    rows: list[Row] = []
    lines = _lines(text)
    for i, (_, line) in enumerate(lines):
        if not is_year_header(line):
            continue
        years = [int(y) for y in line.split()]
        values = _value_rows(lines, i + 1, len(years))
        labels, title = _labels_above(lines, i)
        if values and len(labels) < len(values):  # a label torn away below the values (2011)
            labels += _labels_below(lines, values[-1], len(values) - len(labels))
        if not values or len(labels) != len(values):
            continue
        for (lpos, label), (vpos, vline) in zip(labels, values):
            found = _cells(years, _VALUE.findall(vline))
            start, end = min(lpos, vpos), max(lpos + len(label.rstrip()), vpos + len(vline.rstrip()))
            rows.append(Row(title, clean_label(label), found, start, end))
    return rows


def _value_rows(lines: list[tuple[int, str]], i: int, n: int) -> list[tuple[int, str]]:
    out = []
    for pos, line in lines[i:]:
        if not line.strip():
            continue
        if len(_VALUE.findall(line)) != n or re.sub(VALUE, "", line).strip():
            break
        out.append((pos, line))
    return out


def _is_bullet(line: str) -> bool:
    return line.lstrip().startswith(("•", "·", "▪"))


def _is_label_line(line: str) -> bool:
    """A line of a torn table's label column: blank, a bullet, or a short line that is no sentence."""
    s = line.strip()
    return not s or _is_bullet(s) or (len(s) <= 60 and not s.endswith(".") and not _VALUE.fullmatch(s.split()[0]))


def _labels_above(lines: list[tuple[int, str]], i: int) -> tuple[list[tuple[int, str]], str]:
    """The bullet labels of the label column above line i (wrapped labels joined), and its title."""
    j = i - 1
    while j >= 0 and _is_label_line(lines[j][1]) and not is_year_header(lines[j][1]):
        j -= 1
    block = [(p, s.strip()) for p, s in lines[j + 1:i] if s.strip()]
    first = next((k for k, (_, s) in enumerate(block) if _is_bullet(s)), None)
    if first is None:
        return [], ""
    title = clean_label(block[first - 1][1]) if first else clean_label(lines[j][1]) if j >= 0 else ""
    labels: list[tuple[int, str]] = []
    for k in range(first, len(block)):
        pos, s = block[k]
        if _is_bullet(s):
            labels.append((pos, s))
        elif re.match(r"Totaal\b", s):
            labels.append((pos, s))  # the sum row has no bullet
        elif _is_bullet(block[k - 1][1]) and (s[0].islower() or labels[-1][1].count("(") > labels[-1][1].count(")")
                                                 or k == len(block) - 1):
            labels[-1] = (labels[-1][0], f"{labels[-1][1]} {s}")  # a label wrapped onto the next line
        else:
            break  # the label column of a second table ("Top 3 nationaliteiten ...")
    return labels, title


def _labels_below(lines: list[tuple[int, str]], last_value: tuple[int, str], wanted: int) -> list[tuple[int, str]]:
    """Bullet labels that the PDF text put after the values, past a footnote; at most `wanted`."""
    at = next(k for k, ln in enumerate(lines) if ln[0] == last_value[0])
    found: list[tuple[int, str]] = []
    in_note = False
    for pos, line in lines[at + 1:at + 12]:
        s = line.strip()
        in_note = s.startswith("*") or (in_note and bool(s))  # a footnote runs to the blank line
        if _is_bullet(s):
            found.append((pos, line))
        elif s and (found or not in_note):
            break
    return found if len(found) == wanted else []


def table_rows(text: str, year: int = 0) -> list[Row]:
    """All table rows of a document, in text order; a row found by two shapes is kept once.
    `year`: the year the report is about, for a column of what was realised (tab_rows)."""
    seen: set[int] = set()
    rows = []
    for row in sorted(tab_rows(text, year) + caps_rows(text) + torn_rows(text), key=lambda r: r.start):
        if row.start not in seen and row.cells:
            seen.add(row.start)
            rows.append(row)
    return rows
