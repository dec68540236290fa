"""Answer stage: the sentence or table row of a passage that answers, as spans, quote and JSON."""
from __future__ import annotations

import math
import re

from .examine import looks_english
from .kinds import answer_kind, counted
from .lexical import lemma_terms, names, word_terms, words
from .marking import Asked, unit_features, unit_scores
from .records import Passage
from .tables import row_quote
from .units import Span, answer_units, can_mark_at, tab_header, title_header, torn_row, with_header, word_finder

LARGE_TEXT = 20_000  # past this, only the blocks holding a word that meets the query are cut into units
NEAR = 0.5  # a unit at least this likely, relative to the best one, is marked with it
# A sentence opening with one of these leans on the sentence before it ("Dit komt door ...").
_LEANS_BACK = re.compile(r"^[‘'\"“(]?(dit|deze|dat|die|daar\w*|hier\w*|zo|toch|ook|bovendien|verder|daarnaast|"
                         r"wel|maar|hij|zij|ze|hun|haar)\b", re.I)

# A quotation within one paragraph: an opening mark, then the first closing one after a sentence's end.
_QUOTATION = re.compile(r"[‘“](?:(?!\n\s*\n)[^‘“])*?[.!?…,][’”]")
_LIST_ITEM = re.compile(r"^\s*(?:[-–•*·]|\d{1,2}[.)]|[a-z][.)])\s+\S")


def asked(question: str, terms: list[str], years: tuple[int, ...] = ()) -> Asked:
    """What the marking looks for. Beside the query's terms, the lemma's terms of each of its
    words ("ontving" -> ontvang), to meet a unit's words or their lemmas' (marking.unit_terms):
    inside one passage a lemma's slips ("gegevens" -> geven) cost little, where in the ranking a
    lemma as a second term per word lost frozen questions (README). Tuning answer@1 0.617 to
    0.626, frozen 0.581 to 0.590."""
    kept = set(terms)
    lemmas = [t for w in words(question) if set(word_terms(w)) <= kept for t in lemma_terms(w)]
    return Asked(frozenset(terms + lemmas), answer_kind(question), tuple(years), names(question), looks_english(question),
                 counted(question))


def highlight(text: str, ask: Asked, idf: dict[str, float], unit_sims: dict[Span, float] | None = None) -> list[Span]:
    """The unit the fitted marking model (marking.py) rates most likely to answer, with its table
    header; or joined by every unit at least NEAR as likely (the model is right about its first
    unit 70% of the time, so a close second is shown too), a neighbour leaning on it and the list
    a marked unit announces with a colon. Headings, titles and sentences that ask never answer alone."""
    terms = set(ask.terms)
    finder = word_finder(text, terms) if len(text) > LARGE_TEXT and not unit_sims else None
    units = answer_units(text, finder)
    if not units:
        return []
    sims = unit_sims or {}
    scores = unit_scores(unit_features([with_header(text, units, i) for i in range(len(units))],
                                       [sims.get(u) for u in units], ask, idf, [text[s:e] for s, e in units]))
    able = [can_mark_at(text, (s, e)) and (finder is None or finder.search(text[s:e].lower()) is not None) for s, e in units]
    if not any(able):
        return []
    best = max((i for i in range(len(units)) if able[i]), key=lambda i: (scores[i], -i))
    torn = torn_row(text, units[best])
    if torn:
        return sorted([units[best], *torn])
    header = tab_header(text, units, best) or title_header(text, units, best)
    if header is not None:
        return [header, units[best]]  # the row says which column is which year only with it
    spans = [units[i] for i in range(len(units)) if i == best or (able[i] and scores[i] >= scores[best] + math.log(NEAR))]
    for near in (best - 1, best + 1):
        if 0 <= near < len(units) and able[near] and _adjacent(text, units[best], units[near]) and (
                _LEANS_BACK.match(text[units[max(best, near)][0]:])):
            spans.append(units[near])  # one sentence leaning on the other
    if ask.kind == "words":
        spans += quotation_rest(text, units, best)
    return sorted(set(spans).union(*(announced(text, units, units.index(span)) for span in spans)))


def quotation_rest(text: str, units: list[Span], best: int) -> list[Span]:
    """The units after the best one up to the end of the quotation it opens or stands in: asked
    what someone said, a reader wants the whole quote ("Lara: ‘Wij deden ons werk in een oude
    fabriekshal. ... Sowieso ben ikzelf niet zo snel bang.’"), not its first sentence."""
    end = units[best][1]
    for m in _QUOTATION.finditer(text):
        if m.start() < end and m.end() > end:
            return [u for u in units[best + 1:] if u[0] < m.end()]
    return []


def announced(text: str, units: list[Span], at: int) -> list[Span]:
    """The list a unit ending in a colon announces ("... leidt tot de volgende resultaten:"): the
    list items right after it, which say what it only promises."""
    if not text[units[at][0]:units[at][1]].rstrip().endswith(":"):
        return []
    out = []
    for i in range(at + 1, len(units)):
        gap = text[units[i - 1][1]:units[i][0]]
        if gap.strip() or gap.count("\n") > 2 or not _LIST_ITEM.match(text[units[i][0]:units[i][1]]):
            break
        out.append(units[i])
    return out


def _adjacent(text: str, a: Span, b: Span) -> bool:
    """Only space between the two units (a unit list may skip blocks, see answer_units)."""
    return not text[min(a[1], b[1]):max(a[0], b[0])].strip()


def idf_table(df: dict[str, int], n_docs: int) -> dict[str, float]:
    return {t: math.log(1 + (n_docs - f + 0.5) / (f + 0.5)) for t, f in df.items()}


class StoreIdf(dict):
    """The idf of terms as they are asked for, looked up in the store once each: highlighting
    needs the question's terms only, never a whole vocabulary in memory."""

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store

    def __missing__(self, term: str) -> float | None:
        self.learn((term,))
        return dict.get(self, term)

    def get(self, term: str, default=None):
        value = self[term] if term not in self else dict.get(self, term)
        return default if value is None else value

    def learn(self, terms) -> None:
        """One look-up for every term not seen yet; a term the corpus lacks is remembered as None."""
        new = tuple(t for t in set(terms) if not dict.__contains__(self, t))
        if new:
            found = idf_table(self.store.doc_freqs(new), self.store.num_docs)
            self.update({t: found.get(t) for t in new})


def passage_json(passage: Passage, rank: int) -> dict:
    """The result object of `kb ask --json`. `quote` is verbatim (a substring of `text`); where the
    marked spans are table rows, `table_row` says them readably: a torn table's verbatim quote runs
    from a row's label down to its values, over every other row's label (None for prose)."""
    c = passage.chunk
    return {"rank": rank, "doc_id": c.doc_id, "title": c.title, "year": c.year, "section": c.section,
            "page": c.page, "start": c.start, "end": c.end, "text": c.text,
            "highlights": [list(h) for h in passage.highlights], "quote": passage.quote,
            "table_row": row_quote(c.text, passage.highlights),
            "citation": passage.citation, "score": round(passage.score, 6), "why": passage.why}
