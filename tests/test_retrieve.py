"""Retrieval and answers on the real model over a real slice of the corpus."""
import numpy as np
import pytest

from kb.answer import Asked, asked, highlight
from kb.tables import row_quote
from kb.units import answer_units, can_answer, can_answer_at, torn_row, vector_units, with_header
from kb.errors import BadQuery
from kb.records import Chunk
from kb.retrieve import Candidates, Weights, fused_scores, make_query, model_text, overlaps, series_references, year_match


def ask_for(*terms: str, kind: str = "") -> Asked:
    return Asked(frozenset(terms), kind)


def test_fusion_keeps_a_clear_lead_that_rank_fusion_flattens():
    # row 0: far ahead in BM25, last in meaning; row 1 and 2: middling in both
    c = Candidates(rows=np.array([0, 1, 2]), bm25=np.array([12.0, 3.0, 3.2]), dense=np.array([0.80, 0.84, 0.83]),
                   sentence=np.array([0.80, 0.84, 0.83]), year=np.zeros(3), coverage=1.0, words=np.array([1.0, 0.5, 0.5]),
                   latent=np.zeros(3), kind=np.zeros(3))
    scores = fused_scores(c, Weights(bm25=1.0, dense=0.5, sentence=0.5, year=1.0, words=0.5))
    assert int(np.argmax(scores)) == 0
    english = Candidates(c.rows, c.bm25, c.dense, c.sentence, c.year, coverage=0.0, words=np.zeros(3),
                         latent=np.zeros(3), kind=np.zeros(3))
    assert int(np.argmax(fused_scores(english))) == 1  # no Dutch words matched: meaning leads


def test_a_report_covering_the_asked_year_counts_whether_or_not_it_prints_it():
    printed = Chunk("c", "d", "t", 2016, "", None, 0, 1, "x", years=(2016,))
    silent = Chunk("c", "d", "t", 2016, "", None, 0, 1, "x", years=())
    assert year_match(printed, (2016, 2015), (2016,)) == year_match(silent, (2016, 2015), (2016,)) == 1.0
    assert year_match(Chunk("c", "d", "t", 2022, "", None, 0, 1, "x", years=(2016,)), (2021,), (2016,)) == 0.5


def test_a_year_a_report_only_compares_with_counts_as_a_printed_one():
    # the 2012 report's tables have a 2011 column; a question about 2011 is about the 2011 report
    report_2012 = Chunk("c", "d", "t", 2012, "", None, 0, 1, "Net als in 2011 ...", years=(2011,))
    report_2011 = Chunk("c", "d", "t", 2011, "", None, 0, 1, "x", years=())
    assert year_match(report_2011, (2011, 2010), (2011,)) == 1.0
    assert year_match(report_2012, (2012, 2011), (2011,)) == year_match(report_2012, (2012,), (2011,)) == 0.5
    assert year_match(report_2012, (2012, 2011), (2012,)) == 1.0


def test_year_in_a_question_is_a_hint_not_a_bm25_term():
    query = make_query("tijdige afhandeling klachten 2012", np.zeros(4, dtype=np.float32))
    assert query.years == (2012,) and "2012" not in query.terms and "klacht" in query.terms
    chunk = Chunk("c", "d", "t", 2013, "", None, 0, 1, "x", years=(2011, 2012))
    assert year_match(chunk, (2012,), query.years) == 1.0
    assert year_match(chunk, (2013,), query.years) == 0.5
    assert year_match(chunk, (2013,), query.years[:0]) == 0.0


def test_a_report_covers_the_year_in_its_title():
    # the Stand van de Uitvoering 2023's figures are about 2022, but "in 2023" asks about it too
    stand = Chunk("c", "d", "t", 2023, "", None, 0, 1, "x")
    assert year_match(stand, (2022,), (2023,)) == 1.0
    assert year_match(stand, (2022,), (2024,)) == 0.0


