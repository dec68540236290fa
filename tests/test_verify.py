"""Quote verification on the real corpus: a verdict per text, and a changed claim is never
found. Altered quotes from each of the five reports for each kind of change, equivalent ones,
partial and stitched ones, sentences over repaired line breaks, paraphrases, invented text,
an English translation, and whole articles."""
import json
import random
import re

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
K2011 = "Het absolute aantal klachten is gestegen van 2.793 in 2010 naar 4.440 in 2011."
P2011 = EXACT["ind-jaarverslag-2011"]
N2012 = "Het aantal verzoeken om naturalisatie tot het Nederlanderschap is in 2012 gestegen van 26.300 naar 28.900."
A2012 = "In 2012 meldden zich ruim 12.500 asielzoekers aan bij de aanmeldbalie Ter Apel."
H2016 = "De plannen die in 2016 zijn gemaakt om COA, DT&V en IND gezamenlijk te huisvesten in Den Haag worden in 2017 gerealiseerd."
I2016 = "Het aantal inwoners in Nederland is in de eerste negen maanden van 2016 gestegen met 88.000."
K2022 = "Een kennismigrant werkt 16 jaar naar volle tevredenheid in Nederland."
M2022 = "Voor deze aanvragers heeft de IND sinds 2021 in Amsterdam een maatwerkloket geopend, waar aanvragers persoonlijk geholpen worden met hun aanvraag."
S2023 = "Ruim 16.000 studenten uit het buitenland vroegen voor dit studiejaar in Nederland een verblijfsvergunning aan, 10 procent meer dan vorig jaar."
R2023 = "Op 6 juli 2022 deed de RvS een uitspraak over de hoorplicht in bezwaarzaken."

