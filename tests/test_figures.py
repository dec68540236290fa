"""Figures: table rows of all three shapes as facts with the year of their column, linked across reports."""
import json

import pytest

from kb.cli import main
from kb.evaluate import score_facts
from kb.load import load_corpus
from kb.figures import caps_rows, parse_value, tab_rows, table_rows, torn_rows
from kb.series import Fact, corpus_facts, link_series

from conftest import CORPUS, ROOT

@pytest.fixture(scope="module")
def facts():
    return corpus_facts(CORPUS)


CHECKED = [json.loads(line) for line in (ROOT / "tests" / "data" / "facts.jsonl").read_text("utf-8").splitlines()]


@pytest.mark.parametrize("written, expected", [
    ("4.750", (4750.0, "")), ("83%", (83.0, "%")), ("1,1%", (1.1, "%")), ("€450,2 mln", (450_200_000.0, "€")),
    ("€ 444 mln", (444_000_000.0, "€")), ("1,08 milj.", (1_080_000.0, "")), ("2.946 ft e", (2946.0, "fte")),
    ("3 miljoen", (3_000_000.0, "")), ("930", (930.0, "")),
])
def test_dutch_number_formats_are_read(written, expected):
    assert parse_value(written) == expected


@pytest.mark.parametrize("written", ["", "abc", "4.75.0.0x", "12 appels"])
def test_what_is_not_a_figure_is_none(written):
    assert parse_value(written) is None


def test_tab_table_takes_years_from_the_header_and_skips_other_columns():
    text = "Klachten\t2011\t2012\tverschil\n• Aanbod klachten\t4.440\t4.750\t+7%\n\nNa de tabel.\t12"
    (row,) = tab_rows(text)
    assert (row.table, row.label) == ("Klachten", "Aanbod klachten")
    assert [(c.year, c.as_written) for c in row.cells] == [(2011, "4.440"), (2012, "4.750")]
    assert text[row.start:row.end].startswith("• Aanbod klachten")


def test_caps_table_ends_at_the_next_title():
    text = "KLACHTEN 2016 2015\n\nAantal ontvangen 1.540 1.340\n\nINGEBREKESTELLINGEN 2016 2015\nAantal ontvangen 4.420 1.850\n"
    rows = caps_rows(text)
    assert [(r.table, r.cells[0].as_written, r.cells[1].year) for r in rows] == [
        ("KLACHTEN", "1.540", 2015), ("INGEBREKESTELLINGEN", "4.420", 2015)]


def test_torn_table_pairs_labels_with_value_rows_and_finds_a_label_torn_below_a_footnote():
    text = ("Klachten\n• Totaal aantal klachten\n\n• Tijdige afhandeling\n\n 2011 2010\n\n 4.440 2.793\n\n 91% 90%\n\n"
            " 1,1% 0,8%\n\n* Een voetnoot die doorloopt\nop de volgende regel.\n\n• Klachten per procedure\nVerder met tekst.")
    rows = torn_rows(text)
    assert [(r.table, r.label, r.cells[0].as_written, r.cells[1].year) for r in rows] == [
        ("Klachten", "Totaal aantal klachten", "4.440", 2010), ("Klachten", "Tijdige afhandeling", "91%", 2010),
        ("Klachten", "Klachten per procedure", "1,1%", 2010)]
    unpaired = text.replace("• Klachten per procedure", "Klachten per procedure")
    assert torn_rows(unpaired) == []  # two labels for three value rows: not paired by guessing


def test_checked_list_is_extracted_with_the_goal_recall_and_precision(facts):
    score = score_facts(CHECKED, facts)
    assert score["checked"] >= 40
    assert score["recall"] >= 0.9 and score["precision"] >= 0.95, score
    assert score["wrong_year"] == 0


def test_every_value_year_is_a_year_the_report_gives_figures_for(facts):
    periods = {d.meta.doc_id: set(d.meta.period) for d in load_corpus(CORPUS).documents}
    assert {f.doc_id for f in facts} == {"ind-jaarverslag-2011", "ind-jaarresultaten-2012", "ind-jaarverslag-2016"}
    for fact in facts:
        assert fact.year in periods[fact.doc_id], fact


def _fact(doc, year, value, table="Klachten", label="Aanbod klachten", unit="", report_year=2012):
    return Fact(doc, doc, report_year, table, label, year, str(value), value, unit, 0, 1, doc)


