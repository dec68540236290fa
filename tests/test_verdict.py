"""The pure pieces of quote verification: Dutch number tokens, the classification of each
difference, sentences and quoted words, and the plain-words presentation."""
from decimal import Decimal

import pytest

from kb.sentences import quoted, split_sentences
from kb.tokens import dutch_number, tokenize
from kb.frames import attribution
from kb.verdict import Change, compare, decide
from kb.verdict_view import article_csv, change_words, marked_changes
from kb.verify import Verdict


@pytest.mark.parametrize("written, value", [
    ("1.540", 1540), ("1540", 1540), ("48.000", 48000), ("1,1", Decimal("1.1")), ("1.5", Decimal("1.5")),
    ("2.500.000", 2500000), ("1.234,5", Decimal("1234.5")), ("0,50", Decimal("0.5")),
])
def test_dutch_numbers_are_read_by_value(written, value):
    assert dutch_number(written) == value


def test_tokens_ignore_quote_marks_and_fold_form():
    tokens = tokenize("‘Toekomst proof’: 1,1 procent van 1.540 mvv-aanvragen, één en twee")
    assert [t.text for t in tokens] == ["Toekomst", "proof", ":", "1,1", "procent", "van", "1.540", "mvv-aanvragen",
                                        ",", "één", "en", "twee"]
    assert [t.form for t in tokens] == ["toekomst", "proof", ":", "1.1", "%", "van", "1540", "mvvaanvragen", ",",
                                        "1", "en", "2"]
    assert tokens[7].exact == "mvvaanvragen"  # a repaired line-end hyphen does not count, even for exact


def verdict_of(report: str, text: str):
    cmp = compare(tokenize(report), tokenize(text), report, text)
    return decide(cmp), [(c.kind, c.report, c.text) for c in cmp.changes], cmp.omitted


REPORT = "In 2016 ontving de IND 1.540 klachten, 12% meer dan in 2015; de IND handelde er niet één te laat af."


@pytest.mark.parametrize("text, verdict", [
    (REPORT, "exact"),
    ("In 2016 ontving de IND 1.540 klachten, 12% meer dan in 2015; de IND handelde er niet één te laat af.", "exact"),
    ("in 2016 ontving de ind 1540 klachten, 12 procent meer dan in 2015, de IND handelde er niet één te laat af",
     "equivalent"),  # case, number notation, %, punctuation
    ("In 2016 ontving IND 1.540 klachten, 12% meer dan in 2015; de IND handelde er niet één te laat af.",
     "equivalent"),  # an article dropped
    ("In 2016 ontving de IND “1.540 klachten”, 12% meer dan in 2015; de IND handelde er niet één te laat af.",
     "exact"),  # quote marks aside
])
def test_differences_of_form_only_are_exact_or_equivalent(text, verdict):
    assert verdict_of(REPORT, text) == (verdict, [], [])


@pytest.mark.parametrize("old, new, change", [
    ("1.540", "1.450", ("number", "1.540", "1.450")),
    ("12%", "12", ("number", "12%", "12")),  # a unit dropped changes the amount
    ("in 2015", "in 2014", ("date", "2015", "2014")),
    ("niet één", "één", ("negation", "niet", "")),
    ("handelde er", "handelde er geen", ("negation", "", "geen")),
    ("meer", "minder", ("direction", "meer", "minder")),
    ("de IND ontving", "de COA ontving", None),  # not in the report: the text stays as it is
    ("ontving de IND", "ontving de DT&V", ("name", "IND", "DT&V")),
    ("klachten", "bezwaren", ("wording", "klachten", "bezwaren")),
])
def test_each_kind_of_claim_change_is_named(old, new, change):
    text = REPORT.replace(old, new, 1)
    if change is None:
        assert text == REPORT
        return
    assert verdict_of(REPORT, text) == ("altered", [change], [])


def test_amounts_compare_by_value_with_their_multipliers():
    report = "De lasten waren € 2,5 miljoen en er kwamen 48 duizend aanvragen."
    assert verdict_of(report, "De lasten waren € 2.500.000 en er kwamen 48.000 aanvragen.")[0] == "equivalent"
    assert verdict_of(report, "De lasten waren € 2,5 miljard en er kwamen 48 duizend aanvragen.")[1] == [
        ("number", "€ 2,5 miljoen", "€ 2,5 miljard")]


