"""Presentation of quote verification: changes in plain words (Dutch or English), the JSON of
`kb verify`, the rows of an article check, the source passage with the changed words marked.
Pure functions."""
from __future__ import annotations

import csv
import io

from .cite import joined_lines
from .records import Passage
from .render import ANSWER_MARK, csv_cell, md_escape
from .tables import pasteable_quote
from .verdict import CLAIM_KINDS, Change
from .verify import Verdict

VERDICTS = ("exact", "equivalent", "altered", "partial", "not_found")
VERDICT_WORDS = {
    # "not found" says only that the words are not the reports': a claim in other words may be there
    "nl": {"exact": "woordelijk", "equivalent": "gelijkwaardig", "altered": "gewijzigd", "partial": "gedeeltelijk",
           "not_found": "niet als citaat gevonden"},
    "en": {"exact": "exact", "equivalent": "equivalent", "altered": "altered", "partial": "partial",
           "not_found": "not found as a quote"},
}


KIND_WORDS = {
    "nl": {"number": "getal", "date": "datum of jaar", "negation": "ontkenning", "direction": "richting of vergelijking",
           "name": "naam", "wording": "woorden"},
    "en": {"number": "number", "date": "date or year", "negation": "negation", "direction": "direction or comparison",
           "name": "name", "wording": "wording"},
}
_SAYS = {"nl": ("Het rapport zegt {r}, uw tekst {t}", "Uw tekst voegt {t} toe", "Uw tekst laat {r} weg"),
         "en": ("The report says {r}, your text {t}", "Your text adds {t}", "Your text leaves out {r}")}


def change_words(change: Change, lang: str = "nl") -> str:
    """A claim change in plain words: "Getal: het rapport zegt 48.000, uw tekst 46.000"."""
    both, added, left_out = _SAYS[lang]
    form = both if change.report and change.text else added if change.text else left_out
    said = form.format(r=f"‘{change.report}’", t=f"‘{change.text}’")
    return f"{KIND_WORDS[lang][change.kind].capitalize()}: {said[0].lower()}{said[1:]}"


def change_json(change: Change) -> dict:
    return {"kind": change.kind, "report": change.report, "text": change.text}


def verdict_json(v: Verdict) -> dict:
    """The object of `kb verify --json`."""
    from .answer import passage_json

    return {"text": v.text, "checked": v.checked or v.text, "verdict": v.verdict, "found": v.found, "exact": v.exact,
            "score": round(v.score, 4),
            "changes": [change_json(c) for c in v.changes], "omitted": v.omitted,
            "match": passage_json(v.match, 1) if v.match else None,
            "source": passage_json(v.source, 1) if v.source else None,
            "parts": [passage_json(p, r) for r, p in enumerate(v.parts, 1)],
            "note": TRANSLATION_NOTE if v.translation else "", "diff": v.diff,
            "closest": [passage_json(p, r) for r, p in enumerate(v.closest, 1)]}


TRANSLATION_NOTE = ("the text reads as English: a translation is not a quote, so it is not found; "
                    "the closest passage may be the Dutch it translates")


def citation_of(v: Verdict) -> str:
    passage = v.match or v.source
    return passage.citation if passage else ""


def nearest(v: Verdict, cite=lambda p: p.citation) -> str:
    """For a sentence not found as a quote, the closest passage's marked words and citation
    (`cite(passage)`): where a reader checks a claim made in other words ("" when there is none)."""
    if v.verdict != "not_found" or not v.closest:
        return ""
    return f"‘{pasteable_quote(v.closest[0])}’ ({cite(v.closest[0])})"


