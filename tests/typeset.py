"""Typeset corpus text as a real report PDF with WeasyPrint: Dutch hyphenation, two justified
columns, a running header and page numbers in the page margins, ruled tables. The test then
reads the PDF with kb and compares with what was typeset."""
from __future__ import annotations

import html
import re
from pathlib import Path

HEADER = "De IND belicht | Jaarresultaten 2012"  # the running header: in no body line
CSS = """
@page { size: A4; margin: 22mm 18mm 20mm 18mm;
        @top-center { content: "%(header)s"; font-size: 8pt; color: #555; } }
@page :right { @bottom-right { content: counter(page); font-size: 8pt; } }
@page :left { @bottom-left { content: counter(page); font-size: 8pt; } }
body { font-family: "DejaVu Serif"; font-size: 9.5pt; line-height: 1.3; columns: 2; column-gap: 9mm;
       text-align: justify; hyphens: auto; hyphenate-character: "%(hyphen)s"; }
h1 { font-family: "DejaVu Sans"; font-size: 14pt; column-span: all; hyphens: manual; }
h2 { font-family: "DejaVu Sans"; font-size: 11pt; font-weight: bold; hyphens: manual; }
p { margin: 0 0 5pt 0; }
table { border-collapse: collapse; font-size: 8pt; margin: 4pt 0 8pt 0; width: 100%%; hyphens: manual;
        text-align: left; }
td, th { border: 0.6pt solid #333; padding: 1.5pt 3pt; vertical-align: top; }
td + td, th + th { text-align: right; white-space: nowrap; }
"""


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """(kind, text) blocks of a corpus Markdown file: h1, h2, table, p."""
    blocks = []
    for block in re.split(r"\n[ \t]*\n", text):
        block = block.strip()
        if not block:
            continue
        heading = re.match(r"^(#{1,6})\s+(.+)$", block)
        if heading and "\n" not in block:
            blocks.append(("h1" if len(heading.group(1)) == 1 else "h2", heading.group(2)))
        elif all("\t" in line for line in block.split("\n")):
            blocks.append(("table", block))
        else:
            blocks.append(("p", block))
    return blocks


def plain(text: str) -> str:
    """The words a reader sees: Markdown emphasis, links' targets, HTML tags and line-break spaces removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", re.sub(r"</?i>", "", text)).replace("*", "")
    return re.sub(r"[ \t]*\n[ \t]*", " ", text).strip()


def block_html(kind: str, text: str) -> str:
    if kind == "table":
        rows = [line.split("\t") for line in text.split("\n")]
        head = "".join(f"<th>{html.escape(plain(c))}</th>" for c in rows[0])
        body = "".join("<tr>" + "".join(f"<td>{html.escape(plain(c))}</td>" for c in row) + "</tr>"
                       for row in rows[1:])
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f"<{kind}>{html.escape(plain(text))}</{kind}>"


def report_html(markdown: str, hyphen: str = "\\2010", css: str = "") -> str:
    body = "\n".join(block_html(kind, text) for kind, text in markdown_blocks(markdown))
    style = CSS % {"header": HEADER, "hyphen": hyphen} + css
    return f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><style>{style}</style></head><body>{body}</body></html>'


def typeset(markdown: str, path: Path, hyphen: str = "\\2010", css: str = "") -> list[str]:
    """Write the PDF, words broken at line ends with `hyphen` (a CSS string: WeasyPrint's own is
    U+2010), `css` added to the style; return each page's body text as WeasyPrint laid it out (margin boxes left out),
    the truth the reader is checked against."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    document = HTML(string=report_html(markdown, hyphen, css)).render()
    document.write_pdf(str(path))
    pages = []
    for page in document.pages:
        texts = [box.text for box in _body_boxes(page._page_box, boxes) if isinstance(box, boxes.TextBox)]
        pages.append(" ".join(texts))
    return pages


def _body_boxes(box, boxes):
    if isinstance(box, boxes.MarginBox):
        return
    yield box
    for child in getattr(box, "children", []):
        yield from _body_boxes(child, boxes)
