"""Corpus stage: read the manifest and the files (text, Markdown, PDF) into cleaned Documents."""
from __future__ import annotations

import bisect
import hashlib
import json
import math
import stat
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .clean import PDF_PASSES, clean_text
from .errors import UnreadableFile
from .files import file_sha256
from .layout import layout_pages, page_separators, pages_from_worker
from .records import DocMeta, Document

MANIFEST = "manifest.toml"
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
SUFFIXES = TEXT_SUFFIXES | {".pdf"}
MAX_PDF_BYTES = 200 * 2**20
MAX_TEXT_BYTES = 50 * 2**20
MAX_PAGES = 5000
PDF_SECONDS = 60  # wall clock and CPU, per PDF: a 45-page report takes about 2 s
PDF_MEMORY = 2 * 2**30  # address space of the child
GARBLED_SHARE = 0.2  # the reports have 0.5% single-letter words and under 0.05% of over 25 letters


@dataclass
class Loaded:
    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    skip_counts: dict[str, int] = field(default_factory=dict)  # short reason -> files
    warnings: list[str] = field(default_factory=list)


def read_manifest(path: Path) -> dict[str, DocMeta]:
    """Manifest entries keyed by source file name; {} when there is no manifest."""
    if not path.exists():
        return {}
    try:
        entries = tomllib.loads(path.read_text("utf-8")).get("document", [])
        metas = [
            DocMeta(doc_id=e["id"], title=e["title"], year=int(e["year"]), source=e["source"],
                    publisher=e.get("publisher", ""), published=str(e.get("published", "")),
                    period=tuple(int(y) for y in e.get("period", [e["year"]])), added=str(e.get("added", "")))
            for e in entries
        ]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise UnreadableFile(f"{path}: the manifest is not valid ({exc}); fix the entry or remove it") from exc
    return {m.source: m for m in metas}


