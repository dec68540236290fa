"""Wires the asking: question -> embed -> retrieve -> answer (and verify, figures) over an index
kb/build.py made."""
from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from pathlib import Path

import numpy as np

from . import cite, spelling
from .answer import StoreIdf, asked, highlight
from .build import SETTINGS, corpus_hashes
from .chunk import mentioned_years
from .confidence import confidence, features, load_calibration
from .embed import Embedder
from .errors import BadQuery
from .examine import Finding, examine, looks_english
from .index import check_fresh
from .lexical import strip_invisible, tokenize
from .marking import Asked
from .records import Answer, Chunk, Passage
from .retrieve import Filters, Query, make_query, model_text, search, series_references, unit_similarities
from .sentences import quoted, sentence_spans, split_sentences
from .series import Fact, Series, document_facts, find_series, link_series
from .store import Location, backend
from .verify import MAX_QUOTE, NEAR_AT, Located, QuoteIndex, Verdict, build_quote_index, check_quote, word_diff

MAX_QUESTION = 1000
MAX_ARTICLE = 100_000  # characters of a text checked sentence by sentence
DENSE_WORDS = 24  # words of a text not found that are embedded to search for its closest passages
_HOW_MANY = re.compile(r"\b(hoeveel|hoe veel|aantal|percentage|welk deel|how many|how much|what share|which share)\b", re.I)
_SHARE = re.compile(r"\b(percentage|procent|welk deel|what share|which share|tijdig\w*)\b|%", re.I)


WORDLIKE = 0.6  # the least share of a question's characters (spaces aside) that are letters or digits


def check_question(question: str) -> str:
    """The question, trimmed; BadQuery when it is empty, absurdly long, or has no words or mostly symbols."""
    q = " ".join(strip_invisible(question).split())  # the embedder sees what BM25 sees
    if not q:
        raise BadQuery("the question is empty; type a few words, e.g. kb ask \"tijdige afhandeling klachten 2012\"")
    if len(q) > MAX_QUESTION:
        raise BadQuery(f"the question is {len(q):,} characters long; keep it under {MAX_QUESTION:,}")
    if not any(ch.isalnum() for ch in q):
        raise BadQuery(f"the question '{q[:40]}' has no letters or digits; ask in words")
    signs = [ch for ch in q if not ch.isspace()]
    if sum(ch.isalnum() for ch in signs) < WORDLIKE * len(signs):  # "#$%^&*() <script>alert(1)</script> ░▒▓"
        raise BadQuery(f"the question '{q[:40]}' is mostly symbols, not words; ask in words")
    return q


@functools.lru_cache(maxsize=64)
def _asked_of(text: str, terms: tuple[str, ...], years: tuple[int, ...]) -> Asked:
    """What a question asks, read once for its marking and its no-answer features."""
    return asked(text, list(terms), years)


_DERIVED = ("series", "chunk_terms", "texts", "quotes", "periods", "titles", "vocabulary")  # cached per generation


