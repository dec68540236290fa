"""Units of a passage: the sentences of its prose and the lines of its tables, as spans.

What the answer stage marks and what gets a sentence vector at build time. Pure text work.
"""
from __future__ import annotations

import re

from .chunk import BULLETS, is_table_line
from .lexical import WORD, normalize, word_terms

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[\"'‘“(]?[A-ZÀ-Ý0-9•])")
Span = tuple[int, int]
FIGURE = re.compile(r"(?<![\d.,])(?!(?:19|20)\d\d(?!\d|[.,]\d))\d")  # a digit that does not start a year ("in 2011." too)
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
    if len(lines) > 1 and all(is_table_line(line) for line in lines):
        return _line_spans(block, offset)
    return _sentence_spans(block, offset)


def _line_spans(block: str, offset: int) -> list[Span]:
    spans, pos = [], offset
    for line in block.split("\n"):
        spans.append(strip_span(line, pos))
        pos += len(line) + 1
    return spans


def _sentence_spans(block: str, offset: int) -> list[Span]:
    spans, pos = [], 0
    for m in _SENTENCE_END.finditer(block):
        spans.append(strip_span(block[pos:m.start()], offset + pos))
        pos = m.end()
    spans.append(strip_span(block[pos:], offset + pos))
    return spans


def strip_span(piece: str, offset: int) -> Span:
    lead = len(piece) - len(piece.lstrip())
    return offset + lead, offset + len(piece.rstrip())




def can_answer(unit: str) -> bool:
    """A sentence, a table row with a figure or a bulleted row label (its figures may stand
    apart, in a torn PDF table); never a heading or a table title."""
    s = unit.strip()
    if s.startswith("#") or _TABLE_TITLE.match(s):
        return False
    words = [w for w in re.findall(r"[^\W\d_]{2,}", s)]
    return len(words) >= 4 or (len(words) >= 1 and (bool(FIGURE.search(s)) or s.startswith(BULLETS)))


def with_header(text: str, units: list[Span], i: int) -> str:
    """A table row with its title or header line: "Aantal ontvangen 1.540" is about KLACHTEN."""
    header = tab_header(text, units, i) or title_header(text, units, i)
    row = text[units[i][0]:units[i][1]]
    return f"{text[header[0]:header[1]]} {row}" if header else row


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
    return [(units[i], with_header(text, units, i)) for i in range(len(units)) if can_answer(text[units[i][0]:units[i][1]])]
