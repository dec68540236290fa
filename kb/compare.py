"""Compare across years: per report year, how many passages speak of a subject and the best ones."""
from __future__ import annotations

from dataclasses import dataclass, field

from .answer import asked, highlight
from .lines import is_contents
from .lexical import stem, tokenize, word_terms, words
from .lexicon import split_compound
from .pipeline import KnowledgeBase, check_question
from .records import Passage


MIN_HEAD = 5  # shorter heads ("werk", "tijd") end too many unrelated words


@dataclass
class YearSummary:
    year: int
    mentions: int
    passages: list[Passage] = field(default_factory=list)


def topic_requirements(topic: str) -> list[tuple[str, tuple[str, ...]]]:
    """Per topic word: its stem, and the stems of its compound parts (both must then occur)."""
    needs = []
    for word in words(topic):
        terms = word_terms(word)
        if terms:
            parts = terms[1:] or tuple(stem(p) for p in split_compound(word, common_too=True))
            needs.append((terms[0], parts))
    return needs


def speaks_of(chunk_terms: set[str], needs: list[tuple[str, tuple[str, ...]]]) -> bool:
    """True when every topic word occurs: whole, as all of its parts, or as its head.

    A Dutch compound names a kind of its last part (klant-tevredenheid is tevredenheid), and
    the head may carry a prefix in the text (on-tevreden), so a term ending in it counts.
    """
    def has(whole: str, parts: tuple[str, ...]) -> bool:
        if whole in chunk_terms or (parts and set(parts) <= chunk_terms):
            return True
        heads = {parts[-1], stem(parts[-1])} if parts else set()  # "tevredenheid" -> tevreden -> tevred
        heads = {h for h in heads if len(h) >= MIN_HEAD}
        return any(term.endswith(h) for term in chunk_terms for h in heads)
    return bool(needs) and all(has(whole, parts) for whole, parts in needs)


def compare(kb: KnowledgeBase, topic: str, per_year: int = 3) -> list[YearSummary]:
    """One summary per report year, oldest first; a year that does not speak of it has no passages.

    Only passages that speak of the topic are shown, best first by meaning (dense score). A table
    of contents does not count: it names the chapter that speaks of the topic, which counts itself.
    A typing slip in the topic is read as the reports' word (kb.respelled): only words as the
    reports spell them find the passages that speak of it."""
    topic = kb.respelled(check_question(topic))[0]
    needs = topic_requirements(topic)
    terms = tokenize(topic) + [p for _, parts in needs for p in parts]
    rows: dict[int, list[int]] = {}
    for row, chunk_terms in enumerate(kb.chunk_terms):
        if speaks_of(chunk_terms, needs) and not is_contents(kb.index.chunks[row].text):
            rows.setdefault(kb.index.chunks[row].year, []).append(row)
    speaking = sorted(r for year_rows in rows.values() for r in year_rows)
    dense = dict(zip(speaking, kb.index.dense_scores(kb.embedder.embed_query(topic), speaking).tolist()))
    summaries = []
    for year in sorted({c.year for c in kb.index.chunks}):
        best = sorted(rows.get(year, []), key=lambda r: -dense[r])[:per_year]
        passages = [Passage(chunk=kb.index.chunks[r], score=float(dense[r]),
                            highlights=highlight(kb.index.chunks[r].text, asked(topic, terms), kb.idf),
                            why={"dense_score": round(float(dense[r]), 4)}, cited=kb.citation(kb.index.chunks[r]))
                    for r in best]
        summaries.append(YearSummary(year=year, mentions=len(rows.get(year, [])), passages=passages))
    return summaries
