"""Retrieve stage: BM25 and dense rankings fused by reciprocal rank, a year as a soft hint.

Pure over an opened store (kb/store.py): the store finds the candidates and hands over their
data; every score and the fusion are worked out here, the same for every store. The query
arrives embedded and tokenized; nothing here touches a model.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Container
from dataclasses import dataclass

import numpy as np

from .chunk import mentioned_years
from .half import as_float32
from .kinds import answer_kind, holds_kind
from .latent import Terms
from .lexical import tokenize, word_terms, words
from .records import Chunk, Passage
from .store import Store

DENSE_WEIGHT = 1.0
BM25_WEIGHT = 0.5
SENTENCE_WEIGHT = 0.5  # the best sentence of a passage, beside the passage as a whole
YEAR_WEIGHT = 1.0  # a report covering the asked year
WORDS_WEIGHT = 0.5  # the share of the question's term weight the passage holds
LATENT_WEIGHT = 1.0  # the e5 sparse head's latent terms shared with the question (kb/latent.py)
KIND_WEIGHT = 0.5  # the passage holds an answer of the kind asked (a figure for "hoeveel"; kb/kinds.py)
CANDIDATES = 100  # how deep each ranking is read before fusion


@dataclass(frozen=True)
class Query:
    text: str
    vector: np.ndarray
    terms: tuple[str, ...]
    years: tuple[int, ...]
    latent: Terms | None = None  # the question's latent terms, when the model has a sparse head
    kind: str = ""  # the kind of answer asked for (kinds.answer_kind)
    reports: tuple[int, ...] = ()  # the title years of reports it names without a year (series_references)
    respelled: tuple[tuple[str, str], ...] = ()  # (typed, read): its slips read as the reports' words (spelling.py)


@dataclass(frozen=True)
class Filters:
    years: tuple[int, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def allows(self, chunk: Chunk) -> bool:
        return (not self.years or chunk.year in self.years) and (not self.doc_ids or chunk.doc_id in self.doc_ids)


# A reporting frame that opens a question ("Wat zegt de IND over ...", "Hoe verklaart de IND dat
# ..."): no passage says it, so the model passes read the question without it. BM25 keeps its words.
_FRAME = re.compile(r"^\s*(?:(?:wat|hoe)\s+(?:zegt|zei|verklaart|beschrijft|omschrijft|typeert|ziet|kijkt)\s+"
                    r"(?:de\s+)?ind(?![\w-])\s*(?:aan\s+)?(?:over\s+|dat\s+|tegen\s+)?|(?:what|how)\s+(?:does|did)\s+"
                    r"the\s+ind\s+(?:say|explain|describe|see)\s+(?:about\s+|that\s+)?)", re.I)


def model_text(question: str) -> str:
    """The question as the model embeds it: a reporting frame at its start left out. On the tuning
    half's journalist questions hit@1 0.75 to 0.80 (24 of 293 questions open with one)."""
    rest = _FRAME.sub("", question, count=1).strip()
    return rest if any(ch.isalnum() for ch in rest) else question


def make_query(text: str, vector: np.ndarray, latent: Terms | None = None,
               references: tuple[tuple[int, str], ...] = (), respelled: tuple[tuple[str, str], ...] = ()) -> Query:
    """Years in the question are a hint, scored by year_match, not BM25 terms: otherwise a
    question that shares only its year with a passage would still rank that passage. So are the
    reports it names by their place in a series (`references`, from series_references): "de
    eerste Stand van de Uitvoering" would rank the passages that speak of the report itself."""
    years = mentioned_years(text)
    naming = set(tokenize(" ".join(words for _, words in references)))
    terms = tuple(t for t in tokenize(text) if not (t.isdecimal() and int(t) in years) and t not in naming)
    return Query(text=text, vector=vector, terms=terms, years=years, latent=latent, kind=answer_kind(text),
                 reports=tuple(sorted({year for year, _ in references})), respelled=respelled)


_PLACES = {"eerste": 0, "first": 0, "tweede": 1, "second": 1, "derde": 2, "third": 2,
           "laatste": -1, "nieuwste": -1, "recentste": -1, "last": -1, "latest": -1}
