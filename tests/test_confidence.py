"""The no-answer model's features of what a passage marks (pure: no model, no index)."""
from kb.answer import asked
from kb.confidence import FEATURES, features, marked_count, marked_evidence, names_missing
from kb.kinds import counted, counts_near_figure
from kb.lexical import mentions, names
from kb.records import Chunk, Passage
from kb.retrieve import make_query

TEXT = ("De IND behandelde in 2022 veel naturalisatieverzoeken. "
        "Er werden 1.200 naturalisatieverzoeken afgewezen. Het jaar was druk.")


def _passage(marked: str | None, text: str = TEXT, section: str = "") -> Passage:
    chunk = Chunk("c", "d", "Stand van de Uitvoering 2022", 2022, section, None, 0, len(text), text)
    spans = [] if marked is None else [(text.index(marked), text.index(marked) + len(marked))]
    return Passage(chunk, 1.0, highlights=spans)


def _ask(question: str):
    query = make_query(question, [0.0])
    return asked(question, list(query.terms), query.years)


def test_marked_text_without_the_asked_detail_or_a_figure_scores_lower():
    ask = _ask("Hoeveel naturalisatieverzoeken werden in 2022 afgewezen?")
    assert ask.kind == "number"
    answering = marked_evidence(_passage("Er werden 1.200 naturalisatieverzoeken afgewezen."), ask, {})
    about = marked_evidence(_passage("De IND behandelde in 2022 veel naturalisatieverzoeken."), ask, {})
    assert answering[1] == 1.0 and about[1] == 0.0
    assert 0.0 < about[0] < answering[0] <= 1.0


def test_a_question_without_a_question_word_needs_no_kind_and_nothing_marked_counts_nothing():
    ask = _ask("naturalisatieverzoeken afgewezen 2022")
    assert marked_evidence(_passage("Het jaar was druk."), ask, {}) == (0.0, 1.0)
    assert marked_evidence(_passage(None), ask, {}) == (0.0, 0.0)
    assert marked_evidence(None, ask, {}) == (0.0, 0.0)


def test_one_feature_per_name_with_or_without_passages():
    ask = _ask("Hoeveel naturalisatieverzoeken werden in 2022 afgewezen?")
    assert len(features([_passage("Het jaar was druk.")], ask, {2022}, {})) == len(FEATURES)
    assert len(features([], ask, {2022}, {})) == len(FEATURES)


def test_a_questions_names_are_its_capitalised_words_inside_a_sentence_and_its_acronyms():
    assert names("Hoeveel WW-uitkeringen heeft het UWV in 2022 verstrekt?") == ("WW", "UWV")
    assert names("Wat zei Renger Visser over de werkdruk?") == ("Renger", "Visser")
    assert names("Wat kost een NS-jaarabonnement?") == ("NS",)
    # a sentence's first word, "IND" and its compounds, a stop word after a colon: no names
    assert names("Welke klachten kreeg de IND, en wat deden IND-medewerkers? Wat zei de IND'er?") == ()
    assert names("What was the IND's budget in 2019?") == ()
    assert names("Volgens de Stand van de Uitvoering: Hoe lang?") == ("Stand", "Uitvoering")


def test_a_name_is_mentioned_in_any_inflection_but_not_by_a_longer_word():
    assert mentions("De aanpak voor Eritrea werkt.", "Eritrese")
    assert mentions("het loket in Den Haag", "Haagse")
    assert mentions("Een COA-medewerker hielp.", "COA")
    assert not mentions("De NSA luisterde mee.", "NS")  # a short name only as a whole word
    assert not mentions("Belastingen stegen.", "Belastingdienst")
    assert not mentions("Zweden nam meer asielzoekers op.", "Zweedse")


def test_names_the_top_passage_never_mentions_count_against_an_answer():
    about_uwv = _passage(None, "Het UWV verstrekte in 2022 veel WW-uitkeringen.")
    assert names_missing(about_uwv, names("Hoeveel WW-uitkeringen verstrekte het UWV?")) == 0.0
    assert names_missing(_passage(None), names("Hoeveel WW-uitkeringen verstrekte het UWV?")) == 1.0
    assert names_missing(_passage(None), names("Wat zei Renger Visser in Rijswijk?")) == 1.0
    assert names_missing(_passage(None), ()) == 0.0  # a question without names
    assert names_missing(None, ("UWV",)) == 1.0
    # the report's title and the section path count as the passage's own words
    assert names_missing(_passage(None), names("Wat zegt de Stand van de Uitvoering over naturalisatie?")) == 0.0
    in_section = _passage(None, TEXT, "Caribisch Nederland > Naturalisatie")
    assert names_missing(in_section, names("naturalisatie in Caribisch Nederland")) == 0.0


def test_an_english_question_is_scored_apart_from_a_dutch_one():
    english, dutch = _ask("How many complaints did the IND receive in 2022?"), _ask("Hoeveel klachten ontving de IND in 2022?")
    assert english.english and not dutch.english
    index = FEATURES.index("english")
    assert features([_passage(None)], english, {2022}, {})[index] == 1.0
    assert features([_passage(None)], dutch, {2022}, {})[index] == 0.0


def test_a_how_many_question_wants_a_figure_next_to_what_it_counts():
    ask = _ask("Hoeveel Somalische nareizigers kregen in 2011 een mvv?")
    assert [sorted(t) for t in ask.counted] == [["somalisch"], ["nareis"]]  # the adjective and its noun
    assert counted("Wat zegt de IND over de wachttijden?") == ()
    assert counts_near_figure("In 2011 kregen 1.020 Somalische nareizigers een mvv.", ask.counted)
    assert not counts_near_figure("In 2011 kregen minder Somalische nareizigers een mvv.", ask.counted)  # a year is no count
    far = "Somalische nareizigers kregen in 2011 vaker dan voorheen een afwijzing, bij 300 aanvragen."
    assert not counts_near_figure(far, ask.counted)  # a figure, but of something else
    filed = _ask("Hoeveel ingebrekestellingen werden in 2012 ingediend?")
    assert counts_near_figure("Het aantal ingebrekestellingen dat in 2012 is ingediend bedroeg 3.819.", filed.counted)
    asked_count = _ask("Hoeveel naturalisatieverzoeken werden in 2022 afgewezen?")
    assert marked_count(_passage("Er werden 1.200 naturalisatieverzoeken afgewezen."), asked_count) == 1.0
    assert marked_count(_passage("De IND behandelde in 2022 veel naturalisatieverzoeken."), asked_count) == 0.0
    assert marked_count(_passage(None), asked_count) == 0.0
    assert marked_count(_passage("Het jaar was druk."), _ask("naturalisatie 2022")) == 1.0  # counts nothing


def test_a_year_the_top_passages_report_is_not_about_and_never_names_counts_against_an_answer():
    ask = _ask("Hoeveel gesprekken voerde de backoffice in 2016?")
    about = _passage("Er werden 1.200 naturalisatieverzoeken afgewezen.")
    missed = FEATURES.index("year_missed")
    for hint, expected in ((0.0, 1.0), (0.5, 0.0), (1.0, 0.0)):  # kb.retrieve.year_match of the top passage
        about.why = {"year_hint": hint}
        assert features([about], ask, {2012, 2016}, {})[missed] == expected
    assert features([about], _ask("gesprekken backoffice"), {2012}, {})[missed] == 0.0  # no year asked
