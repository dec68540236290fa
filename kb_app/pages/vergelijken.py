"""Vergelijken: per report year, in words, how often the report speaks of a subject, and every passage
that does, folded. Its state is in the URL."""
import streamlit as st

from kb.compare import compare
from kb.errors import KbError
from kb.render import md_escape

from kb_app.cards import card, where_label
from kb_app.common import lang, open_kb, page_header, report_titles, say_error, say_respelled, topic_input, words
from kb_app.export import export_buttons


def speaks(n: int, t: dict) -> str:
    """"spreekt er op 3 plekken over", not "3 passages"."""
    return t["speaks"].get(n) or t["speaks_n"].format(n=n)


def main() -> None:
    t = words()
    page_header(t, "compare")
    kb = open_kb()
    if kb is None:
        return
    topic = topic_input(t, "topic", "onderwerp", "dwangsommen")
    if not topic.strip():
        return
    try:
        summaries = compare(kb, topic, per_year=1000)
    except KbError as exc:
        say_error(exc)
        return
    say_respelled(kb.respelled(topic)[1], t)
    if not any(s.mentions for s in summaries):  # an English or rare word: say what to type, not an empty chart
        st.info(t["none_speaks"])
        return
    titles = {kb.index.documents[d]["year"]: title for d, title in report_titles(kb).items()}
    # y labelled: a bar counts the places a report speaks of the topic, not the topic's own numbers
    st.bar_chart({str(s.year): s.mentions for s in summaries}, x_label=t["chart_reports"], y_label=t["chart_places"],
                 height=200)
    export_buttons(kb, topic, [(str(s.year), p) for s in summaries for p in s.passages])
    for summary in summaries:
        st.subheader(f"{summary.year}: {md_escape(titles.get(summary.year, ''))} {speaks(summary.mentions, t)}",
                     anchor=False)
        if not summary.passages:
            st.caption(t["nothing"])
        for i, passage in enumerate(summary.passages):
            with st.expander(f"{t['passage_n'].format(n=i + 1)}: {md_escape(where_label(passage, lang()))}"):
                card(kb, passage, key=f"y{summary.year}-{i}")


main()
