"""The kind of answer a question asks for, read off its question words, and whether a sentence
holds an answer of that kind: the classic answer types of extractive QA (a figure, a share, a
duration, a date, a name, a reason, someone's words), in Dutch and English."""
from __future__ import annotations

import functools
import itertools
import re

from .lexical import tokenize, word_terms, words
from .sentences import split_sentences
from .units import FIGURE

_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_NUMBER_WORDS = ("twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien|"
                 "zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|"
                 "honderd|duizend|miljoen|miljard")
_COUNT = rf"(?:\d[\d.,]*|(?:\w*(?:{_NUMBER_WORDS}))|enkele|een paar|half|anderhalf)"
_NUMBER_WORD_SET = frozenset(_NUMBER_WORDS.split("|"))
_MONTH_SET = frozenset(_MONTHS.split("|"))
_TIME_UNITS = r"(?:jaar|jaren|maand|maanden|week|weken|dag|dagen|uur|uren|years?|months?|weeks?|days?|hours?)"

# (kind, the question words that ask for it, the form an answer of that kind takes). The kind whose
# question words come first in the question wins ("Waarom daalde het aantal ..." asks a reason);
# on a tie the narrower kind, listed before "number" ("hoeveel procent" asks a share).
KINDS: tuple[tuple[str, re.Pattern, re.Pattern], ...] = (
    ("share", re.compile(r"\b(hoeveel procent|percentage|welk deel|welk percentage|hoe groot (?:is )?het aandeel|what share|"
                         r"what percentage|by what percentage|what proportion)\b", re.I),
     re.compile(r"\d[\d.,]*\s*(?:%|procent\b|percent\b)|\b(?:helft|kwart|derde|meerderheid)\b", re.I)),
    ("duration", re.compile(r"\b(hoe ?lang|hoeveel tijd|how long)\b", re.I),
     re.compile(rf"\b{_COUNT}\s+{_TIME_UNITS}\b", re.I)),
    ("number", re.compile(r"\b(hoeveel|hoe veel|aantal|hoe groot|welk cijfer|welke score|welk bedrag|how many|"
                          r"how much|what score|what rating|what grade)\b", re.I),
     re.compile(rf"{FIGURE.pattern}|\b(?:{_NUMBER_WORDS})\b", re.I)),
    ("date", re.compile(r"\b(wanneer|sinds wanneer|welke datum|in welk jaar|per wanneer|when|since when|what year)\b",
                        re.I),
     re.compile(rf"\b({_MONTHS}|(?:19|20)\d\d)\b", re.I)),
    # a name: two capitalised words or more, Dutch "van der" between them, after a word (not a
    # sentence's first word), across the " \n" of a PDF's line ends
    ("name", re.compile(r"\b(wie|who)\b", re.I),
     re.compile(r"[A-Za-zà-ý,:]\s+[A-Z][a-zà-ý]+(?:\s+(?:(?:van|de|der|den|ter|ten|te)\s+)*[A-Z][a-zà-ý]+)+")),
    ("reason", re.compile(r"\b(waarom|hoe verklaart|hoe komt het|welke oorza\w*|welke reden\w*|why|what caused|"
                          r"what reasons?|how does .{1,40} explain)\b", re.I),
     re.compile(r"\b(doordat|omdat|vanwege|dankzij|daardoor|veroorzaakt|oorza\w*|reden\w*|verklaring\w*|"
                r"als gevolg|het gevolg|gevolg van|komt\b.{0,60}\bdoor|because|due to|caused)\b", re.I)),
    ("words", re.compile(r"\b(zei|zeiden|vertelde|said|told)\b", re.I), re.compile(r"[‘“\"]\s*[A-Z]|[.!?,][’”\"]")),
)


def answer_kind(question: str) -> str:
    """"number", "share", "duration", "date", "name", "reason", "words" or "" (no question word)."""
    found = [(m.start(), order, name) for order, (name, words, _) in enumerate(KINDS) if (m := words.search(question))]
    return min(found)[2] if found else ""


