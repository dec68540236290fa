"""Scoring of question sets: hit@1, hit@5 and MRR@10, as the shared eval README defines them."""
from __future__ import annotations

import json
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