class KnowledgeBase:
    """An opened index with its embedder: ask it questions. Load once, ask many times. With a
    shared store, each question first checks the store's generation: a build made by another
    process is used from the next question on, without a restart."""

    def __init__(self, location: Location, embedder: Embedder, corpus: Path | None = None) -> None:
        self.backend = backend(location)
        self.embedder = embedder
        self._open()
        check_fresh(self.index.manifest, embedder.fingerprint, SETTINGS,
                    corpus_hashes(corpus) if corpus else self.index.manifest.get("corpus", {}))

    def _open(self) -> None:
        self.index = self.backend.open()
        self.opened = self.index.generation()
        self.idf = StoreIdf(self.index)
        for name in _DERIVED:
            self.__dict__.pop(name, None)

    def refresh(self) -> bool:
        """Reopen when the store's current generation is not the one opened; True when it was.
        The new generation must fit this embedder and these settings; its corpus may differ
        (another process added a report)."""
        if self.index.generation() == self.opened:
            return False
        self._open()
        check_fresh(self.index.manifest, self.embedder.fingerprint, SETTINGS, self.index.manifest.get("corpus", {}))
        return True

    @functools.cached_property
    def series(self) -> list[Series]:
        """Every table row of the indexed reports as facts, linked across reports (made once)."""
        facts = [f for doc in self.index.documents.values() for f in document_facts(doc, self.index.chunks)]
        return link_series(facts)

    def figures(self, query: str) -> list[Series]:
        """The series a query names, best first; a typing slip read as the reports' word."""
        self.refresh()
        return find_series(self.series, self.respelled(check_question(query))[0])

    def figure_answer(self, question: str, years: tuple[int, ...] = (), doc_ids: tuple[str, ...] = ()) -> list[Fact]:
        """For a question that asks for a figure ("hoeveel klachten in 2016"): the facts of the best
        matching series for the years it names (else the latest year), every source kept. The
        search's filters hold for them too: report years and documents."""
        q = check_question(question)
        if not _HOW_MANY.search(q):
            return []
        rest = _HOW_MANY.sub(" ", q)
        found = find_series(self.series, rest)  # only series the question is about (series.covers)
        wants_share = bool(_SHARE.search(q))
        found = [s for s in found if (s.unit == "%") == wants_share] or found
        asked = set(mentioned_years(q))
        for series in found:
            kept = [f for f in series.facts if (not years or f.report_year in years) and (not doc_ids or f.doc_id in doc_ids)]
            wanted = asked or {max((f.year for f in kept), default=0)}
            facts = [f for f in kept if f.year in wanted]
            if facts:
                return facts
        return []

    @functools.cached_property
    def chunk_terms(self) -> list[frozenset[str]]:
        """Each chunk's BM25 terms, for `compare` (made once, not on every call)."""
        return [frozenset(tokenize(c.text)) for c in self.index.chunks]

    @functools.cached_property
    def texts(self) -> dict[str, str]:
        return {doc_id: d["text"] for doc_id, d in self.index.documents.items()}

    @functools.cached_property
    def vocabulary(self) -> spelling.Vocabulary:
        return spelling.vocabulary(self.texts.values())

    def respelled(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The text with its typing slips read as the reports' words, and the (typed, read) pairs."""
        return spelling.respelled(text, self.vocabulary)

    @functools.cached_property
    def quotes(self) -> QuoteIndex:
        return build_quote_index(self.texts)

    def verify(self, text: str, closest: bool = True) -> Verdict:
        """Did the reports say `text`? The verdict, where, and what differs; for a text that is
        not found the closest passages (unless `closest` is False: a sentence of an article)."""
        q = check_quote(text)
        self.refresh()
        finding = examine(self.quotes, self.texts, q)
        verdict = finding.verdict if finding else "not_found"
        if verdict == "not_found":
            translation = looks_english(q)
            near = [self._passage_at(finding.at)] if finding and finding.at.score >= NEAR_AT and not translation else []
            return Verdict(q, False, False, finding.at.score if finding else 0.0, None,
                           self._diff(finding, q), self._closest(q, near, translation) if closest else [],
                           translation=translation)
        at, cmp = finding.at, finding.comparison
        passage = self._passage_at(at)
        found = verdict in ("exact", "equivalent")
        return Verdict(q, found, verdict == "exact", at.score, passage if found else None, self._diff(finding, q),
                       verdict=verdict, changes=cmp.changes, omitted=cmp.omitted, source=None if found else passage,
                       parts=[self._passage_at(p) for p in finding.parts],
                       checked=q[slice(*finding.claim)] if finding.claim else "")

    def verify_text(self, text: str) -> list[Verdict]:
        """A verdict per sentence of an article; where a sentence quotes (words between quote
        marks), the quoted words are what is checked. A sentence not found as a quote gets its
        closest passage: a claim in other words than the report's may still be the report's, and
        a reader checks it there (one search a sentence, about 40 ms)."""
        if len(text) > MAX_ARTICLE:
            raise BadQuery(f"the text is {len(text):,} characters long; check at most {MAX_ARTICLE:,} at a time")
        out = []
        for sentence in split_sentences(text):
            if not any(ch.isalnum() for ch in sentence):
                continue
            checks = [dataclasses.replace(self.verify(part, closest=False), text=sentence, checked=part)
                      for part in quoted(sentence)] or [self.verify(sentence[:MAX_QUOTE], closest=False)]
            # the nearest by meaning, not the stretch nearest in characters: a claim in other words
            out += [dataclasses.replace(v, closest=self._closest(v.checked or v.text, [], v.translation)[:1])
                    if v.verdict == "not_found" else v for v in checks]
        return out

    def _diff(self, finding: Finding | None, q: str) -> list[list[str]]:
        return word_diff(self.texts[finding.at.doc_id][finding.at.start:finding.at.end], q) if finding else []

    def _closest(self, q: str, near: list[Passage], translation: bool) -> list[Passage]:
        """Up to three passages nearest to `q`: the nearest stretch first, then a search (its
        dense part on the first DENSE_WORDS words: embedding time grows with length), none for a
        text a question may not be (mostly symbols: a quote may be). For a text in English, the
        passages whose sentence is closest in meaning come first, that sentence marked (the Dutch
        it may translate)."""
        try:
            question = check_question(q[:MAX_QUESTION])
        except BadQuery:
            return near
        vector = self.embedder.embed_query(" ".join(question.split()[:DENSE_WORDS]))
        found = self._search(make_query(question, vector), k=4 if translation else 3)  # no latent terms: a long text
        if translation:
            found = [p for _, p in sorted((self._mark_meaning(vector, p) for p in found), key=lambda m: -m[0])]
        ids = {p.chunk.chunk_id for p in near}
        return (near + [p for p in found if p.chunk.chunk_id not in ids])[:3]

    def _mark_meaning(self, query: np.ndarray, passage: Passage) -> tuple[float, Passage]:
        """The passage with its sentence nearest in meaning to the query vector marked, and how near."""
        spans = sentence_spans(passage.chunk.text)
        if not spans:
            return 0.0, passage
        scores = self.embedder.embed_batch([passage.chunk.text[s:e] for s, e in spans]) @ query
        best = int(np.argmax(scores))
        return float(scores[best]), dataclasses.replace(passage, highlights=[spans[best]])

    def _passage_at(self, at: Located) -> Passage:
        """The chunk where a located text starts, stretched to its end, the text highlighted."""
        mine = sorted((c for c in self.index.chunks if c.doc_id == at.doc_id), key=lambda c: c.start)
        chunk = next((c for c in reversed(mine) if c.start <= at.start), mine[0])
        start, end = min(chunk.start, at.start), max(chunk.end, at.end)
        if (start, end) != (chunk.start, chunk.end):
            chunk = dataclasses.replace(chunk, start=start, end=end, text=self.texts[at.doc_id][start:end])
        spans = [(at.start - chunk.start, at.end - chunk.start)]
        chunk = self.quoted_page(chunk, spans)
        return Passage(chunk, at.score, spans, cited=self.citation(chunk))

    def ask(self, question: str, k: int = 5, years: tuple[int, ...] = (), doc_ids: tuple[str, ...] = ()) -> list[Passage]:
        return self._asked(question, k, years, doc_ids)[1]

    def _asked(self, question: str, k: int, years: tuple[int, ...], doc_ids: tuple[str, ...]) -> tuple[Query, list[Passage]]:
        """The checked question's query and its passages, on the current index."""
        q = check_question(question)
        self.refresh()
        query = self.query(q)
        return query, self._search(query, k, Filters(tuple(years), tuple(doc_ids)))

    def query(self, q: str) -> Query:
        """A checked question embedded (its vector and, when the model has a sparse head, its
        latent terms) and tokenized, ready for retrieve.search; a word the reports and the
        dictionary do not know, read as the reports' word one typing slip away."""
        q, respelled = self.respelled(q)
        return make_query(q, *self.embedder.embed_question(model_text(q)), references=series_references(q, self.titles),
                          respelled=respelled)

    def _search(self, query: Query, k: int, filters: Filters = Filters()) -> list[Passage]:
        passages = search(self.index, query, k=k, filters=filters)
        self.idf.learn(query.terms)
        ask = _asked_of(query.text, query.terms, query.years)
        out = []
        for p in passages:
            spans = highlight(p.chunk.text, ask, self.idf, unit_similarities(self.index, p, query.vector))
            chunk = self.quoted_page(p.chunk, spans)
            out.append(dataclasses.replace(p, chunk=chunk, highlights=spans, cited=self.citation(chunk)))
        return out

    def quoted_page(self, chunk: Chunk, spans: list[tuple[int, int]]) -> Chunk:
        """The chunk cited by the page its quote starts on, not the page the passage starts on: a
        journalist checks the quote in the PDF ("Advies: ..." is on p. 3 of a passage from p. 2)."""
        starts = (self.index.document(chunk.doc_id) or {}).get("page_starts") or []
        if not chunk.page or not spans or not starts:
            return chunk
        return dataclasses.replace(chunk, page=bisect.bisect_right(starts, chunk.start + spans[0][0]))

    def citation(self, chunk: Chunk, lang: str = "en") -> str:
        """A passage's full citation from its report's manifest entry: publisher, and a document a
        user added marked as such with its date, so nobody quotes an upload as an IND statement."""
        return cite.citation(chunk, self.index.document(chunk.doc_id) or {"title": chunk.title, "year": chunk.year}, lang)

    def answer(self, question: str, k: int = 5, years: tuple[int, ...] = (), doc_ids: tuple[str, ...] = ()) -> Answer:
        """The passages, the table facts a figure question asks for, and whether the reports
        seem to answer it at all: not when the passages seem not to and no table gives the figure
        (a fact shown under "the reports do not answer this" would contradict it)."""
        query, passages = self._asked(question, k, years, doc_ids)
        cal = load_calibration()
        sure = confidence(self._features(query, passages), cal)
        facts = self.figure_answer(query.text, years, doc_ids)
        return Answer(query.text, passages, no_answer=sure < cal.threshold and not facts, confidence=round(sure, 4),
                      facts=facts, respelled=query.respelled)

    def answer_features(self, question: str, k: int = 5) -> list[float]:
        """The no-answer model's features of a question's search, as `answer` reads them
        (scripts/calibrate.py fits the model on them)."""
        return self._features(*self._asked(question, k, (), ()))

    def _features(self, query: Query, passages: list[Passage]) -> list[float]:
        return features(passages, _asked_of(query.text, query.terms, query.years), self.periods, self.idf)

    @functools.cached_property
    def titles(self) -> dict[str, int]:
        """Each report's title and the year in it: a question may name a report by its place in a series."""
        return {d["title"]: int(d["year"]) for d in self.index.documents.values() if d.get("title") and d.get("year")}

    @functools.cached_property
    def periods(self) -> set[int]:
        """Every year some report is about: its figures' period and the year in its title."""
        return {int(y) for d in self.index.documents.values() for y in (*d.get("period", ()), d.get("year", 0)) if y}