def test_words_left_out_make_a_partial_quote_and_are_named():
    assert verdict_of(REPORT, REPORT.replace("1.540 ", "")) == ("partial", [], ["1.540"])
    assert verdict_of(REPORT, REPORT.replace(" te laat", "")) == ("partial", [], ["te", "laat"])


def test_a_left_out_direction_word_is_a_change_not_an_omission():
    assert verdict_of("Het aantal steeg tot ruim 48.000.", "Het aantal steeg tot 48.000.")[:2] == (
        "altered", [("direction", "ruim", "")])


def test_moved_words_are_a_change():
    verdict, changes, _ = verdict_of("Het aantal klachten is in 2011 sterk gestegen.",
                                     "Het aantal klachten is sterk gestegen in 2011.")
    assert verdict == "altered" and [(kind, report.endswith(" (moved)")) for kind, report, _ in changes] == [("wording", True)]


def test_an_amount_whose_unit_stands_on_the_other_side_is_the_same_amount():
    report = "De baten bestonden uit € 450,2 mln en de lasten uit € 444 mln."
    assert verdict_of(report, "De baten bestonden uit 450,2 miljoen euro en de lasten uit 444 miljoen euro.")[:2] == (
        "equivalent", [])
    assert verdict_of(report, "De baten bestonden uit € 450,2 mln en de lasten uit 444 mln euro.")[0] == "equivalent"
    assert verdict_of(report, "De baten bestonden uit 450,2 mln en de lasten uit € 444 mln.")[0] == "altered"  # a unit gone
    assert verdict_of("Er waren € 5 mln en 3 klachten.", "Er waren 5 mln en € 3 klachten.")[0] == "altered"  # moved


ATTRIBUTED = "De baten van de IND bestonden in 2016 uit € 450,2 mln."


@pytest.mark.parametrize("text, verdict, changes", [
    ("Volgens het jaarverslag bestonden de baten van de IND in 2016 uit € 450,2 mln.", "equivalent", []),
    ("Het jaarverslag meldt dat de baten van de IND in 2016 uit € 450,2 mln bestonden.", "equivalent", []),
    ("Volgens het jaarverslag, de baten van de IND bestonden in 2016 uit € 450,2 mln.", "equivalent", []),
    ("Volgens het jaarverslag bestonden de baten van de IND in 2016 uit € 460,2 mln.", "altered",
     [("number", "€ 450,2 mln", "€ 460,2 mln")]),
    ("Volgens het jaarverslag daalden de baten van de IND in 2016 uit € 450,2 mln.", "altered",
     [("direction", "", "daalden")]),  # the verb after the frame is the claim's: checked
    ("Het jaarverslag meldt dat de baten van de IND in 2016 niet uit € 450,2 mln bestonden.", "altered",
     [("negation", "", "niet")]),
    ("Volgens het jaarverslag van de IND bestonden de baten van de IND uit € 450,2 mln in 2016.", "equivalent", []),
    ("Volgens het jaarverslag bestonden in 2016 de baten van de IND uit € 450,2 mln.", "equivalent", []),
    ("Het jaarverslag meldt dat de baten van de IND uit € 450,2 mln bestonden in 2016 en 2015.", "altered",
     [("date", "", "2016 en 2015"), ("wording", "", "bestonden in 2016 en")]),  # a year added: not order
    ("Het jaarverslag zegt: de baten van de IND bestonden in 2016 uit € 450,2 mln.", "equivalent", []),
    ("Het jaarverslag is helder: de baten van de IND bestonden in 2016 uit € 450,2 mln.", "altered",
     [("wording", "", "jaarverslag is helder")]),  # no frame it knows: the words are the text's own
])
def test_a_claim_said_as_the_reports_is_checked_without_its_frame(text, verdict, changes):
    src, dst = tokenize(ATTRIBUTED), tokenize(text)
    frame = attribution(dst)
    cmp = compare(src, dst[frame:], ATTRIBUTED, text, attributed=bool(frame))
    assert (decide(cmp), [(c.kind, c.report, c.text) for c in cmp.changes]) == (verdict, changes)