_PLACE_IN_SERIES = re.compile(rf"\b({'|'.join(_PLACES)})\s+(\w{{4,}})\b(?!-)", re.I)


def series_references(question: str, titles: dict[str, int]) -> tuple[tuple[int, str], ...]:
    """Each report a question names by its place in a series of reports ("de eerste Stand van de
    Uitvoering", "het laatste jaarverslag"), as its title year and the words naming it: of the
    reports whose title holds the word after the ordinal, the first, second, ... or last by year.
    `titles`: report title -> year."""
    found = []
    for m in _PLACE_IN_SERIES.finditer(question):
        word = m.group(2).lower()
        series = sorted((year, title) for title, year in titles.items() if word in re.findall(r"\w+", title.lower()))
        place = _PLACES[m.group(1).lower()]
        if series and place < len(series):
            year, title = series[place]
            rest = re.findall(r"\w+", title.lower())
            rest = rest[rest.index(word):]
            named = [m.group(1)]
            for w, expected in zip(re.findall(r"\w+", question[m.start(2):]), rest):
                if w.lower() != expected:
                    break
                named.append(w)  # "Stand van de Uitvoering": the title's words as they follow in it
            found.append((year, " ".join(named)))
    return tuple(found)


def ranking(scores: np.ndarray, allowed: np.ndarray | None, depth: int = CANDIDATES) -> list[int]:
    """Indices of the best-scoring allowed rows, best first; rows scoring 0 or less are left out."""
    positive = scores > 0
    candidates = np.flatnonzero(positive if allowed is None else allowed & positive)
    if len(candidates) > depth:  # a common word matches much of a large corpus: no full sort
        cut = -np.partition(-scores[candidates], depth - 1)[depth - 1]
        candidates = candidates[scores[candidates] >= cut]
    order = candidates[np.argsort(-scores[candidates], kind="stable")]
    return order[:depth].tolist()


def unit_similarities(index: Store, passage: Passage, vector: np.ndarray) -> dict[tuple[int, int], float]:
    """Cosine of the question with each sentence unit of the passage's chunks, by span in its text."""
    out: dict[tuple[int, int], float] = {}
    for row, chunk in zip(passage.rows, index.chunks_at(list(passage.rows))):
        spans, vectors = index.units_of(row)
        shift = chunk.start - passage.chunk.start
        sims = vectors.astype(np.float32) @ np.asarray(vector, dtype=np.float32)
        out.update({(int(s) + shift, int(e) + shift): float(x) for (s, e), x in zip(spans, sims)})
    return out


def best_sentence_scores(index: Store, vector: np.ndarray, pool: set[int]) -> dict[int, float]:
    """Each candidate's best sentence similarity to the question: a passage about something else
    that holds the one answering sentence scores by that sentence."""
    rows = sorted(pool)
    units = [index.units_of(r)[1] for r in rows]
    has = [len(u) > 0 for u in units]
    if not any(has):
        return {}
    rows = [r for r, h in zip(rows, has) if h]
    sims = as_float32(np.concatenate([u for u in units if len(u)])) @ vector
    starts = np.concatenate([[0], np.cumsum([len(u) for u in units if len(u)])[:-1]])
    return dict(zip(rows, np.maximum.reduceat(sims, starts).tolist()))


def year_match(chunk: Chunk, period: tuple[int, ...], years: tuple[int, ...], reports: tuple[int, ...] = ()) -> float:
    """1 when the chunk's report is about a queried year, whether or not the passage prints it:
    the year in its title or the first of its period, the year it reports on ("Stand 2023" is
    about 2022); 0.5 when only the passage names the year or the report has it as a comparison
    year, the later years of its period (a 2012 report's 2011 column): a question about 2011
    met 2012 passages that say "net als in 2011" first (tuning hit@1 0.754 to 0.759). A report
    the question names ("de eerste Stand") counts as 1 and leaves its neighbour in the series,
    whose period may cover the same year, at what the years alone give."""
    if chunk.year in reports:
        return 1.0
    if not years:
        return 0.0
    own = any(y == chunk.year or (period and y == period[0]) for y in years)
    printed = any(y in chunk.years or y in period for y in years)
    return 1.0 if own else 0.5 * printed


