"""Units of a passage: the sentences of its prose and the lines of its tables, as spans.

What the answer stage marks and what gets a sentence vector at build time. Pure text work.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import BULLETS, is_numeric_line, is_table_line, is_torn_label, is_year_header
from .lexical import WORD, normalize, word_terms

_OPENER = r"[\"'‘“(]?[A-ZÀ-Ý0-9•]"  # what opens a sentence or a row: a capital, a digit or a bullet, maybe quoted
_SENTENCE_END = re.compile(rf"(?<=[.!?])(?P<close>[\"'’”)]*)\s+(?={_OPENER})")  # a sentence keeps its closing marks
Span = tuple[int, int]
Line = tuple[int, int, str]  # a line of a text: its start, its end and itself
FIGURE = re.compile(r"(?<![\d.,])(?!(?:19|20)\d\d(?!\d|[.,]\d))\d")  # a digit that does not start a year ("in 2011." too)
TORN_REACH = 3000  # characters around a torn table's label its header and values are looked for in
# A table row: two values at its end ("Inwilligingen (76% TEV + 84% VVR) 78% 81%"). A wrapped line
# of prose ending in one figure ("... is in 2011") is none, nor a bullet item's title ("• Studie").
_TWO_VALUES = re.compile(r"\d[\d.,]*\s?%?\s+[-+]?€?\s?\d[\d.,]*\s?%?\s*$")
# A news item's dated title, on its own line above its text: "6/10 Meer nareizigers", "14/3-18/3 ILO-conferentie 2016".
_DATED_TITLE = re.compile(r"^\s*\d{1,2}/\d{1,2}(?:\s?-\s?\d{1,2}/\d{1,2})?\s+[A-ZÀ-Ý‘'\"][^.!?]*$")
_OPENS_UNIT = re.compile(rf"\s*{_OPENER}")
_RANKED = re.compile(r"^\s*\d{1,2}\.\s+(?=\S)")  # "3. Japanse": a row of a numbered top-N list
_WORD_HEADER = re.compile(r"\s*[a-zà-ÿ]+(?:\s+[a-zà-ÿ]+){0,3}\s*")  # a torn list's own header: "aantal percentage"
_TABLE_TITLE = re.compile(r"^[A-ZÀ-Ýa-zà-ý][\w &'’/*-]*(?:[ \t]+(?:19|20)\d\d)+\s*$")  # "KLACHTEN 2016 2015"


def answer_units(text: str, finder: re.Pattern | None = None) -> list[Span]:
    """Sentences of prose and lines of tables, as (start, end) spans of `text`. With a
    `finder`, only the first block and the blocks whose lower-cased text it finds something
    in are cut: no other unit can score (see highlight)."""
    units: list[Span] = []
    pos, first = 0, True
    for block in re.split(r"(\n[ \t]*\n)", text):
        if block.strip() and not block.startswith("\n"):
            if first or finder is None or finder.search(block.lower()):
                units.extend(_block_units(block, pos))
            first = False
        pos += len(block)
    return [(s, e) for s, e in units if text[s:e].strip()]


def word_finder(text: str, query_terms: set[str]) -> re.Pattern:
    """A pattern for the distinct words of `text` (lower-cased) that give one of the query's
    terms. Built from the text's own words, escaped, never from the question; it matches
    inside longer words too, so it may find more units than score, never fewer."""
    found = set()
    for word in set(WORD.findall(text.lower())):
        terms = word_terms(word if word.isascii() else normalize(word))
        if query_terms.intersection(terms):
            found.add(word)
    # (?!) matches nothing: no word of the text meets the query
    return re.compile("|".join(map(re.escape, sorted(found, key=len, reverse=True))) or "(?!)")


def _block_units(block: str, offset: int) -> list[Span]:
    lines = block.split("\n")
    if (len(lines) > 1 and all(is_table_line(line) or is_ranked(line) for line in lines)) or is_ranked(block):
        return _line_spans(block, offset)  # a numbered list's row is a row, not "3." and a sentence
    rows = next((i for i, line in enumerate(lines) if not (_row_line(line) or _DATED_TITLE.match(line))), 0)
    if rows and _OPENS_UNIT.match(lines[rows]):  # rows or a news item's title run into the prose after them: apart
        head = "\n".join(lines[:rows])
        return _line_spans(head, offset) + _sentence_spans(block[len(head) + 1:], offset + len(head) + 1)
    return _sentence_spans(block, offset)


def _row_line(line: str) -> bool:
    """A row of a table that runs into the prose under it without a blank line."""
    s = line.strip()
    return is_table_line(s) and ("\t" in s or bool(_TWO_VALUES.search(s)))


def _line_spans(block: str, offset: int) -> list[Span]:
    spans, pos = [], offset
    for line in block.split("\n"):
        spans.append(strip_span(line, pos))
        pos += len(line) + 1
    return spans


def _sentence_spans(block: str, offset: int) -> list[Span]:
    spans, pos = [], 0
    for m in _SENTENCE_END.finditer(block):
        spans.append(strip_span(block[pos:m.end("close")], offset + pos))
        pos = m.end()
    spans.append(strip_span(block[pos:], offset + pos))
    return spans


def strip_span(piece: str, offset: int) -> Span:
    lead = len(piece) - len(piece.lstrip())
    return offset + lead, offset + len(piece.rstrip())




def can_answer(unit: str) -> bool:
    """A sentence, a table row with a figure or a bulleted row label (its figures may stand
    apart, in a torn PDF table); never a heading or a table title. A news item's dated title
    may answer when ("19/1 Koning Willem-Alexander bezoekt Ter Apel")."""
    s = unit.strip()
    if s.startswith("#") or _TABLE_TITLE.match(s):
        return False
    words = [w for w in re.findall(r"[^\W\d_]{2,}", s)]
    figures = _RANKED.sub("", s, count=1)  # a list row's number is no figure
    return len(words) >= 4 or (len(words) >= 1 and (bool(FIGURE.search(figures)) or s.startswith(BULLETS)))


def can_answer_at(text: str, unit: Span) -> bool:
    """can_answer, or a torn top-N list's row ("3. Japanse"), whose values stand apart."""
    row = text[unit[0]:unit[1]]
    return can_answer(row) or (is_ranked(row) and bool(torn_row(text, unit)))


