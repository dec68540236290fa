"""The Streamlit app, run for real with AppTest on the slice index."""
import os
import re
import shutil
import time
import urllib.parse

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from kb import index as store
from kb.build import ingest


@pytest.fixture()
def app(slice_paths, monkeypatch):
    monkeypatch.delenv("KB_ALLOW_UPLOADS", raising=False)
    monkeypatch.delenv("KB_ADMIN_PASSWORD", raising=False)
    corpus, index = slice_paths
    monkeypatch.setenv("KB_CORPUS", str(corpus))
    monkeypatch.setenv("KB_INDEX", str(index))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    return at


def cards(at) -> list[str]:
    """The citations heading the result cards, escapes removed."""
    return [m.value.replace("\\", "")[2:-2] for m in at.markdown
            if m.value.startswith("**") and ("sectie" in m.value or "section" in m.value)]


def grids(at) -> list:
    """The Markdown tables of the result cards as DataFrames of the text they show (escapes and the
    answering row's highlight removed)."""
    import re

    import pandas as pd

    def cells(line: str) -> list[str]:
        raw = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        return [re.sub(r"^:orange-background\[\*\*(.*)\*\*\]$", r"\1", c.strip()).replace("\\", "") for c in raw]

    out = []
    for m in at.markdown:
        for block in re.findall(r"(?:^\|.*\|$\n?)+", m.value, flags=re.M):
            header, _, *rows = [cells(line) for line in block.strip().split("\n")]
            out.append(pd.DataFrame(rows, columns=header))
    return out


def all_markdown(at) -> str:
    """What the markdown shows, escapes removed."""
    return "\n".join(m.value.replace("\\", "") for m in at.markdown)


def test_a_question_gives_cited_highlighted_results(app):
    app.text_input(key="q").input("tijdige afhandeling klachten 2012").run()
    assert not app.exception
    text = all_markdown(app)
    assert "De IND belicht: Jaarresultaten 2012 (Immigratie- en Naturalisatiedienst, 2013), sectie " in text
    assert ":orange-background[**" in text and any("◀" in set(d.get("antwoord", ())) for d in grids(app))
    assert app.code and "83%" in app.code[0].value and "(De IND belicht: Jaarresultaten 2012 (" in app.code[0].value
    assert "tijdige afhandeling klachten 2012" in str(app.query_params["q"])


def test_a_typo_is_searched_as_the_reports_word_and_the_page_says_so(app):
    app.text_input(key="q").input("tijdige afhandeling klahcten 2012").run()
    assert not app.exception
    assert app.caption[0].value.replace("\\", "") == "Gezocht als: **klachten** (getypt: klahcten)"
    assert app.code and "83%" in app.code[0].value


def test_filters_narrow_the_results(app):
    app.text_input(key="q").input("klachten").run()
    app.multiselect[0].select(2016).run()
    citations = cards(app)
    assert citations and all(c.startswith("IND Jaarverslag 2016 (Immigratie- en Naturalisatiedienst, 2017)") for c in citations)


def test_url_parameters_restore_a_search(slice_paths, monkeypatch):
    corpus, index = slice_paths
    monkeypatch.setenv("KB_CORPUS", str(corpus))
    monkeypatch.setenv("KB_INDEX", str(index))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["q"] = "Aantal ontvangen klachten"
    at.query_params["jaar"] = "2016"
    at.run()
    assert at.text_input(key="q").value == "Aantal ontvangen klachten"
    citations = cards(at)
    assert citations and all(c.startswith("IND Jaarverslag 2016 (") for c in citations)


@pytest.mark.parametrize("param", ["onderwerp", "cijfers"])
def test_the_figures_page_takes_its_topic_from_the_address_as_compare_does(slice_paths, monkeypatch, param):
    corpus, index = slice_paths
    monkeypatch.setenv("KB_CORPUS", str(corpus))
    monkeypatch.setenv("KB_INDEX", str(index))
    at = AppTest.from_file(str(ROOT / "kb_app" / "pages" / "cijfers.py"), default_timeout=120)
    at.query_params[param] = "klachten"  # "cijfers=" in links made before the pages agreed on "onderwerp="
    at.run()
    assert not at.exception and at.text_input(key="fig").value == "klachten"
    assert "Klachten: Tijdige afhandeling klachten" in [h.value.replace("\\", "") for h in at.subheader]


def test_markup_in_a_query_is_shown_as_text(app):
    app.text_input(key="q").input("<script>alert(1)</script> [x](javascript:alert(1)) $5 en $6 klachten").run()
    assert not app.exception
    for m in app.markdown:
        assert "<script>" not in m.value and "](javascript" not in m.value


def test_bad_question_gets_a_friendly_message(app):
    app.text_input(key="q").input("?!?").run()
    assert app.warning and "bevat geen letters of cijfers" in app.warning[0].value