def vocabulary_coverage(index: Store, query: Query) -> float:
    """Share of the query's words the corpus knows. An English question against Dutch
    reports matches one stray loan word; the dense ranking, multilingual, should lead then."""
    if not query.terms:
        return 0.0
    vocab = index.doc_freqs(query.terms)
    return sum(t in vocab for t in query.terms) / len(query.terms)


def unknown_share(index: Store, text: str) -> float:
    """Share of the question's content words none of whose terms the corpus uses ("rijbewijs",
    "UWV"): a question about a subject the reports never mention."""
    content = [w for w in words(text) if w.isalpha() and len(w) >= 3]
    known = index.doc_freqs(tuple({t for w in content for t in word_terms(w)}))
    asked = [w for w in content if word_terms(w)]  # stop words have no terms
    return sum(not any(t in known for t in word_terms(w)) for w in asked) / len(asked) if asked else 0.0


def overlaps(a: Chunk, b: Chunk) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


@dataclass(frozen=True)
class Weights:
    """How much each normalised score counts in the fused one (chosen on the tuning half of the
    question set by scripts/tune_fusion.py; see README)."""

    bm25: float = BM25_WEIGHT
    dense: float = DENSE_WEIGHT
    sentence: float = SENTENCE_WEIGHT
    year: float = YEAR_WEIGHT
    words: float = WORDS_WEIGHT
    latent: float = LATENT_WEIGHT
    kind: float = KIND_WEIGHT


@dataclass
class Candidates:
    """The rows either ranking found, with every score each row has (not only its rank)."""

    rows: np.ndarray
    bm25: np.ndarray  # raw BM25 score
    dense: np.ndarray  # cosine of the passage vector
    sentence: np.ndarray  # cosine of its best sentence (the passage's own when it has none)
    year: np.ndarray  # year_match, 0..1
    coverage: float  # vocabulary_coverage of the query
    words: np.ndarray  # share of the question's term weight the passage holds, 0..1
    latent: np.ndarray  # latent terms shared with the question (dot product)
    kind: np.ndarray  # 1 where the passage holds an answer of the kind asked, else 0
    unknown: float = 0.0  # unknown_share of the question


def candidate_rows(index: Store, query: Query, vector: np.ndarray, filters: Filters) -> np.ndarray:
    """The rows either ranking puts in its top CANDIDATES, in row order (the store searches)."""
    found = set(index.bm25_top(query.terms, filters, CANDIDATES)) | set(index.dense_top(vector, filters, CANDIDATES))
    return np.array(sorted(found), dtype=np.int64)


def candidates(index: Store, query: Query, filters: Filters = Filters()) -> Candidates:
    vector = np.asarray(query.vector, dtype=np.float32)
    rows = candidate_rows(index, query, vector, filters)
    index.fetch(rows.tolist())
    chunks = index.chunks_at(rows.tolist())
    dense = index.dense_scores(vector, rows.tolist())
    best = best_sentence_scores(index, vector, set(rows.tolist()))
    sentence = np.array([best.get(int(r), float(d)) for r, d in zip(rows, dense)], dtype=np.float32)
    year = np.array([year_match(c, index.period(c.doc_id), query.years, query.reports) for c in chunks], dtype=np.float32)
    weights = term_weights(index, query.terms)
    words = np.array([term_share(chunk_terms(index, int(r)), weights) for r in rows], dtype=np.float32)
    kind = np.array([holds_kind(c.text, query.kind) for c in chunks], dtype=np.float32)
    return Candidates(rows, index.bm25_scores(query.terms, rows), dense, sentence, year,
                      vocabulary_coverage(index, query), words, index.latent_scores(query.latent, rows.tolist()), kind,
                      unknown_share(index, query.text))


def term_weights(index: Store, terms: tuple[str, ...]) -> dict[str, float]:
    """The BM25 idf of each query term the corpus knows."""
    n = index.num_docs
    return {t: float(np.log(1 + (n - df + 0.5) / (df + 0.5))) for t, df in index.doc_freqs(terms).items()}


def chunk_terms(index: Store, row: int) -> Container[str]:
    """The BM25 terms of chunk `row`'s text."""
    return index.terms_of(row)


