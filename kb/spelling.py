"""Spelling: a question's word that neither the reports nor a dictionary know, read as the
reports' word one typing slip away ("klahcten" is "klachten"), or as the reports write it with
its accents ("Oekraine" is "Oekraïne"). BM25 only meets words as the reports spell them."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .lexical import STOPWORDS, normalize
from .lexicon import word_score

MIN_LENGTH = 5  # a shorter word is one slip away from too many others ("kost": kast, post, ...)
MIN_COUNT = 2  # a word the reports print once may be a broken word of a PDF's text, not a word
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Vocabulary:
    written: frozenset[str]  # every word of the reports, as written (lower case)
    counts: dict[str, int]  # a word without its accents -> how often the reports print it
    forms: dict[str, str]  # a word without its accents -> its most frequent written form


def strip_accents(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


def vocabulary(texts: Iterable[str]) -> Vocabulary:
    written = Counter(w for text in texts for w in _LETTER_RUN.findall(normalize(text)))
    counts: Counter[str] = Counter()
    forms: dict[str, tuple[int, str]] = {}
    for word, n in written.items():
        bare = strip_accents(word)
        counts[bare] += n
        forms[bare] = max(forms.get(bare, (0, word)), (n, word))
    return Vocabulary(frozenset(written), dict(counts), {bare: word for bare, (_, word) in forms.items()})


def slips(word: str) -> set[str]:
    """Every string one typing slip from `word`: a letter left out, added, changed, or two swapped."""
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in cuts if b} | {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
            | {a + c + b[1:] for a, b in cuts if b for c in _ALPHABET} | {a + c + b for a, b in cuts for c in _ALPHABET})


def reading(word: str, vocab: Vocabulary) -> str | None:
    """The reports' word a typed word stands for, or None when it stands for itself: it is in the
    reports, a stop word, short, or a word the dictionary knows (then it is meant as typed)."""
    w = normalize(word)
    if w in vocab.written or w in STOPWORDS:
        return None
    bare = strip_accents(w)
    if bare in vocab.forms:
        return vocab.forms[bare]  # "oekraine": the word the reports print with its accents
    if len(bare) < MIN_LENGTH or word_score(w) > 0:
        return None
    near = [(vocab.counts[s], s) for s in slips(bare) if vocab.counts.get(s, 0) >= MIN_COUNT]
    return vocab.forms[max(near)[1]] if near else None


def respelled(question: str, vocab: Vocabulary) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The question with each slip read as the reports' word, and the (typed, read) pairs."""
    changed: list[tuple[str, str]] = []

    def mend(m: re.Match) -> str:
        typed = m.group()
        read = reading(typed, vocab)
        if read is None:
            return typed
        read = read[0].upper() + read[1:] if typed[0].isupper() else read
        changed.append((typed, read))
        return read

    return _LETTER_RUN.sub(mend, question), tuple(dict.fromkeys(changed))
