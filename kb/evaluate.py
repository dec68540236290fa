"""Scoring of question sets: hit@1, hit@5, MRR@10 and answer@1 per style, the share of
unanswerable questions recognised, and a tuning/frozen split by a hash of the case id."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import KbError

STYLES_ORDER = ("keyword", "natural", "english", "journalist", "table", "recent", "hard", "dev", "unanswerable")


@dataclass(frozen=True)
class Case:
    case_id: str
    question: str
    years: tuple[int, ...]
    all_of: tuple[str, ...]
    style: str = "dev"

    @property
    def answerable(self) -> bool:
        return bool(self.all_of)


@dataclass(frozen=True)
class Outcome:
    case: Case
    rank: int | None  # 1-based rank of the first answering result within the first 10
    answered_at_1: bool = False  # the top result's marked spans hold the answer
    no_answer: bool = False  # the system said the reports do not answer it


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def half(case_id: str) -> str:
    """'tune' or 'frozen', fixed by the id alone: a case never changes halves."""
    return "frozen" if int(hashlib.sha256(case_id.encode()).hexdigest()[:8], 16) % 2 else "tune"


def read_cases(path: Path) -> list[Case]:
    cases = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise KbError(f"{path}: cannot read the question set ({exc.strerror})") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cases.append(Case(str(row["id"]), row["q"], tuple(row["years"]), tuple(row["all_of"]),
                              row.get("style", "dev" if row["all_of"] else "unanswerable")))
        except (ValueError, KeyError, TypeError) as exc:
            raise KbError(f"{path}:{number}: not a case line with id, q, years, all_of ({exc})") from exc
    return cases


def cases_of(paths: list[Path], which: str = "tune") -> list[Case]:
    """The cases of the files that fall in one half ("tune" or "frozen")."""
    return [c for path in paths for c in read_cases(Path(path)) if half(c.case_id) == which]


def answers(case: Case, year: int, text: str) -> bool:
    folded = fold(text)
    return case.answerable and year in case.years and all(fold(s) in folded for s in case.all_of)


def first_hit(case: Case, results: list[tuple[int, str]]) -> int | None:
    """results: (year, text) best first."""
    for rank, (year, text) in enumerate(results[:10], 1):
        if answers(case, year, text):
            return rank
    return None


def marked_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The marked parts of a passage, joined: what answer@1 reads."""
    return " … ".join(text[s:e] for s, e in spans)


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    """Retrieval figures over the answerable cases; recognition over the unanswerable ones."""
    good = [o for o in outcomes if o.case.answerable]
    bad = [o for o in outcomes if not o.case.answerable]
    n = max(len(good), 1)
    return {"cases": len(good),
            "hit@1": sum(o.rank == 1 for o in good) / n,
            "hit@5": sum(o.rank is not None and o.rank <= 5 for o in good) / n,
            "mrr@10": sum(1 / o.rank for o in good if o.rank) / n,
            "answer@1": sum(o.answered_at_1 for o in good) / n,
            "answered": sum(not o.no_answer for o in good) / n,
            "unanswerable": len(bad),
            "recognised": sum(o.no_answer for o in bad) / max(len(bad), 1)}


