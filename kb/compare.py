"""Compare across years: per report year, how many passages speak of a subject and the best ones."""
from __future__ import annotations

from dataclasses import dataclass, field

from .lexical import tokenize, word_terms, words
from .pipeline import KnowledgeBase, check_question
from .records import Chunk, Passage


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
            needs.append((terms[0], terms[1:]))
    return needs


def speaks_of(chunk_terms: set[str], needs: list[tuple[str, tuple[str, ...]]]) -> bool:
    """True when every topic word occurs, whole or as all of its parts."""
    return bool(needs) and all(stem in chunk_terms or (parts and set(parts) <= chunk_terms)
                               for stem, parts in needs)


def compare(kb: KnowledgeBase, topic: str, per_year: int = 3) -> list[YearSummary]:
    """One summary per report year, oldest first; a year that does not speak of it has no passages."""
    topic = check_question(topic)
    needs = topic_requirements(topic)
    matching: dict[int, list[Chunk]] = {}
    for chunk in kb.index.chunks:
        if speaks_of(set(tokenize(chunk.text)), needs):
            matching.setdefault(chunk.year, []).append(chunk)
    summaries = []
    for year in sorted({c.year for c in kb.index.chunks}):
        ids = {c.chunk_id for c in matching.get(year, [])}
        ranked = kb.ask(topic, k=len(ids), years=(year,)) if ids else []
        passages = [p for p in ranked if p.chunk.chunk_id in ids][:per_year]
        summaries.append(YearSummary(year=year, mentions=len(ids), passages=passages))
    return summaries
