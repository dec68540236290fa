"""Corpus stage: read the manifest and the files (text, Markdown, PDF) into cleaned Documents."""
from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .clean import clean_text
from .errors import UnreadableFile
from .records import DocMeta, Document

MANIFEST = "manifest.toml"
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
SUFFIXES = TEXT_SUFFIXES | {".pdf"}
PAGE_BREAK = "\n\n"


@dataclass
class Loaded:
    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
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
                    period=tuple(int(y) for y in e.get("period", [e["year"]])))
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
        raise UnreadableFile(f"{name}: the file is empty; add text to it or remove it")
    if b"\x00" in data[:8192]:
        raise UnreadableFile(f"{name}: this is a binary file, not text; convert it to .txt, .md or .pdf")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(ch < "\x20" and ch not in "\t\n\r\f" for ch in text[:8192])
    if controls > len(text[:8192]) * 0.05:
        raise UnreadableFile(f"{name}: this is a binary file, not text; convert it to .txt, .md or .pdf")
    return text, [f"{name}: not UTF-8; read as Windows-1252. Save it as UTF-8 to be sure of accents"]


def read_pdf(path: Path) -> tuple[str, list[int]]:
    """The text of every page, joined, and the raw offset where each page starts."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(f"{path.name}: the PDF is encrypted with a password; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, AssertionError) as exc:
        raise UnreadableFile(f"{path.name}: not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(p.strip() for p in pages):
        raise UnreadableFile(f"{path.name}: the PDF has no text layer (scanned?); run OCR on it first")
    starts, pos = [], 0
    for page in pages:
        starts.append(pos)
        pos += len(page) + len(PAGE_BREAK)
    return PAGE_BREAK.join(pages), starts


def load_file(path: Path, meta: DocMeta) -> tuple[Document, list[str]]:
    """Read and clean one file. Raises UnreadableFile with the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(f"{path.name}: '{suffix or path.name}' files are not supported; use .txt, .md or .pdf")
    warnings: list[str] = []
    raw_page_starts: list[int] = []
    if suffix == ".pdf":
        raw, raw_page_starts = read_pdf(path)
    else:
        raw, warnings = decode_text(path.read_bytes(), path.name)
    cleaned = clean_text(raw)
    page_starts = [bisect.bisect_left(cleaned.offsets, s) for s in raw_page_starts]
    doc = Document(meta=meta, text=cleaned.text, offsets=cleaned.offsets,
                   page_starts=page_starts, repairs=cleaned.repairs)
    return doc, warnings


def corpus_files(folder: Path) -> list[Path]:
    """Every file of the corpus folder that is meant as a document, in a stable order."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.name != MANIFEST)


def load_corpus(folder: Path) -> Loaded:
    """Load every document; a file that cannot be read is skipped with the reason."""
    if not folder.is_dir():
        raise UnreadableFile(f"{folder}: no corpus folder there; create it and put reports in it")
    manifest = read_manifest(folder / MANIFEST)
    loaded = Loaded()
    seen: dict[str, str] = {}
    for path in corpus_files(folder):
        meta = manifest.get(path.name)
        if meta is None and path.suffix.lower() in SUFFIXES:
            meta = meta_from_name(path)
            loaded.warnings.append(f"{path.name}: no entry in {MANIFEST}; title and year taken from the file name")
        try:
            doc, warnings = load_file(path, meta or meta_from_name(path))
        except UnreadableFile as exc:
            loaded.skipped.append((path.name, str(exc)))
            continue
        if doc.meta.doc_id in seen:
            loaded.skipped.append((path.name, f"{path.name}: its id '{doc.meta.doc_id}' is used by {seen[doc.meta.doc_id]} already; rename it"))
            continue
        seen[doc.meta.doc_id] = path.name
        loaded.warnings.extend(warnings)
        loaded.documents.append(doc)
    return loaded
