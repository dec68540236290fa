"""kb in the browser: ask the reports, compare what each year says. Run: streamlit run app.py"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import streamlit as st

from kb.chunk import find_sections
from kb.compare import compare
from kb.embed import get_embedder
from kb.errors import DamagedIndex, IndexMissing, KbError, StaleIndex, UnreadableFile
from kb.files import file_sha256
from kb.store import backend, is_url, location_of
from kb.load import SUFFIXES, corpus_files, load_file, meta_from_name
from kb.pipeline import IngestReport, KnowledgeBase, ingest
from kb.render import marked, md_escape, results_csv, results_markdown, safe_filename
from kb.verdict_view import PAGE_WORDS, VERDICT_WORDS, article_csv, article_table, change_words, source_markdown

CORPUS = Path(os.environ.get("KB_CORPUS", "corpus"))
INDEX = location_of(None, os.environ.get("KB_INDEX", "index"))  # KB_STORE=postgresql://... shares one database
TEXT = {
    "nl": {"ask": "Zoeken", "compare": "Vergelijken", "question": "Vraag", "years": "Jaren", "docs": "Rapporten",
           "k": "Aantal passages", "topic": "Onderwerp", "none": "Geen passages gevonden; probeer andere woorden.",
           "building": "Index bouwen (eenmalig)…", "nothing": "Dit rapport spreekt er niet over.",
           "mentions": "passages over het onderwerp", "add": "Toevoegen", "context": "Lees in context",
           "back": "Terug naar de resultaten", "prev": "Vorige sectie", "next": "Volgende sectie",
           "before": "Eerder in deze sectie", "upload": "Rapporten toevoegen (PDF, tekst, Markdown)",
           "exists": "Er staat al een document met de naam", "overwrite": "Vervangen", "added": "Toegevoegd en doorzoekbaar:",
           "refused": "Geweigerd:", "export": "Exporteren", "figures": "Cijfers", "verify": "Citaat controleren",
           "no_figures": "Geen tabelcijfers over dit onderwerp; probeer een woord uit een tabeltitel (klachten, asiel).",
           "disputed": "De rapporten geven verschillende waarden voor", "fact": "Uit de tabellen",
           "quote": "Tekst om te controleren", "found": "Gevonden", "exact": "woordelijk", "near": "met kleine verschillen",
           "not_found": "Niet gevonden in de rapporten", "closest": "Dichtstbijzijnde passages", "similarity": "gelijkenis",
           "diff": "Verschillen (doorgestreept: alleen in het rapport; vet: alleen in uw tekst)",
           "restore": "Vorige index gebruiken", "rebuild": "Index opnieuw bouwen",
           "no_answer": "De rapporten lijken deze vraag niet te beantwoorden. Dit zijn de passages die er het dichtst bij komen."},
    "en": {"ask": "Search", "compare": "Compare", "question": "Question", "years": "Years", "docs": "Reports",
           "k": "Number of passages", "topic": "Subject", "none": "No passages found; try other words.",
           "building": "Building the index (once)…", "nothing": "This report does not speak of it.",
           "mentions": "passages about the subject", "add": "Add", "context": "Read in context",
           "back": "Back to the results", "prev": "Previous section", "next": "Next section",
           "before": "Earlier in this section", "upload": "Add reports (PDF, text, Markdown)",
           "exists": "A document already has the name", "overwrite": "Replace", "added": "Added and searchable:",
           "refused": "Refused:", "export": "Export", "figures": "Figures", "verify": "Check a quote",
           "no_figures": "No table figures on this subject; try a word of a table title (klachten, asiel).",
           "disputed": "The reports give different values for", "fact": "From the tables",
           "quote": "Text to check", "found": "Found", "exact": "word for word", "near": "with small differences",
           "not_found": "Not found in the reports", "closest": "Closest passages", "similarity": "similarity",
           "diff": "Differences (struck: only in the report; bold: only in your text)",
           "restore": "Use the previous index", "rebuild": "Rebuild the index",
           "no_answer": "The reports do not seem to answer this question. These are the closest passages."},
}


@st.cache_resource(show_spinner=False)
def embedder():
    return get_embedder()


@st.cache_resource(show_spinner=False)
def load_kb(corpus: str, index: str) -> KnowledgeBase:
    return KnowledgeBase(index if is_url(index) else Path(index), embedder(), corpus=Path(corpus))


def open_kb(t: dict) -> KnowledgeBase:
    """The knowledge base, loaded once per process; built first, with progress, when missing or stale."""
    try:
        return load_kb(str(CORPUS), str(INDEX))
    except (IndexMissing, StaleIndex):
        build_index(t)
        load_kb.clear()
        return load_kb(str(CORPUS), str(INDEX))


def build_index(t: dict, force: bool = False, expanded: bool = True) -> IngestReport:
    """`ingest` of the app's corpus, its progress shown as a bar."""
    with st.status(t["building"], expanded=expanded):
        bar = st.progress(0.0)
        return ingest(CORPUS, INDEX, embedder(), force=force,
                      progress=lambda done, total: bar.progress(done / max(total, 1)))


