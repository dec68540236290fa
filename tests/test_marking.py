"""The kind of answer a question asks for, and the fitted choice of the unit that answers (pure: no model)."""
import pytest

from kb.answer import asked, highlight
from kb.kinds import KINDS, answer_kind, holds_kind
from kb.lexical import tokenize
from kb.marking import FEATURES, Asked, load_weights, unit_features


@pytest.mark.parametrize("question, kind", [
    ("Hoeveel klachten ontving de IND in 2016?", "number"),
    ("Welk percentage van de aanvragen werd tijdig afgehandeld?", "share"),
    ("Hoe lang gaat de vernieuwing duren?", "duration"),
    ("hoelang woonde hij al in nederland", "duration"),
    ("Wanneer is het ouderenbeleid afgeschaft?", "date"),
    ("wie is voorzitter van de adviesraad", "name"),
    ("Waarom daalde het aantal aanvragen?", "reason"),
    ("Wat zei de directeur over de werkdruk?", "words"),
    ("How long does a decision take?", "duration"),
    ("tijdige afhandeling klachten 2012", ""),
])
def test_question_words_name_the_kind_of_answer(question, kind):
    assert answer_kind(question) == kind


def test_a_unit_holds_a_kind_by_its_form_and_a_year_is_no_figure():
    assert holds_kind("De vernieuwing neemt circa tien jaar in beslag.", "duration")
    assert holds_kind("Dat is 44 procent meer dan in 2021.", "share")
    assert holds_kind("Verder zijn er 67 vergunningen ingetrokken.", "number")
    assert not holds_kind("Een voorbeeld uit 2011 is het onderzoek naar fotofraude.", "number")
    assert holds_kind("De daling komt door minder nareizigers.", "reason")
    assert not holds_kind("Het aantal aanvragen daalde.", "reason")
    assert not holds_kind("anything", "")


def test_features_read_the_units_words_kind_and_neighbours():
    units = ["Het onderzoek naar fotofraude liep in 2011.", "Verder zijn er 67 vergunningen ingetrokken."]
    ask = Asked(frozenset(tokenize("hoeveel vergunningen ingetrokken fotofraude")), "number", (2011,))
    x = unit_features(units, [0.9, None], ask, {})
    assert x.shape == (2, len(FEATURES))
    col = {name: i for i, name in enumerate(FEATURES)}
    assert x[0, col["year"]] == 1.0 and x[1, col["year"]] == 0.0
    assert x[0, col["kind"]] == 0.0 and x[1, col["kind"]] == 1.0
    assert x[1, col["previous_terms"]] == x[0, col["term_share"]] > 0
    assert x[0, col["dense_share"]] == 1.0 and x[1, col["dense_share"]] == 0.0  # no vector: the farthest
    assert x[1, col["dense_gap"]] < 0 == x[0, col["dense_gap"]]


def test_a_table_row_takes_no_credit_for_its_neighbours_words():
    units = ["• Aantal aanvragen mvv", "• Aantal beslissingen mvv"]
    ask = Asked(frozenset(tokenize("aantal aanvragen mvv studenten")))
    x = unit_features(units, [0.9, 0.9], ask, {})
    col = {name: i for i, name in enumerate(FEATURES)}
    assert x[0, col["term_share"]] > x[1, col["term_share"]] > 0
    assert x[1, col["previous_terms"]] == 0.0 == x[0, col["next_terms"]]
    scores = x @ load_weights()
    assert scores[0] > scores[1]


def test_the_fitted_weights_fit_the_features():
    assert load_weights().shape == (len(FEATURES),)


def test_the_figure_that_answers_is_marked_not_the_sentence_repeating_the_question():
    text = ("Een voorbeeld van de bestrijding van identiteitsfraude is het onderzoek naar fotofraude. "
            "In totaal zijn er 67 vergunningen ingetrokken.")
    q = "Hoeveel vergunningen zijn ingetrokken na het onderzoek naar fotofraude?"
    [span] = highlight(text, asked(q, tokenize(q)), {})
    assert text[span[0]:span[1]] == "In totaal zijn er 67 vergunningen ingetrokken."


def test_a_duration_is_a_count_before_a_time_unit():
    form = next(f for name, _, f in KINDS if name == "duration")
    held = ["binnen 3 jaar", "(8 weken)", "een paar maanden later", "na enkele dagen", "anderhalf jaar",
            "vijfentwintig uur", "1,5 years"]
    not_held = ["jaar 3", "paar weken", "het jaar 2016", "in de maanden daarna", "drie"]
    assert all(holds_kind(t, "duration") for t in held)
    assert not any(holds_kind(t, "duration") for t in not_held)
    assert [holds_kind(t, "duration") for t in held + not_held] == [bool(form.search(t)) for t in held + not_held]


@pytest.mark.parametrize("kind, held, not_held", [
    ("number", ["in 2011 waren het 67 zaken", "Tachtig procent", "(3)", "in 2011.5"],
     ["Een voorbeeld uit 2011.", "zeshonderdvijftig", "nummer twaalfde", "jaren 1990-2000"]),
    ("date", ["Op 1 Januari", "sinds 2016", "in mei"], ["meimaand", "nummer 2300", "twee"]),
])
def test_the_faster_forms_of_number_and_date_agree_with_their_patterns(kind, held, not_held):
    form = next(f for name, _, f in KINDS if name == kind)
    assert all(holds_kind(t, kind) for t in held) and not any(holds_kind(t, kind) for t in not_held)
    assert [holds_kind(t, kind) for t in held + not_held] == [bool(form.search(t)) for t in held + not_held]


def test_a_name_reads_across_a_pdf_line_end_and_dutch_particles():
    assert holds_kind("De Raad staat onder voorzitterschap van \nJaap Boonstra, hoogleraar.", "name")
    assert holds_kind("Tijdens het ontbijt was de directeur Nanette van Schelven \naanwezig.", "name")
    assert not holds_kind("Het aantal aanvragen daalde. De IND besliste sneller.", "name")


def test_a_unit_nearly_as_likely_as_the_best_is_marked_too_even_apart_from_it():
    text = ("De IND ontving in 2012 in totaal 900 klachten. Het gebouw in Rijswijk kreeg een nieuwe ingang. "
            "Het personeel verhuisde naar een andere verdieping. De IND ontving in 2012 in totaal 950 klachten.")
    q = "Hoeveel klachten ontving de IND in 2012?"
    marked = [text[s:e] for s, e in highlight(text, asked(q, tokenize(q), (2012,)), {})]
    assert marked == ["De IND ontving in 2012 in totaal 900 klachten.", "De IND ontving in 2012 in totaal 950 klachten."]
