"""The Streamlit app, run for real with AppTest on the slice index."""
import os
import re
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from kb import index as store
from kb.pipeline import ingest


@pytest.fixture()
def app(slice_paths, monkeypatch):
    corpus, index = slice_paths
    monkeypatch.setenv("KB_CORPUS", str(corpus))
    monkeypatch.setenv("KB_INDEX", str(index))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    return at


def all_markdown(at) -> str:
    """What the markdown shows, escapes removed."""
    return "\n".join(m.value.replace("\\", "") for m in at.markdown)


def test_a_question_gives_cited_highlighted_results(app):
    app.text_input(key="q").input("tijdige afhandeling klachten 2012").run()
    assert not app.exception
    text = all_markdown(app)
    assert "IND, De IND belicht: Jaarresultaten 2012 (2012)" in text
    assert ":orange-background[**" in text and "83%" in text
    assert app.code and "83%" in app.code[0].value and "(IND, De IND belicht" in app.code[0].value
    assert "tijdige afhandeling klachten 2012" in str(app.query_params["q"])


def test_filters_narrow_the_results(app):
    app.text_input(key="q").input("klachten").run()
    app.multiselect[0].select(2016).run()
    citations = [m.value for m in app.markdown if m.value.startswith("**IND,")]
    assert citations and all("Jaarverslag 2016 \\(2016\\)" in c for c in citations)


def test_url_parameters_restore_a_search(slice_paths, monkeypatch):
    corpus, index = slice_paths
    monkeypatch.setenv("KB_CORPUS", str(corpus))
    monkeypatch.setenv("KB_INDEX", str(index))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["q"] = "Aantal ontvangen klachten"
    at.query_params["jaar"] = "2016"
    at.run()
    assert at.text_input(key="q").value == "Aantal ontvangen klachten"
    citations = [m.value for m in at.markdown if m.value.startswith("**IND,")]
    assert citations and all("(2016)" in c.replace("\\", "") for c in citations)


def test_markup_in_a_query_is_shown_as_text(app):
    app.text_input(key="q").input("<script>alert(1)</script> [x](javascript:alert(1)) $5 en $6 klachten").run()
    assert not app.exception
    for m in app.markdown:
        assert "<script>" not in m.value and "](javascript" not in m.value


def test_bad_question_gets_a_friendly_message(app):
    app.text_input(key="q").input("?!?").run()
    assert app.warning and "no letters" in app.warning[0].value


def test_compare_page_lists_every_year(app):
    app.sidebar.radio[1].set_value("Vergelijken").run()
    app.text_input(key="topic").input("ingebrekestellingen").run()
    assert not app.exception
    headers = [h.value for h in app.subheader]
    assert [h.split(":")[0] for h in headers] == ["2011", "2012", "2016"]


