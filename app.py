"""kb in the browser: ask the reports, compare what each year says. Run: streamlit run app.py"""
from __future__ import annotations

import os
import re
from pathlib import Path

import streamlit as st

from kb.compare import compare
from kb.embed import get_embedder
from kb.errors import IndexMissing, KbError, StaleIndex
from kb.pipeline import KnowledgeBase, ingest

CORPUS = Path(os.environ.get("KB_CORPUS", "corpus"))
INDEX = Path(os.environ.get("KB_INDEX", "index"))
TEXT = {
    "nl": {"ask": "Zoeken", "compare": "Vergelijken", "question": "Vraag", "years": "Jaren", "docs": "Rapporten",
           "k": "Aantal passages", "topic": "Onderwerp", "none": "Geen passages gevonden; probeer andere woorden.",
           "building": "Index bouwen (eenmalig)…", "copy": "Citaat met bron", "nothing": "Dit rapport spreekt er niet over.",
           "mentions": "passages over het onderwerp"},
    "en": {"ask": "Search", "compare": "Compare", "question": "Question", "years": "Years", "docs": "Reports",
           "k": "Number of passages", "topic": "Subject", "none": "No passages found; try other words.",
           "building": "Building the index (once)…", "copy": "Quote with source", "nothing": "This report does not speak of it.",
           "mentions": "passages about the subject"},
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$])")


def md_escape(text: str) -> str:
    """Markdown-escape document or query text so it shows literally (no links, LaTeX or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """The passage as Markdown, the answering spans highlighted; built from escaped pieces only."""
    out, pos = [], 0
    for start, end in spans:
        out += [md_escape(text[pos:start]), ":orange-background[**", md_escape(text[start:end]), "**]"]
        pos = end
    out.append(md_escape(text[pos:]))
    return "".join(out)


@st.cache_resource(show_spinner=False)
def load_kb(corpus: str, index: str) -> KnowledgeBase:
    return KnowledgeBase(Path(index), get_embedder(), corpus=Path(corpus))


def open_kb(t: dict) -> KnowledgeBase:
    """The knowledge base, loaded once per process; built first, with progress, when missing or stale."""
    try:
        return load_kb(str(CORPUS), str(INDEX))
    except (IndexMissing, StaleIndex):
        with st.status(t["building"], expanded=True):
            bar = st.progress(0.0)
            ingest(CORPUS, INDEX, get_embedder(), progress=lambda done, total: bar.progress(done / max(total, 1)))
        load_kb.clear()
        return load_kb(str(CORPUS), str(INDEX))


def card(passage, t: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{md_escape(passage.chunk.citation)}**  ·  score {passage.score:.4f}")
        st.markdown(marked(passage.chunk.text, passage.highlights))
        st.code(f"“{passage.quote}” ({passage.chunk.citation})", language=None)


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
        passages = kb.ask(question, k=int(k), years=tuple(years), doc_ids=tuple(docs))
    except KbError as exc:
        st.warning(str(exc))
        return
    if not passages:
        st.info(t["none"])
    for passage in passages:
        card(passage, t)


def compare_page(kb: KnowledgeBase, t: dict) -> None:
    topic = st.text_input(t["topic"], value=st.query_params.get("onderwerp", ""), key="topic")
    if not topic.strip():
        return
    try:
        summaries = compare(kb, topic)
    except KbError as exc:
        st.warning(str(exc))
        return
    st.bar_chart({str(s.year): s.mentions for s in summaries})
    for summary in summaries:
        st.subheader(f"{summary.year}: {summary.mentions} {t['mentions']}")
        if not summary.passages:
            st.caption(t["nothing"])
        for passage in summary.passages:
            card(passage, t)


def main() -> None:
    st.set_page_config(page_title="kb: IND-rapporten", layout="wide")
    lang = st.sidebar.radio("Taal / Language", ["nl", "en"], horizontal=True)
    t = TEXT[lang]
    page = st.sidebar.radio(" ", [t["ask"], t["compare"]], label_visibility="collapsed")
    try:
        kb = open_kb(t)
    except KbError as exc:
        st.error(str(exc))
        return
    (ask_page if page == t["ask"] else compare_page)(kb, t)


main()
