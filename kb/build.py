"""Wires the build: corpus -> clean -> chunk -> embed -> index. Only what changed is embedded
(the cache is keyed by content); one build at a time; the new generation switched in atomically."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .cache import load_cache, save_cache
from .chunk import CHUNK_OVERLAP, CHUNK_SIZE, chunk_document, passage_text
from .embed import Embedder, Progress, content_hash, embed_corpus
from .errors import DamagedIndex, EmptyCorpus, IndexMissing, StaleIndex, UnreadableFile
from .files import file_sha256
from .index import check_fresh
from .lexical import build_bm25
from .load import MANIFEST, Loaded, load_corpus, scan_corpus
from .store import Location, backend
from .units import vector_units

SETTINGS = {"chunk_size": CHUNK_SIZE, "chunk_overlap": CHUNK_OVERLAP, "passage_text": "title+section+text",
            "unit_vectors": "answer units with table headers, torn labels (and a torn top-N list's rows) with their title and values; a year is no figure; "
                            "a sentence keeps its closing quote mark; a table's rows running into prose are rows, "
                            "and so is a news item's dated title; a sentence ends after 'mln.' before a capital",
            "headings": "a torn table's labels, down to its year header, are no headings; nor a line ending in a function "
                        "word; a title ending in '&' goes on on the next line; a web reference ('Zie https://...') "
                        "or a signature ('R.J.T. van Lint') or its signer's role is none; a contents list's title "
                        "meets the chapter's without its function words; a chronicle's chunk has its news item's "
                        "dated title in its section; title lines never make a chunk of their own; a dated title's lone "
                        "second line before a blank line is the title's; a title set large over 2-4 short lines is one; "
                        "a dated title after a table row, or ending in a year, is one and stands under its month; "
                        "a numbered title ('3.2 Klachten') is one, not a numbered list's item; 'Label<TAB>412' rows are no contents list",
            "cleaning": "broken ligatures joined, a bare one too ('fi let', '2.946 ft e'); a sentence broken by a blank "
                        "line is one paragraph; a PDF's bare line break is no lost hyphen; 'Woo-' kept where 'Woo-x' is written",
            "pdf": "runs from PDFium's characters (Chromium's lone glyphs), letter spacing read as words, a header "
                   "naming its chapter left out"}


@dataclass
class IngestReport:
    documents: int = 0
    chunks: int = 0
    embedded: int = 0  # chunks embedded anew (the rest came from the cache)
    seconds: float = 0.0
    up_to_date: bool = False
    skipped: list[tuple[str, str]] = field(default_factory=list)
    skip_counts: dict[str, int] = field(default_factory=dict)  # short reason -> files
    warnings: list[str] = field(default_factory=list)
    repairs: dict[str, dict[str, int]] = field(default_factory=dict)


def latent_cache_name(embedder: Embedder) -> str:
    return f"{embedder.name}+latent-terms"


def corpus_hashes(corpus: Path) -> dict[str, str]:
    """A hash per document and of the manifest: new titles or years make the index stale too.
    What cannot be a document (a link out of the folder, a FIFO) is named, never read: a new one
    makes the index stale, so the next ingest reports it."""
    if not corpus.is_dir():
        raise UnreadableFile(f"{corpus}: no corpus folder there; give --corpus the folder of the reports")
    files, refused = scan_corpus(corpus)
    files += [p for p in [corpus / MANIFEST] if p.exists()]
    return {**{name: f"not read: {exc.kind}" for name, exc in refused}, **{p.name: file_sha256(p) for p in files}}


def is_fresh(location: Location, embedder: Embedder, corpus: Path) -> bool:
    try:
        # checked, not just read: a damaged index is rebuilt, not "up to date"
        manifest = backend(location).current_manifest()
        check_fresh(manifest, embedder.fingerprint, SETTINGS, corpus_hashes(corpus))
    except (IndexMissing, DamagedIndex, StaleIndex):
        return False
    return True


def ingest(corpus: Path, location: Location, embedder: Embedder, progress: Progress | None = None,
           force: bool = False, waiting: Callable[[], None] | None = None, cache: Path | None = None) -> IngestReport:
    """Build the index (or report it up to date); only new or changed chunks are embedded.
    `location` is an index folder or a postgresql:// URL; a database store keeps its embedding
    cache in the folder `cache` (default: index). One build at a time: a second one waits for the
    first (`waiting()` is called when it starts to), then finds the index fresh and does nothing,
    unless forced; without `waiting` it fails at once with IndexBusy."""
    started = time.perf_counter()
    if not force and is_fresh(location, embedder, corpus):
        return IngestReport(up_to_date=True, seconds=time.perf_counter() - started)
    target = backend(location, cache)
    with target.building(waiting=waiting):
        if not force and is_fresh(location, embedder, corpus):  # the build waited for made it so
            return IngestReport(up_to_date=True, seconds=time.perf_counter() - started)
        report = _build(corpus, target, embedder, progress)
    report.seconds = time.perf_counter() - started
    return report


def _skipped(loaded: Loaded) -> str:
    """" (2 files skipped: 1 binary, 1 encrypted)", or "" when none was."""
    if not loaded.skipped:
        return ""
    n = len(loaded.skipped)
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(loaded.skip_counts.items()))
    return f" ({n} file{'s' if n != 1 else ''} skipped: {kinds})"


def _build(corpus: Path, target, embedder: Embedder, progress: Progress | None) -> IngestReport:
    hashes = corpus_hashes(corpus)
    loaded: Loaded = load_corpus(corpus)
    chunks = [c for doc in loaded.documents for c in chunk_document(doc)]
    if not chunks:  # nothing to index (bm25s cannot index nothing); the index there stays as it is
        raise EmptyCorpus(f"{corpus}: no report kb can read there{_skipped(loaded)}; "
                          "put a .txt, .md or .pdf report in it and run `kb ingest`")
    texts = [passage_text(c) for c in chunks]
    units = [(row, span, text) for row, c in enumerate(chunks) for span, text in vector_units(c.text)]
    spans = [(row, s, e) for row, (s, e), _ in units]
    unit_texts = [text for _, _, text in units]
    cache = load_cache(target.cache_root, embedder.name)
    latent_cache = load_cache(target.cache_root, latent_cache_name(embedder)) if embedder.latent_dim else {}
    new = len({content_hash(t) for t in texts} - cache.keys())
    vectors, unit_vectors, latent = embed_corpus(embedder, texts, unit_texts, cache, latent_cache, progress)
    manifest = {"embedder": embedder.fingerprint, "settings": SETTINGS, "corpus": hashes,
                "built": time.strftime("%Y-%m-%dT%H:%M:%S"), "skipped": dict(loaded.skipped)}
    documents = [{"doc_id": d.meta.doc_id, "title": d.meta.title, "year": d.meta.year,
                  "source": d.meta.source, "publisher": d.meta.publisher, "published": d.meta.published,
                  "period": list(d.meta.period), "added": d.meta.added, "page_starts": d.page_starts, "repairs": d.repairs,
                  "text": d.text} for d in loaded.documents]
    target.save(manifest, chunks, documents, vectors, build_bm25(texts),
                (np.array(spans, dtype=np.int64).reshape(-1, 3), unit_vectors), latent)
    save_cache(target.cache_root, embedder.name, cache, keep={content_hash(t) for t in texts + unit_texts})
    if latent_cache:
        save_cache(target.cache_root, latent_cache_name(embedder), latent_cache, keep={content_hash(t) for t in texts})
    return IngestReport(documents=len(loaded.documents), chunks=len(chunks), embedded=new,
                        skipped=loaded.skipped, skip_counts=loaded.skip_counts, warnings=loaded.warnings,
                        repairs={d.meta.doc_id: d.repairs for d in loaded.documents})
