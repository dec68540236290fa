"""Chunking: sections from structure, tables whole with their title, exact spans."""
from kb.chunk import CHUNK_SIZE, chunk_document, find_sections
from kb.headings import find_headings
from kb.load import load_corpus
from kb.records import DocMeta, Document

from conftest import CORPUS

DOCS = {d.meta.doc_id: d for d in load_corpus(CORPUS).documents}


def chunks_of(doc_id):
    return chunk_document(DOCS[doc_id])


def test_every_chunk_is_an_exact_span_of_its_document():
    for doc_id, doc in DOCS.items():
        chunks = chunk_document(doc)
        assert chunks, doc_id
        for c in chunks:
            assert doc.text[c.start:c.end] == c.text and c.text.strip()
            assert c.year == doc.meta.year and c.title == doc.meta.title


def test_markdown_headings_give_section_paths():
    sections = [s.path for s in find_sections(DOCS["ind-stand-van-de-uitvoering-2022"].text)]
    assert any(p.endswith("Robuust en wendbaar > KNELPUNTEN IN DE UITVOERING > *Fluctuerende instroom*") for p in sections)


def test_contents_list_names_the_headings_of_the_2023_edition():
    sections = {s.path.split(" > ")[0] for s in find_sections(DOCS["ind-stand-van-de-uitvoering-2023"].text)}
    assert {"Dwangsomzaken nemen toe", "De IND bij rechtbankzittingen", "Tot slot"} <= sections


def test_plain_text_headings_in_the_2011_report():
    sections = {c.section for c in chunks_of("ind-jaarverslag-2011")}
    assert {"Klachten", "Klanttevredenheidsonderzoek", "Aanmeldbalie Ter Apel"} <= sections


def test_a_web_reference_or_a_signature_is_no_section():
    sections = {c.section for d in ("ind-jaarverslag-2011", "ind-jaarverslag-2016") for c in chunks_of(d)}
    assert not [s for s in sections if "http" in s or "Zie " in s or "van Lint" in s]
    assert {"EASO", "Caribisch Nederland"} <= sections  # a short or capitalised heading stays one
    assert [h.title for h in find_headings("Tekst.\n\nZie https://www.ind.nl/\n\nMeer tekst.\n\nNieuwe kop\nTekst.")] == ["Nieuwe kop"]


def test_a_chronicle_chunk_is_cited_by_its_news_item_not_its_month():
    from kb.cite import section_label
    later = [c for c in chunks_of("ind-jaarverslag-2016") if c.text.lstrip().startswith("Naturalisatiedag is oorspronkelijk")]
    assert len(later) == 1  # the item's second chunk: its dated title stands in the chunk before
    assert section_label(later[0].section, later[0].text, 2016) == "15 december 2016: Naturalisatiedag voor de tiende keer"


def test_a_dated_title_set_over_two_lines_is_one_title():
    from kb.cite import section_label
    sections = {c.section for c in chunks_of("ind-jaarverslag-2016")}
    assert ("September > 15/9 Start onderzoek Family reunification of Third-country Nationals in the EU plus Norway: "
            "National Practices") in sections
    open_day = next(c for c in chunks_of("ind-jaarverslag-2016") if "Ongeveer 40.000 mensen bezochten" in c.text)
    assert open_day.section == "September > 24/9 Vluchtelingen krijgen een gezicht op landelijke open dag asielzoekerscentra"
    item = next(c for c in chunks_of("ind-jaarverslag-2016") if "schijnconstructies" in c.section)
    assert section_label(item.section, item.text, 2016) == (
        "1 november 2016: Inspectie SZW krijgt meer zicht op internationale schijnconstructies")
    one_line = "4/2 Korte titel\nDe tekst van het bericht loopt door\nover een tweede regel.\n\nVolgende alinea."
    assert [h.title for h in find_headings(one_line)] == ["4/2 Korte titel"]  # an item's text is no title


def test_a_dated_title_after_a_table_row_or_ending_in_a_year_is_a_title_under_its_month():
    from kb.cite import section_label
    by_start = {c.text.split("\n", 1)[0].strip(): c for c in chunks_of("ind-jaarverslag-2016")}
    assert by_start["6/10 Meer nareizigers"].section == "Oktober > 6/10 Meer nareizigers"  # after "Inwilligingen ... 78% 81%"
    income = next(c for c in chunks_of("ind-jaarverslag-2016") if "De baten van de IND bestonden in 2016" in c.text)
    assert section_label(income.section, income.text, 2016) == "31 december 2016: Baten en lasten in 2016"
    july = next(c for c in chunks_of("ind-jaarverslag-2016") if "1/7 Wijziging toelatingsregeling" in c.section)
    assert section_label(july.section, july.text, 2016).startswith("1 juli 2016: ")  # under "Juni": July's heading is missing
    assert not [c for c in chunks_of("ind-jaarverslag-2016") if "leesplezier" in c.section]  # a letter's last line