def test_first_start_builds_the_index_with_progress(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "verslag-2020.md").write_text("# Leges\n\nDe leges voor een visum stegen in 2020 naar 80 euro.", "utf-8")
    monkeypatch.setenv("KB_CORPUS", str(corpus))
    monkeypatch.setenv("KB_INDEX", str(tmp_path / "index"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception and (tmp_path / "index" / "CURRENT").exists()
    assert at.status and "Index bouwen" in at.status[0].label
    at.text_input(key="q").input("leges visum").run()
    assert "80 euro" in all_markdown(at)


@pytest.fixture()
def own_copy(slice_paths, tmp_path, monkeypatch):
    """A private copy of the slice corpus and index, for tests that add documents."""
    corpus, index = slice_paths
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    monkeypatch.setenv("KB_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("KB_INDEX", str(tmp_path / "index"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    return at, tmp_path


def upload(at, name: str, data: bytes, mime: str):
    at.sidebar.radio[1].set_value("Toevoegen").run()
    at.file_uploader[0].set_value((name, data, mime)).run()
    return at


def test_upload_adds_a_searchable_document_with_markup_shown_as_text(own_copy):
    at, tmp = own_copy
    body = ("# Kosten\n\nDe leges voor een dwangsombeschikking bedroegen $5 en $6 per aanvraag. "
            "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))")
    upload(at, "../../nieuw verslag-2024.md", body.encode(), "text/markdown")
    assert not at.exception and at.success and "nieuw-verslag-2024.md" in at.success[0].value
    assert (tmp / "corpus" / "nieuw-verslag-2024.md").exists() and not (tmp.parent / "x.md").exists()
    at.sidebar.radio[1].set_value("Zoeken").run()
    at.text_input(key="q").input("leges dwangsombeschikking").run()
    shown = [m.value for m in at.markdown]
    assert any("\\$5 en \\$6" in v for v in shown)
    unescaped = re.compile(r"(?<!\\)<|(?<!\\)\]\(|(?<!\\)\$")  # what Markdown would act on
    assert [v for v in shown if "script" in v and unescaped.search(v)] == []


def test_bad_upload_is_refused_and_nothing_is_stored(own_copy):
    at, tmp = own_copy
    upload(at, "kapot.pdf", os.urandom(2048), "application/pdf")
    assert at.error and "not a readable PDF" in at.error[0].value
    assert not (tmp / "corpus" / "kapot.pdf").exists()


def test_read_in_context_shows_the_section_with_the_passage_marked(app):
    app.text_input(key="q").input("Aantal ontvangen klachten 2016").run()
    app.button(key=next(b.key for b in app.button if b.key and b.key.startswith("ctx-"))).click().run()
    assert not app.exception
    assert app.subheader and app.subheader[0].value.replace("\\", "") == "IND Jaarverslag 2016 (2016)"
    assert ":orange-background[**" in all_markdown(app)
    assert any(b.label == "Terug naar de resultaten" for b in app.button)


def test_results_can_be_exported(app):
    app.text_input(key="q").input("tijdige afhandeling klachten 2012").run()
    labels = [b.label for b in app.get("download_button")]
    assert "Exporteren: Markdown" in labels and "Exporteren: CSV" in labels


@pytest.mark.slow
def test_compare_page_shows_the_years_that_speak_of_dwangsommen(full_index, monkeypatch):
    monkeypatch.setenv("KB_CORPUS", str(ROOT / "corpus"))
    monkeypatch.setenv("KB_INDEX", str(full_index))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.sidebar.radio[1].set_value("Vergelijken").run()
    at.text_input(key="topic").input("dwangsommen").run()
    assert not at.exception
    headers = {h.value.split(":")[0]: h.value for h in at.subheader}
    assert list(headers) == ["2011", "2012", "2016", "2022", "2023"]
    assert headers["2022"].startswith("2022: 0 ") and not headers["2023"].startswith("2023: 0 ")
    assert any("Dit rapport spreekt er niet over." in c.value for c in at.caption)


def test_figures_page_charts_each_series_with_its_sources(app):
    app.sidebar.radio[1].set_value("Cijfers").run()
    app.text_input(key="fig").input("klachten").run()
    assert not app.exception
    names = [h.value.replace("\\", "") for h in app.subheader]
    assert "Klachten: Tijdige afhandeling klachten" in names
    assert len(app.get("vega_lite_chart")) == len(names)  # one chart per series
    tables = [d.value for d in app.dataframe]
    timely = next(df for df in tables if "83%" in set(df["zoals geschreven"]))
    row = timely[timely["zoals geschreven"] == "83%"].iloc[0]
    assert row["jaar"] == "2012" and row["bron"].startswith("IND, De IND belicht: Jaarresultaten 2012")
    assert "Tijdige afhandeling klachten" in row["rij"]


def test_figures_page_says_when_no_table_speaks_of_it(app):
    app.sidebar.radio[1].set_value("Cijfers").run()
    app.text_input(key="fig").input("ruimtevaart").run()
    assert not app.exception and "Geen tabelcijfers" in app.info[0].value


def test_a_question_for_a_figure_shows_the_fact_above_the_passages(app):
    app.text_input(key="q").input("hoeveel klachten in 2016").run()
    assert not app.exception
    fact = app.info[0].value.replace("\\", "")
    assert "1.540" in fact and "2016" in fact and "IND Jaarverslag 2016" in fact


def verify_quote(app, text: str):
    app.sidebar.radio[1].set_value("Citaat controleren").run()
    app.text_area(key="verify").input(text)
    app.button(key="verify-go").click().run()
    assert not app.exception
    return app


def test_verify_page_shows_green_only_for_the_reports_own_words(app):
    verify_quote(app, "Het absolute aantal klachten is gestegen van 2.793 in 2010 naar 4.440 in 2011.")
    assert app.success and "Gevonden, woordelijk" in app.success[0].value
    assert not app.warning and not app.error
    assert any("IND Jaarverslag 2011" in m.value.replace("\\", "") for m in app.markdown)


def test_verify_page_shows_a_changed_number_in_orange_with_the_change_first(app):
    verify_quote(app, "Het absolute aantal klachten is gestegen van 2.793 in 2010 naar 4.640 in 2011.")
    assert not app.success and app.warning
    warning = app.warning[0].value.replace("\\", "")
    assert "Gewijzigd" in warning and "Getal: het rapport zegt ‘4.440’, uw tekst ‘4.640’" in warning
    source = [m.value for m in app.markdown if ":red-background[~~" in m.value]
    assert source and ":red-background[~~4\\.440~~]" in source[0]  # the report's word, struck through
    assert app.code and "4.440 in 2011" in app.code[0].value  # the report's own words, ready to copy


def test_verify_page_shows_a_dropped_word_as_partial(app):
    verify_quote(app, "Het aantal klachten is gestegen van 2.793 in 2010 naar 4.440 in 2011")
    assert not app.success and "Gedeeltelijk" in app.warning[0].value and "absolute" in app.warning[0].value


def test_verify_page_reports_text_that_is_not_there(app):
    verify_quote(app, "Het kabinet heft de IND op [x](javascript:alert(1)) en $5 en $6.")
    assert app.error and "Niet gevonden" in app.error[0].value
    for m in app.markdown:
        assert "](javascript" not in m.value


def test_verify_page_says_an_english_text_may_be_a_translation(app):
    verify_quote(app, "The absolute number of complaints rose from 2,793 in 2010 to 4,440 in 2011.")
    assert app.error and "Niet gevonden" in app.error[0].value
    assert app.info and "vertaling is geen citaat" in app.info[0].value


def test_verify_page_checks_a_whole_text_sentence_by_sentence(app):
    app.sidebar.radio[1].set_value("Citaat controleren").run()
    app.text_area(key="verify-article").input(
        "Klachten bij de IND. Het absolute aantal klachten is gestegen van 2.793 in 2010 naar 4.440 in 2011. "
        "Het absolute aantal klachten is gedaald van 2.793 in 2010 naar 4.440 in 2011.")
    app.button(key="verify-article-go").click().run()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["verdict"]) == ["niet gevonden", "🟢 woordelijk", "🟠 gewijzigd"]
    assert list(table["changes"]) == ["", "", "Richting of vergelijking: het rapport zegt ‘gestegen’, uw tekst ‘gedaald’"]
    assert table["citation"][1].startswith("IND, IND Jaarverslag 2011") and table["citation"][0] == ""


@pytest.mark.parametrize("name, stored", [
    ("../../x.md", "x.md"), ("C:\\x.md", "x.md"), ("CON.md", "doc-CON.md"), ("con.txt", "doc-con.txt"),
    ("a" * 300 + ".md", "a" * 120 + ".md"), ("\u202everslag\u200f-2024.md", "verslag-2024.md"),
])
def test_upload_names_are_stored_inside_the_corpus_under_a_safe_name(own_copy, name, stored):
    at, tmp = own_copy
    before = {p for p in tmp.rglob("*") if p.is_file() and "index" not in p.parts}
    upload(at, name, f"# Verslag\n\nEen verslag over leges, ingediend als {len(name)}.".encode(), "text/markdown")
    assert not at.exception
    added = {p for p in tmp.rglob("*") if p.is_file() and "index" not in p.parts} - before
    assert added == {tmp / "corpus" / stored} and at.success  # (a bare "CON" the uploader itself refuses)


BAD_QUERIES = ["", "   ", "?!.,;", "'; DROP TABLE chunks;--", "(a+)+$", "[", "klachten " * 1200,
               "belas\u200bting", "🙂", "الشكاوى", "<script>alert(1)</script>", "$5 en $6",
               "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("question", BAD_QUERIES)
def test_odd_questions_give_a_hint_or_results_shown_literally(app, question):
    app.text_input(key="q").input(question).run()
    assert not app.exception
    shown = [m.value for m in app.markdown] + [w.value for w in app.warning]
    unescaped = re.compile(r"(?<!\\)<(?:script|img)|(?<!\\)\]\(javascript|(?<!\\)\$\d")
    assert [v for v in shown if unescaped.search(v)] == []
    if question.strip() and not any(ch.isalnum() for ch in question):
        assert app.warning  # a hint, not silence


def test_markup_in_a_document_is_shown_literally(own_copy):
    at, tmp = own_copy
    body = ("# Kosten\n\nDe leges <script>alert(1)</script> voor een naturalisatieverzoek waren $5 en $6; "
            "zie [x](javascript:alert(1)) en <img src=x onerror=alert(1)>.")
    upload(at, "markup-2024.md", body.encode(), "text/markdown")
    at.sidebar.radio[1].set_value("Zoeken").run()
    at.text_input(key="q").input("leges naturalisatieverzoek").run()
    shown = [m.value for m in at.markdown]
    card = next(v for v in shown if "naturalisatieverzoek" in v)
    assert "\\<script\\>" in card and "\\$5 en \\$6" in card and "\\[x\\]\\(javascript" in card
    assert not any(m.proto.allow_html for m in at.markdown)


def test_a_damaged_index_is_reported_and_the_previous_one_offered(own_copy, embedder):
    at, tmp = own_copy
    ingest(tmp / "corpus", tmp / "index", embedder, force=True)  # a second generation
    current = store.current_generation(tmp / "index")
    (current / "vectors.faiss").write_bytes(b"\0" * 64)
    st.cache_resource.clear()  # as a freshly started app: the damage is met on opening
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception and at.error and "vectors.faiss" in at.error[0].value.replace("\\", "")
    restore = next(b for b in at.button if b.label.startswith("Vorige index gebruiken"))
    restore.click().run()
    assert not at.exception and not at.error
    at.text_input(key="q").input("tijdige afhandeling klachten 2012").run()
    assert "Jaarresultaten 2012" in all_markdown(at)


def test_a_question_the_reports_do_not_answer_is_said_so_above_the_passages(app):
    app.text_input(key="q").input("Hoeveel kost een paspoort bij de gemeente?").run()
    assert not app.exception
    assert any("De rapporten lijken deze vraag niet te beantwoorden" in w.value for w in app.warning)
    assert any(m.value.startswith("**IND,") for m in app.markdown)  # the closest passages still follow
    app.text_input(key="q").input("tijdige afhandeling klachten 2012").run()
    assert not any("niet te beantwoorden" in w.value for w in app.warning)


MARK = re.compile(r":orange-background\[\*\*(.*?)\*\*\]", re.S)


def test_read_in_context_shows_a_title_with_markup_literally_and_marks_across_paragraphs(
        slice_paths, embedder, tmp_path, monkeypatch):
    """A report title with maths and a link is text; a marked passage over paragraph breaks is
    marked line by line (a mark spanning a break would show as raw `[** ... **]`)."""
    corpus, index = slice_paths
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    manifest = tmp_path / "corpus" / "manifest.toml"
    title = "IND Jaarverslag 2016 $x^2$ [klik](http://example.com)"
    manifest.write_text(manifest.read_text("utf-8").replace('"IND Jaarverslag 2016"', f'"{title}"'), "utf-8")
    ingest(tmp_path / "corpus", tmp_path / "index", embedder)
    chunk = next(c for c in store.open_index(tmp_path / "index").chunks
                 if c.doc_id == "ind-jaarverslag-2016" and "\n\n" in c.text.strip())
    monkeypatch.setenv("KB_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("KB_INDEX", str(tmp_path / "index"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"lees": chunk.doc_id, "van": str(chunk.start), "tot": str(chunk.end)})
    at.run()
    assert not at.exception
    heading = at.subheader[0].value
    assert "\\$x^2\\$" in heading and "\\[klik\\]\\(http" in heading and heading.replace("\\", "") == f"{title} (2016)"
    marks = [m for md in at.markdown for m in MARK.findall(md.value)]
    assert len(marks) > 2 and not [m for m in marks if "\n" in m or m != m.strip()]
