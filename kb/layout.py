"""Layout stage of PDF reading: the text runs of each page with their boxes (from the PDF worker)
into one text in reading order.

- Columns: a page is cut recursively (an XY cut) at the widest empty vertical strip whose two
  sides both read as text columns (else at one where text columns meet elsewhere in the
  document: a table beside text), else between lines; the pieces are read left to right, top to
  bottom. A heading that spans the columns but is narrower than one (the right column empty
  beside it, with text above and below) ends a band: the columns above it are read first; so
  does a table or text below both columns, where they end at about the same height. A table's columns are not text columns (its cells are short and
  stand several to a line), so a table is read row by row.
- Running headers, footers and page numbers: a line at the top or bottom edge of a page whose
  text, digits aside, or a worded piece of it (the report's title beside its chapter's), stands at
  that edge on at least half of the pages (two at least), or of the odd or the even pages (left
  and right pages alternate), is left out; the page it stood on stays known (each page's text
  starts where the page does).
- Table rows: runs on one line far apart are cells, joined by a tab; a cell wrapped over lines is
  joined back into its row.
- Paragraphs: a wider gap than the page's usual line gap, or a change of type size, starts a new
  paragraph (a blank line). A sentence that runs over a column or page break is joined to its
  continuation by a plain line break, so cleaning repairs a word hyphenated there.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

CELL_GAP = 0.6  # a gap wider than this many line heights between runs on a line is a cell border
MIN_GUTTER = 0.8  # an empty vertical strip this many line heights wide may separate columns
MIN_COLUMN = 0.15  # a text column is at least this share of the page width
EDGE = 0.15  # running lines stand in this share of the page height at the top or the bottom
EDGE_ROWS = 2  # the lines nearest each edge that may be running lines
PARAGRAPH_GAP = 0.35  # line heights beyond the usual line gap that make a paragraph break
HEADING_SIZE = 1.12  # a line this much taller than the body's lines is a heading
_SENTENCE_END = re.compile(r"[.!?:;)”\"’]$")


@dataclass(frozen=True)
class Run:
    """Text on one line with its box, in points from the top left of the page."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


@dataclass
class Row:
    """The runs of one line, left to right."""

    runs: list[Run] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.runs)

    @property
    def height(self) -> float:
        return statistics.median(r.height for r in self.runs)

    @property
    def text(self) -> str:
        out = self.runs[0].text
        for prev, run in zip(self.runs, self.runs[1:]):
            out += ("\t" if run.x0 - prev.x1 > CELL_GAP * self.height else " ") + run.text
        return out


@dataclass
class Page:
    width: float
    height: float
    runs: list[Run]


def pages_from_worker(pages: list[dict]) -> list[Page]:
    return [Page(p["width"], p["height"], [Run(*s) for s in p["segments"]]) for p in pages]


def rows_of(runs: list[Run]) -> list[Row]:
    """Group runs into lines: a run whose middle lies within a line's height joins it."""
    rows: list[Row] = []
    for run in sorted(runs, key=lambda r: ((r.top + r.bottom) / 2, r.x0)):
        middle = (run.top + run.bottom) / 2
        if rows and rows[-1].top <= middle <= rows[-1].bottom:
            rows[-1].runs.append(run)
        else:
            rows.append(Row([run]))
    for row in rows:
        row.runs.sort(key=lambda r: r.x0)
    return rows


def _gaps(intervals: list[tuple[float, float]], min_width: float) -> list[tuple[float, float]]:
    """Empty stretches between the merged intervals, at least `min_width` wide."""
    gaps, reach = [], None
    for start, end in sorted(intervals):
        if reach is not None and start - reach >= min_width:
            gaps.append((reach, start))
        reach = end if reach is None else max(reach, end)
    return gaps


def is_text_column(runs: list[Run], page_width: float) -> bool:
    """Wide enough, and a quarter of its lines at least are prose: one run of several words from
    its left edge across most of its width (a table's cells stand several to a line, a column of
    figures has no prose, and text further right is another column)."""
    left = min(r.x0 for r in runs)
    width = max(r.x1 for r in runs) - left
    if width < MIN_COLUMN * page_width:
        return False
    rows = rows_of(runs)
    prose = sum(len(row.runs) == 1 and len(row.runs[0].text.split()) >= 3 and row.runs[0].x0 - left < row.height
                and row.runs[0].x1 - row.runs[0].x0 >= 0.5 * width for row in rows)
    return prose * 4 >= len(rows)