def damaged_page(exc: DamagedIndex, t: dict) -> None:
    """The index cannot be read: say why, and offer the intact previous one or a rebuild."""
    st.error(md_escape(str(exc)))
    left, right = st.columns(2)
    try:
        if exc.previous and left.button(f"{t['restore']} ({exc.previous})"):
            backend(INDEX).restore()
        elif right.button(t["rebuild"]):
            build_index(t, force=True)
        else:
            return
    except KbError as err:
        st.error(md_escape(str(err)))
        return
    load_kb.clear()
    st.rerun()


def card(passage, t: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{md_escape(passage.chunk.citation)}**  ·  score {passage.score:.4f}")
        st.markdown(marked(passage.chunk.text, passage.highlights))
        st.code(f"“{passage.quote}” ({passage.chunk.citation})", language=None)
        c = passage.chunk
        st.button(t["context"], key=f"ctx-{c.chunk_id}", on_click=open_context, args=(c.doc_id, c.start, c.end))


def open_context(doc_id: str, start: int, end: int) -> None:
    st.query_params.update({"lees": doc_id, "van": str(start), "tot": str(end)})


def close_context() -> None:
    for key in ("lees", "van", "tot"):
        st.query_params.pop(key, None)


def context_page(kb: KnowledgeBase, t: dict) -> None:
    """The whole section around a passage, the passage marked, the neighbours one click away."""
    doc = kb.index.documents.get(st.query_params.get("lees", ""))
    try:
        start, end = int(st.query_params.get("van", 0)), int(st.query_params.get("tot", 0))
    except ValueError:
        start = end = 0
    st.button(t["back"], on_click=close_context)
    if doc is None:
        return
    sections = find_sections(doc["text"])
    at = next((i for i, sec in enumerate(sections) if sec.start <= start < sec.end), 0)
    sec = sections[at]
    st.subheader(md_escape(f"{doc['title']} ({doc['year']})"))
    st.caption(md_escape(sec.path or doc["title"]))
    mark_from = max(start, sec.start)
    if mark_from > sec.start:
        with st.expander(t["before"]):
            st.markdown(md_escape(doc["text"][sec.start:mark_from]))
    st.markdown(marked(doc["text"][mark_from:sec.end], [(0, max(0, min(end, sec.end) - mark_from))] if end > start else []))
    left, right = st.columns(2)
    if at > 0:
        left.button(t["prev"], on_click=open_context, args=(doc["doc_id"], sections[at - 1].start, sections[at - 1].start))
    if at + 1 < len(sections):
        right.button(t["next"], on_click=open_context, args=(doc["doc_id"], sections[at + 1].start, sections[at + 1].start))


def ask_page(kb: KnowledgeBase, t: dict) -> None:
    params = st.query_params
    years_all = sorted({c.year for c in kb.index.chunks})
    docs_all = sorted(kb.index.documents)
    question = st.text_input(t["question"], value=params.get("q", ""), key="q")
    col1, col2, col3 = st.columns([2, 3, 1])
    years = col1.multiselect(t["years"], years_all, default=[int(y) for y in params.get_all("jaar") if y.isdigit() and int(y) in years_all])
    docs = col2.multiselect(t["docs"], docs_all, default=[d for d in params.get_all("doc") if d in docs_all])
    k = col3.number_input(t["k"], 1, 50, value=int(params.get("k", 5)) if str(params.get("k", "5")).isdigit() else 5)
    st.query_params.from_dict({"q": question, "jaar": [str(y) for y in years], "doc": docs, "k": str(k)})
    if not question.strip():
        return
    try:
        answer = kb.answer(question, k=int(k), years=tuple(years), doc_ids=tuple(docs))
    except KbError as exc:
        st.warning(md_escape(str(exc)))
        return
    passages, facts = answer.passages, answer.facts
    if not passages:
        st.info(t["none"])
        return
    if answer.no_answer:
        st.warning(t["no_answer"])
    if facts:
        st.info(f"**{t['fact']}:** " + "  \n".join(
            f"{md_escape(f.table)} · {md_escape(f.label)} · {f.year}: **{md_escape(f.as_written)}** ({md_escape(f.citation)})"
            for f in facts))
    export_buttons(question, [(question, p) for p in passages], t, "vraag")
    for passage in passages:
        card(passage, t)


def export_buttons(title: str, rows: list, t: dict, stem: str) -> None:
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(f"{t['export']}: Markdown", results_markdown(title, rows), f"kb-{stem}.md", "text/markdown")
    right.download_button(f"{t['export']}: CSV", results_csv(rows), f"kb-{stem}.csv", "text/csv")


def compare_page(kb: KnowledgeBase, t: dict) -> None:
    topic = st.text_input(t["topic"], value=st.query_params.get("onderwerp", ""), key="topic")
    if not topic.strip():
        return
    try:
        summaries = compare(kb, topic)
    except KbError as exc:
        st.warning(md_escape(str(exc)))
        return
    st.bar_chart({str(s.year): s.mentions for s in summaries})
    export_buttons(topic, [(str(s.year), p) for s in summaries for p in s.passages], t, "vergelijking")
    for summary in summaries:
        st.subheader(f"{summary.year}: {summary.mentions} {t['mentions']}")
        if not summary.passages:
            st.caption(t["nothing"])
        for passage in summary.passages:
            card(passage, t)


def figures_page(kb: KnowledgeBase, t: dict) -> None:
    """One chart per series, each point's source on hover and in the table of rows beneath."""
    import altair as alt

    query = st.text_input(t["topic"], value=st.query_params.get("cijfers", ""), key="fig")
    if not query.strip():
        return
    try:
        found = kb.figures(query)
    except KbError as exc:
        st.warning(md_escape(str(exc)))
        return
    if not found:
        st.info(t["no_figures"])
    for series in found[:12]:
        st.subheader(md_escape(series.name))
        if series.disputed:
            st.warning(f"{t['disputed']} {', '.join(map(str, series.disputed))}.")
        rows = [{"jaar": str(f.year), "waarde": f.value, "zoals geschreven": f.as_written, "rapport": f.report,
                 "bron": f.citation, "rij": " ".join(kb.index.documents[f.doc_id]["text"][f.start:f.end].split())}
                for f in series.facts]
        chart = alt.Chart(alt.Data(values=rows)).mark_line(point=True).encode(
            x=alt.X("jaar:O"), y=alt.Y("waarde:Q", title=series.unit or None), color="rapport:N",
            tooltip=["jaar:O", "zoals geschreven:N", "rapport:N", "bron:N"])
        st.altair_chart(chart, width="stretch")
        st.dataframe(rows, hide_index=True, column_order=["jaar", "zoals geschreven", "rapport", "bron", "rij"])


def verify_page(kb: KnowledgeBase, t: dict) -> None:
    """Check one quote, or a whole text sentence by sentence. Green only for the reports' own
    words (exact, or differing in form only); orange for a changed or partial quote; red for none."""
    lang = next(code for code, words in TEXT.items() if words is t)
    w = PAGE_WORDS[lang]
    one, article = st.tabs([w["one"], w["article"]])
    with one:
        verify_quote(kb, t, w, lang)
    with article:
        verify_article(kb, w, lang)


def verify_quote(kb: KnowledgeBase, t: dict, w: dict, lang: str) -> None:
    text = st.text_area(t["quote"], key="verify")
    st.button(w["check"], key="verify-go", type="primary")  # a click reruns with the text; so does Ctrl+Enter
    if not text.strip():
        return
    try:
        verdict = kb.verify(text)
    except KbError as exc:
        st.warning(md_escape(str(exc)))
        return
    score = f"{t['similarity']} {verdict.score:.2f}"
    if verdict.found:
        st.success(f"{w[verdict.verdict]} ({score})")
        card(verdict.match, t)
    elif verdict.verdict in ("altered", "partial"):
        lines = [md_escape(change_words(c, lang)) for c in verdict.changes]
        lines += [f"{w['left_out']}: {md_escape(' '.join(verdict.omitted))}"] if verdict.omitted else []
        lines += [f"{w['also_from']}: {md_escape(p.chunk.citation)}" for p in verdict.parts]
        st.warning(f"**{w[verdict.verdict]}** ({score})\n\n" + "\n".join(f"- {line}" for line in lines))
        source_card(verdict.source, verdict.changes, w, t)
        for passage in verdict.parts:
            card(passage, t)
    else:
        st.error(f"{w['not_found']} ({score})")
        if verdict.translation:
            st.info(w["translation"])
    if verdict.diff and not verdict.exact and not verdict.translation:
        st.caption(t["diff"])
        st.markdown(" ".join(md_escape(x) if tag == "equal" else f"~~{md_escape(x)}~~" if tag == "delete"
                             else f"**{md_escape(x)}**" for tag, x in verdict.diff))
    if verdict.closest:
        st.subheader(t["closest"])
        for passage in verdict.closest:
            card(passage, t)


def source_card(passage, changes: list, w: dict, t: dict) -> None:
    """The report's passage where a changed text stands, the changed words struck through."""
    with st.container(border=True):
        st.markdown(f"**{w['source']}: {md_escape(passage.chunk.citation)}**")
        st.markdown(source_markdown(passage, changes))
        st.code(f"“{passage.quote}” ({passage.chunk.citation})", language=None)
        c = passage.chunk
        st.button(t["context"], key=f"src-{c.chunk_id}", on_click=open_context, args=(c.doc_id, c.start, c.end))


def verify_article(kb: KnowledgeBase, w: dict, lang: str) -> None:
    """A verdict per sentence of a pasted text, as a table with the changes and citations."""
    text = st.text_area(w["article_text"], key="verify-article", height=220)
    st.button(w["check"], key="verify-article-go", type="primary")
    if not text.strip():
        return
    try:
        verdicts = kb.verify_text(text)
    except KbError as exc:
        st.warning(md_escape(str(exc)))
        return
    counts = {v: sum(x.verdict == v for x in verdicts) for v in VERDICT_WORDS[lang]}
    st.markdown(" · ".join(f"{VERDICT_WORDS[lang][v]}: **{n}**" for v, n in counts.items()))
    rows = article_table(verdicts, lang)
    st.dataframe(rows, hide_index=True, column_order=list(w["columns"]), column_config=w["columns"])
    st.download_button("CSV", article_csv(verdicts, lang), "kb-controle.csv", "text/csv")


def add_page(t: dict) -> None:
    """Uploads are checked before they are stored, under a safe name inside corpus/, then indexed."""
    files = st.file_uploader(t["upload"], type=[s.lstrip(".") for s in SUFFIXES], accept_multiple_files=True)
    done = st.session_state.setdefault("uploaded", set())
    for upload in files or []:
        if upload.file_id in done:
            continue
        name = safe_filename(upload.name)
        target = CORPUS / name
        if target.suffix.lower() not in SUFFIXES:
            st.error(f"{t['refused']} {md_escape(upload.name)}: .txt, .md, .pdf")
            continue
        if target.exists() and not st.checkbox(f"{t['overwrite']} {name}?", key=f"ow-{name}"):
            st.warning(f"{t['exists']} {name}.")
            continue
        try:
            check_upload(upload.getvalue(), name)
        except UnreadableFile as exc:
            st.error(f"{t['refused']} {md_escape(str(exc))}")
            continue
        target.write_bytes(upload.getvalue())
        try:
            report = build_index(t, expanded=False)
        except KbError as exc:  # e.g. another build running: the file is kept and indexed on the next build
            st.error(f"{name}: {md_escape(str(exc))}")
            continue
        load_kb.clear()
        done.add(upload.file_id)
        skipped = dict(report.skipped)
        if name in skipped:
            st.warning(md_escape(skipped[name]))
        else:
            st.success(f"{t['added']} {name}")  # a safe name: letters, digits, - _ . only


def check_upload(data: bytes, name: str) -> None:
    """Read the file as ingest would, from a scratch copy; raises UnreadableFile with the reason.
    The same bytes under another name are refused before anything is stored."""
    digest = hashlib.sha256(data).hexdigest()
    same = next((p.name for p in corpus_files(CORPUS) if p.name != name and file_sha256(p) == digest), None)
    if same:
        raise UnreadableFile(f"{name}: the same document as {same}, which is indexed already", kind="duplicate")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        doc, _ = load_file(path, meta_from_name(path))
        if not doc.text.strip():
            raise UnreadableFile(f"{name}: no text in it")


def main() -> None:
    st.set_page_config(page_title="kb: IND-rapporten", layout="wide")
    lang = st.sidebar.radio("Taal / Language", ["nl", "en"], horizontal=True)
    t = TEXT[lang]
    pages = {t["ask"]: ask_page, t["compare"]: compare_page, t["figures"]: figures_page, t["verify"]: verify_page}
    page = st.sidebar.radio(" ", [*pages, t["add"]], label_visibility="collapsed")
    if page == t["add"]:
        add_page(t)
        return
    try:
        kb = open_kb(t)
    except DamagedIndex as exc:
        damaged_page(exc, t)
        return
    except KbError as exc:
        st.error(md_escape(str(exc)))
        return
    if "lees" in st.query_params:
        context_page(kb, t)
    else:
        pages[page](kb, t)


main()
