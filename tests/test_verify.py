"""Quote verification: exact quotes, small edits and repaired line breaks are found; paraphrases
and text from elsewhere are not, and get the closest passages instead."""
import json
import random

import pytest

from kb.cli import main
from kb.errors import BadQuery
from kb.verify import build_quote_index, check_quote, locate, word_diff

from conftest import CORPUS

EXACT = {  # one sentence from each report, as printed (line breaks of the PDF text joined)
    "ind-jaarverslag-2011": "In 2011 is het klachtenpercentage van de IND met 1,1% van het totaal aantal procedures opnieuw laag gebleven.",
    "ind-jaarresultaten-2012": "2012 was een jaar waarin de IND over de volle breedte heeft geïnvesteerd om straks stevig ‘toekomst proof’ te kunnen zijn.",
    "ind-jaarverslag-2016": "Ze werd direct de eerste week na aankomst al persoonlijk geconfronteerd met grote spanningen onder de asielzoekers op het eiland.",
    "ind-stand-van-de-uitvoering-2022": "De IND wil daarom robuust en betrouwbaar zijn in de uitvoering van zijn kerntaak, maar tegelijkertijd wendbaar als dat nodig is.",
    "ind-stand-van-de-uitvoering-2023": "De ervaring leert dat het aantal verblijfsaanvragen van jaar tot jaar wisselt en lastig te voorspellen is.",
}


@pytest.mark.parametrize("doc_id, quote", EXACT.items())
def test_exact_quote_from_each_report_is_found_word_for_word(full_kb, doc_id, quote):
    v = full_kb.verify(quote)
    assert v.found and v.exact and v.score == 1.0
    assert v.match.chunk.doc_id == doc_id
    assert " ".join(v.match.quote.split()) == quote
    assert v.diff == [["equal", quote]]


@pytest.mark.parametrize("quote, dropped", [
    ("In 2011 is het klachtenpercentage van de IND met 1,1% van het totaal aantal procedures laag gebleven.", "opnieuw"),
    ("De IND wil robuust en betrouwbaar zijn in de uitvoering van zijn kerntaak, maar tegelijkertijd wendbaar als dat nodig is.", "daarom"),
])
def test_a_dropped_word_is_a_near_match_with_the_word_shown(full_kb, quote, dropped):
    v = full_kb.verify(quote)
    assert v.found and not v.exact and 0.9 <= v.score < 1.0
    assert ["delete", dropped] in v.diff


def test_changed_punctuation_and_whitespace_still_match(full_kb):
    quote = "De ervaring leert dat het aantal   verblijfsaanvragen van jaar tot jaar wisselt, en lastig te voorspellen is!"
    v = full_kb.verify(quote)
    assert v.found and v.score >= 0.95
    assert v.match.chunk.doc_id == "ind-stand-van-de-uitvoering-2023"
    assert any(tag == "insert" and "wisselt," in words for tag, words in v.diff)


@pytest.mark.parametrize("doc_id, quote", [
    ("ind-jaarverslag-2011", "Het absolute aantal klachten is gestegen van 2.793 in 2010 naar 4.440 in 2011."),  # over a line break
    ("ind-jaarverslag-2011", "In 2011 is het aantal aanvragen voor een machtiging tot voorlopig verblijf (mvv) gedaald"),  # "voor" / "lopig"
    ("ind-jaarverslag-2016", "De hand wordt met veel uitdagingen geconfronteerd."),  # "geconfron-" / "teerd"
])
def test_quote_over_a_repaired_line_break_is_found_whole(full_kb, doc_id, quote):
    v = full_kb.verify(quote)
    assert v.found and v.score >= 0.97, (v.score, v.diff)
    assert v.match.chunk.doc_id == doc_id


@pytest.mark.parametrize("paraphrase", [
    "Het aantal klachten over de IND steeg in 2011 fors, van ongeveer 2.800 naar ruim 4.400.",
    "De IND wil stevig en betrouwbaar werken, maar ook flexibel kunnen inspelen op veranderingen.",
    "Volgens de IND is het lastig te voorspellen hoeveel mensen jaarlijks een verblijfsaanvraag doen.",
])
def test_a_paraphrase_is_not_found(full_kb, paraphrase):
    v = full_kb.verify(paraphrase)
    assert not v.found and v.match is None and v.score < 0.9
    assert v.closest


@pytest.mark.parametrize("text", [
    "Het kabinet besluit de IND per 1 januari op te heffen en alle taken over te dragen aan de gemeenten.",
    "The quick brown fox jumps over the lazy dog.",
    "zxqv wplk",
])
def test_text_that_is_not_in_the_reports_is_not_found(full_kb, text):
    v = full_kb.verify(text)
    assert not v.found and v.match is None and v.score < 0.6


def test_verify_json_has_the_documented_shape(full_index, capsys):
    quote = EXACT["ind-jaarverslag-2011"]
    assert main(["--corpus", str(CORPUS), "--index", str(full_index), "verify", quote, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["text"] == quote and out["found"] is True and out["score"] == 1.0
    assert out["match"]["doc_id"] == "ind-jaarverslag-2011" and out["match"]["citation"].startswith("IND, IND Jaarverslag 2011")
    start, end = out["match"]["highlights"][0]
    assert " ".join(out["match"]["text"][start:end].split()) == quote
    assert out["diff"] == [["equal", quote]] and out["closest"] == []


def test_verify_json_not_found_lists_the_closest(full_index, capsys):
    text = "De IND heeft in 2016 alle klachten binnen een dag afgehandeld."
    assert main(["--corpus", str(CORPUS), "--index", str(full_index), "verify", text, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["found"] is False and out["match"] is None and 1 <= len(out["closest"]) <= 3
    assert all("citation" in p and "quote" in p for p in out["closest"])


@pytest.mark.parametrize("text", ["", "   ", "?!…", "x" * 6000])
def test_bad_texts_are_refused_clearly(text):
    with pytest.raises(BadQuery):
        check_quote(text)


def test_word_diff_names_what_was_dropped_and_added():
    assert word_diff("de IND heeft veel klachten", "de IND had veel klachten") == [
        ["equal", "de IND"], ["delete", "heeft"], ["insert", "had"], ["equal", "veel klachten"]]


def test_locate_prefers_the_exact_place_over_a_near_twin():
    texts = {"a": "Inleiding. In 2012 is het aantal aanvragen gedaald, zo blijkt.",
             "b": "Voorwoord. In 2011 is het aantal aanvragen gedaald, zo blijkt."}
    at = locate(build_quote_index(texts), texts, "In 2011 is het aantal aanvragen gedaald")
    assert (at.doc_id, texts["b"][at.start:at.end], at.score) == ("b", "In 2011 is het aantal aanvragen gedaald", 1.0)


def test_any_stretch_of_the_reports_is_found_and_a_shuffled_one_is_not(full_kb):
    rng = random.Random(11)
    texts = [d["text"] for d in full_kb.index.documents.values()]
    for _ in range(30):
        text = rng.choice(texts)
        start = text.find(" ", rng.randrange(0, len(text) - 400)) + 1
        stretch = " ".join(text[start:text.rfind(" ", start, start + 300)].split())
        assert full_kb.verify(stretch).found, stretch
        words = stretch.split()
        assert not full_kb.verify(" ".join(rng.sample(words, len(words)))).found
