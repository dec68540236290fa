"""Chunk stage: sections from the document's headings (headings.py), tables kept whole, prose
packed to size.

Within a section, blank-line blocks are units; table blocks (tab rows, bullet labels, rows of
figures) and their title stay in one unit. Units are packed into chunks of about
CHUNK_SIZE characters; a longer prose unit is split by langchain-text-splitters.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from .cite import DATED_ENTRY, MONTHS
from .headings import Heading, find_headings, second_title_line
from .lines import is_table_line
from .records import Chunk, Document

CHUNK_SIZE = 800
CHUNK_OVERLAP = 150  # only between the pieces of one long paragraph
MIN_SECTION_BODY = 60  # a heading with less under it is a parent of the next heading

_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20[0-4]\d)(?![\d])")
_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_TABLE_HEADER = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý &'’/-]+(?:[ \t]+(?:19|20)\d\d)+\s*$")  # "KLACHTEN 2016 2015"


@dataclass(frozen=True)
class Section:
    start: int
    end: int
    path: str


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
    (a chunk of three headings was retrieved and quoted as "### *Vernieuwen IV-landschap*"), or,
    at a section's end, with the text before them."""
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
    if len(spans) > 1 and _titles_only(text[spans[-1][0]:spans[-1][1]], size) and spans[-2][1] <= spans[-1][0]:
        spans[-2:] = [(spans[-2][0], spans[-1][1])]  # a closing credit line ("Met dank aan ...") ends the text before it
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
