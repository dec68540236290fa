"""Verify stage: where, if anywhere, the reports say a given text, and how it differs.

Candidates come from word positions: every word of the text that the reports contain votes for
the place the text would start there; the best places are aligned word by word (rapidfuzz Indel)
and scored by character similarity. Matching runs on the cleaned text, so a quote that in the
PDF spans a line break or a broken hyphen is still found whole.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .errors import BadQuery
from .clean import clean_text
from .lexical import normalize, strip_invisible

NEAR_AT = 0.6  # below this the nearest stretch is no help as context: word salad sharing "de" and "het"
MAX_QUOTE = 5000
COMMON = 300  # a word found more often than this votes only when the text has no rarer word
STRAY = 2  # words of a group of runs at an end of an alignment that may stand apart and be dropped
BAND = 16  # word positions a vote may be off by (dropped or added words) and still agree
_WORD = re.compile(r"\w+")
_SIGNS = ".,;:!?\"'‘’“”()[]%€•*#-–—/… "
Span = tuple[int, int]


@dataclass(frozen=True)
class Located:
    """A stretch of one document that a text was aligned to: character span and similarity."""

    doc_id: str
    start: int
    end: int
    score: float


@dataclass
class QuoteIndex:
    """Each document's words (folded) with their character spans, and where each word occurs."""

    words: dict[str, list[str]] = field(default_factory=dict)
    spans: dict[str, list[Span]] = field(default_factory=dict)
    postings: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))


def text_words(text: str) -> tuple[list[str], list[Span]]:
    found = [(normalize(m.group()), m.span()) for m in _WORD.finditer(text)]
    return [w for w, _ in found], [s for _, s in found]


def build_quote_index(texts: dict[str, str]) -> QuoteIndex:
    qi = QuoteIndex()
    for doc_id, text in texts.items():
        qi.words[doc_id], qi.spans[doc_id] = text_words(text)
        for pos, word in enumerate(qi.words[doc_id]):
            qi.postings[word].append((doc_id, pos))
    return qi


def check_quote(text: str) -> str:
    """The text to verify on one line, line-end hyphens and broken ligatures repaired as in the
    reports (a sentence pasted from the PDF); BadQuery when it has no words or is too long."""
    if len(text) > 2 * MAX_QUOTE:
        raise BadQuery(f"the text is {len(text):,} characters long; verify at most {MAX_QUOTE:,} at a time")
    q = " ".join(clean_text(strip_invisible(text)).text.split())
    if not _WORD.search(q):
        raise BadQuery("the text to verify has no words; paste the sentence you want to check")
    if len(q) > MAX_QUOTE:
        raise BadQuery(f"the text is {len(q):,} characters long; verify at most {MAX_QUOTE:,} at a time")
    return q