def can_mark_at(text: str, unit: Span) -> bool:
    """can_answer_at, and no sentence asking ("Vraagt iemand die nareist zelf asiel aan?"): a
    report asks what it is about to answer, so such a sentence meets a question best and answers
    it never. It keeps its vector (the passage asking a question is the one answering it) but is
    not marked."""
    return can_answer_at(text, unit) and not text[unit[0]:unit[1]].strip().rstrip("’'\"”)").endswith("?")


def is_ranked(line: str) -> bool:
    """A short numbered list row: "3. Japanse"."""
    return bool(_RANKED.match(line)) and is_torn_label(line)


def with_header(text: str, units: list[Span], i: int) -> str:
    """A table row with its title or header line: "Aantal ontvangen 1.540" is about KLACHTEN; a
    torn table's label with its header and values: "• Aantal aanvragen vvr 2011 2010 3.800 3.300"."""
    header = tab_header(text, units, i) or title_header(text, units, i)
    row = text[units[i][0]:units[i][1]]
    if header:
        return f"{text[header[0]:header[1]]} {row}"
    if row.rsplit("\n", 1)[-1].lstrip().startswith(BULLETS) and not FIGURE.search(row):
        torn = [text[s:e] for s, e in torn_row(text, units[i])]
        if torn:  # every row with the table's title, as the first row already has it
            title = _torn_title(text, units, i)
            lead = [title] if title and not row.startswith(title) else []
            return " ".join([*lead, row, *torn])
    if is_ranked(row) and not FIGURE.search(_RANKED.sub("", row, count=1)):
        found = ranked_at(text, units[i])
        if found:  # "Top 3 nationaliteiten ... 3. Japanse aantal percentage 350 6%"
            lst, value = found
            return " ".join([*(ln[2].strip() for ln in lst.title), row, lst.header[2].strip(), value[2].strip()])
    return row


