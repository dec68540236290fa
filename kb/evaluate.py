"""Scoring of question sets: hit@1, hit@5 and MRR@10, as the shared eval README defines them."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import KbError


@dataclass(frozen=True)
class Case:
    case_id: str
    question: str
    years: tuple[int, ...]
    all_of: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    case: Case
    rank: int | None  # 1-based rank of the first answering result within the first 10


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


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
            cases.append(Case(str(row["id"]), row["q"], tuple(row["years"]), tuple(row["all_of"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise KbError(f"{path}:{number}: not a case line with id, q, years, all_of ({exc})") from exc
    return cases


def answers(case: Case, year: int, text: str) -> bool:
    folded = fold(text)
    return year in case.years and all(fold(s) in folded for s in case.all_of)


def first_hit(case: Case, results: list[tuple[int, str]]) -> int | None:
    """results: (year, text) best first."""
    for rank, (year, text) in enumerate(results[:10], 1):
        if answers(case, year, text):
            return rank
    return None


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    n = max(len(outcomes), 1)
    return {"cases": len(outcomes),
            "hit@1": sum(o.rank == 1 for o in outcomes) / n,
            "hit@5": sum(o.rank is not None and o.rank <= 5 for o in outcomes) / n,
            "mrr@10": sum(1 / o.rank for o in outcomes if o.rank) / n}


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
