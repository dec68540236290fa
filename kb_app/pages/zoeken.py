"""Zoeken: a title, a short introduction, example questions; a question gives cited cards, the table
facts above them, and an export of what a journalist would paste. Its state is in the URL."""
import streamlit as st

from kb.errors import KbError
from kb.render import md_escape

from kb_app.cards import card
from kb_app.common import fact_citation, keep_in_url, open_kb, report_titles, say_error, say_respelled, words
from kb_app.export import export_buttons


def use_example(question: str) -> None:
    st.session_state["q"] = question
    st.session_state["asked"] = True


def mark_asked() -> None:
    st.session_state["asked"] = True


def start(t: dict):
    """The title, then a slot for the introduction: emptied once a question is asked."""
    st.title(t["app_title"])
    return st.empty()


def examples(t: dict) -> None:
    st.caption(t["examples"])
    for i, (column, question) in enumerate(zip(st.columns(len(t["example_questions"])), t["example_questions"])):
        column.button(question, key=f"example-{i}", on_click=use_example, args=(question,), type="tertiary")


def filters(kb, t: dict) -> tuple[str, list[int], list[str], int]:
    params = st.query_params
    titles = report_titles(kb)
    years_all = sorted({c.year for c in kb.index.chunks})
    if "q" not in st.session_state:
        st.session_state["q"] = params.get("q", "")
    question = st.text_input(t["question"], key="q", on_change=mark_asked, help=t["question_help"],
                             placeholder=t["example_questions"][0])
    col1, col2, col3 = st.columns([2, 3, 1])
    years = col1.multiselect(t["years"], years_all, placeholder=t["all_years"], key="years", help=t["years_help"],
                             default=[int(y) for y in params.get_all("jaar") if y.isdigit() and int(y) in years_all])
    docs = col2.multiselect(t["docs"], list(titles), format_func=titles.get, placeholder=t["all_docs"], key="docs",
                            default=[d for d in params.get_all("doc") if d in titles])
    k_param = params.get("k", "5")
    k = col3.number_input(t["k"], 1, 50, value=int(k_param) if k_param.isdigit() and 1 <= int(k_param) <= 50 else 5)
    return question, years, docs, int(k)


def facts_box(kb, facts: list, t: dict) -> None:
    st.info(f"**{t['fact']}:**  \n" + "  \n".join(
        f"{md_escape(f.table)} · {md_escape(f.label)} · {f.year}: **{md_escape(f.as_written)}** "
        f"({md_escape(fact_citation(kb, f))})" for f in facts))


def results(kb, question: str, years: list[int], docs: list[str], k: int, t: dict) -> None:
    try:
        answer = kb.answer(question, k=k, years=tuple(years), doc_ids=tuple(docs))
    except KbError as exc:
        say_error(exc)
        return
    say_respelled(answer.respelled, t)
    if not answer.passages:
        st.info(t["none"])
        return
    if answer.no_answer:
        st.warning(t["no_answer"])
    if answer.facts:
        facts_box(kb, answer.facts, t)
    export_slot = st.container()  # above the cards on the page, filled after them: the first card goes out first
    for i, passage in enumerate(answer.passages):
        card(kb, passage, key=f"r{i}", answers=not answer.no_answer)
    with export_slot:
        note = t["export_no_answer"] if answer.no_answer else ""
        export_buttons(kb, question, [(question, p) for p in answer.passages], note)


def main() -> None:
    t = words()
    intro = start(t)
    kb = open_kb()
    if kb is None:
        return
    question, years, docs, k = filters(kb, t)
    keep_in_url(q=question, jaar=[str(y) for y in years], doc=docs, k=str(k) if k != 5 else "")
    start_slot = st.empty()  # the examples' place; emptied (not left stale) once results come
    if not question.strip():
        intro.markdown(t["intro"])
        with start_slot.container():
            if st.session_state.get("asked"):
                st.info(t["blank"])
            examples(t)
        return
    intro.empty()
    start_slot.empty()
    results(kb, question, years, docs, k, t)


main()