def by_style(outcomes: list[Outcome]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.case.style, []).append(o)
    order = {s: i for i, s in enumerate(STYLES_ORDER)}
    return dict(sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def _same_label(a: str, b: str) -> bool:
    return "".join(ch for ch in a.casefold() if ch.isalnum()) == "".join(ch for ch in b.casefold() if ch.isalnum())


def score_facts(checked: list[dict], facts: list) -> dict[str, float]:
    """Extraction against a checked list of table rows ({doc_id, table, label, values: {year: as
    written}}). Recall: checked values found under their row and year. Precision: of the facts
    extracted from checked rows, the share with a checked year and value. wrong_year: facts of a
    checked row whose value the list has under another year."""
    from .figures import parse_value

    expected = found = extracted = correct = wrong_year = 0
    misses = []
    for row in checked:
        values = {int(y): parse_value(v) for y, v in row["values"].items()}
        mine = [f for f in facts if f.doc_id == row["doc_id"] and _same_label(f.table, row["table"])
                and _same_label(f.label, row["label"])]
        for year, (value, unit) in values.items():
            expected += 1
            if any(f.year == year and f.value == value and f.unit == unit for f in mine):
                found += 1
            else:
                misses.append(f"{row['doc_id']} {row['table']} / {row['label']} {year}")
        for f in {(f.year, f.value, f.unit) for f in mine}:
            extracted += 1
            correct += values.get(f[0]) == (f[1], f[2])
            wrong_year += any(v == (f[1], f[2]) for y, v in values.items() if y != f[0]) and values.get(f[0]) != (f[1], f[2])
    return {"checked": expected, "recall": found / max(expected, 1), "precision": correct / max(extracted, 1),
            "wrong_year": wrong_year, "misses": misses}


def score_kb(kb, cases: list[Case], k: int = 10) -> list[Outcome]:
    """kb's outcome on each case (kb: a pipeline.KnowledgeBase)."""
    outcomes = []
    for case in cases:
        answer = kb.answer(case.question, k=k)
        ranked = [(p.chunk.year, p.chunk.text) for p in answer.passages]
        top = answer.passages[:1]
        at_1 = bool(top) and answers(case, top[0].chunk.year, marked_text(top[0].chunk.text, top[0].highlights))
        outcomes.append(Outcome(case, first_hit(case, ranked), at_1, answer.no_answer))
    return outcomes


def score_peer(peer, cases: list[Case], k: int = 10) -> list[Outcome]:
    """The plain peer's outcome on each case (peer: a baseline.Peer); it never declines."""
    from .baseline import peer_search

    outcomes = []
    for case in cases:
        found = peer_search(peer, case.question, k)
        at_1 = bool(found) and answers(case, found[0][0].year, marked_text(found[0][0].text, found[0][1]))
        outcomes.append(Outcome(case, first_hit(case, [(c.year, c.text) for c, _ in found]), at_1, False))
    return outcomes


def report_lines(mine: list[Outcome], peer: list[Outcome] | None) -> list[str]:
    """The table `kb eval` prints: per style and overall, kb's figures, the peer's, the lift."""
    cols = ("hit@1", "hit@5", "mrr@10", "answer@1")
    head = f"{'style':<13}{'n':>4}  " + "  ".join(f"{c:>8}" for c in cols)
    lines = [head + ("   peer: " + "  ".join(f"{c:>8}" for c in cols) + "   lift@1" if peer else "")]
    peer_by = by_style(peer) if peer else {}
    groups = list(by_style(mine).items()) + [("ALL", mine)]
    for style, outs in groups:
        s = summary(outs)
        if not s["cases"]:
            continue
        row = f"{style:<13}{s['cases']:>4}  " + "  ".join(f"{s[c]:>8.3f}" for c in cols)
        if peer:
            p = summary(peer if style == "ALL" else peer_by.get(style, []))
            row += "         " + "  ".join(f"{p[c]:>8.3f}" for c in cols) + f"   {s['hit@1'] - p['hit@1']:>+6.3f}"
        lines.append(row)
    s = summary(mine)
    if s["unanswerable"]:
        lines.append(f"unanswerable {s['unanswerable']}: recognised {s['recognised']:.3f}; "
                     f"answerable answered {s['answered']:.3f} (the peer never declines)")
    return lines


FOUND_VERDICTS = ("exact", "equivalent")


def verdict_scores(outcomes: list[tuple[str, str, set[str], set[str]]]) -> dict:
    """Totals of a quote-verification set from (expected verdict, verdict given, expected change
    kinds, change kinds given): accuracy per expected verdict, the confusion matrix, how many
    not-found-worthy texts were called found (the one wrong answer that must not happen), how
    many found-worthy ones were, and for altered texts called altered how often the kinds match."""
    confusion: dict[str, Counter] = {}
    for expected, got, _, _ in outcomes:
        confusion.setdefault(expected, Counter())[got] += 1
    wrongly = [o for o in outcomes if o[0] not in FOUND_VERDICTS and o[1] in FOUND_VERDICTS]
    should = [o for o in outcomes if o[0] in FOUND_VERDICTS]
    altered = [o for o in outcomes if o[0] == o[1] == "altered" and o[2]]
    return {"cases": len(outcomes), "accuracy": sum(e == g for e, g, _, _ in outcomes) / max(len(outcomes), 1),
            "per_verdict": {e: c[e] / sum(c.values()) for e, c in confusion.items()},
            "confusion": {e: dict(c) for e, c in confusion.items()},
            "wrongly_found": Counter(o[0] for o in wrongly),
            "not_found_worthy": Counter(o[0] for o in outcomes if o[0] not in FOUND_VERDICTS),
            "found_of_found_worthy": (sum(o[1] in FOUND_VERDICTS for o in should), len(should)),
            "kinds_match": (sum(o[2] == o[3] for o in altered), sum(o[2] <= o[3] for o in altered), len(altered))}
