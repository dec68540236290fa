"""Chunk stage: sections from the document's headings, tables kept whole, prose packed to size.

Headings come from Markdown `#` lines; else from a contents list ("Titel<TAB>6") naming the
heading lines; else from heading-like lines (short, capitalised, standing alone). Within a
section, blank-line blocks are units; table blocks (tab rows, bullet labels, rows of
figures) and their title stay in one unit. Units are packed into chunks of about
CHUNK_SIZE characters; a longer prose unit is split by langchain-text-splitters.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bm25s.stopwords import STOPWORDS_DUTCH
from langchain_text_splitters import RecursiveCharacterTextSplitter

from .cite import DATED_ENTRY, MONTHS
from .lexicon import word_score
from .records import Chunk, Document

CHUNK_SIZE = 800
CHUNK_OVERLAP = 150  # only between the pieces of one long paragraph
MIN_SECTION_BODY = 60  # a heading with less under it is a parent of the next heading

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_TOC_LINE = re.compile(r"^(\S[^\t\n]{2,80}?)\t+\d{1,3}[ \t]*$", re.M)
_CAPS_LINE = re.compile(r"^[ \t]*([A-ZÀ-Ý][A-ZÀ-Ý '’&,/-]{5,70}[?!]?)[ \t]*$", re.M)
_VALUE = r"(?:[-+]?€?\s?\d[\d.,]*\s?(?:%|mln|miljoen|milj\.|mld|miljard|fte)?|-|–)"
_ROW_END = re.compile(rf"(?:\s{_VALUE}){{1,4}}\s*$")  # a label followed by 1-4 figures
BULLETS = ("•", "·", "▪")  # what opens a list item or a table row label in the reports
TORN_LABELS = 8  # how far a torn table's label column is read ahead for its year header: one small table's rows
TORN_LABEL_LEN = 45  # a longer line is prose, not a table's label
_NUMERIC_LINE = re.compile(rf"^\s*{_VALUE}(?:\s+{_VALUE})*\s*$")
_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20[0-4]\d)(?![\d])")
_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_TABLE_HEADER = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý &'’/-]+(?:[ \t]+(?:19|20)\d\d)+\s*$")  # "KLACHTEN 2016 2015"
_FUNCTION_WORDS = frozenset(STOPWORDS_DUTCH)
_DATED = re.compile(r"\d{1,2}/\d{1,2}\s+\w")  # timeline entries: "18/4 Inzet NL-experts"
# Short lines that stand alone like a heading but are none: a reference to a web page ("Zie
# https://www.easo.europa.eu/") and a signature's name with initials ("R.J.T. van Lint").
_SIGNATURE = r"(?:[A-Z]\.){1,4}\s*(?:(?:van|de|der|den|ter|ten)\s+)*[A-Z]\w+$"
_NOT_A_HEADING = re.compile(rf"(?:Zie|See)\b|.*(?:://|\bwww\.)|{_SIGNATURE}")


@dataclass(frozen=True)
class Heading:
    start: int  # offset of the heading line in the document text
    level: int
    title: str


@dataclass(frozen=True)
class Section:
    start: int
    end: int
    path: str


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
    return len(lines) >= 3 and 2 * len(_TOC_LINE.findall(text)) > len(lines)


def is_numeric_line(line: str) -> bool:
    return bool(line.strip()) and bool(_NUMERIC_LINE.match(line))


def is_year_header(line: str) -> bool:
    """" 2011 2010": the header row of a table whose values follow on their own lines."""
    return bool(re.fullmatch(r"\s*(?:(?:19|20)\d\d\s*)+", line))


def looks_like_heading(line: str, prev: str, nxt: str, max_len: int = 70) -> bool:
    """Short, capitalised, standing alone; `max_len` is kept below the body's line length."""
    s = line.strip()
    dated = bool(_DATED.match(s))
    if not (2 < len(s) <= (70 if dated else max_len)) or s[-1] in ".,;:-" or is_table_line(s):
        return False
    if not (s[0].isupper() or dated) or len(s.split()) > (12 if dated else 8):
        return False
    if s.split()[-1].lower() in _FUNCTION_WORDS or _NOT_A_HEADING.match(s):  # wrapped: "De plannen die ... gemaakt om"
        return False
    prev_s, next_s = prev.strip(), nxt.strip()
    standalone = not prev_s or prev_s[-1] in ".!?:”\"’'" or prev_s == prev_s.upper()
    return standalone and bool(next_s) and not next_s[0].islower()


