"""Child side of PDF reading: run as a script, one PDF per process, under the limits the parent
set. Imports only pypdf (not kb), so a crash or runaway here cannot touch the parent.

    python kb/pdf_worker.py FILE MAX_PAGES MEMORY_BYTES CPU_SECONDS
    -> JSON on stdout: {"pages": [...]} or {"error": ..., "detail": ...}

The child sets its own memory and CPU limits first (the parent may have threads, where a
preexec_fn is unsafe); the parent adds the wall-clock limit.
"""
import json
import resource
import sys


def limit(memory: int, seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def extract(path: str, max_pages: int) -> dict:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return {"error": "encrypted", "detail": "a password is needed"}
        if len(reader.pages) > max_pages:
            return {"error": "too_many_pages", "detail": f"{len(reader.pages):,} pages"}
        return {"pages": [page.extract_text() or "" for page in reader.pages]}
    except FileNotDecryptedError as exc:
        return {"error": "encrypted", "detail": str(exc)}
    except (MemoryError, LimitReachedError) as exc:
        return {"error": "decompression_bomb", "detail": f"{type(exc).__name__}: {str(exc)[:200]}"}
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, AssertionError,
            AttributeError, IndexError, NotImplementedError, ZeroDivisionError, OverflowError) as exc:
        return {"error": "damaged", "detail": f"{type(exc).__name__}: {str(exc)[:200]}"}


if __name__ == "__main__":
    limit(int(sys.argv[3]), int(sys.argv[4]))
    try:
        result = extract(sys.argv[1], int(sys.argv[2]))
    except MemoryError:
        result = {"error": "decompression_bomb", "detail": "MemoryError"}
    json.dump(result, sys.stdout, ensure_ascii=True)