def test_text_sharing_only_stop_words_in_a_row_with_the_report_is_not_found():
    report = "Klachten en ingebrekestellingen krijgen volop aandacht bij de IND"
    assert verdict_of(report, "Klachten bij de IND")[0] == "not_found"
    assert verdict_of(report, "Klachten en ingebrekestellingen krijgen aandacht")[0] == "partial"


def test_sentences_and_quoted_words():
    text = "Klachten\n\nHet aantal steeg o.a. door drukte, bijv. in 2011. Dat zei J. Jansen: „het aantal steeg fors in 2011”."
    assert split_sentences(text) == ["Klachten", "Het aantal steeg o.a. door drukte, bijv. in 2011.",
                                     "Dat zei J. Jansen: „het aantal steeg fors in 2011”."]
    assert quoted(split_sentences(text)[2]) == ["het aantal steeg fors in 2011"]
    assert quoted("Een ‘toekomst proof’ IND") == []  # a term in quote marks, not a quote
    assert split_sentences("De baten waren € 450,2 mln. De lasten € 444 mln. en ca. 6,7 mln. winst.") == [
        "De baten waren € 450,2 mln.", "De lasten € 444 mln. en ca. 6,7 mln. winst."]  # "mln." ends one before a capital


@pytest.mark.parametrize("change, nl, en", [
    (Change("number", "48.000", "46.000"), "Getal: het rapport zegt ‘48.000’, uw tekst ‘46.000’",
     "Number: the report says ‘48.000’, your text ‘46.000’"),
    (Change("negation", "", "niet"), "Ontkenning: uw tekst voegt ‘niet’ toe", "Negation: your text adds ‘niet’"),
    (Change("direction", "ruim", ""), "Richting of vergelijking: uw tekst laat ‘ruim’ weg",
     "Direction or comparison: your text leaves out ‘ruim’"),
])
def test_changes_in_plain_words(change, nl, en):
    assert (change_words(change, "nl"), change_words(change, "en")) == (nl, en)


def test_the_changed_words_are_struck_through_inside_the_marked_quote():
    text = "Vooraf. Het aantal steeg naar 48.000 in 2016. Daarna."
    start = text.index("Het")
    out = marked_changes(text, (start, text.index(" Daarna")), [(text.index("48"), text.index("48") + 6)])
    assert out == ("Vooraf\\. :orange-background[**Het aantal steeg naar**] :red-background[~~48\\.000~~]"
                   " :orange-background[**in 2016\\.**] Daarna\\.")


def test_an_article_csv_neutralises_formulas():
    v = Verdict("=1+1 zei de IND", False, False, 0.0, None, [])
    assert article_csv([v]).splitlines()[1] == "'=1+1 zei de IND,,not_found,,,"


def test_an_article_row_names_a_changed_number_before_other_words():
    from kb.verdict import Change
    from kb.verdict_view import sentence_row
    v = Verdict("x", False, False, 0.5, None, [], verdict="altered",
                changes=[Change("wording", "Oekraïne", "In"), Change("date", "", "2022"), Change("number", "100.000", "200.000")])
    assert sentence_row(v, "nl")["changes"].startswith("Getal: het rapport zegt ‘100.000’, uw tekst ‘200.000’; Datum")


def test_the_source_of_a_changed_quote_reads_as_the_search_page_shows_it():
    text = "In 2011 werden door de IND 2.723 \ningebrekestellingen afgehandeld.\n\nNieuwe alinea."
    out = marked_changes(text, (0, text.index("\n\n")), [(text.index("2.723"), text.index("2.723") + 5)])
    assert "2\\.723~~] :orange-background[**ingebrekestellingen" in out  # the PDF's line break is a space
    assert out.endswith("afgehandeld\\.**]  \n  \nNieuwe alinea\\.")  # a paragraph stays one


def test_a_comparison_turned_round_in_a_claim_said_as_the_reports_is_a_change():
    report = "In 2012 ontving de IND meer bezwaren dan klachten."
    text = "Volgens het jaarverslag ontving de IND in 2012 meer klachten dan bezwaren."
    src, dst = tokenize(report), tokenize(text)
    frame = attribution(dst)
    assert decide(compare(src, dst[frame:], report, text, attributed=True)) == "altered"
    same = "Volgens het jaarverslag ontving de IND in 2012 meer bezwaren dan klachten."
    assert decide(compare(src, tokenize(same)[frame:], report, same, attributed=True)) == "equivalent"