def rarest_missing(index: Store, query: Query, present: Container[str]) -> float:
    """How rare (idf over the largest possible idf, 0..1) the rarest question term is that the
    passage lacks; a term the corpus never uses counts as rarest: "paspoort" in a question the
    reports cannot answer."""
    n = index.num_docs
    top = float(np.log(1 + (n + 0.5) / 0.5))
    weights = term_weights(index, query.terms)
    missing = [weights.get(t, top) for t in set(query.terms) if t not in present]
    return max(missing, default=0.0) / top if top > 0 else 0.0


def term_share(terms: Container[str], weights: dict[str, float]) -> float:
    """How much of the question's term weight a text holds, each term once: a passage with
    every word of the question beats one repeating a few of them."""
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in terms) / total if total > 0 else 0.0


def _minmax(x: np.ndarray) -> np.ndarray:
    span = float(x.max() - x.min()) if len(x) else 0.0
    return (x - x.min()) / span if span > 0 else np.zeros_like(x)


def fused_scores(c: Candidates, w: Weights = Weights()) -> np.ndarray:
    """A convex combination of the scores, each scaled to 0..1 over the candidates (Bruch et
    al.): a passage one ranking puts far ahead keeps that lead, which rank fusion flattens.
    BM25 counts as much as the question's words are the corpus's (an English question)."""
    top = float(c.bm25.max()) if len(c.bm25) else 0.0
    bm25 = c.bm25 / top if top > 0 else np.zeros_like(c.bm25)
    return (w.bm25 * c.coverage * bm25 + w.dense * _minmax(c.dense) + w.sentence * _minmax(c.sentence)
            + w.year * c.year + w.words * c.words + w.latent * _minmax(c.latent) + w.kind * c.kind)


def search(index: Store, query: Query, k: int = 5, filters: Filters = Filters(),
           weights: Weights = Weights()) -> list[Passage]:
    """The k best passages, no two overlapping, each saying why it ranked."""
    c = candidates(index, query, filters)
    fused = fused_scores(c, weights)
    picked: list[Passage] = []
    chunks = dict(zip(c.rows.tolist(), index.chunks_at(c.rows.tolist())))
    for i in sorted(range(len(c.rows)), key=lambda i: (-fused[i], c.rows[i])):
        row = int(c.rows[i])
        chunk = chunks[row]
        at = next((j for j, p in enumerate(picked) if overlaps(chunk, p.chunk)), None)
        if at is not None:  # the pieces of one split paragraph: one passage, not a lost answer
            picked[at] = merged(index, picked[at], chunk, row)
        elif len(picked) < k:  # past k, a candidate may still extend a picked passage
            picked.append(Passage(chunk=chunk, score=float(fused[i]), why=_why(index, query, c, i, fused), rows=(row,)))
    return picked


def _why(index: Store, query: Query, c: Candidates, i: int, fused: np.ndarray) -> dict:
    """The scores behind a passage's rank (and the no-answer model's features)."""
    terms = chunk_terms(index, int(c.rows[i]))
    return {"fused": round(float(fused[i]), 5), "bm25_score": round(float(c.bm25[i]), 3),
            "dense_score": round(float(c.dense[i]), 4), "sentence_score": round(float(c.sentence[i]), 4),
            "year_hint": round(float(c.year[i]), 3), "term_share": round(float(c.words[i]), 4),
            "latent_score": round(float(c.latent[i]), 3), "holds_answer_kind": bool(c.kind[i]),
            "vocabulary_coverage": round(c.coverage, 4), "unknown_words": round(c.unknown, 4),
            "rarest_missing": round(rarest_missing(index, query, terms), 4),
            "bm25_terms": sorted({t for t in query.terms if t in terms})}


def merged(index: Store, passage: Passage, chunk: Chunk, row: int) -> Passage:
    """`passage` stretched over an overlapping chunk of the same document (kept as ranked)."""
    first = passage.chunk
    start, end = min(first.start, chunk.start), max(first.end, chunk.end)
    if (start, end) == (first.start, first.end):
        return passage
    text = index.text(first.doc_id, start, end)
    joined = dataclasses.replace(first, chunk_id=f"{first.doc_id}:{start}-{end}", start=start, end=end, text=text,
                                 years=tuple(sorted(set(first.years) | set(chunk.years))))
    return dataclasses.replace(passage, chunk=joined, rows=passage.rows + (row,))