def sentence_row(v: Verdict, lang: str = "en") -> dict:
    """One row of an article check: sentence, verdict, changes in plain words (a changed number first,
    then a date, a negation, a direction, a name, other words: a cell shows only its start), citation,
    and for a sentence not found as a quote its nearest passage."""
    order = {kind: i for i, kind in enumerate(CLAIM_KINDS)}
    changes = [change_words(c, lang) for c in sorted(v.changes, key=lambda c: order.get(c.kind, len(order)))]
    if v.verdict == "partial":
        changes += [("weggelaten: " if lang == "nl" else "left out: ") + " ".join(v.omitted)] if v.omitted else []
        changes += [("ook uit: " if lang == "nl" else "also from: ") + p.citation for p in v.parts]
    return {"sentence": v.text, "checked": v.checked, "verdict": v.verdict, "changes": "; ".join(changes),
            "citation": citation_of(v), "nearest": nearest(v)}


def _wrapped(piece: str, style: str) -> str:
    """`style` ("…[**{}**]") around the piece's words, its outer whitespace left outside."""
    core = piece.strip()
    if not core:
        return md_escape(piece)
    lead, trail = piece[:len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()):]
    return md_escape(lead) + style.format(md_escape(core)) + md_escape(trail)


def marked_changes(text: str, quote: tuple[int, int], changed: list[tuple[int, int]]) -> str:
    """The passage as Markdown: the quoted stretch highlighted, the report's words that the
    text changed struck through in red. Built from escaped pieces only, the PDF's line breaks
    inside a paragraph made spaces (as the search page shows it)."""
    cuts = sorted({0, len(text), *quote, *(p for span in changed for p in span)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        piece = joined_lines(text[start:end])
        if any(s <= start and end <= e for s, e in changed):
            out.append(_wrapped(piece, ":red-background[~~{}~~]"))
        elif quote[0] <= start and end <= quote[1]:
            out.append(_wrapped(piece, f":{ANSWER_MARK}-background[**{{}}**]"))
        else:
            out.append(md_escape(piece))
    return "".join(out)



def article_json(verdicts: list[Verdict]) -> dict:
    """The object of `kb verify --file --json`: a row per checked sentence, and the totals."""
    rows = [{"sentence": v.text, "checked": v.checked or v.text, "verdict": v.verdict, "found": v.found,
             "score": round(v.score, 4), "changes": [change_json(c) for c in v.changes], "omitted": v.omitted,
             "citation": citation_of(v), "parts": [p.citation for p in v.parts], "nearest": nearest(v)}
            for v in verdicts]
    return {"sentences": rows, "totals": {k: sum(v.verdict == k for v in verdicts) for k in VERDICTS}}


def article_csv(verdicts: list[Verdict], lang: str = "nl") -> str:
    """An article check as CSV: sentence, words checked, verdict, changes, citation, nearest passage."""
    out = io.StringIO()
    writer = csv.writer(out)
    columns = ("sentence", "checked", "verdict", "changes", "citation", "nearest")
    writer.writerow(columns)
    for v in verdicts:
        row = sentence_row(v, lang)
        writer.writerow([csv_cell(row[k]) for k in columns])
    return out.getvalue()


def source_markdown(passage: Passage, changes: list[Change]) -> str:
    """The passage where a changed text stands, as Markdown: the stretch highlighted, the report's
    words that the text changed struck through."""
    c = passage.chunk
    spans = [(ch.at[0] - c.start, ch.at[1] - c.start) for ch in changes
             if ch.at and ch.doc_id == c.doc_id and c.start <= ch.at[0] and ch.at[1] <= c.end]
    quote = passage.highlights[0] if passage.highlights else (0, 0)
    return marked_changes(c.text, quote, spans)


def article_table(verdicts: list[Verdict], lang: str = "nl") -> list[dict]:
    """The rows of an article check for the app: the verdict in words, a mark only where a
    sentence is in the reports (found, altered or partial), nothing for the rest."""
    # signs every text font has (DejaVu too): emoji showed as empty boxes on a machine without an emoji font
    marks = {"exact": "✓", "equivalent": "✓", "altered": "≠", "partial": "≠", "not_found": ""}
    rows = []
    for v in verdicts:
        row = sentence_row(v, lang)
        row["verdict"] = f"{marks[v.verdict]} {VERDICT_WORDS[lang][v.verdict]}".strip()
        rows.append(row)
    return rows
