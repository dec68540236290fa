"""A text cut into sentences: at . ! ? … followed by a capital, digit or quote mark, never after
a Dutch abbreviation ("o.a.", "bijv.", "t.o.v."), and at every blank line (a heading or a
paragraph ends there). Line breaks inside a paragraph are spaces. Pure functions."""
from __future__ import annotations

import re

ABBREVIATIONS = frozenset("""o.a bijv bv m.b.t t.o.v d.w.z i.v.m e.d enz etc nr nrs ca mr dhr mevr mw drs dr ir ing prof
jl vs resp incl excl art blz pag p z.g zgn e.a m.n t.a.v i.p.v v.w.b vgl evt ong min max mln mld mrd""".split())
# abbreviations that often end a sentence ("... € 450,2 mln. De IND ..."): before a capital, a sentence ends
ENDS_SENTENCE = frozenset("mln mld mrd enz etc e.d e.a".split())
_END = re.compile(r"[.!?…]+[\"'’”»)]*(?=\s+[\"'‘“„«(]?[A-Z0-9ÀÁÂÄÈÉÊËÍÎÏÓÔÖÚÛÜ])")
_BLANK = re.compile(r"\n[ \t]*\n\s*")


def _abbreviation_before(text: str, end: int) -> bool:
    """Does the full stop at `end` close an abbreviation ("o.a.") or an initial ("J.") within a
    sentence? Not one that ends sentences where a capital follows ("mln. De")."""
    word = re.search(r"(\S+)$", text[:end])
    if not word:
        return False
    w = word.group(1).lower().strip("(\"'‘“")
    if w in ENDS_SENTENCE and text[end + 1:].lstrip()[:1].isupper():
        return False
    return w in ABBREVIATIONS or (len(w) == 1 and w.isalpha())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, its surrounding whitespace left out."""
    cuts = [0]
    for m in _BLANK.finditer(text):
        cuts += [m.start(), m.end()]
    for m in _END.finditer(text):
        if not (text[m.start()] == "." and _abbreviation_before(text, m.start())):
            cuts.append(m.end())
    cuts = sorted(set(cuts + [len(text)]))
    spans = []
    for start, end in zip(cuts, cuts[1:]):
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            spans.append((start + lead, start + len(piece.rstrip())))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each on one line (inner line breaks and runs of spaces as one space)."""
    return [" ".join(text[s:e].split()) for s, e in sentence_spans(text)]


_QUOTED = re.compile(r"[„“\"«]([^„“”\"«»]+)[”“\"»]|(?<!\w)‘([^‘’]+)’(?!\w)")
MIN_QUOTED = 4  # words: shorter quoted bits ("‘toekomst proof’") are a term, not a quote


def quoted(sentence: str) -> list[str]:
    """The parts of a sentence between quote marks that are quotes (of MIN_QUOTED words or more):
    what a journalist quotes, without the words around it ("…", schrijft de IND)."""
    parts = [(m.group(1) or m.group(2)).strip(" ,") for m in _QUOTED.finditer(sentence)]
    return [p for p in parts if len(p.split()) >= MIN_QUOTED]
