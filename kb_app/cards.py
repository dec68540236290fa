"""A result card: the full citation, the passage as clean text with its tables as tables (the answering
row marked), a quote to copy that wraps, why it ranked on request, and a link to read it in context."""
from __future__ import annotations

import re

import streamlit as st

from kb.cite import display_text, one_paragraph, plain
from kb.figures import table_rows
from kb.render import marked, md_escape, pieces

from .common import cite, lang, words

CONTEXT_PAGE = "kb_app/pages/lees.py"
_VALUE = re.compile(r"(?:\s+(?:[-+]?€?\s?\d[\d.,]*\s?(?:%|mln|miljoen|mld|fte)?|-|–))+\s*$")


def segments(text: str) -> list[tuple[str, int, int]]:
    """The passage cut into ("text" | "table", start, end): a table is its title line and its rows."""
    rows = table_rows(text)
    blocks: list[list[int]] = []
    for row in rows:
        if blocks and text[blocks[-1][1]:row.start].strip() == "" and blocks[-1][2] == row.table:
            blocks[-1][1] = row.end
        else:
            blocks.append([row.start, row.end, row.table])
    out, pos = [], 0
    for start, end, table in blocks:
        line_start = text.rfind("\n", 0, max(text.rfind("\n", 0, start), 0)) + 1
        title_line = text[line_start:start]
        if table and table.lower() in title_line.lower():
            start = line_start
        if start > pos:
            out.append(("text", pos, start))
        out.append(("table", start, end))
        pos = end
    if pos < len(text):
        out.append(("text", pos, len(text)))
    return out


def table_frame(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[dict]]:
    """A table block as (title, rows): each row its label and cells, the answering row marked."""
    t = words()
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    header = [plain(c).strip() for c in re.split(r"\t+| {2,}", lines[0][1].strip())] if lines else []
    title = header[0] if header else ""
    rows = []
    for at, line in lines[1:]:
        if not line.strip():
            continue
        cells = [plain(c).strip() for c in line.strip().lstrip("•·▪ ").split("\t")]
        if len(cells) == 1:  # "Aantal ontvangen 1.540 1.340": the figures end the line
            tail = _VALUE.search(cells[0])
            cells = [cells[0][:tail.start()].strip(), *tail.group(0).split()] if tail else cells
        hit = any(s < at + len(line) and at < e for s, e in spans)
        rows.append({t["answer_row"]: "◀" if hit else "", t["row"]: display_text(cells[0]),
                     **{(header[i] if i < len(header) and header[i] else str(i)): v for i, v in enumerate(cells[1:], 1)}})
    if len(header) == 1 and rows:  # "KLACHTEN 2016 2015" came as one cell: its years name the columns
        years = re.findall(r"(?:19|20)\d\d", lines[0][1])
        title = re.sub(r"\s*(?:19|20)\d\d", "", lines[0][1]).strip().capitalize()
        rows = [{k if not k.isdigit() or int(k) > len(years) else years[int(k) - 1]: v for k, v in r.items()} for r in rows]
    return title, rows


def show_passage(text: str, spans: list[tuple[int, int]]) -> None:
    """Prose as clean Markdown with the answer highlighted; tables as tables."""
    for kind, start, end in segments(text):
        local = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
        if kind == "table":
            title, rows = table_frame(text[start:end], local)
            if title:
                st.caption(md_escape(title))
            if rows:
                st.dataframe(rows, hide_index=True, width="stretch")
            continue
        piece = text[start:end]
        if piece.strip():
            st.markdown(clean_marked(piece, local))


def clean_marked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text as escaped Markdown with the spans highlighted, each piece cleaned for reading."""
    parts = [(_keep_edges(p, display_text(p)), lit) for p, lit in pieces(text, spans)]
    joined = "".join(p for p, _ in parts)
    return marked(joined, _spans_of(parts)).strip()


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
    """What a journalist pastes: the quote as one clean paragraph, then its full citation."""
    return f"“{one_paragraph(passage.quote)}” ({cite(kb, passage.chunk)})"


def card(kb, passage, key: str) -> None:
    t = words()
    c = passage.chunk
    # The key gives the card a stable class (st-key-card-<key>) a browser can wait for.
    with st.container(border=True, key=f"card-{key}"):
        st.markdown(f"**{md_escape(cite(kb, c))}**")
        show_passage(c.text, passage.highlights)
        st.caption(t["copy"])
        st.code(quote_text(kb, passage), language=None, wrap_lines=True)
        left, right = st.columns([1, 3])
        left.page_link(CONTEXT_PAGE, label=t["context"], query_params=context_params(c))
        if passage.why:
            with right.popover(t["why"]):
                st.markdown(why_lines(passage.why))


def context_params(chunk) -> dict:
    return {"taal": lang(), "lees": chunk.doc_id, "van": str(chunk.start), "tot": str(chunk.end)}


def why_lines(why: dict) -> str:
    """Why it ranked, in words: the shared words and each score with what it measures."""
    t = words()
    lines = []
    for key, label in t["why_lines"].items():
        if key in why:
            value = why[key]
            shown = ", ".join(value) if isinstance(value, list) else f"{value:.2f}"
            lines.append(f"- {label}: {md_escape(shown or '–')}")
    return "\n".join(lines)