def test_the_dutch_interface_writes_numbers_the_dutch_way(app):
    app.text_input(key="q").input("klachten " * 250).run()
    assert re.search(r"De vraag is 2\.\d{3} tekens lang; houd hem onder 1\.000\.", app.warning[0].value.replace("\\", ""))
    app.switch_page("kb_app/pages/controleren.py").run()
    verify_quote(app, "Aantal ontvangen 1.540 1.340")
    shown = " ".join(e.value for e in [*app.success, *app.warning, *app.error])
    assert re.search(r"gelijkenis \d,\d\d", shown) and not re.search(r"gelijkenis \d\.\d", shown)


def test_compare_names_each_report_as_its_citations_do(app):
    app.switch_page("kb_app/pages/vergelijken.py").run()
    app.text_input(key="topic").input("klachten").run()
    headers = [h.value.replace("\\", "") for h in app.subheader]
    assert any("IND Jaarverslag 2016 (Immigratie- en Naturalisatiedienst, 2017)" in h for h in headers)
    assert not any(re.search(r"\(\d{4}\) (spreekt|does)", h) for h in headers)


def test_compare_page_reads_a_typo_as_the_reports_word_and_says_so(app):
    app.switch_page("kb_app/pages/vergelijken.py").run()
    app.text_input(key="topic").input("klachten").run()
    headers = [h.value for h in app.subheader]
    assert app.get("vega_lite_chart")  # the chart of the places each report speaks of it
    app.text_input(key="topic").input("klahcten").run()
    assert not app.exception
    assert any(c.value.replace("\\", "") == "Gezocht als: **klachten** (getypt: klahcten)" for c in app.caption)
    assert [h.value for h in app.subheader] == headers and any("spreekt er" in h for h in headers)


def test_compare_page_says_what_to_type_when_no_report_uses_the_words(app):
    app.switch_page("kb_app/pages/vergelijken.py").run()
    app.text_input(key="topic").input("penalty payments").run()
    assert not app.exception and not app.subheader and not app.get("vega_lite_chart")
    assert "Vergelijken zoekt de woorden van de rapporten" in app.info[0].value


def test_compare_page_lists_every_year(app):
    app.switch_page("kb_app/pages/vergelijken.py").run()
    app.text_input(key="topic").input("ingebrekestellingen").run()
    assert not app.exception
    headers = [h.value for h in app.subheader]
    assert [h.split(":")[0] for h in headers] == ["2011", "2012", "2016"]
    assert not any("passages" in h for h in headers) and any("spreekt er" in h for h in headers)


def one_report_without_index(tmp_path, monkeypatch) -> None:
    """The app pointed at a one-report corpus whose index does not exist yet."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "verslag-2020.md").write_text("# Leges\n\nDe leges voor een visum stegen in 2020 naar 80 euro.", "utf-8")
    monkeypatch.setenv("KB_CORPUS", str(corpus))
    monkeypatch.setenv("KB_INDEX", str(tmp_path / "index"))


def test_first_start_builds_the_index_with_progress(tmp_path, monkeypatch):
    one_report_without_index(tmp_path, monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception and (tmp_path / "index" / "CURRENT").exists()
    assert at.status and re.match(r"Index klaar: 1 passages in \d+ s", at.status[0].label)
    at.text_input(key="q").input("leges visum").run()
    assert "80 euro" in all_markdown(at)


def test_first_start_builds_once_however_many_sessions_wait_for_it(tmp_path, monkeypatch):
    import threading
    import kb_app.common as common
    one_report_without_index(tmp_path, monkeypatch)
    builds, real = [], common.ingest

    def slow_ingest(*args, **kwargs):
        builds.append(1)
        time.sleep(2)  # long enough for the second tab to open while it runs
        return real(*args, **kwargs)
    monkeypatch.setattr(common, "ingest", slow_ingest)
    tabs = [AppTest.from_file(str(ROOT / "app.py"), default_timeout=120) for _ in range(2)]
    runs = [threading.Thread(target=tab.run) for tab in tabs]
    for run in runs:
        run.start()
        time.sleep(0.5)
    for run in runs:
        run.join(180)
    assert builds == [1]  # one build for both tabs; the second waited and loaded it
    for tab in tabs:
        assert not tab.exception and tab.text_input(key="q")
    # AppTest's widget bookkeeping is not made for threads: the search is asked in a tab run alone
    # afterwards, on the index the first tab built (no second build)
    tab = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    tab.text_input(key="q").input("leges visum").run()
    assert "80 euro" in all_markdown(tab) and builds == [1]


@pytest.fixture()
def own_copy(slice_paths, tmp_path, monkeypatch):
    """A private copy of the slice corpus and index, for tests that add documents."""
    corpus, index = slice_paths
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    monkeypatch.setenv("KB_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("KB_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("KB_ALLOW_UPLOADS", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    return at, tmp_path


def upload(at, name: str, data: bytes, mime: str):
    at.switch_page("kb_app/pages/toevoegen.py").run()
    at.file_uploader[0].set_value((name, data, mime)).run()
    if not at.error:  # the form asks who published it; the rest is prefilled from the file
        at.text_input[1].input("Gemeente Zwolle")
        at.button[0].click().run()
    return at


def test_upload_adds_a_searchable_document_with_markup_shown_as_text(own_copy):
    at, tmp = own_copy
    body = ("# Kosten\n\nDe leges voor een dwangsombeschikking bedroegen $5 en $6 per aanvraag. "
            "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))")
    upload(at, "../../nieuw verslag-2024.md", body.encode(), "text/markdown")
    assert not at.exception and at.success and "nieuw-verslag-2024.md" in at.success[0].value
    assert (tmp / "corpus" / "nieuw-verslag-2024.md").exists() and not (tmp.parent / "x.md").exists()
    at.switch_page("kb_app/pages/zoeken.py").run()
    at.text_input(key="q").input("leges dwangsombeschikking").run()
    shown = [m.value for m in at.markdown]
    assert any("\\$5 en \\$6" in v for v in shown)
    unescaped = re.compile(r"(?<!\\)<|(?<!\\)\]\(|(?<!\\)\$")  # what Markdown would act on
    assert [v for v in shown if "script" in v and unescaped.search(v)] == []


def test_bad_upload_is_refused_and_nothing_is_stored(own_copy):
    at, tmp = own_copy
    upload(at, "kapot.pdf", os.urandom(2048), "application/pdf")
    assert at.error and "geen leesbare PDF" in at.error[0].value.replace("\\", "")
    assert not (tmp / "corpus" / "kapot.pdf").exists()


def follow_context_link(at, n: int = 0):
    """Open the n-th card's "Lees in context" link as the browser would: its page with its query."""
    link = [p.proto for p in at.get("page_link") if p.proto.page == "lees"][n]
    at.query_params.clear()
    at.query_params.update(dict(urllib.parse.parse_qsl(link.query_string)))
    at.switch_page("kb_app/pages/lees.py").run()
    assert not at.exception
    return at


