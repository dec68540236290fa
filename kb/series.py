"""Series stage: the facts of the table rows, cited, and linked across reports by measure.

A fact is one value of one table row (figures.py finds the rows). Rows of different reports
that measure the same thing become one series: their table titles share a word and their
labels, less the table's words and words that only say "how many", have the same stems.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import cite
from .figures import table_rows
from .lexical import STOPWORDS, stem, tokenize, word_terms, words


@dataclass(frozen=True)
class Fact:
    """One value of one table row, with the year of its column and the citation of its row."""

    doc_id: str
    report: str  # the report's title
    report_year: int
    table: str
    label: str
    year: int
    as_written: str
    value: float
    unit: str
    start: int  # the row's span in the document's cleaned text
    end: int
    citation: str


@dataclass
class Series:
    """Facts about one measure across reports; `disputed` lists years whose sources disagree."""

    table: str
    label: str
    unit: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def disputed(self) -> list[int]:
        by_year = defaultdict(set)
        for f in self.facts:
            by_year[f.year].add(f.value)
        return sorted(y for y, values in by_year.items() if len(values) > 1)

    @property
    def name(self) -> str:
        table = self.table.title() if self.table.isupper() else self.table
        return f"{table}: {self.label}" if table else self.label


# Words that only say "how many of the table's subject": "Totaal aantal klachten", "Aanbod klachten"
# and "Aantal ontvangen" under KLACHTEN all count the complaints that came in.
_COUNT_WORDS = frozenset(stem(w) for w in ("totaal", "aantal", "aanbod", "ontvangen", "binnengekomen", "instroom"))


def _stems(text: str) -> frozenset[str]:
    text = re.sub(r"\([^)]*\)", " ", text)  # "(streefwaarde 90%)", "(9.690 TEV + 4.220 VVR)": detail, not name
    return frozenset(stem(w) for w in words(text) if w not in STOPWORDS and not w[0].isdigit())


def measure_key(table: str, label: str) -> frozenset[str]:
    """What a row measures, apart from its table: the label's stems less the table's and count words."""
    return _stems(label) - _stems(table) - _COUNT_WORDS


def document_facts(doc: dict, chunks: list) -> list[Fact]:
    """The facts of one indexed document; each cites the chunk its row stands in, in full (publisher;
    a document a user added marked)."""
    mine = sorted((c for c in chunks if c.doc_id == doc["doc_id"]), key=lambda c: c.start)
    facts = []
    about = (doc.get("period") or [doc["year"]])[0]  # the year the report is about comes first in its period
    for row in table_rows(doc["text"], about):
        chunk = next((c for c in mine if c.start <= row.start < c.end), None)
        citation = cite.citation(chunk, doc, "en") if chunk else cite.report_name(doc, "en")
        facts.extend(Fact(doc["doc_id"], doc["title"], doc["year"], row.table, row.label, cell.year,
                          cell.as_written, cell.value, cell.unit, row.start, row.end, citation)
                     for cell in row.cells)
    return facts


def link_series(facts: list[Fact]) -> list[Series]:
    """Facts of rows that share a table subject, measure and unit become one series. A report
    gives a series one row at most (printed twice, it counts once): two rows of one report are
    two measures, however alike their labels."""
    series: list[Series] = []
    for fact in sorted(facts, key=lambda f: (f.report_year, f.start)):
        at = _best_series(series, fact)
        if at is None:
            series.append(Series(fact.table, fact.label, fact.unit))
            at = len(series) - 1
        known = series[at].facts
        if not any(f.doc_id == fact.doc_id and f.year == fact.year and f.value == fact.value for f in known):
            known.append(fact)
    for s in series:
        s.facts.sort(key=lambda f: (f.year, f.report_year))
    return series


def _best_series(series: list[Series], fact: Fact) -> int | None:
    table, key = _stems(fact.table), measure_key(fact.table, fact.label)
    best, best_overlap = None, 0
    for i, s in enumerate(series):
        first = s.facts[0]
        if s.unit != fact.unit or measure_key(first.table, first.label) != key:
            continue
        if any(f.doc_id == fact.doc_id and (f.table, f.label) != (fact.table, fact.label) for f in s.facts):
            continue
        overlap = len(_stems(first.table) & table)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


def series_terms(s: Series) -> set[str]:
    """The words naming a series: its table's, its rows', and its unit when that is a word
    ("Ambtelijke bezetting 2.946 fte" answers "hoeveel fte")."""
    return set(tokenize(f"{s.table} {' '.join({f.label for f in s.facts})} {s.unit if s.unit.isalpha() else ''}"))


def covers(s: Series, query: str) -> bool:
    """True when at least half of the query's words (less figures) name the series' table or
    row: "Hoeveel kost een paspoort bij de gemeente?" is not about any table that says "gemeente".
    A compound names it by itself or by its head, the part that says what it is: "verblijfsstickers"
    are stickers, not the documents of a row that shares "verblijf"."""
    terms = series_terms(s)
    content = [word_terms(w) for w in words(query) if word_terms(w) and not w[0].isdigit()]
    return bool(content) and 2 * sum(t[0] in terms or t[-1] in terms for t in content) >= len(content)


def find_series(series: list[Series], query: str) -> list[Series]:
    """Series whose table or label shares the most words with the query and that the query is
    about (`covers`), best first."""
    wanted = {t for t in tokenize(query) if not t[0].isdigit()}
    scored = []
    for s in series:
        terms = series_terms(s)
        hits = len(wanted & terms)
        if hits and covers(s, query):  # "meldingen per gemeente" is no IND table's subject
            scored.append((hits, len(s.facts), s))
    scored.sort(key=lambda t: (-t[0], -t[1]))
    best = scored[0][0] if scored else 0
    return [s for hits, _, s in scored if hits == best]


def corpus_facts(corpus: Path) -> list[Fact]:
    """The facts of a corpus folder without an index: loaded, cleaned and chunked here."""
    from .chunk import chunk_document
    from .load import load_corpus

    facts = []
    for doc in load_corpus(corpus).documents:
        row = {"doc_id": doc.meta.doc_id, "title": doc.meta.title, "year": doc.meta.year, "text": doc.text}
        facts.extend(document_facts(row, chunk_document(doc)))
    return facts


def rank_series(series: list[Series], query: str) -> list[Series]:
    """Every series that shares a word with the query and that the query is about (`covers`: a
    compound by itself or its head), the one most about it first: the share of the
    query's words it holds, then whether its table title holds one (a table is about its title:
    "asiel" -> the asylum table's rows before a documents table row that names asylum), then how many
    reports and years keep it (a measure the reports carry on is a headline one), then the share of its
    own name's words the query matches (a short, exact name before a long one)."""
    wanted = {t for t in tokenize(query) if not t[0].isdigit()}
    scored = []
    for s in series:
        terms = series_terms(s)
        hits = wanted & terms
        if not hits or not covers(s, query):  # "klanttevredenheid" is no "Klantdirectie Asiel" figure
            continue
        table, name = set(tokenize(s.table)), set(tokenize(s.name))
        scored.append(((len(hits) / len(wanted), bool(wanted & table), len({f.doc_id for f in s.facts}),
                        len({f.year for f in s.facts}), len(wanted & name) / max(len(name), 1)), s))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    return [s for _, s in scored]


def year_runs(years: list[int]) -> dict[int, int]:
    """Each year's run of consecutive years (2010, 2011, 2012 | 2015, 2016): the line joins a run only."""
    runs, run, last = {}, 0, None
    for year in sorted(set(years)):
        run += last is not None and year - last > 1
        runs[year], last = run, year
    return runs