TITLES = {"IND Jaarverslag 2011": 2011, "De IND belicht: Jaarresultaten 2012": 2012, "IND Jaarverslag 2016": 2016,
          "Stand van de Uitvoering 2022": 2022, "Stand van de Uitvoering 2023": 2023}


@pytest.mark.parametrize("question, named", [
    ("Waar lopen volgens de eerste Stand de wachttijden op?", ((2022, "eerste Stand"),)),
    ("Wat zegt de tweede Stand van de Uitvoering over wachttijden?", ((2023, "tweede Stand van de Uitvoering"),)),
    ("klachten in het laatste jaarverslag", ((2016, "laatste jaarverslag"),)),
    ("What does the first jaarverslag say?", ((2011, "first jaarverslag"),)),
    ("de derde Stand", ()),  # no third one
    ("vergunningen in eerste aanleg", ()),  # no report's title word
    ("de eerste IND-medewerker", ()),  # short, and part of a compound
])
def test_a_report_named_by_its_place_in_a_series(question, named):
    assert series_references(question, TITLES) == named


def test_the_words_naming_a_report_are_a_hint_not_bm25_terms():
    q = "Wat zegt de eerste Stand van de Uitvoering over de wachttijden?"
    query = make_query(q, np.zeros(4), references=series_references(q, TITLES))
    assert query.reports == (2022,) and "wachttijd" in query.terms
    assert not {"eerst", "stand", "uitvoer"} & set(query.terms)


def test_a_named_report_leads_over_its_neighbour_covering_the_same_year():
    # the second Stand's figures are about 2022 too: a year would not tell the two apart
    first, second = (Chunk("c", "d", "t", y, "", None, 0, 1, "x") for y in (2022, 2023))
    assert year_match(first, (2021, 2022), (), (2022,)) == 1.0 and year_match(second, (2022,), (), (2022,)) == 0.0
    assert year_match(second, (2022,), (2022,), (2022,)) == 1.0  # a year asked as well still counts


def test_overlap_is_per_document():
    a = Chunk("a", "d1", "t", 2012, "", None, 0, 100, "x")
    assert overlaps(a, Chunk("b", "d1", "t", 2012, "", None, 90, 200, "y"))
    assert not overlaps(a, Chunk("c", "d2", "t", 2012, "", None, 90, 200, "y"))


def test_answer_units_are_sentences_and_table_rows():
    text = "Klachten\t2011\t2012\n• Aanbod klachten\t4.440\t4.750\n\nIn 2012 steeg het. Dat kwam door de duur."
    units = [text[s:e] for s, e in answer_units(text)]
    assert units == ["Klachten\t2011\t2012", "• Aanbod klachten\t4.440\t4.750", "In 2012 steeg het.", "Dat kwam door de duur."]


def test_highlight_picks_the_answering_row_and_its_header():
    text = "Klachten\t2011\t2012\n• Aanbod klachten\t4.440\t4.750\n• Tijdige afhandeling klachten\t91%\t83%"
    spans = highlight(text, ask_for("tijd", "afhandel", "klacht"), {"klacht": 0.5, "tijd": 2.0, "afhandel": 2.0})
    assert [text[s:e] for s, e in spans] == ["Klachten\t2011\t2012", "• Tijdige afhandeling klachten\t91%\t83%"]


def test_torn_table_row_is_paired_with_its_values():
    text = ("Klachten\n•  Totaal aantal klachten\n\n•  Klachten ten opzichte van procedures\n\n"
            "•  Tijdige afhandeling klachten\n\n 2011 2010\n\n 4.440 2.793\n\n 1,1% 0,8%\n\n 91% 91%")
    spans = highlight(text, ask_for("tijd", "afhandel"), {"tijd": 2.0, "afhandel": 2.0})
    assert [text[s:e] for s, e in spans] == ["•  Tijdige afhandeling klachten", "2011 2010", "91% 91%"]