ALTERED = [  # (report, base sentence, (old, new) as written, kind, report side, text side)
    ("ind-jaarverslag-2011", K2011, ("4.440", "4.640"), "number", "4.440", "4.640"),
    ("ind-jaarverslag-2011", K2011, ("in 2010", "in 2009"), "date", "2010", "2009"),
    ("ind-jaarverslag-2011", K2011, ("is gestegen", "is niet gestegen"), "negation", "", "niet"),
    ("ind-jaarverslag-2011", K2011, ("gestegen", "gedaald"), "direction", "gestegen", "gedaald"),
    ("ind-jaarverslag-2011", P2011, ("de IND", "de COA"), "name", "IND", "COA"),
    ("ind-jaarverslag-2011", K2011, ("klachten", "bezwaren"), "wording", "klachten", "bezwaren"),
    ("ind-jaarverslag-2011", "In 2011 hebben zich geen beleidsmatige wijzigingen voorgedaan die deze stijging kunnen verklaren.",
     ("geen ", ""), "negation", "geen", ""),
    ("ind-jaarresultaten-2012", N2012, ("28.900", "29.800"), "number", "28.900", "29.800"),
    ("ind-jaarresultaten-2012", N2012, ("in 2012", "in 2013"), "date", "2012", "2013"),
    ("ind-jaarresultaten-2012", N2012, ("gestegen", "niet gestegen"), "negation", "", "niet"),
    ("ind-jaarresultaten-2012", A2012, ("ruim", "bijna"), "direction", "ruim", "bijna"),
    ("ind-jaarresultaten-2012", A2012, ("Ter Apel", "Budel"), "name", "Ter Apel", "Budel"),
    ("ind-jaarresultaten-2012", A2012, ("asielzoekers", "arbeidsmigranten"), "wording", "asielzoekers", "arbeidsmigranten"),
    ("ind-jaarverslag-2016", I2016, ("88.000", "68.000"), "number", "88.000", "68.000"),
    ("ind-jaarverslag-2016", H2016, ("in 2017", "in 2018"), "date", "2017", "2018"),
    ("ind-jaarverslag-2016", H2016, ("worden in", "worden niet in"), "negation", "", "niet"),
    ("ind-jaarverslag-2016", I2016, ("gestegen", "gedaald"), "direction", "gestegen", "gedaald"),
    ("ind-jaarverslag-2016", H2016, ("Den Haag", "Rotterdam"), "name", "Den Haag", "Rotterdam"),
    ("ind-jaarverslag-2016", H2016, ("gezamenlijk", "apart"), "wording", "gezamenlijk", "apart"),
    ("ind-stand-van-de-uitvoering-2022", K2022, ("16 jaar", "6 jaar"), "number", "16", "6"),
    ("ind-stand-van-de-uitvoering-2022", M2022, ("sinds 2021", "sinds 2019"), "date", "2021", "2019"),
    ("ind-stand-van-de-uitvoering-2022", K2022, ("volle tevredenheid", "volle ontevredenheid"), "negation", "tevredenheid", "ontevredenheid"),
    ("ind-stand-van-de-uitvoering-2022", "Zo hoeft de aanvrager niet altijd meer naar het loket te komen.",
     ("niet ", ""), "negation", "niet", ""),
    ("ind-stand-van-de-uitvoering-2022", "Steeds meer aanvragers weten ons digitaal te vinden.", ("meer", "minder"), "direction", "meer", "minder"),
    ("ind-stand-van-de-uitvoering-2022", M2022, ("Amsterdam", "Utrecht"), "name", "Amsterdam", "Utrecht"),
    ("ind-stand-van-de-uitvoering-2022", K2022, ("kennismigrant", "vluchteling"), "wording", "kennismigrant", "vluchteling"),
    ("ind-stand-van-de-uitvoering-2023", S2023, ("10 procent", "20 procent"), "number", "10 procent", "20 procent"),
    ("ind-stand-van-de-uitvoering-2023", R2023, ("juli", "augustus"), "date", "juli", "augustus"),
    ("ind-stand-van-de-uitvoering-2023", "Toch lukte het de IND om op bijna 24.000 asielaanvragen - exclusief Dublinverordening en veiligelanders - te beslissen.",
     ("de IND om", "de IND niet om"), "negation", "", "niet"),
    ("ind-stand-van-de-uitvoering-2023", S2023, ("Ruim", "Bijna"), "direction", "Ruim", "Bijna"),
    ("ind-stand-van-de-uitvoering-2023", R2023, ("RvS", "CRvB"), "name", "RvS", "CRvB"),
    ("ind-stand-van-de-uitvoering-2023", S2023, ("studenten", "werknemers"), "wording", "studenten", "werknemers"),
]


@pytest.mark.parametrize("doc_id, quote", EXACT.items())
def test_exact_quote_from_each_report_is_found_word_for_word(full_kb, doc_id, quote):
    v = full_kb.verify(quote)
    assert (v.verdict, v.found, v.exact, v.score, v.changes) == ("exact", True, True, 1.0, [])
    assert v.match.chunk.doc_id == doc_id and v.source is None
    assert " ".join(v.match.quote.split()) == quote
    assert v.diff == [["equal", quote]]


@pytest.mark.parametrize("doc_id, base, edit, kind, report, text", ALTERED,
                         ids=[f"{a[0][-4:]}-{a[3]}-{a[2][1] or 'drop'}" for a in ALTERED])
def test_a_changed_claim_is_altered_never_found(full_kb, doc_id, base, edit, kind, report, text):
    assert full_kb.verify(base).verdict == "exact"  # the base sentence is the report's
    changed = base.replace(*edit, 1)
    v = full_kb.verify(changed)
    assert (v.verdict, v.found, v.exact, v.match) == ("altered", False, False, None)
    assert [(c.kind, c.report, c.text) for c in v.changes] == [(kind, report, text)]
    assert v.source.chunk.doc_id == doc_id
    start, end = v.source.highlights[0]
    assert "".join(v.source.chunk.text[start:end].split()).rstrip(".") in base.replace(" ", "")  # the line breaks aside


