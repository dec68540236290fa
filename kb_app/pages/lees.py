"""Lees in context: the whole report, readable, scrolled to the answer, the passage marked and the
answer in it marked stronger; the section path as breadcrumbs; for a PDF the page, and a link to
open the original file at that page."""
import html
import shutil
from pathlib import Path
from urllib.parse import quote

import streamlit as st

from kb.chunk import find_sections
from kb.cite import mended, plain, report_name, section_label
from kb.lines import is_table_line
from kb.render import md_escape

from kb_app.common import corpus_dir, keep_in_url, lang, open_kb, words

STATIC = Path(__file__).resolve().parents[2] / "static" / "reports"  # served at app/static/reports/


def spans() -> tuple[int, int]:
    try:
        return int(st.query_params.get("van", 0)), int(st.query_params.get("tot", 0))
    except ValueError:
        return 0, 0


def answer_spans(value: str, passage: tuple[int, int]) -> list[tuple[int, int]]:
    """The answer's spans from the address ("1200-1310,1402-1460"), those inside the passage only;
    anything malformed is left out."""
    out = []
    for part in value.split(",")[:50]:
        a, _, b = part.partition("-")
        if a.isdigit() and b.isdigit() and passage[0] <= int(a) < int(b) <= passage[1]:
            out.append((int(a), int(b)))
    return out


def page_of(doc: dict, offset: int) -> int | None:
    starts = doc.get("page_starts") or []
    return sum(1 for s in starts if s <= offset) or None


def original_link(doc: dict, page: int | None) -> str | None:
    """The original file, served by Streamlit's static serving; `#page=N` opens a PDF at its page."""
    source = corpus_dir() / doc.get("source", "")
    if not source.is_file():
        return None
    STATIC.mkdir(parents=True, exist_ok=True)
    served = STATIC / source.name
    if not served.exists() or served.stat().st_mtime < source.stat().st_mtime:
        shutil.copy2(source, served)
    # quoted: a name with spaces or brackets ("Evaluatie ... (définitief).pdf") broke the Markdown link
    return f"app/static/reports/{quote(source.name)}" + (f"#page={page}" if page else "")


def display_text(text: str) -> str:
    """Clean text for the reader: a prose line joins the one before it (the PDF's breaks go); a table
    row keeps its own line."""
    out: list[str] = []
    for line in mended(plain(text)).split("\n"):
        prose = line.strip() and not is_table_line(line)
        if prose and out and out[-1].strip() and not is_table_line(out[-1]):
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)


def section_html(text: str, start: int, end: int, mark: tuple[int, int], path: str,
                 answer: list[tuple[int, int]] = ()) -> str:
    """One section as HTML: its path as a heading (its own heading line left out of the text, not
    shown twice), clean paragraphs, the passage in <mark class=passage>, the answer in it in
    <mark class=answer>."""
    title = path.split(" > ")[-1] if path else ""
    first = text[start:end].split("\n", 1)[0]
    if title and plain(first).strip() == title.strip():
        start += len(first)
    cuts = sorted({start, end, *(x for span in (mark, *answer) for x in span if start < x < end)})
    body = ""
    for a, b in zip(cuts, cuts[1:]):
        piece = html.escape(display_text(text[a:b]))
        in_answer = any(s <= a and b <= e for s, e in answer)
        kind = "answer" if in_answer else "passage" if mark[0] <= a and b <= mark[1] else ""
        body += _marked(piece, kind) if kind else piece
    body = body.strip().replace("\n\n", "</p><p>").replace("\n", "<br>")
    return (f"<section><h4>{html.escape(title)}</h4>" if title else "<section>") + f"<p>{body}</p></section>"


def _marked(piece: str, kind: str) -> str:
    """The piece in <mark class=kind>, closed and opened again at each paragraph break: a mark is
    no formatting element, so a browser ends it at the first </p> (only a heading stayed marked)."""
    return "\n\n".join(f"<mark class='{kind}'>{p}</mark>" if p.strip() else p for p in piece.split("\n\n"))


def reader(doc: dict, mark: tuple[int, int], answer: list[tuple[int, int]] = ()) -> str:
    """The report as one page; the first marked piece of the answer (else of the passage) has the id
    the page scrolls to."""
    text = doc["text"]
    page = "".join(section_html(text, sec.start, sec.end, mark, plain(sec.path), answer)
                   for sec in find_sections(text))
    target = "answer" if "<mark class='answer'>" in page else "passage"
    page = page.replace(f"<mark class='{target}'>", f"<mark class='{target}' id='{target}'>", 1)
    script = (f"<script>const m=document.getElementById('{target}');"
              "if(m){m.scrollIntoView({block:'center'});}</script>")
    style = ("<style>body{font-family:sans-serif;line-height:1.55;max-width:46em;margin:auto;color:#222}"
             "mark{padding:.1em 0}mark.passage{background:#ffe8cc}mark.answer{background:#ffb066;font-weight:600}"
             "h4{margin:1.4em 0 .3em}</style>")
    return style + page + script


def breadcrumbs(doc: dict, section: str, at: int) -> str:
    crumbs = [plain(doc["title"]), *[p for p in section_label(section, doc["text"][at:at + 400], doc["year"], lang()).split(" > ") if p]]
    return " › ".join(crumbs)


def main() -> None:
    t = words()
    kb = open_kb()
    if kb is None:
        return
    doc = kb.index.documents.get(st.query_params.get("lees", ""))
    start, end = spans()
    answer = answer_spans(st.query_params.get("antwoord", ""), (start, end))
    keep_in_url(lees=st.query_params.get("lees", ""), van=str(start), tot=str(end),
                antwoord=",".join(f"{a}-{b}" for a, b in answer))
    st.page_link("kb_app/pages/zoeken.py", label=t["back"])
    if doc is None:
        st.info(t["not_found_doc"])
        return
    sections = find_sections(doc["text"])
    sec = next((s for s in sections if s.start <= start < s.end), sections[0])
    st.subheader(md_escape(report_name(doc, lang())), anchor=False)
    st.caption(md_escape(breadcrumbs(doc, sec.path, start)))
    page = page_of(doc, start)
    link = original_link(doc, page)
    if link:
        label = t["open_page"].format(n=page) if page else t["open_file"]
        st.markdown(f"[{label}]({link})" + (f" · {t['page'].format(n=page)}" if page else ""))
    st.iframe(reader(doc, (start, end), answer), height=640)  # every piece of text in it is html.escape()d


main()
