"""Exports a journalist would paste: the question, each quote as clean text with its full citation,
in a file named after the question."""
from __future__ import annotations

import csv
import io
import re
import unicodedata

import streamlit as st

from kb.render import csv_cell
from kb.tables import pasteable_quote

from .cards import quote_text
from .common import cite, words


def file_stem(question: str, limit: int = 60) -> str:
    """"Tijdige afhandeling klachten 2012?" -> "kb-tijdige-afhandeling-klachten-2012"."""
    ascii_text = unicodedata.normalize("NFKD", question).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].rstrip("-")
    return f"kb-{slug or 'vraag'}"


def export_markdown(kb, question: str, rows: list, note: str = "") -> str:
    """Plain Markdown a reader can paste anywhere: no backslash escapes; the text is the reports'.
    `note`, in italics under the question: that the reports seem not to answer it."""
    lines = [f"# {' '.join(question.split())}", "", *([f"*{note}*", ""] if note else [])]
    last = None
    for label, passage in rows:
        if label != question and label != last:
            lines += [f"## {label}", ""]
            last = label
        lines += [f"> {quote_text(kb, passage)}", ""]
    return "\n".join(lines)


def export_csv(kb, rows: list) -> str:
    """label, rank, year, citation, quote: the quote as the card's (a table's marked rows said readably)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["label", "rank", "year", "citation", "quote"])
    for rank, (label, p) in enumerate(rows, 1):
        writer.writerow([csv_cell(v) for v in (label, rank, p.chunk.year, cite(kb, p.chunk), pasteable_quote(p))])
    return out.getvalue()


def export_buttons(kb, question: str, rows: list, note: str = "") -> None:
    t = words()
    stem = file_stem(question)
    with st.container(horizontal=True, vertical_alignment="center"):  # buttons as wide as their labels
        st.caption(f"{t['export']}:", width="content")
        st.download_button("Markdown", export_markdown(kb, question, rows, note), f"{stem}.md", "text/markdown",
                           width="content", key=f"export-md-{stem}")
        st.download_button("CSV", export_csv(kb, rows), f"{stem}.csv", "text/csv", width="content", key=f"export-csv-{stem}")
