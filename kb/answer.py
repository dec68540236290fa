"""Answer stage: the sentence or table row of a passage that answers, as spans, quote and JSON."""
from __future__ import annotations

import math
import re

from .chunk import is_numeric_line, is_table_line, is_year_header
from .lexical import WORD, normalize, tokenize, word_terms
from .records import Passage

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[\"'‘“(]?[A-ZÀ-Ý0-9•])")
_NUMBER = re.compile(r"\d")
Span = tuple[int, int]
LARGE_TEXT = 20_000  # past this, only the blocks holding a word that meets the query are cut into units


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
        spans.append(_strip_span(line, pos))
        pos += len(line) + 1
    return spans


def _sentence_spans(block: str, offset: int) -> list[Span]:
    spans, pos = [], 0
    for m in _SENTENCE_END.finditer(block):
        spans.append(_strip_span(block[pos:m.start()], offset + pos))
        pos = m.end()
    spans.append(_strip_span(block[pos:], offset + pos))
    return spans


def _strip_span(piece: str, offset: int) -> Span:
    lead = len(piece) - len(piece.lstrip())
    return offset + lead, offset + len(piece.rstrip())


def unit_score(unit: str, query_terms: set[str], idf: dict[str, float], wants_number: bool) -> float:
    terms = set(tokenize(unit))
    score = sum(idf.get(t, 1.0) for t in query_terms & terms)
    if wants_number and _NUMBER.search(unit):
        score *= 1.25  # a "how many" question is answered by a unit with a figure in it
    return score


def highlight(text: str, query_terms: list[str], idf: dict[str, float], wants_number: bool = False) -> list[Span]:
    """The best-scoring unit, joined by its neighbour when that scores nearly as well."""
    terms = set(query_terms)
    finder = word_finder(text, terms) if len(text) > LARGE_TEXT else None
    units = answer_units(text, finder)
    if not units:
        return []
    scores = [unit_score(text[s:e], terms, idf, wants_number)
              if finder is None or finder.search(text[s:e].lower()) else 0.0 for s, e in units]
    best = max(range(len(units)), key=lambda i: (scores[i], -i))
    if scores[best] <= 0:
        return [units[0]]
    torn = torn_row(text, units[best])
    if torn:
        return sorted([units[best], *torn])
    header = tab_header(text, units, best)
    if header is not None:
        return [header, units[best]]  # the row says which column is which year only with it
    spans = [units[best]]
    for near in (best - 1, best + 1):
        if 0 <= near < len(units) and scores[near] >= 0.8 * scores[best] and _adjacent(text, units[best], units[near]):
            spans.append(units[near])
    return sorted(spans)


def _adjacent(text: str, a: Span, b: Span) -> bool:
    """Only space between the two units (a unit list may skip blocks, see answer_units)."""
    return not text[min(a[1], b[1]):max(a[0], b[0])].strip()


def tab_header(text: str, units: list[Span], row: int) -> Span | None:
    """The first line of the tab-separated table that unit `row` belongs to, if it is another line."""
    if "\t" not in text[units[row][0]:units[row][1]]:
        return None
    first = row
    while first > 0 and "\t" in text[units[first - 1][0]:units[first - 1][1]] \
            and "\n\n" not in text[units[first - 1][1]:units[first][0]]:
        first -= 1
    return units[first] if first != row else None


def torn_row(text: str, label: Span) -> list[Span]:
    """For a table whose PDF text lists the labels first and the value rows after (2011), the
    header and value row that belong to `label`: pairs the n-th label with the n-th value row."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    at = next((i for i, (s, e, _) in enumerate(lines) if s <= label[0] < e + 1), None)
    if at is None or is_numeric_line(lines[at][2]):
        return []
    lo = hi = at
    while lo > 0 and is_table_line(lines[lo - 1][2]):
        lo -= 1
    while hi + 1 < len(lines) and is_table_line(lines[hi + 1][2]):
        hi += 1
    region = [ln for ln in lines[lo:hi + 1] if ln[2].strip()]
    labels = [ln for ln in region if not is_numeric_line(ln[2])]
    if any(ln[2].lstrip().startswith("•") for ln in labels):  # bullets mark the rows; the rest are titles
        labels = [ln for ln in labels if ln[2].lstrip().startswith("•")]
    headers = [ln for ln in region if is_year_header(ln[2])]
    values = [ln for ln in region if is_numeric_line(ln[2]) and not is_year_header(ln[2])]
    if len(headers) != 1 or len(values) != len(labels) or lines[at] not in labels:
        return []
    row = values[labels.index(lines[at])]
    return [_strip_span(headers[0][2], headers[0][0]), _strip_span(row[2], row[0])]


def idf_table(df: dict[str, int], n_docs: int) -> dict[str, float]:
    return {t: math.log(1 + (n_docs - f + 0.5) / (f + 0.5)) for t, f in df.items()}


def passage_json(passage: Passage, rank: int) -> dict:
    """The result object of `kb ask --json`."""
    c = passage.chunk
    return {"rank": rank, "doc_id": c.doc_id, "title": c.title, "year": c.year, "section": c.section,
            "page": c.page, "start": c.start, "end": c.end, "text": c.text,
            "highlights": [list(h) for h in passage.highlights], "quote": passage.quote,
            "citation": c.citation, "score": round(passage.score, 6), "why": passage.why}