@pytest.mark.parametrize("doc_id, text", [
    ("ind-jaarverslag-2011", "het absolute aantal klachten is gestegen van 2793 in 2010 naar 4440 in 2011"),  # case, numbers, stop
    ("ind-jaarverslag-2011", P2011.replace("1,1%", "1,1 procent")),
    ("ind-jaarresultaten-2012", "In 2012 is het aantal eerste asielaanvragen gedaald van 11600 naar 9800 aanvragen."),
    ("ind-jaarverslag-2016", "de plannen die in 2016 zijn gemaakt om COA, DT&V en IND gezamenlijk te huisvesten in Den Haag, worden in 2017 gerealiseerd"),
    ("ind-stand-van-de-uitvoering-2022", "Dit betekent dat de periode van vijf jaar om het Nederlanderschap te kunnen aanvragen is gestuit en opnieuw begint te tellen."),
    ("ind-stand-van-de-uitvoering-2023", S2023.replace("10 procent", "10%")),
    ("ind-stand-van-de-uitvoering-2023", "Toch lukte het IND om op bijna 24.000 asielaanvragen - exclusief Dublinverordening en veiligelanders - te beslissen."),
    ("ind-stand-van-de-uitvoering-2023", "De ervaring leert dat het aantal   verblijfsaanvragen van jaar tot jaar wisselt, en lastig te voorspellen is!"),
])
def test_a_difference_of_form_only_is_equivalent_and_found(full_kb, doc_id, text):
    v = full_kb.verify(text)
    assert (v.verdict, v.found, v.exact, v.changes, v.omitted) == ("equivalent", True, False, [], [])
    assert v.match.chunk.doc_id == doc_id


@pytest.mark.parametrize("text, omitted", [
    (P2011.replace(" opnieuw", ""), ["opnieuw"]),
    (K2011.replace("absolute ", ""), ["absolute"]),
    (K2011.replace("van 2.793 in 2010 ", ""), ["van", "2.793", "in", "2010"]),
])
def test_leaving_out_words_of_the_claim_is_partial(full_kb, text, omitted):
    v = full_kb.verify(text)
    assert (v.verdict, v.found, v.match, v.changes, v.omitted) == ("partial", False, None, [], omitted)
    assert v.source.chunk.doc_id == "ind-jaarverslag-2011"


@pytest.mark.parametrize("text, main, part", [
    (f"{K2022} {R2023}", "ind-stand-van-de-uitvoering-2023", "ind-stand-van-de-uitvoering-2022"),  # two reports
    (f"{EXACT['ind-stand-van-de-uitvoering-2022']} {EXACT['ind-stand-van-de-uitvoering-2023']}",
     "ind-stand-van-de-uitvoering-2022", "ind-stand-van-de-uitvoering-2023"),
    (A2012.rstrip(".") + ", 10 procent meer dan vorig jaar.", "ind-jaarresultaten-2012", "ind-stand-van-de-uitvoering-2023"),  # in a sentence
])
def test_a_text_stitched_from_different_places_is_partial_with_its_parts(full_kb, text, main, part):
    v = full_kb.verify(text)
    assert (v.verdict, v.found, v.changes) == ("partial", False, [])
    assert {v.source.chunk.doc_id} | {p.chunk.doc_id for p in v.parts} == {main, part}


def test_a_stitched_text_with_a_changed_part_is_altered(full_kb):
    v = full_kb.verify(f"{K2022} {R2023.replace('juli', 'augustus')}")
    assert v.verdict == "altered" and [(c.kind, c.report, c.text) for c in v.changes] == [("date", "juli", "augustus")]


@pytest.mark.parametrize("doc_id, quote", [
    ("ind-jaarverslag-2011", K2011),  # over a line break
    ("ind-jaarverslag-2011", "In 2011 is het aantal aanvragen voor een machtiging tot voorlopig verblijf (mvv) gedaald"),  # "voor" / "lopig"
    ("ind-jaarverslag-2016", "De hand wordt met veel uitdagingen geconfronteerd."),  # "geconfron-" / "teerd"
])
def test_quote_over_a_repaired_line_break_is_exact(full_kb, doc_id, quote):
    v = full_kb.verify(quote)
    assert v.verdict == "exact" and v.match.chunk.doc_id == doc_id


