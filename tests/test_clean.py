"""Cleaning: real broken lines from the corpus are repaired; real words and hyphens stay."""
import pytest

from kb.clean import apply_edits, clean_text
from conftest import CORPUS


@pytest.mark.parametrize("raw, expected", [
    ("De fl uctuaties in de instroom vergden een grote fl exibiliteit van", "De fluctuaties in de instroom vergden een grote flexibiliteit van"),
    ("de meeste asielaanvragen uit Syrië afk omstig waren", "de meeste asielaanvragen uit Syrië afkomstig waren"),
    ("Meer informatie: htt ps://www.ind.nl", "Meer informatie: https://www.ind.nl"),
    ("vergroting van de effi  ciency", "vergroting van de efficiency"),
    ("De ambtelijke bezetting is 2.946 ft e. Vooral fi let Americain", "De ambtelijke bezetting is 2.946 fte. Vooral filet Americain"),
    ("via de website als Twitt er gewaarschuwd", "via de website als Twitter gewaarschuwd"),
    ("Dit is terug te zien in de toe\nname van de klachten", "Dit is terug te zien in de toename van de klachten"),
    ("voortzetting van de professionele klachtafhande\nling, waarbij", "voortzetting van de professionele klachtafhandeling, waarbij"),
    ("Waar vorig jaar nog de meeste asiel-\naanvragen uit Syrië", "Waar vorig jaar nog de meeste asielaanvragen uit Syrië"),
    ("Uitvoering van het vreemdelingenbeleid kan niet plaatsvinden zonder samenwer-\nking. Dit", "Uitvoering van het vreemdelingenbeleid kan niet plaatsvinden zonder samenwerking. Dit"),
    ("Dit is een groep die ener \n zijds door Nederland wordt omarmd", "Dit is een groep die enerzijds door Nederland wordt omarmd"),
    ("de  IND   nodige stappen  ", "de IND nodige stappen"),
    ("   Klachten  \n\n\n\nIn 2011 is   het", "Klachten\n\nIn 2011 is het"),
])
def test_repairs_real_breaks(raw, expected):
    assert clean_text(raw).text == expected


@pytest.mark.parametrize("line", [
    "de kosten van in- en uitvoer",
    "vracht- en verzendkosten werden vergoed",
    "het aantal mvv-aanvragen is gedaald",
    "De IND heeft  tevens buiten Nederland een rol gespeeld",  # only the double space goes
    "Dit gebeurde in de tweede helft van 2016",
    "In 2011 is het aantal van\nde klachten gestegen.",
    "Samen met het COA-\nlocaties bezocht",
    "IND-\nmedewerkers met uiteenlopende expertise",
])
def test_leaves_real_words_and_hyphens(line):
    cleaned = clean_text(line).text
    assert cleaned.replace("\n", " ").split() == line.replace("\n", " ").split()


def test_offsets_map_every_kept_character_back():
    raw = (CORPUS / "ind-jaarverslag-2016.txt").read_text("utf-8")
    cleaned = clean_text(raw)
    assert len(cleaned.offsets) == len(cleaned.text) + 1
    mismatched = [i for i, ch in enumerate(cleaned.text) if not ch.isspace() and raw[cleaned.offsets[i]] != ch]
    assert mismatched == []
    assert cleaned.offsets == sorted(cleaned.offsets)


def test_counts_repairs_per_document():
    r2016 = clean_text((CORPUS / "ind-jaarverslag-2016.txt").read_text("utf-8")).repairs
    r2011 = clean_text((CORPUS / "ind-jaarverslag-2011.txt").read_text("utf-8")).repairs
    assert r2016["ligature"] >= 80 and r2016["hyphen_break"] >= 50
    assert r2011["line_break"] >= 50 and "ligature" not in r2011
    # the Markdown edition's only faults: paragraphs broken by a blank line in mid-sentence
    assert clean_text((CORPUS / "ind-jaarresultaten-2012.md").read_text("utf-8")).repairs == {"paragraph_break": 3}


def test_a_sentence_broken_by_a_blank_line_is_one_paragraph_again_but_a_torn_label_is_not():
    body = ("De beantwoording van klachten en ingebrekestellingen. Dit aspect van dienstverlening\n\n"
            "krijgt in 2012 aandacht van de IND. Hierbij wordt gekeken.")
    assert clean_text(body).text == body.replace("dienstverlening\n\n", "dienstverlening\n")
    label = "Top 3 nationaliteiten aantal ingewilligde\n\nvvr-aanvragen 1e aanleg\n\n1. Chinese"
    bullet = "• Inwilligingen (percentage van totaal aantal\n\nbeslissingen inclusief bezwaar, per jaar)"
    assert clean_text(label).text == label and clean_text(bullet).text == bullet


def test_cleaning_is_idempotent_on_the_corpus():
    for name in ("ind-jaarverslag-2011.txt", "ind-jaarverslag-2016.txt"):
        once = clean_text((CORPUS / name).read_text("utf-8")).text
        assert clean_text(once).text == once


def test_apply_edits_maps_new_to_old():
    text, offsets = apply_edits("ab  cd", [(2, 4, " ")])
    assert text == "ab cd" and offsets == [0, 1, 2, 4, 5, 6]


@pytest.mark.parametrize("hyphen", ["-", "\u2010", "\u2011", "\u00ad"])
def test_every_hyphen_kind_at_a_line_end_is_repaired_alike(hyphen):
    raw = f"Er werden klachten inge{hyphen}\ndiend in okto{hyphen}\nber door een Irake{hyphen}\nse asielzoeker."
    assert clean_text(raw).text == "Er werden klachten ingediend in oktober door een Irakese asielzoeker."
    kept = clean_text(f"IND{hyphen}\nmedewerkers en de in{hyphen}\nen uitvoer").text
    assert kept.split() == [f"IND{hyphen}", "medewerkers", "en", "de", f"in{hyphen}", "en", "uitvoer"]


@pytest.mark.parametrize("space", ["", " "])
@pytest.mark.parametrize("head, tail", [
    ("behandelde", "klachten"), ("dienstverlening", "krijgt"), ("loketmedewerkers", "hebben"),
    ("regeerakkoord", "voor"), ("EASO", "herhaaldelijk"), ("asielaanvragen", "steeg"),
])
def test_a_line_break_between_two_whole_words_never_glues_them(head, tail, space):
    assert clean_text(f"De IND {head}{space}\n{tail} in 2016.").text.split() == ["De", "IND", head, tail, "in", "2016."]


def test_a_broken_word_the_document_uses_whole_is_joined_whatever_its_case():
    text = "Het systeem INDiGO is nieuw. Dossiers gaan naar IN\u2010\nDiGO en het asiel en nareis\nbeleid."
    assert clean_text(text).text == "Het systeem INDiGO is nieuw. Dossiers gaan naar INDiGO en het asiel en nareis\nbeleid."
    assert "nareisbeleid" in clean_text("Het nareisbeleid. Het asiel en nareis\nbeleid.").text