def test_torn_table_row_is_paired_past_labels_that_are_no_rows_and_a_second_table():
    # 2011: bullet rows, a top-3 list's labels, "Overig", "Totaal", then the first table's values
    # under the year header and the top-3 list's own header and values after them
    text = ("Arbeidsmigranten\n• Aantal aanvragen mvv\n\n• Inwilligingen mvv\n\n• Aantal aanvragen vvr\n\n"
            "Top 3 nationaliteiten aantal ingewilligde\n\n1. Chinese\n\n2. Bosnische\n\nOverig\n\nTotaal\n\n"
            "2011 2010\n\n2.800 2.300\n\n86% 81%\n\n3.800 3.300\n\naantal percentage\n\n1.000 38%\n\n250 10%\n\n"
            "2.550 100%")
    spans = highlight(text, ask_for("aanvrag", "vvr"), {"aanvrag": 1.0, "vvr": 3.0})
    assert [text[s:e] for s, e in spans] == ["• Aantal aanvragen vvr", "2011 2010", "3.800 3.300"]


def test_a_torn_table_in_millions_is_paired_too():
    # "1,08 milj." is a value line as figures reads it: else the second label took no value row
    text = ("Bereikbaarheid\n•  Totaal aantal vragen aan de telefoon\n\n•  Gemiddelde telefonische bereikbaarheid\n\n"
            " 2011 2010\n\n 1,08 milj. 1,09 milj.\n\n 84% 80%\n\nDoorlooptijden")
    label = text.index("•  Gemiddelde"), text.index("bereikbaarheid\n\n 2011") + len("bereikbaarheid")
    assert [text[s:e] for s, e in torn_row(text, label)] == ["2011 2010", "84% 80%"]


ASYLUM_2011 = ("Asiel beslissingen\n•  Totaal aanbod te nemen beslissingen\n\n•  Aantal beslissingen\n\n"
               "•  Inwilligingen (percentage van totaal aantal\n\nbeslissingen inclusief bezwaar)\n\n"
               "Top 3 nationaliteiten asiel 1e inwilligingen\n\n1. Somalische\n\n2. Iraakse\n\n3. Afghaanse\n\n"
               "Overig\n\nTotaal\n\n 2011 2010\n\n 25.000 24.900\n\n 25.240 26.100\n\n 47% 40%\n\n"
               " aantal percentage\n\n 2.350 28%\n\n 1.400 17%\n\n 1.400 17%\n\n 3.250 38%\n\n 8.400 100%")


def test_a_torn_top_list_row_is_paired_with_the_lists_own_header_and_values():
    # 2011: a top-3 list's rows stand under the bullet rows; its values follow the table's, under
    # a header of their own ("aantal percentage")
    text = ASYLUM_2011
    units = answer_units(text)
    iraqi = next(u for u in units if text[u[0]:u[1]] == "2. Iraakse")  # a row, not "2." and a sentence
    assert [text[s:e] for s, e in torn_row(text, iraqi)] == ["aantal percentage", "1.400 17%"]
    assert can_answer_at(text, iraqi) and not can_answer("1. Inleiding")  # a list number is no figure
    assert with_header(text, units, units.index(iraqi)) == (
        "Top 3 nationaliteiten asiel 1e inwilligingen 2. Iraakse aantal percentage 1.400 17%")
    spans = highlight(text, ask_for("iraaks", "inwil"), {"iraaks": 3.0, "inwil": 1.0})
    assert [text[s:e] for s, e in spans] == ["2. Iraakse", "aantal percentage", "1.400 17%"]
    assert row_quote(text, spans) == "Top 3 nationaliteiten asiel 1e inwilligingen, 2. Iraakse: aantal 1.400, percentage 17%"
    short = text.replace(" 8.400 100%", "")  # four value rows for five list rows: not paired by guessing
    assert torn_row(short, iraqi) == []