def meta_from_name(path: Path) -> DocMeta:
    """Guess metadata for a file the manifest does not describe: the year is the last in its name."""
    years = re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", path.stem)
    year = int(years[-1]) if years else 0
    title = re.sub(r"[-_]+", " ", path.stem).strip() or path.name
    doc_id = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"
    return DocMeta(doc_id=doc_id, title=title, year=year, source=path.name,
                   period=(year,) if year else ())


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), else Windows-1252 with a warning. Binary data is refused."""
    if not data.strip():
        raise UnreadableFile(f"{name}: the file is empty; add text to it or remove it", kind="empty")
    if b"\x00" in data[:8192]:
        raise UnreadableFile(f"{name}: this is a binary file, not text; convert it to .txt, .md or .pdf", kind="binary")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(ch < "\x20" and ch not in "\t\n\r\f" for ch in text[:8192])
    if controls > len(text[:8192]) * 0.05:
        raise UnreadableFile(f"{name}: this is a binary file, not text; convert it to .txt, .md or .pdf", kind="binary")
    return text, [f"{name}: not UTF-8; read as Windows-1252. Save it as UTF-8 to be sure of accents"]


def read_pdf(path: Path) -> tuple[str, list[int]]:
    """The text of every page in reading order (kb/layout.py), joined, and the raw offset where
    each page starts. Pages are joined by a blank line, or by a line break where a sentence runs on.

    The PDF libraries have no time or memory limit of their own, so they run in a child process
    with both: a looping cross-reference table or a stream that inflates to gigabytes costs a message."""
    size = path.stat().st_size
    if size == 0:  # no PDF at all, but no damage either: say what it is, as for an empty text file
        raise UnreadableFile(f"{path.name}: the file is empty; add text to it or remove it", kind="empty")
    if size > MAX_PDF_BYTES:
        raise UnreadableFile(f"{path.name}: {size / 2**20:,.0f} MB is over the {MAX_PDF_BYTES // 2**20} MB "
                             "limit for a PDF; split it", kind="too large")
    pages = layout_pages(pages_from_worker(_pages_in_child(path)))
    if not any(p.strip() for p in pages):
        raise UnreadableFile(f"{path.name}: the PDF has no text layer (scanned?); run OCR on it first", kind="no text")
    starts, parts = [], []
    for page, separator in zip(pages, ["", *page_separators(pages)]):
        parts.append(separator)
        starts.append(sum(map(len, parts)))
        parts.append(page)
    return "".join(parts), starts


def _pages_in_child(path: Path) -> list[dict]:
    worker = Path(__file__).with_name("pdf_worker.py")
    try:
        done = subprocess.run([sys.executable, "-I", str(worker), str(path), str(MAX_PAGES), str(PDF_MEMORY),
                               str(max(1, math.ceil(PDF_SECONDS)))], capture_output=True, timeout=PDF_SECONDS)
    except OSError as exc:
        raise UnreadableFile(f"{path.name}: the PDF reader could not be started ({exc})", kind="reader stopped") from exc
    except subprocess.TimeoutExpired as exc:
        raise UnreadableFile(f"{path.name}: reading the PDF took over {PDF_SECONDS} s and was stopped "
                             "(a looping or oversized file?)", kind="timed out") from exc
    try:
        result = json.loads(done.stdout)
    except ValueError:
        raise UnreadableFile(f"{path.name}: the PDF reader stopped (exit {done.returncode}) at over "
                             f"{PDF_MEMORY // 2**20} MB of memory or on a crash; the file is hostile or broken",
                             kind="reader stopped") from None
    if "pages" in result:
        return result["pages"]
    reason, detail = result.get("error", "damaged"), result.get("detail", "")
    message = {"encrypted": "the PDF is encrypted with a password; save an unprotected copy",
               "too_many_pages": f"{detail} is over the {MAX_PAGES:,}-page limit; split it",
               "decompression_bomb": f"a stream inflates past the reader's limit or {PDF_MEMORY // 2**20} MB of "
                                     f"memory ({detail}); a decompression bomb or a broken file",
               }.get(reason, f"not a readable PDF ({detail})")
    raise UnreadableFile(f"{path.name}: {message}", kind=reason.replace("_", " "))


def load_file(path: Path, meta: DocMeta) -> tuple[Document, list[str]]:
    """Read and clean one file. Raises UnreadableFile with the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(f"{path.name}: '{suffix or path.name}' files are not supported; use .txt, .md or .pdf",
                             kind="unsupported type")
    warnings: list[str] = []
    raw_page_starts: list[int] = []
    if suffix == ".pdf":
        raw, raw_page_starts = read_pdf(path)
    elif path.stat().st_size > MAX_TEXT_BYTES:
        raise UnreadableFile(f"{path.name}: over the {MAX_TEXT_BYTES // 2**20} MB limit for a text file; split it",
                             kind="too large")
    else:
        raw, warnings = decode_text(path.read_bytes(), path.name)
    cleaned = clean_text(raw, PDF_PASSES) if suffix == ".pdf" else clean_text(raw)
    page_starts = [bisect.bisect_left(cleaned.offsets, s) for s in raw_page_starts]
    doc = Document(meta=meta, text=cleaned.text, offsets=cleaned.offsets,
                   page_starts=page_starts, repairs=cleaned.repairs)
    garbled = garbled_text(cleaned.text)
    if garbled:
        fix = ("export the PDF again (as PDF/A, or from the source document) or add its text as a .txt file"
               if suffix == ".pdf" else "check how the text was made")
        warnings.append(f"{path.name}: {garbled}; search will miss much of it: {fix}")
    return doc, warnings


def garbled_text(text: str) -> str | None:
    """What is wrong with a text read from a file whose words came apart or ran together, or None."""
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < 50:
        return None
    letters = sum(len(w) == 1 for w in words) / len(words)
    if letters > GARBLED_SHARE:
        example = re.search(r"(?:\b[^\W\d_] ){4,8}[^\W\d_]\b", text)
        return f"{letters:.0%} of its words are single letters" + (f' ("{example.group()}")' if example else "")
    long = sum(len(w) > 25 for w in words) / len(words)
    if long > GARBLED_SHARE:
        return f"{long:.0%} of its words are over 25 letters long (the spaces between words are lost)"
    return None