def _torn_title(text: str, units: list[Span], i: int) -> str:
    """The title line above a torn table's bullet rows ("Arbeidsmigranten"), or ""."""
    while i > 0 and text[units[i][0]:units[i][1]].lstrip().startswith(BULLETS):
        i -= 1
    title = text[units[i][0]:units[i][1]].split("\n", 1)[0].strip()
    return title if not title.startswith(BULLETS) and is_torn_label(title) else ""


def title_header(text: str, units: list[Span], row: int) -> Span | None:
    """For a row of a table printed as "TITLE 2016 2015" then "label value value" lines, the title
    line above it (only table rows between them)."""
    if not is_table_line(text[units[row][0]:units[row][1]]) or not FIGURE.search(text[units[row][0]:units[row][1]]):
        return None
    for i in range(row - 1, -1, -1):
        line = text[units[i][0]:units[i][1]]
        if _TABLE_TITLE.match(line.strip()):
            return units[i]
        if not is_table_line(line) or "\n" in line.strip():
            return None
    return None


def tab_header(text: str, units: list[Span], row: int) -> Span | None:
    """The first line of the tab-separated table that unit `row` belongs to, if it is another line."""
    if "\t" not in text[units[row][0]:units[row][1]]:
        return None
    first = row
    while first > 0 and "\t" in text[units[first - 1][0]:units[first - 1][1]] \
            and "\n\n" not in text[units[first - 1][1]:units[first][0]]:
        first -= 1
    return units[first] if first != row else None


def vector_units(text: str) -> list[tuple[Span, str]]:
    """The units of a chunk that get a vector at build time (those that can answer), each with
    the text embedded: a table row with its title or header line."""
    units = answer_units(text)
    return [(units[i], with_header(text, units, i)) for i in range(len(units)) if can_answer_at(text, units[i])]


def torn_row(text: str, label: Span) -> list[Span]:
    """For a table whose PDF text lists the labels first and the value rows after (2011), the
    header and value row that belong to `label`: pairs the n-th label with the n-th value row,
    or the n-th row of a top-N list printed under such a table with the n-th row under its own
    header (ranked_list). Read within TORN_REACH characters of the label: a whole report may be
    highlighted."""
    lines, at = _lines_around(text, label)
    if at is None or is_numeric_line(lines[at][2]):
        return []
    if _RANKED.match(lines[at][2]) and (lst := ranked_list(lines, at)):
        return [strip_span(ln[2], ln[0]) for ln in (lst.header, lst.value_of(lines[at]))]
    lo = hi = at
    while lo > 0 and is_table_line(lines[lo - 1][2]):
        lo -= 1
    while hi + 1 < len(lines) and (is_table_line(lines[hi + 1][2]) or is_torn_label(lines[hi + 1][2])):
        hi += 1  # down past the labels that are no rows ("Overig", "Totaal") to the header and values
    region = [ln for ln in lines[lo:hi + 1] if ln[2].strip()]
    labels = [ln for ln in region if not is_numeric_line(ln[2])]
    if any(ln[2].lstrip().startswith("•") for ln in labels):  # bullets mark the rows; the rest are titles
        labels = [ln for ln in labels if ln[2].lstrip().startswith("•")]
    headers = [ln for ln in region if is_year_header(ln[2])]
    if len(headers) != 1 or lines[at] not in labels:
        return []
    values = _value_rows(region, region.index(headers[0]) + 1)
    if len(values) != len(labels):
        return []
    row = values[labels.index(lines[at])]
    return [strip_span(headers[0][2], headers[0][0]), strip_span(row[2], row[0])]