def _vertical_cut(runs: list[Run], page_width: float, gutters: list[float]) -> tuple[list[Run], list[Run]] | None:
    """The widest empty vertical strip with a text column on either side (its middle is added to
    `gutters`); else one where text columns met elsewhere in the document, a table or a figure
    beside the text (both sides wide enough)."""
    height = statistics.median(r.height for r in runs)
    gaps = sorted(_gaps([(r.x0, r.x1) for r in runs], MIN_GUTTER * height), key=lambda g: g[0] - g[1])
    sides = [([r for r in runs if r.x1 <= start], [r for r in runs if r.x0 >= end]) for start, end in gaps]
    for (start, end), (left, right) in zip(gaps, sides):
        if is_text_column(left, page_width) and is_text_column(right, page_width):
            gutters.append((start + end) / 2)
            return left, right
    for (start, end), (left, right) in zip(gaps, sides):
        wide = min(_width(left), _width(right)) >= MIN_COLUMN * page_width
        if wide and any(start <= g <= end for g in gutters):
            return left, right
    return None


def _width(runs: list[Run]) -> float:
    return max(r.x1 for r in runs) - min(r.x0 for r in runs)


def _horizontal_cut(runs: list[Run]) -> list[list[Run]] | None:
    gaps = _gaps([(r.top, r.bottom) for r in runs], 0.01)
    if not gaps:
        return None
    start, end = max(gaps, key=lambda g: g[1] - g[0])
    return [[r for r in runs if r.bottom <= start], [r for r in runs if r.top >= end]]


def _spanning_top(left: list[Run], right: list[Run]) -> float | None:
    """The top of the first line on the left that spans the columns though it is narrower than the
    left one (a heading): the right column is empty beside it, a line's height around it, has
    text above it, and both columns go on below it at the same height. None when there is none."""
    rows = rows_of(left)
    for row, after in zip(rows, rows[1:]):
        pad = 0.5 * row.height
        beside = any(r.top < row.bottom + pad and r.bottom > row.top - pad for r in right)
        below = [r.top for r in right if r.top >= row.bottom]
        if not beside and below and any(r.bottom <= row.top for r in right) and abs(min(below) - after.top) <= pad:
            return row.top
    return None


def _band_below(left: list[Run], right: list[Run]) -> float | None:
    """The top of the first line on the left that stands below both columns when they end at
    about the same height (balanced, as a column section ends), after a gap wider than a line: a
    table or text set below the columns, narrower than the left one. None when there is none."""
    rows, end = rows_of(left), max(r.bottom for r in right)
    for row, after in zip(rows, rows[1:]):
        if after.top >= end and after.top - row.bottom > after.height and abs(row.bottom - end) <= 1.5 * after.height:
            return after.top
    return None


def _cut(runs: list[Run], page_width: float, gutters: list[float]) -> list[list[Run]] | None:
    """The pieces of a part in reading order: its columns, unless a heading spanning them or a
    band below them starts a new band (then the columns above it, then the rest); else its first
    line and the rest."""
    columns = _vertical_cut(runs, page_width, gutters)
    if columns is None:
        return _horizontal_cut(runs)
    at = _spanning_top(*columns) or _band_below(*columns)
    if at is None:
        return list(columns)
    above = [[r for r in side if r.bottom <= at] for side in columns]
    return [piece for piece in above if piece] + [[r for r in runs if r.bottom > at]]


def reading_order(runs: list[Run], page_width: float, gutters: list[float] | None = None) -> list[Row]:
    """The page's lines in reading order (an XY cut). `gutters`: where text columns meet in the
    document; the gutters found on this page are added to it."""
    gutters = [] if gutters is None else gutters
    out: list[Row] = []
    todo = [runs] if runs else []
    while todo:
        part = todo.pop()
        cut = _cut(part, page_width, gutters)
        if cut:
            todo.extend(reversed(cut))  # the first piece is read first
        else:
            out.extend(rows_of(part))
    return out


def _shape(text: str) -> str:
    """A running line's text with its page number (any digits) made alike."""
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def edge_rows(page: Page) -> list[tuple[str, Row]]:
    """("top" or "bottom", row) for the lines nearest the page's edges."""
    rows = rows_of(page.runs)
    top = [("top", r) for r in rows[:EDGE_ROWS] if r.bottom <= EDGE * page.height]
    bottom = [("bottom", r) for r in rows[-EDGE_ROWS:] if r.top >= (1 - EDGE) * page.height]
    return top + [b for b in bottom if b[1] not in [t[1] for t in top]]


