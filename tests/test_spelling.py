"""Spelling: a typed slip is read as the reports' word, and nothing else is."""
import json

from kb.cli import main
from kb.spelling import reading, respelled, slips, vocabulary

REPORT = ("De IND ontving in 2012 meer klachten. Het aantal klachten steeg; klachten over Oekraïne "
          "en over verlengingsaanvragen ook, twee verlengingsaanvragen. Kost.")
VOCAB = vocabulary([REPORT])


def test_one_slip_covers_a_swap_a_lost_an_added_and_a_changed_letter():
    assert {"klachten"} <= slips("klahcten") & slips("klachen") & slips("klachtten") & slips("klachtan")
    assert "klachten" not in slips("klhacetn")  # two slips are no reading


def test_a_typo_is_read_as_the_reports_word_one_slip_away():
    assert respelled("tijdige afhandeling klahcten 2012", VOCAB) == (
        "tijdige afhandeling klachten 2012", (("klahcten", "klachten"),))
    assert reading("verlenginsaanvragen", VOCAB) == "verlengingsaanvragen"


def test_a_word_typed_without_its_accents_gets_the_reports_accents_and_keeps_its_capital():
    assert respelled("vluchtelingen uit Oekraine?", VOCAB) == ("vluchtelingen uit Oekraïne?", (("Oekraine", "Oekraïne"),))


def test_words_the_reports_or_a_dictionary_know_short_words_and_stop_words_stay_as_typed():
    for question in ("klachten 2012", "Hoeveel kost een paspoort bij de gemeente?",
                     "How many complaints were there?", "klagen", "kist"):
        assert respelled(question, VOCAB) == (question, ())


def test_a_word_the_reports_print_once_is_no_reading_of_a_slip():
    assert reading("ontvinh", VOCAB) is None  # "ontving" once: it may be a PDF's broken word


def test_ask_searches_the_reports_word_and_says_so(slice_paths, capsys):
    corpus, index = slice_paths
    assert main(["--corpus", str(corpus), "--index", str(index), "ask", "tijdige afhandeling klahcten 2012",
                 "-k", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["respelled"] == [{"typed": "klahcten", "read": "klachten"}]
    assert out["results"][0]["year"] == 2012 and "83%" in out["results"][0]["quote"]
    assert main(["--corpus", str(corpus), "--index", str(index), "ask", "tijdige afhandeling klahcten 2012", "-k", "1"]) == 0
    assert capsys.readouterr().out.startswith("searched for 'klachten' where you typed 'klahcten'\n")


def test_compare_reads_a_topics_slip_as_the_reports_word(slice_kb, slice_paths, capsys):
    from kb.compare import compare

    mentions = {s.year: s.mentions for s in compare(slice_kb, "klachten")}
    assert sum(mentions.values()) > 0 and {s.year: s.mentions for s in compare(slice_kb, "klahcten")} == mentions
    corpus, index = slice_paths
    assert main(["--corpus", str(corpus), "--index", str(index), "compare", "klahcten", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["topic"] == "klahcten" and out["respelled"] == [{"typed": "klahcten", "read": "klachten"}]


def test_figures_read_a_slip_as_the_reports_word(slice_kb, slice_paths, capsys):
    names = [s.name for s in slice_kb.figures("klachten")]
    assert names and [s.name for s in slice_kb.figures("klahcten")] == names
    corpus, index = slice_paths
    assert main(["--corpus", str(corpus), "--index", str(index), "figures", "klahcten", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["label"] for s in out["series"]] == names and out["respelled"] == [{"typed": "klahcten", "read": "klachten"}]


def test_both_stores_read_a_slip_alike(stored_kb):
    query = stored_kb.query("tijdige afhandeling klahcten 2012")
    assert query.respelled == (("klahcten", "klachten"),) and "klacht" in query.terms
    [top] = stored_kb.ask("tijdige afhandeling klahcten 2012", k=1)
    assert top.chunk.year == 2012 and "83%" in top.quote