def _lines_around(text: str, label: Span) -> tuple[list[Line], int | None]:
    """The lines within TORN_REACH of a label, as (start, end, line), and the index of the label's last line."""
    lo_at = text.rfind("\n", 0, max(0, label[0] - TORN_REACH)) + 1
    hi_at = text.find("\n", min(len(text), label[1] + TORN_REACH))
    lines, pos = [], lo_at
    for line in text[lo_at:hi_at if hi_at >= 0 else len(text)].split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    last = max(label[0], label[1] - 1)  # a label's last line: a unit may open with the table's title
    return lines, next((i for i, (s, e, _) in enumerate(lines) if s <= last < e + 1), None)


@dataclass(frozen=True)
class RankedList:
    """A top-N list printed torn after a torn table's labels ("Top 3 nationaliteiten ...", "1.
    Indiase", "2. ...", "Overig", "Totaal"), whose values follow the table's under a header of
    their own ("aantal percentage"): its title, that header, and its rows with their value rows."""

    title: tuple[Line, ...]
    header: Line
    rows: tuple[Line, ...]
    values: tuple[Line, ...]

    def value_of(self, row: Line) -> Line:
        return self.values[self.rows.index(row)]


def ranked_list(lines: list[Line], at: int) -> RankedList | None:
    """The top-N list that row `at` ("3. Japanse") belongs to, or None."""
    body = [i for i, ln in enumerate(lines) if ln[2].strip()]
    first = at
    while first > 0 and (not lines[first - 1][2].strip() or _RANKED.match(lines[first - 1][2])):
        first -= 1
    first = next(i for i in body if i >= first)
    if not lines[first][2].lstrip().startswith("1."):
        return None
    rows, k = [], body.index(first)
    while k < len(body) and not is_numeric_line(lines[body[k]][2]) and is_torn_label(lines[body[k]][2]):
        rows.append(lines[body[k]])  # the numbered rows, then "Overig", "Totaal", down to the table's year header
        k += 1
    if k == len(body) or not is_year_header(lines[body[k]][2]):
        return None
    k += 1
    while k < len(body) and is_numeric_line(lines[body[k]][2]) and not is_year_header(lines[body[k]][2]):
        k += 1  # the table's own values
    if k == len(body) or not _WORD_HEADER.fullmatch(lines[body[k]][2]):
        return None
    values = _value_rows([lines[i] for i in body], k + 1)
    if len(values) != len(rows) or lines[at] not in rows:
        return None
    above = [lines[i] for i in body[:body.index(first)][-3:]]
    opens = [j for j, ln in enumerate(above) if ln[2].strip()[:1].isupper()]  # a title opens capitalised
    title = above[opens[-1]:] if opens else []  # a wrapped label above it opens in lower case
    return RankedList(tuple(title), lines[body[k]], tuple(rows), tuple(values))


def ranked_at(text: str, row: Span) -> tuple[RankedList, Line] | None:
    """The top-N list the row at `row` belongs to, with that row's value line; None for another unit."""
    lines, at = _lines_around(text, row)
    lst = ranked_list(lines, at) if at is not None else None
    return (lst, lst.value_of(lines[at])) if lst else None


def ranked_lists(text: str) -> list[RankedList]:
    """Every torn top-N list of a text, found from its first row."""
    found = []
    for m in re.finditer(r"(?m)^[ \t]*1\.[ \t]+\S.*$", text):
        if is_ranked(m.group()):
            lines, at = _lines_around(text, (m.start(), m.end()))
            if at is not None and (lst := ranked_list(lines, at)):
                found.append(lst)
    return found


def _value_rows(region: list[Line], start: int) -> list[Line]:
    """The value rows right under a torn table's year header, up to the next line that is not
    one: a second table's own header ("aantal percentage") and rows may follow in the region."""
    rows = []
    for line in region[start:]:
        if not is_numeric_line(line[2]) or is_year_header(line[2]):
            break
        rows.append(line)
    return rows