def test_read_in_context_shows_the_section_with_the_passage_marked(app):
    app.text_input(key="q").input("Aantal ontvangen klachten 2016").run()
    follow_context_link(app)
    assert not app.exception
    assert app.subheader and app.subheader[0].value.replace("\\", "") == (
        "IND Jaarverslag 2016 (Immigratie- en Naturalisatiedienst, 2017)")
    reader = app.get("iframe")[0].proto.srcdoc
    assert "<mark class='passage'" in reader and "scrollIntoView" in reader and "1.540" in reader
    # the answer marked inside the passage, scrolled to; the section's heading shown once
    answer = re.findall(r"<mark class='answer'(?: id='answer')?>(.*?)</mark>", reader, re.S)
    assert answer[0] == "KLACHTEN 2016 2015" and "1.540" in answer[1] and "getElementById('answer')" in reader
    assert reader.count("<h4>De cijfers</h4>") == 1 and "<p>De cijfers<br>" not in reader
    for paragraph in re.findall(r"<p>(.*?)</p>", reader, re.S):  # a mark never crosses a paragraph: a browser ends it
        assert paragraph.count("<mark") == paragraph.count("</mark>")
    assert "IND Jaarverslag 2016 › " in app.caption[0].value.replace("\\", "")  # the section path as breadcrumbs
    assert any("Terug naar de resultaten" in str(p.proto) for p in app.get("page_link"))


def test_results_can_be_exported(app):
    app.text_input(key="q").input("tijdige afhandeling klachten 2012").run()
    labels = [b.label for b in app.get("download_button")]
    assert labels[:2] == ["Markdown", "CSV"] and any(c.value == "Exporteren:" for c in app.caption)  # short labels


@pytest.mark.slow
def test_compare_page_shows_the_years_that_speak_of_dwangsommen(full_index, monkeypatch):
    monkeypatch.setenv("KB_CORPUS", str(ROOT / "corpus"))
    monkeypatch.setenv("KB_INDEX", str(full_index))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("kb_app/pages/vergelijken.py").run()
    at.text_input(key="topic").input("dwangsommen").run()
    assert not at.exception
    headers = {h.value.split(":")[0]: h.value for h in at.subheader}
    assert list(headers) == ["2011", "2012", "2016", "2022", "2023"]
    assert headers["2022"].endswith("spreekt er niet over") and not headers["2023"].endswith("spreekt er niet over")
    assert any("Dit rapport spreekt er niet over." in c.value for c in at.caption)


def test_figures_page_charts_each_series_with_its_sources(app):
    app.switch_page("kb_app/pages/cijfers.py").run()
    app.text_input(key="fig").input("klachten").run()
    assert not app.exception
    names = [h.value.replace("\\", "") for h in app.subheader]
    assert "Klachten: Tijdige afhandeling klachten" in names
    assert len(app.get("vega_lite_chart")) == len(names)  # one chart per series
    tables = [d.value for d in app.table]  # a table wraps the long citation a grid cut off
    timely = next(df for df in tables if "83%" in set(df["zoals geschreven"]))
    row = timely[timely["zoals geschreven"] == "83%"].iloc[0]
    assert row["jaar"] == "2012" and row["bron"].startswith("De IND belicht: Jaarresultaten 2012 (Immigratie")
    assert "Immigratie- en Naturalisatiedienst" in row["bron"]


