"""Retrieval quality on the whole corpus, scored as `kb eval` scores it (index built once), and
the project's own question set: its shape, its answers, its split."""
import glob
import json
from pathlib import Path

import pytest

from kb.evaluate import Case, Outcome, answers, first_hit, fold, half, read_cases, report_lines, summary
from kb.load import load_corpus

from conftest import CORPUS, ROOT

SHARED_DEV = ROOT.parent / "shared" / "eval" / "dev_cases.jsonl"
EXTRA = ROOT / "tests" / "data" / "extra_cases.jsonl"
OWN = sorted(Path(p) for p in glob.glob(str(ROOT / "eval" / "questions-*.jsonl")))
UNANSWERABLE = sorted(Path(p) for p in glob.glob(str(ROOT / "eval" / "unanswerable-*.jsonl")))
STYLES = ("keyword", "natural", "english", "journalist", "table", "recent", "hard")


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
    assert result["hit@5"] == 1.0 and result["hit@1"] >= 0.9, result


@pytest.mark.slow
def test_own_questions_in_the_same_style(full_kb):
    result = score(full_kb, EXTRA)
    assert result["hit@5"] == 1.0 and result["hit@1"] >= 0.9, result


def test_scoring_folds_case_and_whitespace():
    [case] = read_cases(EXTRA)[:1]
    hit = first_hit(case, [(2011, "bedroeg 3.819"), (2012, "Het  aantal\nbedroeg 3.819.")])
    assert hit == 2


def test_the_question_set_has_every_style_over_every_report():
    cases = [c for p in OWN for c in read_cases(p)]
    unanswerable = [c for p in UNANSWERABLE for c in read_cases(p)]
    assert len(cases) >= 200 and len(unanswerable) >= 30
    assert len({c.case_id for c in cases + unanswerable}) == len(cases) + len(unanswerable)
    for style in STYLES:
        assert sum(c.style == style for c in cases) >= 25, style
    assert {y for c in cases for y in c.years} == {2011, 2012, 2016, 2022, 2023}
    assert all(not c.answerable and c.style == "unanswerable" for c in unanswerable)


def test_every_answer_string_stands_in_a_report_it_names():
    """In the cleaned text kb searches, so a string the cleaning would break is caught here."""
    texts: dict[int, list[str]] = {}
    for doc in load_corpus(CORPUS).documents:
        texts.setdefault(doc.meta.year, []).append(fold(doc.text))
    for case in (c for p in OWN for c in read_cases(p)):
        assert any(all(fold(s) in t for s in case.all_of) for y in case.years for t in texts[y]), case.case_id


def test_the_halves_are_fixed_by_the_id_and_about_equal():
    ids = [c.case_id for p in OWN + UNANSWERABLE for c in read_cases(p)]
    frozen = sum(half(i) == "frozen" for i in ids)
    assert 0.4 < frozen / len(ids) < 0.6
    assert [half(i) for i in ids] == [half(i) for i in ids] and half("a001") in ("tune", "frozen")


def test_answer_at_1_reads_the_marked_text_only_and_unanswerables_count_apart():
    case = Case("x", "q", (2016,), ("1.540",), "table")
    never = Case("u", "q", (), (), "unanswerable")
    assert answers(case, 2016, "Aantal ontvangen 1.540") and not answers(case, 2015, "1.540")
    assert not answers(never, 2016, "anything")
    outcomes = [Outcome(case, 1, answered_at_1=True), Outcome(case, 3), Outcome(never, None, no_answer=True)]
    s = summary(outcomes)
    assert s["cases"] == 2 and s["hit@1"] == 0.5 and s["answer@1"] == 0.5 and s["recognised"] == 1.0
    lines = report_lines(outcomes, [Outcome(case, 2), Outcome(case, 1), Outcome(never, 1)])
    assert lines[1].split()[0] == "table" and lines[-2].split()[0] == "ALL" and "+0.000" in lines[-2]
    assert lines[-1].startswith("unanswerable 1: recognised 1.000")


def test_a_question_file_line_without_its_fields_names_the_line(tmp_path):
    bad = tmp_path / "cases.jsonl"
    bad.write_text(json.dumps({"id": "1", "q": "x"}) + "\n", "utf-8")
    with pytest.raises(Exception, match="cases.jsonl:1"):
        read_cases(bad)


@pytest.mark.slow
def test_kb_says_when_the_reports_do_not_answer_and_gives_facts_only_for_a_table(full_kb):
    passport = full_kb.answer("Hoeveel kost een paspoort bij de gemeente?")
    assert passport.no_answer and passport.facts == [] and passport.passages  # the closest are still listed
    complaints = full_kb.answer("Hoeveel klachten ontving de IND in 2016?")
    assert not complaints.no_answer and complaints.confidence > passport.confidence
    assert [(f.year, f.as_written) for f in complaints.facts] == [(2016, "1.540")]
    weather = full_kb.answer("Wat voor weer wordt het morgen in Utrecht?")
    assert weather.no_answer
    # a compound names a table row by its head: stickers are no row of documents that shares "verblijf"
    assert full_kb.figure_answer("Hoeveel verblijfsstickers reikte de IND uit aan vluchtelingen uit Oekraïne?") == []
    assert full_kb.figure_answer("hoeveel verblijfsdocumenten reikte de IND uit in 2016?")[0].as_written == "162.050"


@pytest.mark.slow
def test_a_year_counts_as_covered_by_the_report_that_carries_it_in_its_title(full_kb):
    # the Stand van de Uitvoering 2023's figures are about 2022; "in 2023" still asks about it
    assert 2023 in full_kb.periods and 2024 not in full_kb.periods
    waits = full_kb.answer("Wat zegt de IND over de wachttijden in 2023?")
    assert not waits.no_answer and waits.passages[0].chunk.year == 2023
    assert full_kb.answer("Hoeveel asielaanvragen ontving de IND in 2024?").no_answer


@pytest.mark.slow
def test_the_first_or_second_stand_van_de_uitvoering_is_answered_from_that_one(full_kb):
    # both are about 2022; without the report named, the second one's passages come first
    first = full_kb.ask("Wat zegt de eerste Stand van de Uitvoering over de wachttijden?", k=3)
    second = full_kb.ask("Wat zegt de tweede Stand van de Uitvoering over de wachttijden?", k=3)
    assert [p.chunk.year for p in first] == [2022] * 3 and [p.chunk.year for p in second] == [2023] * 3


@pytest.mark.slow
def test_an_english_question_marks_the_dutch_sentence_that_answers(full_kb):
    [top] = full_kb.ask("What were the personnel costs of the IND in 2016?", k=1)
    marked = " ".join(top.chunk.text[s:e] for s, e in top.highlights)
    assert top.chunk.year == 2016 and "275,1" in marked
