"""Compare across years: which reports speak of a subject, with their best passages."""
import json

import pytest

from kb.cli import main
from kb.lines import is_contents
from kb.compare import compare, speaks_of, topic_requirements
from kb.lexical import tokenize

from conftest import CORPUS, ROOT


def test_a_compound_topic_matches_its_parts_or_the_whole():
    needs = topic_requirements("klachtafhandeling")
    assert speaks_of(set(tokenize("de afhandeling van klachten")), needs)
    assert speaks_of(set(tokenize("professionele klachtafhandeling")), needs)
    assert not speaks_of(set(tokenize("de leges voor aanvragen")), needs)


def test_a_compound_topic_matches_its_head_with_a_prefix():
    needs = topic_requirements("klanttevredenheid")
    assert speaks_of(set(tokenize("omsingeld door ontevreden bewoners")), needs)
    assert not speaks_of(set(tokenize("de klanten belden vaker")), needs)


@pytest.mark.slow
def test_dwangsommen_across_the_years(full_kb):
    by_year = {s.year: s for s in compare(full_kb, "dwangsommen")}
    assert list(by_year) == [2011, 2012, 2016, 2022, 2023]
    for year in (2011, 2012, 2016, 2023):
        assert by_year[year].mentions >= 1 and by_year[year].passages
        assert all("dwangsom" in p.chunk.text.lower() and p.chunk.year == year for p in by_year[year].passages)
    assert by_year[2022].mentions == 0 and by_year[2022].passages == []
    everywhere = compare(full_kb, "dwangsommen", per_year=50)  # a contents list names the chapter, it does not speak
    assert not [p for s in everywhere for p in s.passages if "Voorwoord\t4" in p.chunk.text]
    assert sum(s.mentions for s in everywhere) == sum(len(s.passages) for s in everywhere)


def test_a_compared_passage_is_labelled_by_its_chapter_and_subheading_or_its_first_words(full_kb):
    from kb_app.cards import where_label
    labels = [where_label(p, "nl") for s in compare(full_kb, "wachttijden", per_year=50) for p in s.passages]
    assert all(labels) and "Onnodige contactmomenten › WAT BETEKENT DIT VOOR DE AANVRAGER?" in labels
    assert all(len(label) <= 91 for label in labels)


def test_a_table_of_contents_is_known_as_one():
    assert is_contents("ONDERWERPEN\n\nVoorwoord\t4\nBeleid wordt ingewikkelder\t9\nDwangsomzaken nemen toe\t14\n")
    assert not is_contents("Klachten\t2011\t2012\n• Aanbod klachten\t4.440\t4.750\n• Tijdig\t91%\t83%\n")


@pytest.mark.slow
def test_compare_json_shape(full_index, capsys):
    assert main(["--corpus", str(CORPUS), "--index", str(full_index), "compare", "dwangsommen", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["topic"] == "dwangsommen"
    assert [y["year"] for y in out["years"]] == [2011, 2012, 2016, 2022, 2023]
    assert out["years"][0]["passages"][0]["citation"].startswith("IND Jaarverslag 2011 (Immigratie- en Naturalisatiedienst, 2012), section ")


SHARED_COMPARE = ROOT.parent / "shared" / "eval" / "dev_compare.jsonl"


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_COMPARE.exists(), reason="../shared/eval is not beside this checkout")
def test_dev_compare_cases(full_kb):
    for line in SHARED_COMPARE.read_text("utf-8").splitlines():
        case = json.loads(line)
        by_year = {s.year: s for s in compare(full_kb, case["topic"])}
        for year in case["years"]:
            texts = [p.chunk.text.lower() for p in by_year[year].passages]
            assert any(all(a.lower() in t for a in case["all_of"]) for t in texts), (case["id"], year)