def test_a_torn_tables_label_is_scored_and_embedded_with_its_title_and_values():
    text = ("Arbeidsmigranten\n• Aantal aanvragen mvv\n\n• Aantal aanvragen vvr\n\nOverig\n\nTotaal\n\n"
            "2011 2010\n\n2.800 2.300\n\n3.800 3.300\n\nEen zin over iets anders, met een punt aan het eind.")
    units = answer_units(text)
    texts = [with_header(text, units, i) for i in range(len(units))]
    assert "Arbeidsmigranten • Aantal aanvragen vvr 2011 2010 3.800 3.300" in texts
    assert "Arbeidsmigranten\n• Aantal aanvragen mvv 2011 2010 2.800 2.300" in texts  # the title once
    assert "Een zin over iets anders, met een punt aan het eind." in texts  # prose as it is
    assert {t for _, t in vector_units(text)} >= {"Arbeidsmigranten • Aantal aanvragen vvr 2011 2010 3.800 3.300"}


def test_question_about_2012_complaints_cites_the_2012_row(stored_kb):
    [top] = stored_kb.ask("tijdige afhandeling klachten 2012", k=1)
    assert top.chunk.year == 2012 and "83%" in top.quote
    assert "Tijdige afhandeling klachten" in top.quote
    assert top.chunk.citation.startswith("De IND belicht: Jaarresultaten 2012 (2012), ")
    assert "Klachten" in top.chunk.citation
    assert top.why["bm25_score"] > 0 and top.why["dense_score"] > 0.7 and "klacht" in top.why["bm25_terms"]


def test_a_2011_figure_may_come_from_a_later_report_but_the_year_leads(stored_kb):
    passages = stored_kb.ask("tijdige afhandeling klachten 2011", k=3)
    assert any("91%" in p.chunk.text for p in passages[:2])
    assert {p.chunk.year for p in passages} <= {2011, 2012, 2016}


def test_a_report_named_by_its_place_in_the_series_is_the_year_hint(stored_kb):
    query = stored_kb.query("klachten in het laatste jaarverslag")
    assert query.reports == (2016,) and query.years == ()
    hints = {p.chunk.year: p.why["year_hint"] for p in stored_kb.ask("klachten in het laatste jaarverslag", k=10)}
    assert hints[2016] == 1.0 and hints[2011] == 0.0 == hints[2012]


def test_explicit_filters_filter(stored_kb):
    only_2016 = stored_kb.ask("klachten", k=10, years=(2016,))
    assert only_2016 and {p.chunk.year for p in only_2016} == {2016}
    only_doc = stored_kb.ask("klachten", k=10, doc_ids=("ind-jaarverslag-2011",))
    assert only_doc and {p.chunk.doc_id for p in only_doc} == {"ind-jaarverslag-2011"}


def test_results_never_overlap(stored_kb):
    passages = stored_kb.ask("klachten ingebrekestellingen dwangsom", k=20)
    for i, a in enumerate(passages):
        assert not any(overlaps(a.chunk, b.chunk) for b in passages[i + 1:])


def test_highlights_lie_inside_the_passage_and_quote_is_exact(stored_kb):
    for p in stored_kb.ask("Hoeveel klachten ontving de IND in 2016?", k=5):
        assert p.highlights
        for start, end in p.highlights:
            assert 0 <= start < end <= len(p.chunk.text)
        assert p.quote in p.chunk.text


def test_english_question_is_answered_from_dutch_text(stored_kb):
    passages = stored_kb.ask("How many complaints did the IND receive in 2012?", k=3)
    assert any("4.750" in p.chunk.text and p.chunk.year == 2012 for p in passages)


@pytest.mark.parametrize("question, message", [
    ("", "empty"), ("   \n ", "empty"), ("?!.,;", "no letters"), ("[", "no letters"), ("klachten " * 2000, "characters long"),
    ("(a+)+$", "mostly symbols"), ("#$%^&*(){}[] <script>alert(1)</script> ░▒▓ 🙂 ¿¿ ;; DROP TABLE", "mostly symbols"),
])
def test_bad_questions_are_refused_clearly(stored_kb, question, message):
    with pytest.raises(BadQuery, match=message):
        stored_kb.ask(question)