def find_headings(text: str) -> list[Heading]:
    md = [Heading(m.start(), len(m.group(1)), m.group(2).strip()) for m in _MD_HEADING.finditer(text)]
    if md:
        return md
    toc = {toc_key(m.group(1)) for m in _TOC_LINE.finditer(text)}
    headings = []
    pos = 0
    lines = text.split("\n")
    max_len = heading_max_len(lines)
    for i, line in enumerate(lines):
        s = line.strip()
        if toc:
            if toc_key(s) in toc and "\t" not in line:
                headings.append(Heading(pos, 1, s))
            elif _CAPS_LINE.match(line) and not is_table_line(s):
                headings.append(Heading(pos, 2, s))
        else:
            prev = "" if _signed_above(lines, i) else _nearest(lines, i, -1)  # a signature ends what came before
            second = second_title_line(text, pos + len(line)) if _DATED.match(s) else []
            nxt = _nearest(lines, i + len(second), +1)  # what follows the title (a lowercase "asielzoekerscentra" is in it)
            role = i > 0 and re.match(_SIGNATURE, lines[i - 1].strip())  # under the signer's name: "Hoofddirecteur IND"
            if not role and looks_like_heading(line, prev, nxt, max_len) and not in_torn_table(
                    _nearest(lines, i, -1, True), _following(lines, i)):
                headings.append(Heading(pos, 1, " ".join([continued_title(s, _following(lines, i)), *second])))
        pos += len(line) + 1
    return headings


def _signed_above(lines: list[str], i: int) -> bool:
    """Whether a signature's name and the role under it stand right above line i ("R.J.T. van
    Lint" / "Hoofddirecteur IND"): the foreword ends there, and the next chapter's title follows
    with no full stop before it."""
    return i >= 2 and bool(lines[i - 1].strip()) and re.match(_SIGNATURE, lines[i - 2].strip()) is not None


def toc_key(title: str) -> tuple[str, ...]:
    """A title's words without the function words: a contents list may word a chapter's title a
    little shorter than the chapter does ("Onbedoelde effecten wet- en regelgeving" for
    "Onbedoelde effecten van wet- en regelgeving")."""
    return tuple(w for w in re.findall(r"\w+", title.lower()) if w not in _FUNCTION_WORDS)


def continued_title(title: str, after: list[str]) -> str:
    """A title set large breaks over lines: one that ends in "&" goes on on the next line, and a
    word broken there without a hyphen is made whole ("Asiel &" / "Bescher" / "ming" reads
    "Asiel & Bescherming")."""
    if not title.endswith("&") or not after:
        return title
    title = f"{title} {after[0].strip()}"
    rest = after[1].strip() if len(after) > 1 else ""
    last = title.split()[-1]
    whole = (last + rest).lower()
    if rest.isalpha() and rest.islower() and word_score(whole) > max(word_score(last.lower()), word_score(rest)):
        title += rest
    return title


def second_title_line(text: str, end: int) -> list[str]:
    """The line after a dated news title that ends at `end`, when the title goes on there: a line
    standing alone before a blank line, ending no sentence ("15/9 Start onderzoek Family
    reunification of Third-country" / "Nationals in the EU plus Norway: National Practices").
    An item's text runs on for lines, so a lone line is the title's."""
    m = re.compile(r"\n[ \t]*([^\n]{2,70}?)[ \t]*(?:\n[ \t]*\n|\n?\Z)").match(text, end)
    return [m.group(1)] if m and m.group(1)[-1] not in ".!?:;," and not is_table_line(m.group(1)) else []


