"""Presentation helpers for the app: escaped Markdown, safe CSV cells and upload names. Pure functions."""
from __future__ import annotations

import re
import unicodedata


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$])")
# A web address in a report: shown as an autolink, whose text Markdown takes literally. Escaped
# like the words around it, the renderer's own autolinking took the backslashes into the link.
_URL = re.compile(r"https?://[^\s<>\"'`\[\](){}|\\^$]+(?<![.,;:!?’”])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_NAME = 120


def md_escape(text: str) -> str:
    """Markdown-escape document or query text so it shows literally (no LaTeX, HTML or links but
    its own web addresses, as autolinks)."""
    out, pos = [], 0
    for m in _URL.finditer(text):
        out += [_MD_SPECIAL.sub(r"\\\1", text[pos:m.start()]), f"<{m.group(0)}>"]
        pos = m.end()
    out.append(_MD_SPECIAL.sub(r"\\\1", text[pos:]))
    return "".join(out).replace("\n", "  \n")


def pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut at the spans: (piece, highlighted) in order; overlapping spans are merged."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), max(end, pos)
        out += [(text[pos:start], False), (text[start:end], True)]
        pos = end
    out.append((text[pos:], False))
    return [(piece, lit) for piece, lit in out if piece]


ANSWER_MARK = "orange"  # the colour of a marked answer
CLOSEST_MARK = "gray"  # of the closest sentence when the reports seem not to answer: no answer's colour


def marked(text: str, spans: list[tuple[int, int]], colour: str = ANSWER_MARK) -> str:
    """The text as Markdown with the spans highlighted; built from escaped pieces only."""
    return "".join(highlighted(p, colour) if lit else md_escape(p) for p, lit in pieces(text, spans))


def highlighted(piece: str, colour: str = ANSWER_MARK) -> str:
    """A highlighted piece, each line marked on its own: a mark that spans a line or paragraph
    break is not Markdown any more and shows as raw `[** ... **]`. Spaces stay outside the marks."""
    out = []
    for part in re.split(r"(\s*\n\s*)", piece):
        lead, core, trail = re.fullmatch(r"(\s*)(.*?)(\s*)", part, re.S).groups()
        out.append(md_escape(lead) + (f":{colour}-background[**{md_escape(core)}**]" if core else "") + md_escape(trail))
    return "".join(out)


def csv_cell(value: object) -> str:
    """A spreadsheet would run a cell starting with = + - @ as a formula: prefix it with '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def safe_filename(name: str) -> str:
    """A plain file name for an upload: no folders, no device names, no control or bidi marks."""
    name = unicodedata.normalize("NFKC", name).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = _UNSAFE_NAME.sub("-", stem).strip(".-_")[:MAX_NAME] or "document"
    suffix = _UNSAFE_NAME.sub("", suffix).lower()[:10]
    if stem.lower() in _RESERVED:
        stem = f"doc-{stem}"
    return f"{stem}.{suffix}" if suffix else stem


def fact_json(fact, disputed: bool = False) -> dict:
    """A point of `kb figures --json` (and a fact of `kb ask --json`): a value with its source row."""
    return {"year": fact.year, "value": fact.value, "as_written": fact.as_written, "citation": fact.citation,
            "doc_id": fact.doc_id, "report": fact.report, "row_label": fact.label, "start": fact.start,
            "end": fact.end, "disputed": disputed}


def series_json(series) -> dict:
    """A series of `kb figures --json`: its points per year, each with its source row."""
    return {"label": series.name, "unit": series.unit, "disputed_years": series.disputed,
            "points": [fact_json(f, f.year in series.disputed) for f in series.facts]}
