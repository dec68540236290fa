"""Lexical stage: Dutch tokens for BM25 (Snowball stems, stop words, compound parts)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import simplemma
import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

from .lexicon import split_compound

WORD = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
STOPWORDS = frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN) | {"ind"}  # "IND" is on every page
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def strip_invisible(text: str) -> str:
    """Zero-width characters and soft hyphens removed: "belas\u200bting" is "belasting"."""
    return _INVISIBLE.sub("", text)


def normalize(text: str) -> str:
    """Fold case and compatibility forms, drop invisible characters (zero-width, soft hyphen)."""
    if text.isascii():
        return text.lower()  # the same result, without three passes over the text
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _INVISIBLE.sub("", text).casefold()


def words(text: str) -> list[str]:
    return WORD.findall(normalize(text))


@lru_cache(maxsize=100_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The BM25 terms of one word: its stem, plus the stems of its compound parts.

    "klachtafhandeling" -> klachtafhandel, klacht, afhandel: so it meets "afhandeling van
    klachten"; "mvv-aanvragen" -> mvv-aanvrag, mvvaanvrag, mvv, aanvrag: so it meets "mvvaanvragen".
    """
    stem = _stemmer().stemWord
    if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
        return ()
    if word[0].isdigit():
        return (word.rstrip("%").replace(",", "."),) + (("%",) if word.endswith("%") else ())
    terms = [stem(word)]
    parts = re.split(r"[-'’]", word)
    if len(parts) > 1:
        terms.append(stem("".join(parts)))
    else:
        parts = list(split_compound(word))
    terms.extend(stem(p) for p in parts if p and p not in STOPWORDS)
    return tuple(dict.fromkeys(terms))


@lru_cache(maxsize=100_000)
def lemma_terms(word: str) -> tuple[str, ...]:
    """The BM25 terms of a word's dictionary form (simplemma's Dutch lemma) when they differ from
    the word's own: "ontving" -> ontvang, "liet" -> laat. Snowball stems neither a strong verb's
    past forms nor a verb's -t to the infinitive's stem. simplemma loads its Dutch dictionary on
    the first call (0.32 s, 57 MB)."""
    if not word.isalpha():
        return ()
    lemma = simplemma.lemmatize(word, lang="nl").lower()
    return tuple(t for t in word_terms(lemma) if t not in word_terms(word)) if lemma != word else ()


_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_ENDS = (".", "?", "!", ":")  # a word after these opens a sentence


def names(question: str) -> tuple[str, ...]:
    """The names a question mentions: words capitalised where a sentence does not open, and
    acronyms ("UWV", "Rijswijk", "Boonstra"). A possessive "'s" and a hyphenated tail go ("the
    IND's", "NS-jaarabonnement" is "NS"); "IND" and its compounds count as no name, since every
    report is the IND's; nor does a stop word ("What ..." after a colon)."""
    found = []
    for m in _NAME_WORD.finditer(question):
        opens = not question[:m.start()].strip() or question[:m.start()].rstrip().endswith(_SENTENCE_ENDS)
        word = re.sub(r"['’]s$", "", m.group())
        head = word.split("-")[0] if "-" in word and word[0].isupper() else word
        if len(head) < 2 or head.lower() in STOPWORDS or head.lower().startswith("ind'"):
            continue
        if (head.isupper() and head.isalpha()) or (head[0].isupper() and not opens):
            found.append(head)
    return tuple(found)


def mentions(text: str, name: str) -> bool:
    """Whether the text names `name` in some form: a word opening with the name up to its last
    three letters ("Eritrese" for "Eritrea", "Haagse" for "Den Haag"); a name of four letters
    or fewer as a whole word ("NS", "UWV")."""
    name = normalize(name)
    form = re.escape(name[:max(4, len(name) - 3)]) + (r"(?!\w)" if len(name) <= 4 else "")
    return re.search(r"(?<!\w)" + form, normalize(text)) is not None


def tokenize(text: str) -> list[str]:
    return [t for w in words(text) for t in word_terms(w)]


def build_bm25(texts: list[str]) -> bm25s.BM25:
    retriever = bm25s.BM25()
    retriever.index([tokenize(t) or [""] for t in texts], show_progress=False)
    return retriever


def bm25_scores(retriever: bm25s.BM25, terms: list[str]) -> np.ndarray:
    """A BM25 score per chunk; zeros when no term of the query is in the vocabulary."""
    known = [t for t in terms if t in retriever.vocab_dict]
    if not known:
        return np.zeros(int(retriever.scores["num_docs"]), dtype=np.float32)
    return np.asarray(retriever.get_scores(known), dtype=np.float32)


def save_bm25(retriever: bm25s.BM25, folder: Path) -> None:
    retriever.save(str(folder), allow_pickle=False)


def load_bm25(folder: Path) -> bm25s.BM25:
    return bm25s.BM25.load(str(folder), allow_pickle=False, mmap=False)
