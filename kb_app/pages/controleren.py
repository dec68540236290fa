"""Citaat controleren: one quote, or a whole text sentence by sentence. Green only for the reports' own
words (exact, or differing in form only); orange for a changed or partial quote; red for none. The text
checked is in the URL, so a verdict can be shared."""
import streamlit as st

from kb.errors import KbError
from kb.render import md_escape
from kb.verdict_view import VERDICT_WORDS, article_table, change_words, nearest, source_markdown

from kb_app.cards import card, quote_text
from kb_app.common import cite, from_url, keep_in_url, lang, number, open_kb, page_header, say_error, words
from kb_app.texts import VERIFY_WORDS


def checked_text(key: str, param: str, label: str, check, w: dict, **area) -> tuple[str, object]:
    """A text box taken from the address, its Controleren button, and `check` of its text: (text,
    the result, or None for a blank text or an error shown)."""
    from_url(key, param)
    text = st.text_area(label, key=key, **area)
    st.button(w["check"], key=f"{key}-go", type="primary")  # a click reruns with the text; so does Ctrl+Enter
    if not text.strip():
        return text, None
    try:
        return text, check(text)
    except KbError as exc:
        say_error(exc)
        return text, None


def verify_quote(kb, t: dict, w: dict) -> str:
    text, verdict = checked_text("verify", "citaat", t["quote"], kb.verify, w)
    if verdict is not None:
        show_verdict(kb, verdict, t, w)
    return text


def show_verdict(kb, verdict, t: dict, w: dict) -> None:
    score = f"{t['similarity']} {number(verdict.score, 2)}"
    if verdict.checked and verdict.checked != verdict.text:
        st.caption(f"{w['columns']['checked']}: “{md_escape(verdict.checked)}” {w['frame']}")
    if verdict.found:
        st.success(f"{w[verdict.verdict]} ({score})")
        card(kb, verdict.match, key="match")
    elif verdict.verdict in ("altered", "partial"):
        lines = [md_escape(change_words(c, lang())) for c in verdict.changes]
        lines += [f"{w['left_out']}: {md_escape(' '.join(verdict.omitted))}"] if verdict.omitted else []
        lines += [f"{w['also_from']}: {md_escape(cite(kb, p.chunk))}" for p in verdict.parts]
        st.warning(f"**{w[verdict.verdict]}** ({score})\n\n" + "\n".join(f"- {line}" for line in lines))
        source_card(kb, verdict.source, verdict.changes, w)
        for i, passage in enumerate(verdict.parts):
            card(kb, passage, key=f"part{i}")
    else:
        st.error(f"{w['not_found']} ({score})")
        if verdict.translation:
            st.info(w["translation"])
    if verdict.diff and not verdict.exact and not verdict.translation:
        st.caption(t["diff"])
        st.markdown(" ".join(md_escape(x) if tag == "equal" else f"~~{md_escape(x)}~~" if tag == "delete"
                             else f"**{md_escape(x)}**" for tag, x in verdict.diff))
    if verdict.closest:
        st.subheader(t["closest"], anchor=False)
        for i, passage in enumerate(verdict.closest):
            card(kb, passage, key=f"near{i}")


def source_card(kb, passage, changes: list, w: dict) -> None:
    """The report's passage where a changed text stands, the changed words struck through."""
    with st.container(border=True):
        st.markdown(f"**{w['source']}: {md_escape(cite(kb, passage.chunk))}**")
        st.markdown(source_markdown(passage, changes))
        st.code(quote_text(kb, passage), language=None, wrap_lines=True)


def verify_article(kb, w: dict) -> str:
    """A verdict per sentence of a pasted text, as a table with the changes and citations."""
    text, verdicts = checked_text("verify-article", "tekst", w["article_text"], kb.verify_text, w, height=220)
    if verdicts is None:
        return text
    counts = {v: sum(x.verdict == v for x in verdicts) for v in VERDICT_WORDS[lang()]}
    st.markdown(" · ".join(f"{VERDICT_WORDS[lang()][v]}: **{n}**" for v, n in counts.items()))
    rows = article_table(verdicts, lang())
    for row, v in zip(rows, verdicts):
        passage = v.match or v.source
        row["citation"] = cite(kb, passage.chunk) if passage else ""
        row["nearest"] = nearest(v, lambda p: cite(kb, p.chunk))  # in the interface's language, as the citation
    st.dataframe(rows, hide_index=True, column_order=list(w["columns"]), column_config=w["columns"])
    return text


def main() -> None:
    t = words()
    page_header(t, "verify")
    kb = open_kb()
    if kb is None:
        return
    w = VERIFY_WORDS[lang()]
    one, article = st.tabs([w["one"], w["article"]])
    with one:
        quote = verify_quote(kb, t, w)
    with article:
        text = verify_article(kb, w)
    keep_in_url(citaat=quote, tekst=text)


main()