def test_odd_but_valid_questions_do_not_crash(stored_kb):
    for q in ["'; DROP TABLE chunks;--", "(a+)+$ klachten", "belas\u200bting", "🙂 klachten", "الشكاوى"]:
        assert isinstance(stored_kb.ask(q, k=3), list)


def test_zero_width_characters_inside_a_word_are_ignored(stored_kb):
    assert make_query("belas\u200bting", np.zeros(4)).terms == make_query("belasting", np.zeros(4)).terms
    hidden = stored_kb.ask("klach\u200bten afhan\u00addeling 2012", k=3)
    plain = stored_kb.ask("klachten afhandeling 2012", k=3)
    assert [p.chunk.chunk_id for p in hidden] == [p.chunk.chunk_id for p in plain] and plain


def test_a_table_title_or_heading_never_answers_alone():
    text = "## Klachten\n\nKLACHTEN 2016 2015\n\nAantal ontvangen 1.540 1.340\n\nTijdig afgehandeld 80% 80%"
    spans = highlight(text, asked("hoeveel klachten ontvangen", ["klacht", "ontvang"]), {})
    assert [text[s:e] for s, e in spans] == ["KLACHTEN 2016 2015", "Aantal ontvangen 1.540 1.340"]


def test_a_sentence_that_leans_on_the_best_one_is_marked_with_it():
    text = ("Het aantal documenten is in 2011 sterk gestegen ten opzichte van 2010. Dit wordt veroorzaakt door "
            "de start van de grootschalige omwisseling. Verder is er weinig veranderd aan de balies.")
    spans = highlight(text, ask_for("document", "gestegen"), {})
    assert "omwisseling" in " ".join(text[s:e] for s, e in spans) and "balies" not in text[spans[0][0]:spans[-1][1]]


def test_a_marked_sentence_ending_in_a_colon_brings_the_list_it_announces():
    text = ("Dit meerjarenplan leidt tot de volgende resultaten:\n\n- Een modern systeem,\n- Goede ontsluiting "
            "van data.\n\nDe omklap naar digitale post verliep rustig.")
    marked = [text[s:e] for s, e in highlight(text, ask_for("meerjarenplan", "resultat"), {})]
    assert marked == ["Dit meerjarenplan leidt tot de volgende resultaten:",
                      "- Een modern systeem,\n- Goede ontsluiting van data."]
    prose = "Dit meerjarenplan leidt tot de volgende resultaten:\n\nDe omklap naar digitale post verliep rustig."
    marked = [prose[s:e] for s, e in highlight(prose, ask_for("meerjarenplan", "resultat"), {})]
    assert marked == ["Dit meerjarenplan leidt tot de volgende resultaten:"]  # no list follows: nothing added


def test_a_sentence_asking_the_question_is_not_marked_as_its_answer():
    text = ("Vraagt iemand die nareist na aankomst zelfstandig asiel aan? Het beleid biedt de IND geen ruimte om "
            "iemand alsnog te weigeren.")
    marked = [text[s:e] for s, e in highlight(text, ask_for("nareis", "asiel", "aanvrag", "weiger"), {})]
    assert marked == ["Het beleid biedt de IND geen ruimte om iemand alsnog te weigeren."]


def test_a_strong_verb_meets_its_other_forms_in_the_marking():
    # "ontving" stems to "ontf", "ontvangen" to "ontvang": only their lemma tells the two sentences apart
    text = "In 2016 zijn 1.610 klachten ontvangen. In 2016 zijn 1.540 klachten afgehandeld."
    spans = highlight(text, asked("Hoeveel klachten ontving de IND in 2016?", ["hoeveel", "klacht", "ontf"]), {})
    assert "In 2016 zijn 1.610 klachten ontvangen." in [text[s:e] for s, e in spans]


