"""Examine stage: where a text stands in the reports and every way it differs there.

`locate` (verify.py) finds the best place; the text's tokens are compared with the report's
there (verdict.py). The place is widened over report words the text begins or ends with that
the alignment left out ("Het [absolute] aantal"), so a word dropped at the start is seen. A
stretch of the text that differs there but stands in the reports elsewhere is a part from
another place, and a text of several sentences is also examined sentence by sentence: a text
stitched together from different places is partial, never found.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from .sentences import sentence_spans
from .tokens import MULTIPLIERS, Token, tokenize, value
from .frames import attribution, trailing_attribution
from .verdict import UNITS, Change, Comparison, compare, decide
from .verify import Located, QuoteIndex, _fold, locate

MIN_PART = 4  # words of a text stretch that is looked for elsewhere as a part from another place
REACH = 3  # report words beyond the aligned place a text's first or last word may stand
SWAP = 2  # words at an end of the text that may stand for as many report words there
_STOPS = frozenset(".!?;")


@dataclass
class Finding:
    """The main place of a text, its comparison there (claim changes, words left out, words
    covered) and the places of parts that come from elsewhere."""

    at: Located
    comparison: Comparison
    parts: list[Located] = field(default_factory=list)
    claim: tuple[int, int] | None = None  # the span checked, when the text says whose claim it is first

    @property
    def verdict(self) -> str:
        return decide(self.comparison, len(self.parts))


def compare_at(texts: dict[str, str], at: Located, text: str, tokens: list[Token], attributed: bool = False) -> Comparison:
    doc = texts[at.doc_id]
    cmp = compare(tokenize(doc[at.start:at.end], offset=at.start), tokens, doc, text, attributed)
    cmp.changes = [dataclasses.replace(ch, doc_id=at.doc_id) for ch in cmp.changes]
    return cmp


def _same_sentence(doc: str, tokens: list[Token], end: int | None = None) -> list[Token]:
    """The tokens after the last sentence end (a stop, or a blank line between tokens or before
    `end`, where the sentence goes on)."""
    if tokens and end is not None and "\n\n" in doc[tokens[-1].end:end]:
        return []
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].text in _STOPS or (i + 1 < len(tokens) and "\n\n" in doc[tokens[i].end:tokens[i + 1].start]):
            return tokens[i + 1:]
    return tokens


def stretch(doc: str, at: Located, tokens: list[Token], cmp: Comparison) -> Located:
    """`at` widened, within its sentence, over the report's words that the alignment left out
    where the text begins (ends) with words of its own: to the report's instance of the text's
    first (last) token, else over as many report words as the text has there (up to SWAP: a
    replaced first word, "Ruim" -> "Bijna"); and over an amount's unit at either end."""
    start, end = at.start, at.end
    if cmp.lead:
        before = _same_sentence(doc, tokenize(doc[max(0, start - 200):start], offset=max(0, start - 200)), start)
        hit = next((t for t in before[-(cmp.lead + REACH):] if t.form == tokens[0].form), None)
        swap = before[-cmp.lead] if 0 < cmp.lead <= min(SWAP, len(before)) else None
        start = (hit or swap).start if hit or swap else start
    if cmp.trail:
        after = tokenize(doc[end:end + 200], offset=end)
        cut = next((i for i, t in enumerate(after) if t.text in _STOPS), len(after))
        hit = next((t for t in reversed(after[:min(cut + 1, cmp.trail + REACH)]) if t.form == tokens[-1].form), None)
        swap = after[cmp.trail - 1] if 0 < cmp.trail <= min(SWAP, cut) else None
        end = (hit or swap).end if hit or swap else end
    start, end = whole_amount(doc, start, end)
    return _spanned(doc, at, start, end, tokens)


def _spanned(doc: str, at: Located, start: int, end: int, tokens: list[Token]) -> Located:
    """`at` with the span (start, end), its similarity to the tokens' text measured again."""
    if (start, end) == (at.start, at.end):
        return at
    return Located(at.doc_id, start, end, fuzz.ratio(_fold(" ".join(t.text for t in tokens)), _fold(doc[start:end])) / 100)