def test_figures_page_says_when_no_table_speaks_of_it(app):
    app.switch_page("kb_app/pages/cijfers.py").run()
    app.text_input(key="fig").input("ruimtevaart").run()
    assert not app.exception and "Geen tabelcijfers" in app.info[0].value


def test_a_question_for_a_figure_shows_the_fact_above_the_passages(app):
    app.text_input(key="q").input("hoeveel klachten in 2016").run()
    assert not app.exception
    fact = app.info[0].value.replace("\\", "")
    assert "1.540" in fact and "2016" in fact and "IND Jaarverslag 2016" in fact


def verify_quote(app, text: str):
    app.switch_page("kb_app/pages/controleren.py").run()
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


def test_verify_page_checks_a_claim_said_as_the_reports_without_the_words_that_say_so(app):
    verify_quote(app, "Volgens het jaarverslag is het absolute aantal klachten gestegen van 2.793 in 2010 naar "
                      "4.440 in 2011.")
    assert app.success and "Gevonden" in app.success[0].value and not app.warning
    caption = " ".join(c.value for c in app.caption).replace("\\", "")
    assert "Gecontroleerde woorden: “is het absolute aantal klachten gestegen" in caption
    assert "wiens bewering het is" in caption


def test_verify_page_shows_a_dropped_word_as_partial(app):
    verify_quote(app, "Het aantal klachten is gestegen van 2.793 in 2010 naar 4.440 in 2011")
    assert not app.success and "Gedeeltelijk" in app.warning[0].value and "absolute" in app.warning[0].value


def test_verify_page_reports_text_that_is_not_there(app):
    verify_quote(app, "Het kabinet heft de IND op [x](javascript:alert(1)) en $5 en $6.")
    assert app.error and "Niet als citaat in de rapporten gevonden" in app.error[0].value
    for m in app.markdown:
        assert "](javascript" not in m.value


def test_verify_page_says_an_english_text_may_be_a_translation(app):
    verify_quote(app, "The absolute number of complaints rose from 2,793 in 2010 to 4,440 in 2011.")
    assert app.error and "Niet als citaat" in app.error[0].value
    assert app.info and "vertaling is geen citaat" in app.info[0].value


def test_verify_page_checks_a_whole_text_sentence_by_sentence(app):
    app.switch_page("kb_app/pages/controleren.py").run()
    app.text_area(key="verify-article").input(
        "Klachten bij de IND. Het absolute aantal klachten is gestegen van 2.793 in 2010 naar 4.440 in 2011. "
        "Het absolute aantal klachten is gedaald van 2.793 in 2010 naar 4.440 in 2011.")
    app.button(key="verify-article-go").click().run()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["verdict"]) == ["niet als citaat gevonden", "✓ woordelijk", "≠ gewijzigd"]
    assert list(table["changes"]) == ["", "", "Richting of vergelijking: het rapport zegt ‘gestegen’, uw tekst ‘gedaald’"]
    assert table["citation"][1].startswith("IND Jaarverslag 2011 (Immigratie") and table["citation"][0] == ""
    # a sentence not there as a quote points to the closest passage, where a claim in other words is checked
    assert table["nearest"][0].startswith("‘") and "sectie" in table["nearest"][0] and table["nearest"][1] == ""


def test_a_text_of_mostly_symbols_is_checked_without_a_search_for_its_nearest(slice_kb):
    # a question may not be mostly symbols; a quote may: it is looked up, and nothing is searched
    assert slice_kb.verify("— (1) — [2] — {3} —").verdict == "not_found"
    rows = slice_kb.verify_text("Het kabinet heft de IND op.\n\n— (1) — [2] — {3} —")
    assert [v.verdict for v in rows] == ["not_found", "not_found"] and len(rows[0].closest) == 1


def test_a_claim_in_other_words_points_to_the_passage_that_makes_it(slice_kb):
    from kb.verdict_view import article_csv
    claim, made_up = slice_kb.verify_text("In 2012 werd 83 procent van de klachten op tijd afgehandeld. "
                                          "Het kabinet heft de IND in 2030 op.")
    assert claim.verdict == "not_found" and claim.closest  # not the reports' words, but their claim
    assert claim.closest[0].chunk.year == 2012 and "83%" in claim.closest[0].chunk.text
    assert made_up.verdict == "not_found"  # a made-up claim gets a nearest passage too: the reader judges
    header, first, _ = article_csv([claim, made_up]).splitlines()
    assert header.endswith(",nearest") and "Jaarresultaten 2012" in first


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