def test_a_table_row_running_into_prose_is_a_unit_of_its_own():
    text = ("Inwilligingen (76% TEV + 84% VVR) 78% 81%\nSinds begin september nam de asielinstroom weer toe. Ook dit.\n\n"
            "Het aantal tweede aanvragen is in 2011 \ngestegen van 1.750 naar 3.050 aanvragen.")
    assert [text[s:e] for s, e in answer_units(text)] == [
        "Inwilligingen (76% TEV + 84% VVR) 78% 81%", "Sinds begin september nam de asielinstroom weer toe.", "Ook dit.",
        "Het aantal tweede aanvragen is in 2011 \ngestegen van 1.750 naar 3.050 aanvragen."]  # a wrapped line is no row


def test_a_news_items_dated_title_is_a_unit_of_its_own_so_a_quote_never_opens_with_it():
    text = "31/12 Baten en lasten in 2016\nDe baten van de IND bestonden in 2016 uit € 450,2 mln. Dit bedrag is groot."
    assert [text[s:e] for s, e in answer_units(text)][:2] == [
        "31/12 Baten en lasten in 2016", "De baten van de IND bestonden in 2016 uit € 450,2 mln."]
    spans = highlight(text, asked("Wat waren de baten van de IND in 2016?", ["baat", "2016"]), {})
    assert text[spans[0][0]:].startswith("De baten van de IND")


def test_a_sentence_unit_keeps_its_closing_quote_mark():
    text = "Lara: ‘Wij deden ons werk. Ik ben niet zo snel bang.’ Daarna ging zij (naar huis.) Hij zei: \"Klaar.\" Toen."
    assert [text[s:e] for s, e in answer_units(text)] == [
        "Lara: ‘Wij deden ons werk.", "Ik ben niet zo snel bang.’", "Daarna ging zij (naar huis.)", 'Hij zei: "Klaar."',
        "Toen."]


def test_asked_what_someone_said_the_quote_is_marked_to_its_end():
    text = ("Lara kwam op Chios terecht.\n\nLara: ‘Wij deden ons werk in een fabriekshal. Het kamp werd "
            "omsingeld door immigranten. Ik ben niet zo snel bang.’ Daarna ging zij terug naar Nederland.")
    question = "Wat zei Lara over de fabriekshal?"
    marked = " ".join(text[s:e] for s, e in highlight(text, asked(question, ["lara", "fabriekshal"]), {}))
    assert marked.startswith("Lara: ‘Wij deden") and marked.endswith("niet zo snel bang.’")
    other = " ".join(text[s:e] for s, e in highlight(text, asked("Waar werkte Lara?", ["lara", "fabriekshal"]), {}))
    assert "bang" not in other  # only a question for someone's words gets the whole quote


def test_the_kind_of_answer_asked_for_decides_between_equal_sentences():
    text = "De Raad adviseert de IND over veranderingen. De Raad staat onder voorzitterschap van Jaap Boonstra."
    spans = highlight(text, asked("wie zit de raad voor", ["raad"]), {})
    assert "Jaap Boonstra" in text[spans[0][0]:spans[-1][1]]


def test_a_quote_never_starts_with_a_heading_line():
    from kb.records import Passage

    chunk = Chunk("c", "d", "t", 2016, "Dienstverlening > Klachten", None, 0, 60,
                  "## Klachten\n\nKlachten\nDe IND ontving 1.540 klachten.")
    assert Passage(chunk, 1.0).quote == "De IND ontving 1.540 klachten."
    assert Passage(chunk, 1.0, highlights=[(22, 52)]).quote == "De IND ontving 1.540 klachten."


def test_the_model_reads_a_question_without_its_reporting_frame():
    assert model_text("Wat zegt de IND over de wachttijden bij naturalisatie?") == "de wachttijden bij naturalisatie?"
    assert model_text("Hoe verklaart de IND dat er minder aanvragen waren?") == "er minder aanvragen waren?"
    assert model_text("What does the IND say about waiting times?") == "waiting times?"
    # a person's words and a question that is only the frame keep every word
    assert model_text("Wat zei IND-medewerker Mathie over haar werk?") == "Wat zei IND-medewerker Mathie over haar werk?"
    assert model_text("Wat zegt de IND?") == "Wat zegt de IND?"
    assert model_text("Wat is de IND?") == "Wat is de IND?"
