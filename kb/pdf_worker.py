"""Child side of PDF reading: run as a script, one PDF per process, under the limits the parent
set. Imports only pypdf and pypdfium2 (not kb), so a crash or runaway here cannot touch the parent.

    python kb/pdf_worker.py FILE MAX_PAGES MEMORY_BYTES CPU_SECONDS
    -> JSON on stdout: {"pages": [{"width", "height", "segments": [[x0, top, x1, bottom, text]]}]}
       or {"error": ..., "detail": ...}

pypdf opens the file first: it checks the password and the page count, and inflates every page's
content streams under its own output limits, so a decompression bomb is named as one (PDFium
would abort the process on it). PDFium (pypdfium2, Chrome's PDF engine) then gives each run of
text on a line with its box: the parent's layout stage (kb/layout.py) orders them into columns,
drops running headers and footers and rebuilds table rows. Coordinates are points from the top
left of the page.

The child sets its own memory and CPU limits first (the parent may have threads, where a
preexec_fn is unsafe); the parent adds the wall-clock limit.
"""
import json
import resource
import sys

# PDFium's marks for a hyphen at a line end (a "-" the typesetter added when it broke a word)
_LINE_END_HYPHEN = str.maketrans({"\x02": "-", "\ufffe": "-"})


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
    """One page: its size and the text runs PDFium found, each with its box."""
    width, height = page.get_size()
    left, bottom, _, top = page.get_bbox()
    textpage = page.get_textpage()
    segments = []
    for i in range(textpage.count_rects()):
        x0, y0, x1, y1 = textpage.get_rect(i)
        text = textpage.get_text_bounded(x0, y0, x1, y1).translate(_LINE_END_HYPHEN)
        text = " ".join(text.replace("\r", " ").replace("\n", " ").split())
        if text:
            segments.append([round(x0 - left, 2), round(top - y1, 2), round(x1 - left, 2), round(top - y0, 2), text])
    textpage.close()
    return {"width": round(width, 2), "height": round(height, 2), "segments": segments}


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