def test_markup_in_a_document_is_shown_as_clean_text(own_copy):
    at, tmp = own_copy
    body = ("# Kosten\n\nDe leges <script>alert(1)</script> voor een naturalisatieverzoek waren $5 en $6; "
            "zie [x](javascript:alert(1)) en <img src=x onerror=alert(1)>.")
    upload(at, "markup-2024.md", body.encode(), "text/markdown")
    at.switch_page("kb_app/pages/zoeken.py").run()
    at.text_input(key="q").input("leges naturalisatieverzoek").run()
    shown = [m.value for m in at.markdown]
    card = next(v for v in shown if "naturalisatieverzoek" in v)
    assert "script" not in card and "\\$5 en \\$6" in card and "javascript" not in card  # markup dropped, text kept
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
    assert cards(app)  # the closest passages still follow
    shown = all_markdown(app)  # their nearest sentences marked grey and quoted as no answer, never as answers
    assert ":gray-background[" in shown and ":orange-background[" not in shown
    assert any("geen antwoord" in c.value for c in app.caption) and not any("Citaat om" in c.value for c in app.caption)
    app.text_input(key="q").input("tijdige afhandeling klachten 2012").run()
    assert not any("niet te beantwoorden" in w.value for w in app.warning)
    assert ":orange-background[" in all_markdown(app) and ":gray-background[" not in all_markdown(app)


MARK = re.compile(r":orange-background\[\*\*(.*?)\*\*\]", re.S)


