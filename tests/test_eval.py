"""Retrieval quality on the whole corpus, scored as `kb eval` scores it (index built once)."""
from pathlib import Path

import pytest

from kb.evaluate import Outcome, first_hit, read_cases, summary

from conftest import ROOT

SHARED_DEV = ROOT.parent / "shared" / "eval" / "dev_cases.jsonl"
EXTRA = ROOT / "tests" / "data" / "extra_cases.jsonl"


def score(kb, path: Path) -> dict:
    outcomes = []
    for case in read_cases(path):
        passages = kb.ask(case.question, k=10)
        outcomes.append(Outcome(case, first_hit(case, [(p.chunk.year, p.chunk.text) for p in passages])))
    return summary(outcomes)


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_DEV.exists(), reason="../shared/eval is not beside this checkout")
def test_dev_questions_meet_the_goal(full_kb):
    result = score(full_kb, SHARED_DEV)
    assert result["hit@5"] == 1.0 and result["hit@1"] >= 0.95, result


@pytest.mark.slow
def test_own_questions_in_the_same_style(full_kb):
    result = score(full_kb, EXTRA)
    assert result["hit@5"] == 1.0 and result["hit@1"] >= 0.9, result


def test_scoring_folds_case_and_whitespace():
    [case] = read_cases(EXTRA)[:1]
    hit = first_hit(case, [(2011, "bedroeg 3.819"), (2012, "Het  aantal\nbedroeg 3.819.")])
    assert hit == 2