@pytest.mark.parametrize("name, first, last", [
    ("ind-jaarverslag-2016.txt", "De hand wordt met veel uitdagingen geconfron-", "teerd."),
    ("ind-jaarverslag-2016.txt", "De fl uctuaties in de instroom", "de vreemdelingenketen."),  # ligatures, a blank line
    ("ind-jaarverslag-2011.txt", "In 2011 is het aantal aanvragen voor een machtiging tot voor", "(mvv) gedaald"),
])
def test_text_pasted_from_the_pdf_with_its_breaks_is_exact(full_kb, name, first, last):
    raw = (CORPUS / name).read_text("utf-8")
    start = raw.index(first)
    pasted = raw[start:raw.index(last, start) + len(last)]
    assert "\n" in pasted
    v = full_kb.verify(pasted)
    assert v.verdict == "exact", (pasted, v.diff)


@pytest.mark.parametrize("paraphrase", [
    "Het aantal klachten over de IND steeg in 2011 fors, van ongeveer 2.800 naar ruim 4.400.",
    "De IND wil stevig en betrouwbaar werken, maar ook flexibel kunnen inspelen op veranderingen.",
    "Volgens de IND is het lastig te voorspellen hoeveel mensen jaarlijks een verblijfsaanvraag doen.",
])
def test_a_paraphrase_is_not_found(full_kb, paraphrase):
    v = full_kb.verify(paraphrase)
    assert (v.verdict, v.found, v.match, v.changes) == ("not_found", False, None, [])
    assert v.closest


@pytest.mark.parametrize("text", [
    "Het kabinet besluit de IND per 1 januari op te heffen en alle taken over te dragen aan de gemeenten.",
    "zxqv wplk",
])
def test_text_that_is_not_in_the_reports_is_not_found(full_kb, text):
    v = full_kb.verify(text)
    assert (v.verdict, v.found, v.match, v.translation) == ("not_found", False, None, False)
    assert v.score < 0.6


@pytest.mark.parametrize("text", ["Klachten bij de IND.", "Het aantal asielaanvragen steeg fors.",
                                  "Dat schreef de dienst in zijn jaarverslag.", "De IND kreeg meer klachten."])
def test_a_short_sentence_of_common_words_is_not_a_changed_quote(full_kb, text):
    """Words the reports use too, but not a run of them in the reports' order: no anchor."""
    v = full_kb.verify(text)
    assert (v.verdict, v.found, v.changes, v.source) == ("not_found", False, [], None)


@pytest.mark.parametrize("english, dutch", [
    ("The IND therefore wants to be robust and reliable in carrying out its core task, but at the same time agile when needed.",
     EXACT["ind-stand-van-de-uitvoering-2022"]),
    ("The absolute number of complaints rose from 2,793 in 2010 to 4,440 in 2011.", K2011),
])
def test_an_english_rendering_is_not_found_with_the_dutch_source_closest(full_kb, english, dutch):
    v = full_kb.verify(english)
    assert (v.verdict, v.found, v.translation) == ("not_found", False, True)
    first = v.closest[0]
    start, end = first.highlights[0]
    assert " ".join(first.chunk.text[start:end].split()) == dutch  # the Dutch it translates, marked


def test_any_stretch_of_the_reports_is_exact_and_a_changed_one_never_found(full_kb):
    """30 stretches of every report: each exact; a digit changed, "niet" put in, a word
    replaced or words shuffled, and it is never found."""
    rng = random.Random(11)
    for doc in full_kb.index.documents.values():
        text = doc["text"]
        for _ in range(6):
            start = text.find(" ", rng.randrange(0, len(text) - 400)) + 1
            words = text[start:text.rfind(" ", start, start + rng.choice([80, 160, 300]))].split()
            if len(words) < 6:
                continue
            assert full_kb.verify(" ".join(words)).verdict == "exact", words
            at = rng.randrange(1, len(words) - 1)
            digits = [i for i, w in enumerate(words) if re.search(r"\d", w)]
            changed = [words[:at] + ["niet"] + words[at:], words[:at] + ["onderzoekers"] + words[at + 1:],
                       rng.sample(words, len(words))]
            if digits:
                i = rng.choice(digits)
                changed.append(words[:i] + [re.sub(r"\d", lambda m: str((int(m.group()) + 3) % 10), words[i], 1)] + words[i + 1:])
            for text_words in changed:
                if text_words != words:
                    v = full_kb.verify(" ".join(text_words))
                    assert not v.found and v.verdict != "equivalent", text_words