def heading_max_len(lines: list[str]) -> int:
    """Headings are clearly shorter than the wrapped body lines of a PDF text."""
    body = sorted(len(line.strip()) for line in lines if len(line.strip()) > 20)
    return int(0.7 * body[len(body) // 2]) if body else 70


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


def _following(lines: list[str], i: int) -> list[str]:
    """The next TORN_LABELS non-blank lines after line i."""
    return [line for line in lines[i + 1:i + 1 + 2 * TORN_LABELS] if line.strip()][:TORN_LABELS]


def _nearest(lines: list[str], i: int, step: int, across_blank: bool = False) -> str:
    """The nearest non-blank line after line i, or the line right before it ("" when that is
    blank, unless `across_blank`); "" at either end."""
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].strip():
            return lines[j] if step > 0 or across_blank or j == i - 1 else ""
        j += step
    return ""


def find_sections(text: str) -> list[Section]:
    """Sections with their heading paths; a near-empty section becomes its successor's parent."""
    headings = find_headings(text)
    bounds = [h.start for h in headings] + [len(text)]
    sections: list[Section] = []
    if not headings or headings[0].start > 0:
        sections.append(Section(0, bounds[0], ""))
    stack: list[Heading] = []
    for h, end in zip(headings, bounds[1:]):
        stack = [s for s in stack if s.level < h.level] + [h]
        sections.append(Section(h.start, end, " > ".join(s.title for s in stack)))
    merged: list[Section] = []
    carry: Section | None = None
    for sec in sections:
        if carry is not None:
            path = sec.path if sec.path.startswith(carry.path) else _join(carry.path, sec.path)
            sec = Section(carry.start, sec.end, path)
        body = text[sec.start:sec.end].split("\n", 1)[-1] if sec.path else text[sec.start:sec.end]
        if len(body.strip()) < MIN_SECTION_BODY and sec is not sections[-1]:
            carry = sec
            continue
        carry = None
        merged.append(sec)
    return [s for s in merged if text[s.start:s.end].strip()]


def _join(parent: str, child: str) -> str:
    return " > ".join(p for p in (parent, child) if p)


def section_units(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(start, end, is_table) units of a section: blank-line blocks, tables merged with their title."""
    blocks, pos = [], start
    for m in _BLOCK_SPLIT.finditer(text, start, end):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, end))
    units: list[tuple[int, int, bool]] = []
    for b_start, b_end in blocks:
        block = text[b_start:b_end]
        if not block.strip():
            continue
        table = all(is_table_line(line) for line in block.split("\n"))
        if table and units and not _TABLE_HEADER.match(block.strip()) and (units[-1][2] or _is_title(text[units[-1][0]:units[-1][1]])):
            units[-1] = (units[-1][0], b_end, True)
        else:
            units.append((b_start, b_end, table))
    return units


def _is_title(block: str) -> bool:
    s = block.strip()
    return "\n" not in s and len(s) <= 80 and not s.endswith(".")


def pack_units(text: str, units: list[tuple[int, int, bool]], size: int = CHUNK_SIZE) -> list[tuple[int, int]]:
    """Greedy packing of whole units into spans of at most `size`; long prose units are split. Title
    lines never make a span of their own: they go with the text they head, past `size` if need be
    (a chunk of three headings was retrieved and quoted as "### *Vernieuwen IV-landschap*")."""
    spans: list[tuple[int, int]] = []
    for u_start, u_end, table in units:
        heads = bool(spans) and _can_extend(spans, u_start) and _titles_only(text[spans[-1][0]:spans[-1][1]], size)
        if u_end - u_start > size and not table:
            pieces = split_long(text, u_start, u_end, size)
            if heads:
                pieces[0] = (spans.pop()[0], pieces[0][1])
            spans.extend(pieces)
        elif spans and (u_end - spans[-1][0] <= size or heads) and _can_extend(spans, u_start):
            spans[-1] = (spans[-1][0], u_end)
        else:
            spans.append((u_start, u_end))
    return spans


def _titles_only(span: str, size: int = CHUNK_SIZE) -> bool:
    """Whether a span is title lines only (headings, a label), each a block of its own: short
    beside the chunk size."""
    if len(span) >= size // 4:
        return False
    blocks = [b for b in _BLOCK_SPLIT.split(span) if b.strip()]
    return bool(blocks) and all(_is_title(b) for b in blocks)


def _can_extend(spans: list[tuple[int, int]], unit_start: int) -> bool:
    return spans[-1][1] <= unit_start  # never glue onto the overlapping piece of a split


def split_long(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Split one long paragraph at line, sentence or word bounds, with overlap."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size, chunk_overlap=CHUNK_OVERLAP, separators=["\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end", strip_whitespace=True)
    spans, cursor = [], start
    for piece in splitter.split_text(text[start:end]):
        at = text.find(piece, cursor, end)
        if at < 0:
            at = text.find(piece, start, end)
        spans.append((at, at + len(piece)))
        cursor = at + 1
    return spans


def passage_text(chunk: Chunk) -> str:
    """What is embedded and indexed: the chunk with the report and section it stands in."""
    return f"{chunk.title}. {chunk.section}\n{chunk.text}" if chunk.section else f"{chunk.title}.\n{chunk.text}"


def mentioned_years(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(y) for y in _YEAR.findall(text)}))


def chunk_document(doc: Document, size: int = CHUNK_SIZE) -> list[Chunk]:
    """All chunks of one document, each labelled with its citation fields when made."""
    chunks = []
    meta = doc.meta
    for sec in find_sections(doc.text):
        for start, end in pack_units(doc.text, section_units(doc.text, sec.start, sec.end), size):
            page = bisect.bisect_right(doc.page_starts, start) if doc.page_starts else None
            body = doc.text[start:end]
            item = news_item(doc.text, sec, start, end)
            chunks.append(Chunk(
                chunk_id=f"{meta.doc_id}:{start}-{end}", doc_id=meta.doc_id, title=meta.title,
                year=meta.year, section=f"{sec.path} > {item}" if item else sec.path, page=page, start=start,
                end=end, text=body, years=mentioned_years(body)))
    return chunks


def news_item(text: str, sec: Section, start: int, end: int) -> str:
    """Under a chronicle's month heading, the dated title of the news item a chunk stands in: the
    last one at or before its start, else its first ("" elsewhere). A chunk in the middle of an
    item ("Naturalisatiedag is oorspronkelijk ingevoerd ...") is cited by it, not by "December"."""
    if sec.path.split(" > ")[-1].strip().lower() not in MONTHS:
        return ""
    before = list(DATED_ENTRY.finditer(text, sec.start, start + 1))
    item = before[-1] if before else DATED_ENTRY.search(text, start, end)
    return " ".join([*item.group(0).split(), *second_title_line(text, item.end())]) if item else ""
