"""A result card: the full citation, the passage as clean text with its tables as tables (the answering
row marked), a quote to copy that wraps, why it ranked on request, and a link to read it in context."""
from __future__ import annotations

import streamlit as st

from kb.cite import display_text, section_label
from kb.render import ANSWER_MARK, CLOSEST_MARK, marked, md_escape, pieces
from kb.tables import Table, pasteable_quote, quoted, tables
from kb.units import RankedList, ranked_lists

from .common import cite, lang, number, words
from .tables import grid, ranked_grid

CONTEXT_PAGE = "kb_app/pages/lees.py"


def segments(text: str) -> list[tuple[str, int, int, Table | RankedList | None]]:
    """The passage cut into ("text" | "table" | "ranked", start, end, what): a table is its title
    line and its rows; a torn top-N list's values, from its own header down, follow a torn table's
    values (its rows' labels stand among the table's labels, which the table's grid lays out)."""
    blocks: list = [("table", t.start, t.end, t) for t in tables(text)]
    for lst in ranked_lists(text):
        start, end = lst.header[0], lst.values[-1][1]
        if not any(s < end and start < e for _, s, e, _ in blocks):
            blocks.append(("ranked", start, end, lst))
    out, pos = [], 0
    for kind, start, end, what in sorted(blocks, key=lambda b: b[1]):
        if start > pos:
            out.append(("text", pos, start, None))
        out.append((kind, start, end, what))
        pos = end
    if pos < len(text):
        out.append(("text", pos, len(text), None))
    return out


def show_passage(text: str, spans: list[tuple[int, int]], colour: str = ANSWER_MARK) -> None:
    """The passage as one Markdown element: prose clean with the answer highlighted; each table under
    its title as a Markdown table of its years (a top-N list's of its own columns), the answering row
    marked in it; a table that will not lay out as lines of text. One light element, not a grid per
    table: a browser draws a card at a fraction of the work a canvas grid (st.dataframe) takes, which
    eight users on one machine feel. `colour`: the marks' (CLOSEST_MARK where nothing answers)."""
    parts = []
    for kind, start, end, what in segments(text):
        local = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
        laid_out = (grid(text, what, spans) if kind == "table"
                    else ranked_grid(what, spans) if kind == "ranked" else None)
        if laid_out:
            parts.append(grid_markdown(laid_out, colour))
        elif kind in ("table", "ranked"):
            lines = _lines(text[start:end], local)
            parts.append("  \n".join(clean_marked(*line, colour) for line in lines if line[0].strip()))
        elif text[start:end].strip():
            parts.append(clean_marked(text[start:end], local, colour))
    if parts:
        st.markdown("\n\n".join(p for p in parts if p))


def grid_markdown(table, colour: str = ANSWER_MARK) -> str:
    """The title in bold above a Markdown table: a column that points at the answering row (when one
    answers), the row names, the years as column names; the answering row's cells highlighted.
    Every cell escaped."""
    t = words()

    def cell(text: str, hit: bool) -> str:
        shown = md_escape(display_text(text)).replace("\n", " ")
        return f":{colour}-background[**{shown}**]" if hit and shown else shown

    header = [md_escape(table.title or t["row"]), *map(md_escape, table.columns)]
    rows = [[cell(name, hit), *(cell(c, hit) for c in cells)] for name, cells, hit in table.body]
    align = ["---", *["--:"] * len(table.columns)]
    if any(hit for *_, hit in table.body):  # the pointer column only where a row answers
        header, align = [t["answer_row" if colour == ANSWER_MARK else "closest_row"], *header], [":-:", *align]
        rows = [["◀" if hit else "", *row] for row, (*_, hit) in zip(rows, table.body)]
    lines = ["| " + " | ".join(r) + " |" for r in [header, align, *rows]]
    title = f"**{md_escape(table.title)}**\n\n" if table.title else ""
    return title + "\n".join(lines)


def _lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, list[tuple[int, int]]]]:
    """A block's lines, each with the spans that fall in it (line-relative)."""
    out, pos = [], 0
    for line in text.split("\n"):
        end = pos + len(line)
        out.append((line, [(max(s, pos) - pos, min(e, end) - pos) for s, e in spans if s < end and e > pos]))
        pos = end + 1
    return out