def test_a_title_set_large_over_short_lines_is_one_title():
    titles = [h.title for h in find_headings(DOCS["ind-jaarverslag-2016"].text)]
    assert {"Dienstverlening Haags Expatcenter hoog gewaardeerd", "Soepeler regels voor internationaal talent",
            "‘Voor iedereen in het asielproces was het heel hard werken’", "Kennisdag met kennismigranten"} <= set(titles)
    assert "Top 3 nationaliteiten" in titles and not [t for t in titles if "(links)" in t or "Vooral filet" in t]
    narrow = "Einde.\n\nOok verloopt de communicatie met onze\nsamenwerkingspartners steeds vaker\ndigitaal, zo blijkt.\n"
    assert find_headings(narrow) == []  # a narrow column's lines are as long as the column: body, no title
    credit = [c for c in chunks_of("ind-jaarverslag-2016") if "Met dank aan VenJ in beeld" in c.text]
    assert len(credit) == 1 and "Nu vragen we ernaar" in credit[0].text  # a closing credit ends its article's chunk


def test_a_contents_list_title_meets_the_chapter_worded_longer_and_a_signature_ends_the_foreword():
    sections = {c.section for c in chunks_of("ind-stand-van-de-uitvoering-2023")}
    assert "Onbedoelde effecten van wet- en regelgeving > KNELPUNT IN HET KORT" in sections
    first = [c for c in chunks_of("ind-jaarverslag-2011") if "De IND is dé toelatingsorganisatie" in c.text]
    assert [c.section for c in first] == ["Instroom en beslissingen"]
    assert not any("Hoofddirecteur" in c.section for c in chunks_of("ind-jaarverslag-2011"))


def test_title_lines_never_make_a_chunk_of_their_own():
    from kb.chunk import _titles_only
    for doc_id in DOCS:
        assert not [c.text for c in chunks_of(doc_id) if _titles_only(c.text)], doc_id
    first = next(c for c in chunks_of("ind-stand-van-de-uitvoering-2022") if "### *Vernieuwen IV-landschap*" in c.text)
    assert "Om de continuïteit van onze bedrijfsvoering" in first.text  # the headings go with the text they head


def test_torn_2011_table_keeps_labels_values_and_title_together():
    table = [c for c in chunks_of("ind-jaarverslag-2011") if "Tijdige afhandeling klachten" in c.text]
    assert len(table) == 1
    text = table[0].text
    for piece in ("Klachten", "Totaal aantal klachten", "2011 2010", "4.440 2.793", "1,1% 0,8%", "91% 91%"):
        assert piece in text


def test_2012_tab_table_with_title_and_header_row():
    [chunk] = [c for c in chunks_of("ind-jaarresultaten-2012") if "• Aanbod klachten\t4.440\t4.750" in c.text]
    assert "Klachten\t2011\t2012" in chunk.text and "83%" in chunk.text
    assert chunk.section.endswith("Klachten")


def test_2016_figures_tables_each_whole():
    chunks = chunks_of("ind-jaarverslag-2016")
    [klachten] = [c for c in chunks if "KLACHTEN 2016 2015" in c.text]
    assert "Aantal ontvangen 1.540 1.340" in klachten.text and "Tijdig afgehandeld 80% 80%" in klachten.text
    assert klachten.section == "De cijfers"


def test_prose_chunks_stay_near_the_size():
    for doc_id in DOCS:
        sizes = [len(c.text) for c in chunks_of(doc_id) if "\t" not in c.text]
        assert max(sizes) <= 2 * CHUNK_SIZE, doc_id


def test_chunks_know_the_years_they_mention():
    [chunk] = [c for c in chunks_of("ind-jaarverslag-2011") if "Tijdige afhandeling klachten" in c.text]
    assert chunk.years == (2010, 2011)


def test_repaired_text_reaches_the_chunks():
    text = " ".join(c.text for c in chunks_of("ind-jaarverslag-2016"))
    assert "fluctuaties" in text and "fl uctuaties" not in text


