"""Presentation helpers for the app: escaped Markdown, exports, safe upload names. Pure functions."""
from __future__ import annotations

import csv
import io
import re
import unicodedata

from .records import Passage

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_NAME = 120


def md_escape(text: str) -> str:
    """Markdown-escape document or query text so it shows literally (no links, LaTeX or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut at the spans: (piece, highlighted) in order; overlapping spans are merged."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), max(end, pos)
        out += [(text[pos:start], False), (text[start:end], True)]
        pos = end
    out.append((text[pos:], False))
    return [(piece, lit) for piece, lit in out if piece]


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text as Markdown with the spans highlighted; built from escaped pieces only."""
    return "".join(f":orange-background[**{md_escape(p)}**]" if lit else md_escape(p) for p, lit in pieces(text, spans))


def csv_cell(value: object) -> str:
    """A spreadsheet would run a cell starting with = + - @ as a formula: prefix it with '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def results_csv(rows: list[tuple[str, Passage]]) -> str:
    """(label, passage) rows as CSV: label, rank, year, citation, quote, passage."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["label", "rank", "year", "citation", "quote", "passage"])
    for rank, (label, p) in enumerate(rows, 1):
        writer.writerow([csv_cell(v) for v in (label, rank, p.chunk.year, p.chunk.citation, p.quote, p.chunk.text)])
    return out.getvalue()


def results_markdown(title: str, rows: list[tuple[str, Passage]]) -> str:
    """(label, passage) rows as a Markdown document: each quote with its citation."""
    lines = [f"# {md_escape(title)}", ""]
    for rank, (label, p) in enumerate(rows, 1):
        lines += [f"## {rank}. {md_escape(label)}", "", f"> {md_escape(p.quote)}", "", f"— {md_escape(p.chunk.citation)}", ""]
    return "\n".join(lines)


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


def series_json(series) -> dict:
    """A series of `kb figures --json`: its points per year, each with its source row."""
    return {"label": series.name, "unit": series.unit, "disputed_years": series.disputed,
            "points": [{"year": f.year, "value": f.value, "as_written": f.as_written, "citation": f.citation,
                        "doc_id": f.doc_id, "report": f.report, "row_label": f.label, "start": f.start,
                        "end": f.end, "disputed": f.year in series.disputed} for f in series.facts]}


KIND_WORDS = {
    "nl": {"number": "getal", "date": "datum of jaar", "negation": "ontkenning", "direction": "richting of vergelijking",
           "name": "naam", "wording": "woorden"},
    "en": {"number": "number", "date": "date or year", "negation": "negation", "direction": "direction or comparison",
           "name": "name", "wording": "wording"},
}
_SAYS = {"nl": ("Het rapport zegt {r}, uw tekst {t}", "Uw tekst voegt {t} toe", "Uw tekst laat {r} weg"),
         "en": ("The report says {r}, your text {t}", "Your text adds {t}", "Your text leaves out {r}")}


def change_words(change, lang: str = "nl") -> str:
    """A claim change in plain words: "Getal: het rapport zegt 48.000, uw tekst 46.000"."""
    both, added, left_out = _SAYS[lang]
    form = both if change.report and change.text else added if change.text else left_out
    said = form.format(r=f"‘{change.report}’", t=f"‘{change.text}’")
    return f"{KIND_WORDS[lang][change.kind].capitalize()}: {said[0].lower()}{said[1:]}"


def change_json(change) -> dict:
    return {"kind": change.kind, "report": change.report, "text": change.text}


def verdict_json(v) -> dict:
    """The object of `kb verify --json`."""
    from .answer import passage_json

    return {"text": v.text, "verdict": v.verdict, "found": v.found, "exact": v.exact, "score": round(v.score, 4),
            "changes": [change_json(c) for c in v.changes], "omitted": v.omitted,
            "match": passage_json(v.match, 1) if v.match else None,
            "source": passage_json(v.source, 1) if v.source else None,
            "parts": [passage_json(p, r) for r, p in enumerate(v.parts, 1)],
            "note": TRANSLATION_NOTE if v.translation else "", "diff": v.diff,
            "closest": [passage_json(p, r) for r, p in enumerate(v.closest, 1)]}


TRANSLATION_NOTE = ("the text reads as English: a translation is not a quote, so it is not found; "
                    "the closest passage may be the Dutch it translates")


def citation_of(v) -> str:
    passage = v.match or v.source
    return passage.chunk.citation if passage else ""


def sentence_row(v, lang: str = "en") -> dict:
    """One row of an article check: sentence, verdict, changes in plain words, citation."""
    changes = [change_words(c, lang) for c in v.changes]
    if v.verdict == "partial":
        changes += [("weggelaten: " if lang == "nl" else "left out: ") + " ".join(v.omitted)] if v.omitted else []
        changes += [("ook uit: " if lang == "nl" else "also from: ") + p.chunk.citation for p in v.parts]
    return {"sentence": v.text, "checked": v.checked, "verdict": v.verdict, "changes": "; ".join(changes),
            "citation": citation_of(v)}


def _wrapped(piece: str, style: str) -> str:
    """`style` ("…[**{}**]") around the piece's words, its outer whitespace left outside."""
    core = piece.strip()
    if not core:
        return md_escape(piece)
    lead, trail = piece[:len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()):]
    return md_escape(lead) + style.format(md_escape(core)) + md_escape(trail)


def marked_changes(text: str, quote: tuple[int, int], changed: list[tuple[int, int]]) -> str:
    """The passage as Markdown: the quoted stretch highlighted, the report's words that the
    text changed struck through in red. Built from escaped pieces only."""
    cuts = sorted({0, len(text), *quote, *(p for span in changed for p in span)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        piece = text[start:end]
        if any(s <= start and end <= e for s, e in changed):
            out.append(_wrapped(piece, ":red-background[~~{}~~]"))
        elif quote[0] <= start and end <= quote[1]:
            out.append(_wrapped(piece, ":orange-background[**{}**]"))
        else:
            out.append(md_escape(piece))
    return "".join(out)


VERDICTS = ("exact", "equivalent", "altered", "partial", "not_found")


def article_json(verdicts: list) -> dict:
    """The object of `kb verify --file --json`: a row per checked sentence, and the totals."""
    rows = [{"sentence": v.text, "checked": v.checked or v.text, "verdict": v.verdict, "found": v.found,
             "score": round(v.score, 4), "changes": [change_json(c) for c in v.changes], "omitted": v.omitted,
             "citation": citation_of(v), "parts": [p.chunk.citation for p in v.parts]} for v in verdicts]
    return {"sentences": rows, "totals": {k: sum(v.verdict == k for v in verdicts) for k in VERDICTS}}
