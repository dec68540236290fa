"""Dutch word knowledge shared by cleaning and lexical search: is this a word, and its parts."""
from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

MIN_PART = 3  # shorter "parts" (e.g. "en", "de") split too many real words by accident
MIN_TAIL = 4  # a 3-letter tail is mostly a suffix: tijd-ige, belast-ing
LEXICALISED = 3.0  # a word this common is a word of its own, not a compound to take apart
_LINKS = ("s", "e", "en")  # Dutch linking sounds: beroep-s-zitting, klacht-en-lijst


@lru_cache(maxsize=200_000)
def word_score(word: str) -> float:
    """Zipf frequency (0 = unknown, 7 = 'de') in Dutch, or English for loan words."""
    w = word.lower()
    return max(zipf_frequency(w, "nl"), zipf_frequency(w, "en") - 1.0)


def is_word(word: str) -> bool:
    return word_score(word) >= 1.0


def _is_part(word: str) -> bool:
    return len(word) >= MIN_PART and word_score(word) >= 2.0


@lru_cache(maxsize=200_000)
def split_compound(word: str, common_too: bool = False) -> tuple[str, ...]:
    """Split a closed Dutch compound into two known words: "klachtafhandeling" ->
    ("klacht", "afhandeling"); () when no split is plausible. Prefers the longest head.
    Common words are left whole unless `common_too` (a topic the user typed may be split)."""
    w = word.lower()
    if len(w) < MIN_PART + MIN_TAIL or not w.isalpha() or (word_score(w) >= LEXICALISED and not common_too):
        return ()
    for cut in range(len(w) - MIN_TAIL, MIN_PART - 1, -1):
        head, tail = w[:cut], w[cut:]
        if not _is_part(tail):
            continue
        if _is_part(head):
            return (head, tail)
        for link in _LINKS:
            if head.endswith(link) and _is_part(head[: -len(link)]):
                return (head[: -len(link)], tail)
    return ()


def is_known(word: str) -> bool:
    """A word the list knows, or a compound of two words it knows."""
    return is_word(word) or bool(split_compound(word))