def candidates(qi: QuoteIndex, words: list[str], limit: int = 6) -> list[tuple[str, int]]:
    """(doc_id, word position) of the likeliest starts of the text: each word votes, once per
    place and weighted by its rarity, for where the text would start if it stood there."""
    total = sum(len(w) for w in qi.words.values()) or 1
    rare = [i for i, w in enumerate(words) if 0 < len(qi.postings.get(w, ())) <= COMMON]
    voters = rare or [i for i, w in enumerate(words) if w in qi.postings]
    votes: Counter = Counter()
    for i in voters:
        posts = qi.postings[words[i]]
        weight = math.log(1 + total / len(posts))
        for place in {(doc_id, (pos - i) // BAND) for doc_id, pos in posts}:
            votes[place] += weight
    near = Counter({(d, b): n + votes.get((d, b - 1), 0) + votes.get((d, b + 1), 0) for (d, b), n in votes.items()})
    chosen: list[tuple[str, int]] = []
    for (d, b), _ in near.most_common():
        if not any(d == d2 and abs(b - b2) <= 1 for d2, b2 in chosen):  # a neighbour is the same place
            chosen.append((d, b))
        if len(chosen) == limit:
            break
    return [(d, max(0, b * BAND)) for d, b in chosen]


def align(qi: QuoteIndex, text: str, words: list[str], doc_id: str, at: int, doc_text: str) -> Located | None:
    """The stretch of the document around word `at` that the text's words align to, and its score."""
    lo, hi = max(0, at - BAND - len(words) // 4), at + 2 * BAND + len(words) + len(words) // 2
    window = qi.words[doc_id][lo:hi]
    equal = [(op.src_start, op.src_end, op.dest_start, op.dest_end)
             for op in Indel.opcodes(window, words) if op.tag == "equal"]
    equal = _core(window, words, equal)
    if not equal:
        return None
    spans = qi.spans[doc_id]
    start, end = spans[lo + equal[0][0]][0], spans[lo + equal[-1][1] - 1][1]
    start, end = _widen(doc_text, start, end, text)
    score = fuzz.ratio(_fold(text), _fold(doc_text[start:end])) / 100
    return Located(doc_id, start, end, score)


Run = tuple[int, int, int, int]  # an equal run: src_start, src_end, dest_start, dest_end


def _extend(window: list[str], words: list[str], run: Run) -> Run:
    """Grow an equal run over neighbouring words that are equal too (the aligner may have
    matched a repeated word elsewhere: a heading's "fraudeurs" before "Fraudeurs probeerden")."""
    s0, s1, d0, d1 = run
    while s0 > 0 and d0 > 0 and window[s0 - 1] == words[d0 - 1]:
        s0, d0 = s0 - 1, d0 - 1
    while s1 < len(window) and d1 < len(words) and window[s1] == words[d1]:
        s1, d1 = s1 + 1, d1 + 1
    return s0, s1, d0, d1


def _core(window: list[str], words: list[str], equal: list[Run]) -> list[Run]:
    """Equal runs without a run at either end that stands apart from the rest: one whose words the
    next run also covers (repeated right beside it), or a short group (STRAY words or fewer)
    reached only by skipping more report words than the text skips."""
    equal = sorted(set(_extend(window, words, r) for r in equal))
    equal = [r for r in equal if not any(o[2] <= r[2] and r[3] <= o[3] and o[3] - o[2] > r[3] - r[2] for o in equal)]
    while len(equal) > 1 and equal[1][2] <= equal[0][2]:
        equal = equal[1:]
    while len(equal) > 1 and equal[-2][3] >= equal[-1][3]:
        equal = equal[:-1]
    return _strip_strays(_strip_strays(equal)[::-1], backwards=True)[::-1]


def _strip_strays(equal: list[Run], backwards: bool = False) -> list[Run]:
    """`equal` less its first runs while they hold at most STRAY words and a jump follows them
    (more report words skipped than text words). With `backwards` the runs come last first."""
    def jump(a: Run, b: Run) -> bool:
        (x, y) = (b, a) if backwards else (a, b)
        return (y[0] - x[1]) - (y[2] - x[3]) > 3
    while len(equal) > 1:
        size = 0
        cut = next((k for k in range(1, len(equal)) if (size := size + equal[k - 1][1] - equal[k - 1][0]) > STRAY
                    or jump(equal[k - 1], equal[k])), None)
        if cut is None or size > STRAY:
            break
        equal = equal[cut:]
    return equal


def _widen(doc_text: str, start: int, end: int, text: str) -> Span:
    """Take in the punctuation and signs the text itself begins or ends with (a quote mark, a
    full stop, "%", a bullet)."""
    lead = len(text) - len(text.lstrip(_SIGNS))
    trail = len(text) - len(text.rstrip(_SIGNS))
    while lead and start > 0 and not doc_text[start - 1].isalnum() and not doc_text[start - 1].isspace():
        start, lead = start - 1, lead - 1
    while trail and end < len(doc_text) and not doc_text[end].isalnum() and not doc_text[end].isspace():
        end, trail = end + 1, trail - 1
    return start, end


def _fold(text: str) -> str:
    return " ".join(normalize(text).split())


def locate(qi: QuoteIndex, texts: dict[str, str], text: str) -> Located | None:
    """The best place the reports say `text`, or None when none of its words occur."""
    words = text_words(text)[0]
    found = [align(qi, text, words, d, at, texts[d]) for d, at in candidates(qi, words)]
    found = [f for f in found if f]
    return max(found, key=lambda f: f.score) if found else None


def word_diff(source: str, text: str) -> list[list[str]]:
    """Word-by-word differences from the report's words to the text: "equal", "delete" (in the
    report, not in the text) and "insert" (in the text, not in the report), runs joined."""
    src, dst = source.split(), text.split()
    diff: list[list[str]] = []
    for op in Indel.opcodes(src, dst):
        words = dst[op.dest_start:op.dest_end] if op.tag == "insert" else src[op.src_start:op.src_end]
        if not words:
            continue
        if diff and diff[-1][0] == op.tag:
            diff[-1][1] += " " + " ".join(words)
        elif op.tag == "delete" and diff and diff[-1][0] == "insert":
            diff.insert(len(diff) - 1, [op.tag, " ".join(words)])  # a replacement reads: old word, then new
        else:
            diff.append([op.tag, " ".join(words)])
    return diff


@dataclass
class Verdict:
    """The answer to "did the reports say this?". `verdict` is exact, equivalent, altered,
    partial or not_found; `found` only for the first two, and then `match` is the passage.
    `source` is where an altered or partial text stands, `changes` what was altered, `omitted`
    the report words a partial text leaves out, `parts` the passages of its parts from other
    places; `closest` passages when not found; `diff` from the report's words to the text."""

    text: str
    found: bool
    exact: bool
    score: float
    match: object | None  # a Passage
    diff: list[list[str]]
    closest: list = field(default_factory=list)
    verdict: str = "not_found"
    changes: list = field(default_factory=list)  # verdict.Change
    omitted: list[str] = field(default_factory=list)
    source: object | None = None  # a Passage
    parts: list = field(default_factory=list)  # Passages
    translation: bool = False  # reads as English: perhaps a translation of the closest passage
    checked: str = ""  # the words checked when not the whole text (the quoted part of a sentence)