def _amounts(doc: str, at: Located, tokens: list[Token], cmp: Comparison | None = None) -> Located:
    return _spanned(doc, at, *whole_amount(doc, at.start, at.end), tokens)


def _fronted(doc: str, at: Located, tokens: list[Token], cmp: Comparison | None = None) -> Located:
    """For a claim said as the report's: `at` from its sentence's start where the words before it
    there are all the claim's (put after the verb: "In totaal ontving" -> "ontving ... in totaal"),
    and not from the paragraph before (a claim is one sentence)."""
    start = at.start
    if (blank := doc.rfind("\n\n", start, at.end)) >= 0 and at.end - blank > blank - start:
        start = blank + 2
    before = _same_sentence(doc, tokenize(doc[max(0, start - 200):start], offset=max(0, start - 200)), start)
    claimed = {t.form for t in tokens}
    if before and all(t.form in claimed or t.kind == "punct" for t in before):
        start = before[0].start
    return _spanned(doc, at, start, at.end, tokens)


def _has(report: list[Token], words: list[Token]) -> bool:
    """Does the report's span have the words' first word (a frame's "aldus", "schrijft")?"""
    first = next((t.form for t in words if t.kind != "punct"), None)
    return any(t.form == first for t in report)


def whole_amount(doc: str, start: int, end: int) -> tuple[int, int]:
    """The span widened over the unit and multiplier of a number it begins or ends with: an amount
    is compared whole ("uit € 450,2" is "uit € 450,2 mln" where the report says so)."""
    inside = tokenize(doc[start:end], offset=start)
    if inside and value(inside[-1]) is not None:
        for t in tokenize(doc[end:end + 40], offset=end):
            if t.form not in MULTIPLIERS and t.form not in UNITS:
                break
            end = t.end
    before = tokenize(doc[max(0, start - 3):start], offset=max(0, start - 3))
    if inside and value(inside[0]) is not None and before and before[-1].form in UNITS:
        start = before[-1].start
    return start, end


def examine_span(qi: QuoteIndex, texts: dict[str, str], text: str, lo: int, hi: int,
                 attributed: bool = False) -> Finding | None:
    """The best place of text[lo:hi] and its differences, parts from elsewhere included. A text
    that says whose claim it is ("Volgens het jaarverslag ...") is the claim, examined on its own
    and `attributed` (its words ordered anew)."""
    tokens = tokenize(text[lo:hi], offset=lo)
    at = locate(qi, texts, text[lo:hi]) if tokens else None
    if at is None:
        return None
    cmp = compare_at(texts, at, text, tokens, attributed)
    for widen in (_fronted, _amounts) if attributed else (stretch,):  # a moved verb is no replaced first word
        wide = widen(texts[at.doc_id], at, tokens, cmp)
        if wide is not at:
            at, cmp = wide, compare_at(texts, wide, text, tokens, attributed)
    claim = None if attributed else _claim(texts[at.doc_id][at.start:at.end], tokens, cmp)
    said = examine_span(qi, texts, text, *claim, attributed=True) if claim else None
    if said:
        said.claim = claim
        return said
    found = Finding(at, cmp)
    gone: set[int] = set()
    left_out: list[str] = []
    for c, d in cmp.gaps:
        part = _part(qi, texts, text, tokens[c:d], at)
        if part:
            found.parts.append(part[0])
            gone.update(range(c, d))
            left_out += part[1].omitted
    if found.parts:
        main = compare_at(texts, at, text, [t for i, t in enumerate(tokens) if i not in gone], attributed)
        moved = cmp.words - main.words
        main.words, main.covered, main.omitted = main.words + moved, main.covered + moved, main.omitted + left_out
        found.comparison = main
    return found