def test_a_torn_tables_label_lines_are_not_headings():
    # the 2011 PDF text: a title, the label column (one label wrapped over two lines), then the values
    text = ("Een alinea over procedures die lang genoeg is om een echte\ntekst te zijn, zoals in het jaarverslag van\n"
            "de IND over 2011 de alinea's lopen, met een punt aan het eind.\n\n"
            "Procesvertegenwoordiging\n•  Aantal procedures beroep\n\n•  Aantal procedures hoger beroep Habeas \n\n"
            "Corpus\n\n 2011 2010\n\n 17.100 18.000\n\n 1.800 1.500\n\nAsielinstroom\n•  Aanvragen in AA 1e aanvraag\n\n"
            "Totaal\n\n•  Aanvragen buiten AA\n\n 2011 2010\n\n 9.000 8.000\n\n 1.000 900\n")
    titles = [h.title for h in find_headings(text)]
    assert "Procesvertegenwoordiging" in titles and "Asielinstroom" in titles
    assert "Corpus" not in titles and "Totaal" not in titles  # labels: the values stay with them


def test_labels_above_a_torn_tables_total_are_no_headings_and_its_title_stays_one():
    # the 2011 PDF text: a title over bullet rows, a top-3 list, "Overig" and "Totaal", then the values
    text = ("Een alinea over arbeidsmigratie die lang genoeg is om een echte\ntekst te zijn, zoals in het jaarverslag\n"
            "van de IND over 2011 de alinea's lopen, met een punt aan het eind.\n\n"
            "Arbeidsmigranten\n• Aantal aanvragen vvr\n\n• Inwilligingen vvr\n\n"
            "Top 3 nationaliteiten aantal ingewilligde\n\n1. Indiase\n\n2. Amerikaanse\n\n3. Japanse\n\n"
            "Overig\n\nTotaal\n\n2011 2010\n\n3.800 3.300\n\n81% 78%\n\naantal percentage\n\n"
            "2.000 34%\n\n800 13%\n\n350 6%\n\n2.750 47%\n\n5.900 100%\n")
    titles = [h.title for h in find_headings(text)]
    assert "Arbeidsmigranten" in titles  # a table's title over its bullet rows
    assert "Overig" not in titles and "Totaal" not in titles and not any(t.startswith("Top 3") for t in titles)
    doc = Document(DocMeta("d", "Jaarverslag", 2011, "d.txt"), text, list(range(len(text))))
    [table] = [c for c in chunk_document(doc) if "3.800 3.300" in c.text]
    assert "Aantal aanvragen vvr" in table.text and table.section == "Arbeidsmigranten"  # values with their labels


def test_a_title_broken_over_lines_is_read_whole_and_a_wrapped_sentence_is_no_heading():
    # the 2016 PDF text: a title set large, broken after "&" and inside a word; a sentence that
    # ends its first line on "om"
    body = ("Een alinea die lang genoeg is om een echte tekst te zijn, zoals in het\njaarverslag van de IND "
            "over 2016 de alinea's lopen, met een punt aan het eind.\n\n")
    text = (body + "Asiel &\nBescher\n\nming\n\nInstroom nam af,\nhoge werkdruk bleef\n" + body
            + "Kennis &\nTalent\nDe handgreep is een bijzondere uitvinding.\n\n"
            + "De plannen die in 2016 zijn gemaakt om \nCOA, DT&V en IND gezamenlijk te huis-\nvesten worden gerealiseerd.\n")
    titles = [h.title for h in find_headings(text)]
    assert "Asiel & Bescherming" in titles and "Kennis & Talent" in titles
    assert not any(t.startswith(("Asiel & Bescher ", "De plannen")) for t in titles)


NUMBERED = """Gemeente Zuiderveen

Het jaar in het kort. De gemeente ontving meer klachten dan in het jaar
daarvoor en handelde de meeste binnen de termijn af, zoals de wet vraagt.

3 Klachten

3.1 Ontwikkeling van het aantal klachten in het jaar
Het aantal klachten is in 2024 fors gestegen. De stijging komt vooral
voor rekening van de afdeling Openbare Ruimte en van Burgerzaken.

Zuiveringsheffing\t198
Watersysteemheffing\t412

Top 3 nationaliteiten

1 Syrische
2 Albanese
3 Eritrese

1 Indiase
2 Amerikaanse
3 Chinese

4 Bezwaarschriften

Het aantal bezwaarschriften daalde. De meeste gingen over de WOZ-waarde van woningen.
"""


def test_numbered_headings_are_sections_but_numbered_lists_and_table_rows_are_not():
    headings = find_headings(NUMBERED)
    assert [(h.level, h.title) for h in headings] == [
        (1, "Gemeente Zuiderveen"), (1, "3 Klachten"), (2, "3.1 Ontwikkeling van het aantal klachten in het jaar"),
        (1, "Top 3 nationaliteiten"), (1, "4 Bezwaarschriften")]  # "Label<TAB>412" rows are no contents list