def test_verify_json_has_the_documented_shape(full_index, capsys):
    quote = EXACT["ind-jaarverslag-2011"]
    assert main(["--corpus", str(CORPUS), "--index", str(full_index), "verify", quote, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["text"], out["verdict"], out["found"], out["exact"], out["score"]) == (quote, "exact", True, True, 1.0)
    assert out["changes"] == [] and out["omitted"] == [] and out["parts"] == [] and out["source"] is None
    assert out["match"]["doc_id"] == "ind-jaarverslag-2011" and out["match"]["citation"].startswith("IND Jaarverslag 2011")
    start, end = out["match"]["highlights"][0]
    assert " ".join(out["match"]["text"][start:end].split()) == quote
    assert out["diff"] == [["equal", quote]] and out["closest"] == []


def test_verify_json_of_an_altered_quote_lists_the_changes(full_index, capsys):
    text = "In 2011 is het klachtenpercentage van de IND met 1,4% van het totaal aantal procedures opnieuw hoog gebleven."
    assert main(["--corpus", str(CORPUS), "--index", str(full_index), "verify", text, "--json"]) == 1  # as grep: not said
    out = json.loads(capsys.readouterr().out)
    assert (out["verdict"], out["found"], out["match"]) == ("altered", False, None)
    assert out["changes"] == [{"kind": "number", "report": "1,1%", "text": "1,4%"},
                              {"kind": "direction", "report": "laag", "text": "hoog"}]
    assert out["source"]["doc_id"] == "ind-jaarverslag-2011"


def test_verify_json_not_found_lists_the_closest(full_index, capsys):
    text = "De IND heeft in 2016 alle klachten binnen een dag afgehandeld."
    assert main(["--corpus", str(CORPUS), "--index", str(full_index), "verify", text, "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["verdict"], out["found"], out["match"], out["changes"]) == ("not_found", False, None, [])
    assert 1 <= len(out["closest"]) <= 3
    assert all("citation" in p and "quote" in p for p in out["closest"])


ARTICLE = f"""Klachten over de IND

De IND kreeg het afgelopen decennium steeds meer klachten. {K2011} Dat schreef de dienst in zijn jaarverslag.
Een jaar later was het weer raak: „{N2012.replace("28.900", "29.800").rstrip(".")}”, aldus het rapport.
{S2023.replace("Ruim", "Bijna")}
De IND wil stevig en betrouwbaar werken, maar ook flexibel kunnen inspelen op veranderingen.
{K2022} {R2023}
"""


def test_an_article_gets_a_verdict_per_sentence(full_kb):
    rows = full_kb.verify_text(ARTICLE)
    got = [(v.verdict, [(c.kind, c.report, c.text) for c in v.changes]) for v in rows]
    assert got == [
        ("not_found", []),  # the heading
        ("not_found", []),  # the journalist's own words
        ("exact", []),
        ("not_found", []),
        ("altered", [("number", "28.900", "29.800")]),  # the quoted words, not "aldus het rapport"
        ("altered", [("direction", "Ruim", "Bijna")]),
        ("not_found", []),  # a paraphrase
        ("exact", []),
        ("exact", []),
    ]
    assert rows[4].checked == N2012.replace("28.900", "29.800").rstrip(".") and rows[4].text.startswith("Een jaar later")
    # one nearest passage where the words are not the reports' (a claim may be there in other words), none else
    assert all(len(v.closest) == (v.verdict == "not_found") for v in rows)
    assert rows[2].match.chunk.citation.startswith("IND Jaarverslag 2011")


def test_verify_file_prints_the_table_and_the_json(full_index, tmp_path, capsys):
    article = tmp_path / "artikel.txt"
    article.write_text(ARTICLE, "utf-8")
    base = ["--corpus", str(CORPUS), "--index", str(full_index), "verify", "--file", str(article)]
    assert main(base + ["--json"]) == 1  # two sentences altered; the writer's own sentences fail nothing
    out = json.loads(capsys.readouterr().out)
    assert out["totals"] == {"exact": 3, "equivalent": 0, "altered": 2, "partial": 0, "not_found": 4}
    row = out["sentences"][5]
    assert row["verdict"] == "altered" and row["changes"] == [{"kind": "direction", "report": "Ruim", "text": "Bijna"}]
    assert row["citation"].startswith("Stand van de Uitvoering 2023")
    assert main(base) == 1
    table = capsys.readouterr().out
    assert "altered" in table and "Direction or comparison: the report says ‘Ruim’, your text ‘Bijna’" in table
    assert "3 exact, 0 equivalent, 2 altered, 0 partial, 4 not_found" in table


@pytest.mark.parametrize("argv, message", [
    (["verify"], "give the text to check, or --file"),
    (["verify", "x", "--file", "y.txt"], "not both"),
    (["verify", "--file", "missing.txt"], "missing.txt: cannot read it"),
])
def test_verify_arguments_are_checked_with_a_clear_message(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err


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


def test_a_long_sentence_is_cut_at_a_word_in_the_table_and_a_true_article_passes(full_index, tmp_path, capsys):
    article = tmp_path / "artikel.txt"
    article.write_text(f"{K2011} De IND kreeg het afgelopen decennium steeds meer klachten van allerlei soorten "
                       "klanten, van studenten tot werkgevers en gezinsmigranten.", "utf-8")
    assert main(["--corpus", str(CORPUS), "--index", str(full_index), "verify", "--file", str(article)]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("  2. not_found"))
    assert line.endswith(" …") and len(line) < 120 and "gezinsmigranten" not in line


BATEN = "De baten van de IND bestonden in 2016 uit € 450,2 mln."


@pytest.mark.parametrize("text, verdict, change", [
    ("De baten van de IND bestonden in 2016 uit 450,2 miljoen euro.", "equivalent", None),  # the unit after the amount
    ("De baten van de IND bestonden in 2016 uit € 450,2 miljoen.", "equivalent", None),
    ("De baten van de IND bestonden in 2016 uit € 450,2.", "altered", ("€ 450,2 mln", "€ 450,2")),  # a millionth
    ("De baten van de IND bestonden in 2016 uit 450,2.", "altered", ("€ 450,2 mln", "450,2")),
    ("De baten van de IND bestonden in 2016 uit € 460,2 mln.", "altered", ("€ 450,2 mln", "€ 460,2 mln")),
])
def test_an_amount_is_compared_whole_whichever_way_its_unit_is_written(full_kb, text, verdict, change):
    v = full_kb.verify(text)
    assert v.verdict == verdict
    assert [(c.kind, c.report, c.text) for c in v.changes] == ([("number", *change)] if change else [])
    assert (v.match or v.source).quote.startswith(BATEN.removesuffix("."))


@pytest.mark.parametrize("text, verdict, checked", [
    ("Volgens het jaarverslag bestonden de baten van de IND in 2016 uit 450,2 miljoen euro.", "equivalent",
     "bestonden de baten van de IND in 2016 uit 450,2 miljoen euro."),
    ("De baten van de IND bestonden in 2016 uit € 450,2 mln, aldus het jaarverslag.", "exact",
     "De baten van de IND bestonden in 2016 uit € 450,2 mln"),  # the claim word for word
    ("De IND schrijft dat de baten van de IND in 2016 uit € 460,2 mln bestonden.", "altered",
     "de baten van de IND in 2016 uit € 460,2 mln bestonden."),
])
def test_a_quote_said_as_the_reports_is_checked_without_the_words_that_say_so(full_kb, text, verdict, checked):
    v = full_kb.verify(text)
    assert (v.verdict, v.checked) == (verdict, checked)
    assert (v.match or v.source).quote.startswith(BATEN.removesuffix("."))