_UNIT = re.compile(rf"\s+{_TIME_UNITS}\b", re.I)
_LAST_WORD = re.compile(r"\S+$")
_COUNT_WORD = re.compile(_COUNT, re.I)


@functools.lru_cache(maxsize=16_384)
def holds_kind(text: str, kind: str) -> bool:
    """Whether the text holds an answer of the kind asked for. Remembered: every question asks
    it of about 150 candidate passages and their sentences, mostly the same ones as before
    (1.5 of a question's 6 ms outside the model, before)."""
    if kind in _FASTER:
        return _FASTER[kind](text)
    form = next((form for name, _, form in KINDS if name == kind), None)
    return form is not None and form.search(text) is not None


_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"\w+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def holds_number(text: str) -> bool:
    """The number form, a figure tried at the start of each run of digits and the number words
    looked up as a set: the form as one pattern took 50 µs a passage, this 14 (same verdicts)."""
    return (any(FIGURE.match(text, m.start()) for m in _DIGITS.finditer(text))
            or not _NUMBER_WORD_SET.isdisjoint(_WORD.findall(text.lower())))


def holds_date(text: str) -> bool:
    """The date form: a month's name or a year."""
    return _YEAR.search(text) is not None or not _MONTH_SET.isdisjoint(_WORD.findall(text.lower()))


def holds_duration(text: str) -> bool:
    """The duration form, found from its time unit backwards: the form itself, tried at every
    word ("\\w*(twee|...)"), took 17 ms over a question's 120 candidate passages."""
    for m in _UNIT.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        word = _LAST_WORD.search(before)
        count = word.group().lstrip("([‘'\"“") if word else ""
        if _COUNT_WORD.fullmatch(count) or (count.lower() == "paar" and before[:word.start()].lower().endswith("een ")):
            return True
    return False


_FASTER = {"number": holds_number, "date": holds_date, "duration": holds_duration}


_COUNTING = re.compile(r"\b(hoeveel|hoe veel|aantal|how many|how much)\s+", re.I)
_TOKEN = re.compile(r"\S+")
COUNTED_WORDS = 2  # the words after "hoeveel" that say what is counted: an adjective and its noun
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s[–-]\s")  # not "1,2": a comma between clauses has a space after it
NEAR_FIGURE = 6  # words between the counted word and its figure ("1.540 klachten", "aantal ontvangen klachten: 1.540")


def counted(question: str) -> tuple[frozenset[str], ...]:
    """What a how-many question counts: the terms of each of the first COUNTED_WORDS content words
    after "hoeveel" / "aantal" ("hoeveel Somalische nareizigers ..." gives the terms of
    "Somalische" and of "nareizigers"); () for another question."""
    m = _COUNTING.search(question)
    if not m:
        return ()
    found = (frozenset(t) for t in map(word_terms, words(question[m.end():])) if t)
    return tuple(itertools.islice(found, COUNTED_WORDS))


def counts_near_figure(text: str, what: tuple[frozenset[str], ...]) -> bool:
    """Whether a figure (not a year) stands within NEAR_FIGURE words of a word naming what is
    counted (a table's header and its row), or in one clause with it: the reports speak of a
    subject often without the count asked for, but a clause holding both says it ("Het aantal
    ingebrekestellingen dat in 2012 is ingediend bedroeg 3.819": seven words on), where a figure
    after a comma counts something else ("..., bij 300 aanvragen")."""
    clauses = (c for sentence in split_sentences(text) for c in _CLAUSE_BREAK.split(sentence))
    return _counts_in(text, what, NEAR_FIGURE) or any(_counts_in(c, what) for c in clauses)


def _counts_in(text: str, what: tuple[frozenset[str], ...], near: int | None = None) -> bool:
    """A figure within `near` words of a counted word (anywhere in `text` when None)."""
    tokens = _TOKEN.findall(text)
    figures = [i for i, t in enumerate(tokens) if holds_number(t) and not _YEAR.fullmatch(t.strip(".,;:()"))]
    named = [i for i, t in enumerate(tokens) if any(set(tokenize(t)) & terms for terms in what)]
    return any(near is None or abs(i - j) <= near for i in figures for j in named)