def scan_corpus(folder: Path) -> tuple[list[Path], list[tuple[str, UnreadableFile]]]:
    """The corpus folder's documents in a stable order, and what is there but cannot be one: a
    link to a file outside the folder (never read), a folder, a FIFO or device (never opened)."""
    root = folder.resolve()
    files, refused = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == MANIFEST:
            continue
        problem = _not_a_document(path, root)
        if problem:
            refused.append((path.name, problem))
        else:
            files.append(path)
    return files, refused


def _not_a_document(path: Path, root: Path) -> UnreadableFile | None:
    real = path.resolve()
    if real.parent != root and root not in real.parents:
        return UnreadableFile(f"{path.name}: a link to {real}, outside the corpus folder; not read. Copy the "
                              "file into the corpus folder instead", kind="outside the corpus")
    try:
        mode = real.stat().st_mode
    except OSError as exc:
        return UnreadableFile(f"{path.name}: cannot be read ({exc.strerror})", kind="unreadable")
    if stat.S_ISDIR(mode):
        return UnreadableFile(f"{path.name}: a folder, not a file; kb reads the files directly in the corpus "
                              "folder", kind="folder")
    if not stat.S_ISREG(mode):
        return UnreadableFile(f"{path.name}: not a regular file (a pipe, socket or device); not opened",
                              kind="not a file")
    return None


def corpus_files(folder: Path) -> list[Path]:
    """Every file of the corpus folder that is meant as a document, in a stable order."""
    return scan_corpus(folder)[0]


def load_corpus(folder: Path) -> Loaded:
    """Load every document; a file that cannot be read is skipped with the reason, and the same
    document under a second name (same bytes, or the same text after cleaning) is indexed once."""
    if not folder.is_dir():
        raise UnreadableFile(f"{folder}: no corpus folder there; create it and put reports in it")
    manifest = read_manifest(folder / MANIFEST)
    loaded = Loaded()
    files, refused = scan_corpus(folder)
    for name, problem in refused:
        _skip(loaded, problem, name)
    ids: dict[str, str] = {}
    contents: dict[str, str] = {}  # hash of the bytes or of the cleaned text -> first file name
    for path in files:
        meta = manifest.get(path.name)
        try:
            raw_hash = file_sha256(path)
            _check_new(contents, raw_hash, path.name)
            doc, warnings = load_file(path, meta or meta_from_name(path))
            text_hash = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
            _check_new(contents, text_hash, path.name)
            if doc.meta.doc_id in ids:
                raise UnreadableFile(f"{path.name}: its id '{doc.meta.doc_id}' is used by {ids[doc.meta.doc_id]} "
                                     "already; rename it", kind="duplicate id")
        except UnreadableFile as exc:
            _skip(loaded, exc, path.name)
            continue
        contents.update({raw_hash: path.name, text_hash: path.name})
        ids[doc.meta.doc_id] = path.name
        if meta is None:  # said only of a file that is read: a skipped one has its reason
            loaded.warnings.append(f"{path.name}: no entry in {MANIFEST}; title and year taken from the file name")
        loaded.warnings.extend(warnings)
        loaded.documents.append(doc)
    return loaded


def _skip(loaded: Loaded, problem: UnreadableFile, name: str) -> None:
    loaded.skipped.append((name, str(problem)))
    loaded.skip_counts[problem.kind] = loaded.skip_counts.get(problem.kind, 0) + 1


def _check_new(contents: dict[str, str], digest: str, name: str) -> None:
    if digest in contents:
        raise UnreadableFile(f"{name}: the same document as {contents[digest]}, which is indexed; "
                             "remove one of the two", kind="duplicate")