def running_runs(pages: list[Page]) -> set[Run]:
    """The runs of lines at a page edge that repeat there: the whole line, or a piece of it with
    words (a header of the report's title and its chapter's), on at least half of the pages (two
    at least), or of the odd or of the even ones (left and right pages alternate headers)."""
    seen: dict[tuple[str, str, str], list[tuple[int, Row]]] = {}
    for number, page in enumerate(pages):
        for edge, row in edge_rows(page):
            pieces = [r.text for r in row.runs if len(re.findall(r"[^\W\d_]", r.text)) >= 3] if len(row.runs) > 1 else []
            for key in [(edge, "line", _shape(row.text)), *((edge, "piece", _shape(p)) for p in pieces)]:
                seen.setdefault(key, []).append((number, row))
    return {run for hits in seen.values() if _repeats({n for n, _ in hits}, len(pages))
            for _, row in hits for run in row.runs}


def _repeats(hit: set[int], count: int) -> bool:
    """Are the pages `hit` (numbers from 0, of `count`) half of all, or half of the odd or the even ones?"""
    def enough(pages: int) -> bool:
        return len(hit) >= max(2, (pages + 1) // 2)
    return enough(count) or any(all(n % 2 == side for n in hit) and enough(len(range(side, count, 2)))
                                for side in (0, 1))


def join_wrapped_cells(rows: list[Row]) -> list[Row]:
    """A table row whose first cell wraps: its next lines, alone under that cell, join it."""
    out: list[Row] = []
    for row in rows:
        prev = out[-1] if out else None
        if (prev and len(prev.runs) > 1 and len(row.runs) == 1 and 0 <= row.top - prev.bottom < row.height
                and abs(row.runs[0].x0 - prev.runs[0].x0) < row.height and row.runs[0].x1 < prev.runs[1].x0):
            first = prev.runs[0]
            prev.runs[0] = Run(first.x0, first.top, max(first.x1, row.runs[0].x1), max(first.bottom, row.bottom),
                               f"{first.text} {row.runs[0].text}")
            continue
        out.append(row)
    return out


def continues(before: str, after: str) -> bool:
    """Does the text after a column or page break go on with the sentence before it?"""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after:
        return False
    return before[-1] in "-\u2010\u2011\u00ad" or (not _SENTENCE_END.search(before) and after[0].islower())


def _break(prev: Row, row: Row, usual_gap: float, body_height: float) -> str:
    """The separator between two lines read one after the other: a line or a paragraph break."""
    below = row.top >= prev.bottom - 0.5 * row.height and row.runs[0].x0 < prev.runs[-1].x1
    if not below:  # a new column or band
        return "\n" if continues(prev.text, row.text) else "\n\n"
    if len(prev.runs) > 1 and len(row.runs) > 1:  # rows of one table
        return "\n"
    taller = max(prev.height, row.height) > HEADING_SIZE * body_height
    wide = row.top - prev.bottom > usual_gap + PARAGRAPH_GAP * row.height
    return "\n\n" if taller or wide else "\n"


def page_text(rows: list[Row]) -> str:
    """The lines of a page, in reading order, with line and paragraph breaks."""
    if not rows:
        return ""
    body = statistics.median(r.height for r in rows)
    gaps = [b.top - a.bottom for a, b in zip(rows, rows[1:]) if a.bottom <= b.top < a.bottom + 2 * body]
    usual = statistics.median(gaps) if gaps else 0.3 * body
    out = rows[0].text
    for prev, row in zip(rows, rows[1:]):
        out += _break(prev, row, usual, body) + row.text
    return out


def layout_pages(pages: list[Page]) -> list[str]:
    """Each page's body text in reading order, its running header, footer and number left out."""
    running = running_runs(pages)
    bodies = [[r for r in page.runs if r not in running] for page in pages]
    gutters: list[float] = []
    for page, body in zip(pages, bodies):  # first the document's column grid, from its text columns
        reading_order(body, page.width, gutters)
    return [page_text(join_wrapped_cells(reading_order(body, page.width, gutters)))
            for page, body in zip(pages, bodies)]


def page_separators(texts: list[str]) -> list[str]:
    """What goes between page i and page i+1: a line break where a sentence runs on, else a blank line."""
    return ["\n" if continues(a, b) else "\n\n" for a, b in zip(texts, texts[1:])]