def open_reader(tmp_path, monkeypatch, chunk) -> AppTest:
    """The app on the corpus and index in tmp_path, its reader opened at `chunk`."""
    monkeypatch.setenv("KB_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("KB_INDEX", str(tmp_path / "index"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.query_params.update({"lees": chunk.doc_id, "van": str(chunk.start), "tot": str(chunk.end)})
    at.switch_page("kb_app/pages/lees.py").run()
    return at


def test_read_in_context_shows_a_title_with_markup_literally_and_marks_across_paragraphs(
        slice_paths, embedder, tmp_path, monkeypatch):
    """A report title with maths and a link is text; the passage is marked once in the reader."""
    corpus, index = slice_paths
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    manifest = tmp_path / "corpus" / "manifest.toml"
    title = "IND Jaarverslag 2016 $x^2$ [klik](http://example.com)"
    manifest.write_text(manifest.read_text("utf-8").replace('"IND Jaarverslag 2016"', f'"{title}"'), "utf-8")
    ingest(tmp_path / "corpus", tmp_path / "index", embedder)
    chunk = next(c for c in store.open_index(tmp_path / "index").chunks
                 if c.doc_id == "ind-jaarverslag-2016" and "\n\n" in c.text.strip())
    at = open_reader(tmp_path, monkeypatch, chunk)
    assert not at.exception
    heading = at.subheader[0].value
    assert "\\$x^2\\$" in heading and "](http" not in heading  # maths shown as text, the link as its words
    assert heading.replace("\\", "") == "IND Jaarverslag 2016 $x^2$ klik (Immigratie- en Naturalisatiedienst, 2017)"
    reader = at.get("iframe")[0].proto.srcdoc
    assert reader.count("id='passage'") == 1 and "<script>alert" not in reader
    at.query_params["antwoord"] = f"{chunk.start}-{chunk.end + 5},x-1,{chunk.start + 1}-{chunk.start}"  # not inside
    at.switch_page("kb_app/pages/lees.py").run()
    assert not at.exception and "class='answer'" not in at.get("iframe")[0].proto.srcdoc


# Issue 13: the app a newsroom would choose.

def test_the_start_page_has_a_title_an_introduction_and_examples_that_ask(app):
    assert app.title[0].value == "Vraag het de IND-rapporten" and "bronvermelding" in app.markdown[0].value
    app.button(key="example-0").click().run()
    assert app.text_input(key="q").value == "tijdige afhandeling klachten 2012" and cards(app)
    assert not [b for b in app.button if b.key and b.key.startswith("example-")]  # results take their place
    assert "bronvermelding" not in all_markdown(app)


def test_a_blank_question_gets_a_clear_message(app):
    app.text_input(key="q").input("   ").run()
    assert app.info and "Typ eerst een vraag" in app.info[0].value


def test_config_keeps_the_app_offline_with_a_minimal_toolbar_and_kbs_upload_limit():
    import tomllib

    from kb.load import MAX_TEXT_BYTES
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["browser"]["gatherUsageStats"] is False and config["client"]["toolbarMode"] == "minimal"
    assert config["server"]["maxUploadSize"] == MAX_TEXT_BYTES // 2**20


def test_the_dutch_interface_speaks_dutch_and_lists_report_titles(app):
    years, docs = app.multiselect
    assert years.placeholder == "Alle jaren" and docs.placeholder == "Alle rapporten"
    assert "IND Jaarverslag 2016 (Immigratie- en Naturalisatiedienst, 2017)" in docs.options and not any(o.endswith((".txt", ".md")) for o in docs.options)
    assert app.text_input(key="q").help == "Druk op Enter om te zoeken."


def test_the_english_interface_speaks_english_kbs_messages_too(app):
    app.sidebar.radio[0].set_value("en").run()
    assert app.title[0].value == "Ask the IND reports" and app.multiselect[0].placeholder == "All years"
    app.text_input(key="q").input("?!?").run()
    assert "has no letters or digits" in app.warning[0].value
    app.sidebar.radio[0].set_value("nl").run()
    app.text_input(key="q").input("#$%^&*(){}[] <script>alert(1)</script> ░▒▓ 🙂 ¿¿ ;; DROP TABLE").run()
    assert "bestaat vooral uit tekens" in app.warning[0].value and not cards(app)  # no confident answer to it
    app.sidebar.radio[0].set_value("en").run()
    assert app.query_params["taal"] in ("en", ["en"])


def test_cards_show_clean_text_a_marked_table_row_and_a_wrapped_one_paragraph_quote(app):
    app.text_input(key="q").input("tijdige afhandeling klachten 2012").run()
    table = next(d for d in grids(app) if "◀" in set(d.get("antwoord", ())))
    assert list(table.columns) == ["antwoord", "Klachten", "2011", "2012"]  # the header's years
    assert table[table["antwoord"] == "◀"]["Klachten"].iloc[0].startswith("Tijdige afhandeling klachten")
    for m in app.markdown:
        assert "##" not in m.value and "<i>" not in m.value and "](#)" not in m.value
    quote = app.code[0]
    assert quote.proto.wrap_lines and "\n" not in quote.value
    assert quote.value.endswith(f"({cards(app)[0]})")  # one paragraph, then its full citation
    # a table row said readably is no wording of the report: no quotation marks around it
    assert quote.value.startswith("Klachten, Tijdige afhandeling klachten (streefwaarde 90%): 2011: 91%, 2012: 83% (")


def test_a_table_printed_with_spaces_gets_its_years_as_columns_and_the_answer_row_in_it(app):
    app.text_input(key="q").input("Hoeveel klachten ontving de IND in 2016?").run()
    tables = {tuple(d.columns): d for d in grids(app)}
    klachten = tables[("antwoord", "Klachten", "2016", "2015")]
    assert klachten.values.tolist()[0] == ["◀", "Aantal ontvangen", "1.540", "1.340"]  # the answer, in the table
    assert tables[("Baten en lasten", "2016")]["2016"].tolist() == ["€450,2 mln", "€444 mln"]  # values whole, no pointer
    assert ("rij", "1", "2") not in tables and not any(c.isdigit() and len(c) < 4 for g in tables for c in g)
    text = all_markdown(app)
    assert "Aantal ontvangen 1.540" not in text and "KLACHTEN 2016 2015" not in text  # rows and titles not as prose
    assert "**Klachten**" in text
    quote = next(c.value for c in app.code if c.value.startswith("Klachten"))
    assert quote.startswith("Klachten, Aantal ontvangen: 2016: 1.540, 2015: 1.340 (IND Jaarverslag 2016 (")


def test_a_table_block_that_does_not_lay_out_is_shown_as_lines_not_a_grid():
    from kb.figures import Cell, Row
    from kb.tables import Table, tables
    from kb_app.tables import grid
    text = "KLACHTEN 2016 2015\n\nAantal ontvangen 1.540 1.340\n\nTijdig afgehandeld 80% 80%\n"
    found = tables(text)
    assert [(t.title, t.start, len(t.rows)) for t in found] == [("Klachten", 0, 2)]
    assert grid(text, found[0], [(20, 48)]).body[0] == ("Aantal ontvangen", ("1.540", "1.340"), True)
    torn = Table(0, len(text), "Klachten", (found[0].rows[0], Row("Klachten", "Tijdig", (Cell(2015, "80%", 80, "%"),), 50, 75)))
    assert grid(text, torn, []) is None  # a row without the 2016 value: no grid with a cell out of place


def test_a_torn_tables_answering_row_alone_is_marked_and_quoted():
    from kb.units import torn_row
    from kb.tables import row_quote, tables
    from kb_app.tables import grid
    # 2011: the labels, "Overig" and "Totaal" above the year header, then the values
    text = ("Arbeidsmigranten\n• Aantal aanvragen mvv\n\n• Inwilligingen mvv\n\n• Aantal aanvragen vvr\n\n"
            "Overig\n\nTotaal\n\n2011 2010\n\n2.800 2.300\n\n86% 81%\n\n3.800 3.300\n")
    label = (text.index("• Aantal aanvragen vvr"), text.index("• Aantal aanvragen vvr") + len("• Aantal aanvragen vvr"))
    spans = sorted([label, *torn_row(text, label)])  # what the marking gives: the label, the year header, the values
    [table] = tables(text)
    marked = [(label, hit) for label, _, hit in grid(text, table, spans).body]
    assert marked == [("Aantal aanvragen mvv", False), ("Inwilligingen mvv", False), ("Aantal aanvragen vvr", True)]
    assert row_quote(text, spans) == "Arbeidsmigranten, Aantal aanvragen vvr: 2011: 3.800, 2010: 3.300"


def test_a_torn_top_list_is_laid_out_with_its_own_columns_and_the_answering_row_marked():
    from kb.units import torn_row
    from kb_app.cards import segments
    from kb_app.tables import ranked_grid
    from kb.units import ranked_lists
    # 2011: the list's rows stand among the table's labels; its values follow the table's
    text = ("Kennismigranten\n• Aantal aanvragen vvr\n\n• Inwilligingen vvr\n\nTop 3 nationaliteiten aantal ingewilligde\n\n"
            "vvr-aanvragen 1e aanleg\n\n1. Indiase\n\n2. Amerikaanse\n\n3. Japanse\n\nOverig\n\nTotaal\n\n"
            "2011 2010\n\n6.650 5.900\n\n98% 99%\n\naantal percentage\n\n2.000 34%\n\n800 13%\n\n350 6%\n\n"
            "2.750 47%\n\n5.900 100%\n\nDe rest van de tekst.")
    [lst] = ranked_lists(text)
    assert [kind for kind, *_ in segments(text)] == ["table", "text", "ranked", "text"]
    label = (text.index("3. Japanse"), text.index("3. Japanse") + len("3. Japanse"))
    laid_out = ranked_grid(lst, sorted([label, *torn_row(text, label)]))
    assert laid_out.title == "Top 3 nationaliteiten aantal ingewilligde vvr-aanvragen 1e aanleg"
    assert laid_out.columns == ("aantal", "percentage")
    assert [(name, cells, hit) for name, cells, hit in laid_out.body][:3] == [
        ("1. Indiase", ("2.000", "34%"), False), ("2. Amerikaanse", ("800", "13%"), False), ("3. Japanse", ("350", "6%"), True)]


def test_citations_say_who_published_once_and_never_a_bare_month_or_markdown(app):
    app.text_input(key="q").input("documenten verblijfsvergunning 2016").run()
    for citation in cards(app):
        assert not citation.startswith("IND, ") and "*" not in citation
        assert not re.search(r"sectie (November|December|Oktober)\b", citation)
    assert not any("score" in m.value for m in app.markdown)
    assert "Waarom deze passage?" in str([p.proto for p in app.get("popover")] or [b.proto for b in app.get("expandable")])


def test_compare_figures_and_verify_keep_their_state_in_the_url(slice_paths, monkeypatch):
    corpus, index = slice_paths
    monkeypatch.setenv("KB_CORPUS", str(corpus))
    monkeypatch.setenv("KB_INDEX", str(index))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    for page, key, param, value in [("vergelijken", "topic", "onderwerp", "klachten"),
                                    ("cijfers", "fig", "onderwerp", "klachten"),
                                    ("controleren", "verify", "citaat", "Het absolute aantal klachten is gestegen")]:
        at.switch_page(f"kb_app/pages/{page}.py").run()
        (at.text_area if page == "controleren" else at.text_input)(key=key).input(value).run()
        assert at.query_params[param] in (value, [value])
        fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        fresh.run()
        fresh.query_params[param] = value
        fresh.switch_page(f"kb_app/pages/{page}.py").run()
        assert (fresh.text_area if page == "controleren" else fresh.text_input)(key=key).value == value


def test_compare_says_in_words_how_often_and_folds_every_passage(app):
    app.switch_page("kb_app/pages/vergelijken.py").run()
    app.text_input(key="topic").input("klachten").run()
    headers = [h.value for h in app.subheader]
    assert any(re.search(r"spreekt er op \d+ plekken over", h) for h in headers)
    assert len(app.expander) == sum(int(n) for h in headers for n in re.findall(r"op (\d+) plekken", h)) + sum(
        "op één plek" in h for h in headers)
    labels = [e.label.split(": ", 1)[1] for e in app.expander]  # where each passage stands, never nothing
    assert all(labels)
    assert app.title[0].value == "Vergelijken" and "door de jaren heen" in app.markdown[0].value


@pytest.mark.parametrize("page, title", [("cijfers", "Cijfers"), ("controleren", "Citaat controleren")])
def test_every_page_says_what_it_is_for(app, page, title):
    app.switch_page(f"kb_app/pages/{page}.py").run()
    assert not app.exception and app.title[0].value == title and len(app.markdown[0].value) > 40


def test_figures_chart_years_on_a_time_axis_in_dutch_number_format(app):
    app.switch_page("kb_app/pages/cijfers.py").run()
    app.text_input(key="fig").input("klachten").run()
    import json
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    line = spec["layer"][0]["encoding"]
    assert line["x"]["type"] == "quantitative" and line["x"]["axis"]["format"] == "d"
    assert line["y"]["scale"]["zero"] is True
    assert spec["config"]["locale"]["number"]["thousands"] == "." and spec["config"]["locale"]["number"]["decimal"] == ","
    color = spec["layer"][1]["encoding"]["color"]
    assert color["legend"]["labelLimit"] == 0 and color["scale"]["scheme"] == "tableau10"  # distinct hues


def test_an_upload_is_locked_unless_the_server_allows_it(app, monkeypatch):
    app.switch_page("kb_app/pages/toevoegen.py").run()
    assert not app.file_uploader and "Toevoegen staat uit" in app.info[0].value
    monkeypatch.setenv("KB_ADMIN_PASSWORD", "geheim")
    app.run()
    app.text_input(key="admin-password").input("fout").run()
    assert app.error and not app.file_uploader
    app.text_input(key="admin-password").input("geheim").run()
    assert app.file_uploader and app.file_uploader[0].proto.max_upload_size_mb == 50


def test_an_upload_is_cited_as_its_publishers_and_marked_as_added_by_a_user(own_copy):
    at, tmp = own_copy
    upload(at, "gemeente-zwolle-jaarverslag-2024.md",
           b"# Jaarverslag Zwolle 2024\n\nDe leges voor een paspoort bij de gemeente Zwolle stegen in 2024.", "text/markdown")
    assert not at.exception and at.success
    manifest = (tmp / "corpus" / "manifest.toml").read_text("utf-8")
    assert 'publisher = "Gemeente Zwolle"' in manifest and 'added = "20' in manifest and "IND Jaarverslag 2016" in manifest
    at.switch_page("kb_app/pages/zoeken.py").run()
    at.text_input(key="q").input("leges paspoort gemeente Zwolle").run()
    citation = next(c for c in cards(at) if "Zwolle" in c)
    assert citation.startswith("Jaarverslag Zwolle 2024 (Gemeente Zwolle, 2024) [toegevoegd door een gebruiker op 20")
    assert "toegevoegd door een gebruiker" in next(c.value for c in at.code if "Zwolle" in c.value)


def test_export_is_plain_markdown_with_full_citations_named_after_the_question(slice_kb):
    from kb_app.export import export_markdown, file_stem
    assert file_stem("Tijdige afhandeling klachten 2012?") == "kb-tijdige-afhandeling-klachten-2012"
    passages = slice_kb.ask("tijdige afhandeling klachten 2012", k=3)
    text = export_markdown(slice_kb, "tijdige afhandeling klachten 2012", [("q", p) for p in passages])
    assert "\\" not in text and text.startswith("# tijdige afhandeling klachten 2012")
    assert "(De IND belicht: Jaarresultaten 2012 (Immigratie- en Naturalisatiedienst, 2013), sectie " in text
    declined = export_markdown(slice_kb, "paspoort", [("paspoort", p) for p in passages], note="Geen antwoord.")
    assert declined.startswith("# paspoort\n\n*Geen antwoord.*\n\n> ")  # what a reader must know, above the quotes


def test_csv_export_quotes_a_table_row_readably_with_its_citation(slice_kb):
    import csv
    import io

    from kb_app.export import export_csv
    passages = slice_kb.ask("tijdige afhandeling klachten 2012", k=3)
    rows = list(csv.reader(io.StringIO(export_csv(slice_kb, [("q", p) for p in passages]))))
    assert rows[0] == ["label", "rank", "year", "citation", "quote"] and len(rows) == 4
    assert rows[1][2] == "2012" and rows[1][3].startswith("De IND belicht: Jaarresultaten 2012 (")
    assert rows[1][4].startswith("Klachten, Tijdige afhandeling klachten") and "2012: 83%" in rows[1][4]


def test_the_time_left_follows_the_recent_pace_not_the_average_since_the_start():
    from kb_app.common import time_left

    fast = [(float(t), 20 * t) for t in range(0, 101, 5)]  # sentence vectors: 20 texts a second
    slow = [(100.0 + t, 2000 + 2 * t) for t in range(5, 31, 5)]  # then latent terms: 2 a second
    assert time_left(fast, 2400) == pytest.approx(20.0)  # 400 left at 20 a second
    assert time_left(fast + slow, 2400) == pytest.approx(170.0)  # 340 left at 2 a second, not 21 s
    assert time_left([(0.0, 0), (3.0, 0)], 2400) == 0.0  # nothing done yet: no estimate
    assert time_left([(0.0, 10), (20.0, 10)], 30) == pytest.approx(40.0)  # stalled: the average pace


def test_the_link_to_an_original_file_whose_name_has_spaces_is_a_link(slice_paths, embedder, tmp_path, monkeypatch):
    corpus, index = slice_paths
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    name = "Evaluatie inburgering (définitief) 2025.md"
    (tmp_path / "corpus" / name).write_text("# Inburgering\n\nIn 2025 stopten 40 inburgeraars met hun route.\n", "utf-8")
    ingest(tmp_path / "corpus", tmp_path / "index", embedder)
    chunk = next(c for c in store.open_index(tmp_path / "index").chunks if c.doc_id.startswith("evaluatie-inburgering"))
    at = open_reader(tmp_path, monkeypatch, chunk)
    assert not at.exception
    link = next(m.value for m in at.markdown if "app/static/reports/" in m.value)
    assert "(app/static/reports/Evaluatie%20inburgering%20%28d%C3%A9finitief%29%202025.md)" in link
