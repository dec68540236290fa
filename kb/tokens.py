"""Tokens of a quote and of a report's text for comparing them: words, Dutch numbers and
punctuation, each with two keys.

`exact` is the token as written, less what does not count even for a word-for-word quote:
quote marks (dropped), the kind of apostrophe or dash, a hyphen inside a word (a repaired
line-end hyphen, "mvv-aanvragen" = "mvvaanvragen"). `form` also ignores what changes the form
but not the claim: case, accents, "procent" for "%", "euro" for "€", how a number is written
("1.540" = "1540", "1,1" = "1.1", "twee" = "2"). Pure functions, no state.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_TOKEN = re.compile(r"(?P<num>\d+(?:[.,]\d+)*)(?![^\W_])|(?P<word>\w+(?:[-'’]\w+)*)|(?P<punct>[^\w\s])")
QUOTE_MARKS = frozenset("\"'‘’‚‛“”„‟«»‹›`´")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "’": "'", "…": "."})
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3}){2,}")
NUMBER_WORDS = {"twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
                "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
                "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "honderd": 100}
MULTIPLIERS = {"duizend": 1000, "miljoen": 10**6, "mln": 10**6, "miljard": 10**9, "mld": 10**9, "mrd": 10**9}
_SYNONYMS = {"procent": "%", "percent": "%", "pct": "%", "euro": "€", "eur": "€"}


@dataclass(frozen=True)
class Token:
    """One word, number or punctuation mark; `start`/`end` are its span in the text it came from."""

    text: str
    start: int
    end: int
    kind: str  # "word" | "number" | "punct"
    exact: str
    form: str


def dutch_number(text: str) -> Decimal | None:
    """The value of a number as written in Dutch: "1.540" 1540, "1,1" 1.1, "48.000" 48000;
    a point not followed by groups of three digits is a decimal point ("1.5")."""
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif _THOUSANDS.fullmatch(text):
        text = text.replace(".", "").replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


def fold(word: str) -> str:
    """Case and accents folded: "Syrië" -> "syrie", "één" -> "een"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def make_token(text: str, start: int, end: int, kind: str) -> Token:
    exact = unicodedata.normalize("NFKC", text).translate(_DASHES)
    if kind == "word":
        exact = exact.replace("-", "")
        folded = fold(exact).replace("'", "")
        if text.casefold() == "één":
            form = "1"
        elif folded in NUMBER_WORDS:
            form = str(NUMBER_WORDS[folded])
        else:
            form = _SYNONYMS.get(folded, folded)
        return Token(text, start, end, kind, exact, form)
    if kind == "number":
        value = dutch_number(text)
        return Token(text, start, end, kind, exact, format(value, "f") if value is not None else text)
    return Token(text, start, end, kind, exact, exact)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """The text's tokens in order, quote marks left out; spans are shifted by `offset`."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "punct" and m.group() in QUOTE_MARKS:
            continue
        out.append(make_token(m.group(), m.start() + offset, m.end() + offset, "number" if kind == "num" else kind))
    return out


def is_number(token: Token) -> bool:
    return token.kind == "number" or token.form.isdigit()


def value(token: Token) -> Decimal | None:
    return dutch_number(token.form) if is_number(token) else None