def test_same_measure_links_across_reports_and_disagreement_is_flagged():
    facts = [_fact("r2011", 2011, 4440.0, label="Totaal aantal klachten", report_year=2011),
             _fact("r2012", 2011, 4450.0), _fact("r2012", 2012, 4750.0),
             _fact("r2016", 2016, 1540.0, table="KLACHTEN", label="Aantal ontvangen", report_year=2016),
             _fact("r2016", 2016, 80.0, table="KLACHTEN", label="Tijdig afgehandeld", unit="%", report_year=2016)]
    counts, timely = link_series(facts)
    assert [(f.year, f.doc_id) for f in counts.facts] == [(2011, "r2011"), (2011, "r2012"), (2012, "r2012"), (2016, "r2016")]
    assert counts.disputed == [2011] and timely.disputed == []


def test_two_rows_of_one_report_stay_two_series():
    facts = [_fact("r", 2011, 1.0, table="Regulier", label="Totaal aanvragen mvv"),
             _fact("r", 2011, 2.0, table="Overige reguliere", label="Aantal aanvragen mvv")]
    assert len(link_series(facts)) == 2


def test_figures_json_has_the_documented_shape(full_index, capsys):
    assert main(["--corpus", str(CORPUS), "--index", str(full_index), "figures", "klachten", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["query"] == "klachten"
    timely = next(s for s in out["series"] if "Tijdige afhandeling" in s["label"])
    assert timely["unit"] == "%"
    points = {(p["year"], p["doc_id"]): p for p in timely["points"]}
    assert points[(2012, "ind-jaarresultaten-2012")]["as_written"] == "83%"
    assert points[(2011, "ind-jaarverslag-2011")]["value"] == 91.0
    assert points[(2016, "ind-jaarverslag-2016")]["as_written"] == "80%"  # "Tijdig afgehandeld" under KLACHTEN
    for p in timely["points"]:
        assert {"year", "value", "as_written", "citation", "doc_id", "start", "end"} <= p.keys()


def test_a_figure_reported_twice_differently_is_shown_with_both_sources(full_kb):
    totals = next(s for s in full_kb.series if s.name == "Documenten: Totaal")
    assert totals.disputed == [2011]
    assert {f.as_written for f in totals.facts if f.year == 2011} == {"209.850", "209.800"}


def test_fact_span_is_its_row_in_the_indexed_text(full_kb):
    for series in full_kb.series[:40]:
        for f in series.facts:
            row = full_kb.index.documents[f.doc_id]["text"][f.start:f.end]
            assert f.as_written.split()[0] in row


def test_a_huge_line_under_a_table_title_is_prose_not_a_row():
    text = "KLACHTEN 2016 2015\n" + "woord " * 50_000 + "1.540 1.340\n"
    assert caps_rows(text) == [] and table_rows(text) == []


def test_a_series_unit_that_is_a_word_names_it(full_kb):
    [fact] = full_kb.figure_answer("Hoeveel fte werkte er bij de IND in 2016?")
    assert (fact.year, fact.as_written, fact.label) == (2016, "2.946 fte", "Ambtelijke bezetting")
    assert full_kb.figure_answer("Hoeveel euro kost een paspoort in 2016?") == []  # "€" is no word of a question


def test_the_figures_page_lists_only_series_the_topic_is_about(full_kb):
    from kb.series import rank_series

    assert rank_series(full_kb.series, "klanttevredenheid") == []  # "klant" is in "Klantdirectie Asiel", no satisfaction
    assert [s.name for s in rank_series(full_kb.series, "klachten")][:1] == ["Klachten: Totaal aantal klachten"]


def test_a_series_years_fall_into_runs_the_chart_line_joins():
    from kb.series import year_runs

    assert year_runs([2012, 2010, 2011, 2011, 2015, 2016]) == {2010: 0, 2011: 0, 2012: 0, 2015: 1, 2016: 1}
    assert year_runs([2016]) == {2016: 0}


def test_a_realised_column_without_years_is_the_reports_own_year():
    from kb.figures import table_rows

    text = "Doorlooptijden\trealisatie\tstreven\tverschil\n• Asiel\t88%\t85%\t+3%\n• Regulier\t89%\t100%\t-11%\n"
    rows = table_rows(text, 2012)
    assert [(r.label, [(c.year, c.as_written) for c in r.cells]) for r in rows] == [
        ("Asiel", [(2012, "88%")]), ("Regulier", [(2012, "89%")])]  # the target and the difference are no year's
    assert table_rows(text) == []  # without the year the report is about, no year to give it
