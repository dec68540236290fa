"""A passage's tables for reading and quoting: which spans are tables (title line and rows), and
the marked rows as a quote a reader can paste ("Klachten, Tijdige afhandeling klachten: 2011: 91%,
2012: 83%"), read as kb.figures reads them. A torn table's verbatim quote runs from a row's label
down to its values, over every other label; this one says the row. Pure functions over strings."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .cite import one_paragraph, plain
from .figures import Row, table_rows
from .records import Passage
from .units import is_ranked, ranked_at

ACRONYMS = {"IND", "EU", "VN", "BRP", "COA", "DT&V", "KMar", "MVV", "TEV"}


@dataclass(frozen=True)
class Table:
    """A table block of a passage: its span (title line included) and the rows kb read in it."""

    start: int
    end: int
    title: str
    rows: tuple[Row, ...]


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


def quoted(passage: Passage, limit: int | None = None) -> str:
    """The passage's quote as pasted: prose in quotation marks (its wording is the report's),
    a table row said readably bare (it is not); past `limit` characters cut at a word, " …"."""
    row = row_quote(passage.chunk.text, passage.highlights)
    text = row or one_paragraph(passage.quote)
    text = cut(text, limit) if limit is not None else text
    return text if row else f"“{text}”"


def cut(text: str, limit: int) -> str:
    """`text`, or past `limit` characters its words up to there and " …"."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def pasteable_quote(passage: Passage) -> str:
    """What a reader pastes of a passage: its marked table rows said readably ("Klachten, Aantal
    ontvangen: 2016: 1.540, 2015: 1.340"), not a torn row's lines from its label to its values;
    else its quote as one clean paragraph. The app's cards and `kb compare` both say it so."""
    return row_quote(passage.chunk.text, passage.highlights) or one_paragraph(passage.quote)


def row_quote(text: str, spans: list[tuple[int, int]]) -> str | None:
    """A quote that is table rows only, readable: "Klachten, Tijdige afhandeling klachten (streefwaarde
    90%): 2011: 91%, 2012: 83%" (rows of several tables joined by "; "), or a torn top-N list's row
    (_ranked_quote). None when the spans hold prose."""
    found = tables(text)
    if not spans or not all(any(t.start <= s and e <= t.end for t in found) for s, e in spans):
        return _ranked_quote(text, spans)
    parts = [f"{t.title}, {plain(r.label)}: " + ", ".join(f"{c.year}: {c.as_written}" for c in r.cells)
             for t in found for r in t.rows if touches(text, r, spans)]
    return "; ".join(parts) or None


def _ranked_quote(text: str, spans: list[tuple[int, int]]) -> str | None:
    """A marked torn top-N list row said readably: "Top 3 nationaliteiten asiel 1e inwilligingen,
    2. Iraakse: aantal 1.400, percentage 17%"; None for other spans."""
    found = ranked_at(text, spans[0]) if len(spans) == 3 and is_ranked(text[spans[0][0]:spans[0][1]]) else None
    if not found:
        return None
    lst, value = found
    title = " ".join(" ".join(ln[2].split()) for ln in lst.title)
    names, values = lst.header[2].split(), value[2].split()
    cells = ", ".join(f"{n} {v}" for n, v in zip(names, values)) if len(names) == len(values) else " ".join(values)
    row = " ".join(text[spans[0][0]:spans[0][1]].split())
    return f"{title}, {row}: {cells}" if title else f"{row}: {cells}"
