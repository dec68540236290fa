"""Child side of PDF reading: run as a script, one PDF per process, under the limits the parent
set. Imports only pypdf and pypdfium2 (not kb), so a crash or runaway here cannot touch the parent.

    python kb/pdf_worker.py FILE MAX_PAGES MEMORY_BYTES CPU_SECONDS
    -> JSON on stdout: {"pages": [{"width", "height", "segments": [[x0, top, x1, bottom, text]]}]}
       or {"error": ..., "detail": ...}

pypdf opens the file first: it checks the password and the page count, and inflates every page's
content streams under its own output limits, so a decompression bomb is named as one (PDFium
would abort the process on it). PDFium (pypdfium2, Chrome's PDF engine) then gives each
character with its box, made here into runs of text on a line (`runs_of`); the parent's layout
stage (kb/layout.py) orders them into columns, drops running headers and footers and rebuilds
table rows. Coordinates are points from the top left of the page.

The child sets its own memory and CPU limits first (the parent may have threads, where a
preexec_fn is unsafe); the parent adds the wall-clock limit.
"""
import json
import resource
import statistics
import sys
from typing import NamedTuple

# PDFium's marks for a hyphen at a line end (a "-" the typesetter added when it broke a word)
_LINE_END_HYPHEN = str.maketrans({"\x02": "-", "\ufffe": "-"})
# A gap between glyphs this share of the font's line ends a run: about the layout stage's cell
# border (0.6 of a line's ink height), wider than a word or sentence space of ragged prose.
RUN_GAP = 0.45
JUSTIFIED = 0.2  # three word spaces or more that differ by less than this share of a line: a justified line
TRACKING = 0.35  # letter spacing is narrower than this share of a line (a table's cells stand further apart)
WORD_GAP = 0.2  # a gap between glyphs wider than this share of a line is a space between words


def limit(memory: int, seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def check(path: str, max_pages: int) -> dict | None:
    """pypdf's checks: password, page count, and every content stream inflated within limits."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        return {"error": "encrypted", "detail": "a password is needed"}
    if len(reader.pages) > max_pages:
        return {"error": "too_many_pages", "detail": f"{len(reader.pages):,} pages"}
    for page in reader.pages:
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
    return None


def page_segments(page) -> dict:
    """One page: its size and the text runs on it, each with its box."""
    width, height = page.get_size()
    left, bottom, _, top = page.get_bbox()
    textpage = page.get_textpage()
    chars = page_chars(textpage, left, top)
    textpage.close()
    runs = [run for line in lines_of(chars) for run in runs_of(line)]
    return {"width": round(width, 2), "height": round(height, 2), "segments": runs}


class Glyph(NamedTuple):
    """A character in points from the top left: its ink box, and the box of its advance across the
    font's line (the same top and bottom for every glyph of a line, its edges where the next glyph
    would start). `spaced`: PDFium saw a space before it."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    left: float
    line_top: float
    right: float
    line_bottom: float
    source: int = 0  # the PDF text object it was drawn by
    spaced: bool = False

    @property
    def line(self) -> float:
        return max(self.line_bottom - self.line_top, self.bottom - self.top, 0.1)


def page_chars(textpage, left: float, top: float) -> list[Glyph]:
    """Every character PDFium found on the page, in its order (one buffer for all the boxes: a
    report has a few hundred thousand)."""
    import ctypes

    import pypdfium2.raw as raw

    handle, loose = textpage.raw, raw.FS_RECTF()
    x0, x1, y0, y1 = (ctypes.c_double() for _ in range(4))
    chars = []
    for index in range(textpage.count_chars()):
        raw.FPDFText_GetCharBox(handle, index, x0, x1, y0, y1)
        raw.FPDFText_GetLooseCharBox(handle, index, loose)
        text = chr(raw.FPDFText_GetUnicode(handle, index)).translate(_LINE_END_HYPHEN)
        source = ctypes.cast(raw.FPDFText_GetTextObject(handle, index), ctypes.c_void_p).value or 0
        chars.append(Glyph(text, x0.value - left, top - y1.value, x1.value - left, top - y0.value,
                           loose.left - left, top - loose.top, loose.right - left, top - loose.bottom, source))
    return chars