def _claim(report: str, tokens: list[Token], cmp: Comparison) -> tuple[int, int] | None:
    """The span of the claim in a text not found as written that begins or ends by saying whose
    claim it is, unless the report says those words too; else None."""
    if decide(cmp) in ("exact", "equivalent"):
        return None
    frame, after = attribution(tokens), trailing_attribution(tokens)
    if after and _has(tokenize(report), tokens[len(tokens) - after:]):
        after = 0  # ", aldus Nanette": the report's words
    if not (frame or after) or frame + after >= len(tokens):
        return None
    return tokens[frame].start, tokens[len(tokens) - after - 1].end


def _part(qi: QuoteIndex, texts: dict[str, str], text: str, tokens: list[Token], main: Located) -> tuple[Located, Comparison] | None:
    """A stretch of the text found word for word (or in form) at another place than `main`."""
    if sum(t.kind != "punct" for t in tokens) < MIN_PART:
        return None
    at = locate(qi, texts, text[tokens[0].start:tokens[-1].end])
    if at is None or (at.doc_id == main.doc_id and at.start < main.end and main.start < at.end):
        return None
    cmp = compare_at(texts, at, text, tokens)
    return (at, cmp) if not cmp.changes and cmp.covered == cmp.words else None


def examine(qi: QuoteIndex, texts: dict[str, str], text: str) -> Finding | None:
    """Where the reports say `text` and how it differs; a text of several sentences that is
    not found whole is also examined sentence by sentence, and the better account is kept."""
    whole = examine_span(qi, texts, text, 0, len(text))
    spans = _joined_short(text, sentence_spans(text))
    if (whole and whole.verdict in ("exact", "equivalent")) or len(spans) < 2:
        return whole
    each = [(lo, hi, examine_span(qi, texts, text, lo, hi)) for lo, hi in spans]
    found = [f for _, _, f in each if f and f.verdict != "not_found"]
    if not found:
        return whole
    combined = _combine(text, each, found)
    return combined if not whole or combined.comparison.covered >= whole.comparison.covered else whole


def _joined_short(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of fewer than MIN_PART words ("2.", "Klachten") joined to the one before (the
    first to the next): too short to stand for a place of their own."""
    out: list[tuple[int, int]] = []
    for lo, hi in spans:
        short = len([t for t in tokenize(text[lo:hi]) if t.kind != "punct"]) < MIN_PART
        if out and (short or len([t for t in tokenize(text[slice(*out[-1])]) if t.kind != "punct"]) < MIN_PART):
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _combine(text: str, each: list[tuple[int, int, Finding | None]], found: list[Finding]) -> Finding:
    """One finding of a text from its sentences' findings: the sentence with the most words of
    the reports is the main place, the others are parts unless they follow on from the one
    before; a sentence the reports do not have is a wording change."""
    main = max(found, key=lambda f: f.comparison.covered)
    cmp = Comparison(words=0, exact=all(f.comparison.exact for f in found))
    parts: list[Located] = []
    previous: Located | None = None
    for lo, hi, f in each:
        if f is None or f not in found:
            cmp.words += len([t for t in tokenize(text[lo:hi]) if t.kind != "punct"])
            cmp.changes.append(Change("wording", "", " ".join(text[lo:hi].split())))
            continue
        cmp.words, cmp.covered = cmp.words + f.comparison.words, cmp.covered + f.comparison.covered
        cmp.anchor = max(cmp.anchor, f.comparison.anchor)
        cmp.changes += f.comparison.changes
        cmp.omitted += f.comparison.omitted
        parts += f.parts
        if f is not main and not _follows(previous, f.at):
            parts.append(f.at)
        previous = f.at
    return Finding(main.at, cmp, parts)


def _follows(before: Located | None, at: Located) -> bool:
    return before is not None and before.doc_id == at.doc_id and 0 <= at.start - before.end <= 3


def looks_english(text: str) -> bool:
    """Are most of the text's words English rather than Dutch (by their frequency in each)?"""
    words = [t.form for t in tokenize(text) if t.kind == "word" and t.form.isalpha()]
    en = sum(zipf_frequency(w, "en") > zipf_frequency(w, "nl") + 1 for w in words)
    nl = sum(zipf_frequency(w, "nl") > zipf_frequency(w, "en") + 1 for w in words)
    return en >= 3 and en > 2 * nl