def clean_marked(text: str, spans: list[tuple[int, int]], colour: str = ANSWER_MARK) -> str:
    """The text as escaped Markdown with the spans highlighted, each piece cleaned for reading."""
    parts = [(_keep_edges(p, display_text(p)), lit) for p, lit in pieces(text, spans)]
    joined = "".join(p for p, _ in parts)
    return marked(joined, _spans_of(parts), colour).strip()


def _keep_edges(raw: str, clean: str) -> str:
    """A cleaned piece keeps the space or break it had at either end: pieces are joined again."""
    if not raw.strip():
        return " " if raw and "\n\n" not in raw else raw
    lead, trail = raw[:len(raw) - len(raw.lstrip())], raw[len(raw.rstrip()):]
    def edge(ws: str) -> str:
        return "\n\n" if "\n\n" in ws else " " if ws else ""
    return edge(lead) + clean + edge(trail)


def _spans_of(parts: list[tuple[str, bool]]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for piece, lit in parts:
        if lit:
            out.append((pos, pos + len(piece)))
        pos += len(piece)
    return out


def quote_text(kb, passage) -> str:
    """What a journalist pastes: the quote, then its full citation. A table row said readably
    ("Asiel, Eerste aanvragen asiel: 2016: 18.170, 2015: 43.090") is not the report's wording,
    so it gets no quotation marks; prose is quoted word for word."""
    return f"{quoted(passage)} ({cite(kb, passage.chunk)})"


def card(kb, passage, key: str, answers: bool = True) -> None:
    """One result. `answers` False when the reports seem not to answer the question: its marked
    sentence is only the nearest, marked grey and quoted as such, not as an answer."""
    t = words()
    c = passage.chunk
    # The key gives the card a stable class (st-key-card-<key>) a browser can wait for.
    with st.container(border=True, key=f"card-{key}"):
        st.markdown(f"**{md_escape(cite(kb, c))}**")
        show_passage(c.text, passage.highlights, ANSWER_MARK if answers else CLOSEST_MARK)
        st.caption(t["copy" if answers else "copy_closest"])
        st.code(quote_text(kb, passage), language=None, wrap_lines=True)
        with st.container(horizontal=True, vertical_alignment="center"):  # one row, not three column blocks
            st.page_link(CONTEXT_PAGE, label=t["context"], query_params=context_params(passage, answers),
                         width="content")
            if passage.why:
                with st.popover(t["why"]):
                    st.markdown(why_lines(passage.why))


def context_params(passage, answers: bool = True) -> dict:
    """The reader's address: the report, the passage's span and, where it answers, the marked
    answer's spans in the report's text ("antwoord=1200-1310,1402-1460")."""
    c = passage.chunk
    marks = ",".join(f"{c.start + s}-{c.start + e}" for s, e in passage.highlights) if answers else ""
    params = {"taal": lang(), "lees": c.doc_id, "van": str(c.start), "tot": str(c.end)}
    return {**params, "antwoord": marks} if marks else params


def why_lines(why: dict) -> str:
    """Why it ranked, in words: the shared words and each score with what it measures."""
    t = words()
    lines = []
    for key, label in t["why_lines"].items():
        if key in why:
            value = why[key]
            shown = ", ".join(value) if isinstance(value, list) else number(value, 2)
            lines.append(f"- {label}: {md_escape(shown or '–')}")
    return "\n".join(lines)


def where_label(passage, language: str, width: int = 90) -> str:
    """Where a passage stands, short: its section path from the end, as much as fits ("Dwangsomzaken
    nemen toe › WAT BETEKENT DIT VOOR DE AANVRAGER?", not the subheading every chapter has); before
    a report's first heading, its first words."""
    where = section_label(passage.chunk.section, passage.chunk.text, passage.chunk.year, language)
    parts = [p for p in where.split(" > ") if p]
    if not parts:
        opening = " ".join(pasteable_quote(passage).split())
        return opening[:width] + ("…" if len(opening) > width else "")
    label = parts[-1][:width]
    for part in reversed(parts[:-1]):
        if len(part) + len(label) + 3 > width:
            break
        label = f"{part} › {label}"
    return label