def lines_of(chars: list[Glyph]) -> list[list[Glyph]]:
    """The glyphs of a page in PDFium's order, cut into lines where the next glyph stands on
    another line or starts left of the one before (a ligature's letters share one box). Spaces
    become the next glyph's `spaced`. PDFium's own line ends count only where the glyphs do not
    go on along the line: it breaks some lines of glyphs placed alone after every letter."""
    lines: list[list[Glyph]] = [[]]
    space = broken = False
    for glyph in chars:
        if glyph.text in "\r\n":
            broken = True
            continue
        if glyph.text.isspace() or not glyph.text.isprintable():
            space = True
            continue
        line = lines[-1]
        if line and not (_same_line(line[-1], glyph) and glyph.left >= line[-1].left):
            lines.append(line := [])
        elif line and broken:  # no space PDFium saw there: a word gap is a space
            space = space or glyph.left - line[-1].right > WORD_GAP * glyph.line
        line.append(glyph._replace(spaced=space and bool(line)))
        space = broken = False
    return [line for line in lines if line]


def _same_line(a: Glyph, b: Glyph) -> bool:
    overlap = min(a.line_bottom, b.line_bottom) - max(a.line_top, b.line_top)
    return overlap > 0.5 * min(a.line, b.line)


def runs_of(line: list[Glyph]) -> list[list]:
    """A line's runs of text, [x0, top, x1, bottom, text] with the ink box: cut between two text
    objects of the PDF at a gap wider than RUN_GAP lines (the layout stage reads it as a column
    gutter or a table's cell border), unless the line's word spaces are all alike (justified prose,
    however wide they were stretched). Letter-spaced text ("I N L E I D I N G") is read as words.

    PDFium's own text rectangles are no such runs in a PDF whose every glyph is placed alone
    (Chromium's, Skia's): each letter is one, and the text of an overlapping one repeats its
    neighbour's letters."""
    height = statistics.median(g.line for g in line)
    line, gaps = _untracked(line, height)
    spaces = [gap for gap, b in zip(gaps, line[1:]) if b.spaced]
    justified = len(spaces) >= 3 and max(spaces) - min(spaces) <= JUSTIFIED * height
    runs: list[list] = []
    for before, glyph, gap in zip([None, *line], line, [None, *gaps]):
        if before is None or (before.source != glyph.source and gap > RUN_GAP * height and not justified):
            runs.append([glyph.x0, glyph.top, glyph.x1, glyph.bottom, glyph.text])
            continue
        run = runs[-1]
        run[:4] = [min(run[0], glyph.x0), min(run[1], glyph.top), max(run[2], glyph.x1), max(run[3], glyph.bottom)]
        run[4] += (" " if glyph.spaced else "") + glyph.text
    return [[round(v, 2) for v in run[:4]] + [run[4]] for run in runs]


def _untracked(line: list[Glyph], height: float) -> tuple[list[Glyph], list[float]]:
    """The line's glyphs and the gaps between them, less the letter spacing of a letter-spaced
    line: one where PDFium saw a space before most glyphs, the narrowest of those gaps small (the
    tracking). A space stays only where a gap is a word gap beyond the tracking."""
    gaps = [b.left - a.right for a, b in zip(line, line[1:])]
    spaced = [gap for gap, b in zip(gaps, line[1:]) if b.spaced]
    if len(spaced) < 4 or len(spaced) < 0.6 * len(gaps) or min(spaced) > TRACKING * height:
        return line, gaps
    tracking = max(min(spaced), 0.0)
    glyphs = [line[0]] + [g._replace(spaced=gap - tracking > WORD_GAP * height) for g, gap in zip(line[1:], gaps)]
    # a letter's tracking, and a word space's too
    return glyphs, [gap - tracking * (1 + g.spaced) for g, gap in zip(glyphs[1:], gaps)]


def extract(path: str, max_pages: int) -> dict:
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PyPdfError
    import pypdfium2 as pdfium

    try:
        problem = check(path, max_pages)
        if problem:
            return problem
        document = pdfium.PdfDocument(path, password="")
        return {"pages": [page_segments(page) for page in document]}
    except FileNotDecryptedError as exc:
        return {"error": "encrypted", "detail": str(exc)}
    except (MemoryError, LimitReachedError) as exc:
        return {"error": "decompression_bomb", "detail": f"{type(exc).__name__}: {str(exc)[:200]}"}
    except (PyPdfError, pdfium.PdfiumError, ValueError, KeyError, TypeError, OSError, RecursionError,
            AssertionError, AttributeError, IndexError, NotImplementedError, ZeroDivisionError,
            OverflowError) as exc:
        return {"error": "damaged", "detail": f"{type(exc).__name__}: {str(exc)[:200]}"}


if __name__ == "__main__":
    limit(int(sys.argv[3]), int(sys.argv[4]))
    try:
        result = extract(sys.argv[1], int(sys.argv[2]))
    except MemoryError:
        result = {"error": "decompression_bomb", "detail": "MemoryError"}
    json.dump(result, sys.stdout, ensure_ascii=True)
