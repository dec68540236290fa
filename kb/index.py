"""Index stage: FAISS vectors, chunk records, BM25 and a manifest, written as one generation.

index/
  CURRENT              name of the generation in use, replaced atomically
  gen-<ns>/            manifest.json, vectors.faiss, chunks.jsonl, documents.jsonl, bm25/
  cache/<model>.npz    embedding cache: content hashes and their vectors
No pickle anywhere: JSON, .npy without objects, and FAISS's own format.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
from filelock import FileLock, Timeout

from .errors import DamagedIndex, IndexBusy, IndexMissing, StaleIndex
from .lexical import load_bm25, save_bm25
from .records import Chunk

FORMAT_VERSION = 1
FIX = "run `kb ingest` to rebuild it"


@dataclass
class Index:
    folder: Path
    manifest: dict
    chunks: list[Chunk]
    documents: dict[str, dict]  # doc_id -> {"title", "year", "text", "period", ...}
    vectors: faiss.Index
    bm25: object


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def writer_lock(root: Path) -> FileLock:
    root.mkdir(parents=True, exist_ok=True)
    return FileLock(str(root / ".lock"), timeout=0)


def save_index(root: Path, manifest: dict, chunks: list[Chunk], documents: list[dict],
               vectors: np.ndarray, bm25) -> Path:
    """Write a new generation next to the current one, then switch CURRENT to it."""
    try:
        with writer_lock(root):
            return _save_generation(root, manifest, chunks, documents, vectors, bm25)
    except Timeout as exc:
        raise IndexBusy(f"{root}: the index is being built by another process; wait for it to finish") from exc


def _save_generation(root: Path, manifest: dict, chunks: list[Chunk], documents: list[dict],
                     vectors: np.ndarray, bm25) -> Path:
    name = f"gen-{time.time_ns():020d}"  # sorts in build order
    tmp = root / f".tmp-{name}"
    tmp.mkdir(parents=True)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
    faiss.write_index(flat, str(tmp / "vectors.faiss"))
    _write_jsonl(tmp / "chunks.jsonl", [dataclasses.asdict(c) for c in chunks])
    _write_jsonl(tmp / "documents.jsonl", documents)
    save_bm25(bm25, tmp / "bm25")
    files = {str(p.relative_to(tmp)): file_sha256(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
    counts = {"chunks": len(chunks), "vectors": int(flat.ntotal), "bm25_docs": int(bm25.scores["num_docs"])}
    full = {**manifest, "format_version": FORMAT_VERSION, "counts": counts, "files": files}
    (tmp / "manifest.json").write_text(json.dumps(full, indent=1, ensure_ascii=False), "utf-8")
    _fsync_tree(tmp)
    os.rename(tmp, root / name)
    previous = (root / "CURRENT").read_text("utf-8").strip() if (root / "CURRENT").exists() else ""
    pointer = root / "CURRENT.tmp"
    pointer.write_text(name, "utf-8")
    os.replace(pointer, root / "CURRENT")
    _prune(root, keep={name, previous})
    return root / name


def _prune(root: Path, keep: set[str]) -> None:
    for path in root.glob("gen-*"):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for path in root.glob(".tmp-gen-*"):
        shutil.rmtree(path, ignore_errors=True)


def current_generation(root: Path) -> Path:
    pointer = root / "CURRENT"
    if not pointer.exists():
        raise IndexMissing(f"{root}: no index built yet; {FIX}")
    name = pointer.read_text("utf-8").strip()
    if not re.fullmatch(r"gen-[\w-]+", name) or not (root / name).is_dir():
        raise DamagedIndex(f"{root}/CURRENT names '{name[:60]}', which is not an index generation; {FIX}")
    return root / name


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise DamagedIndex(f"{folder}/manifest.json cannot be read ({exc}); {FIX}") from exc
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        found = manifest.get("format_version") if isinstance(manifest, dict) else None
        raise StaleIndex(f"{folder} has index format {found}, this kb reads format {FORMAT_VERSION}; {FIX}")
    return manifest


def verify_files(folder: Path, manifest: dict) -> None:
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file() or file_sha256(path) != digest:
            raise DamagedIndex(f"{path} is missing or damaged (checksum differs); {FIX}")


def open_index(root: Path) -> Index:
    """Open the current generation; every file is checked against its checksum first."""
    folder = current_generation(root)
    manifest = read_manifest(folder)
    verify_files(folder, manifest)
    try:
        chunks = [Chunk(**{**row, "years": tuple(row["years"])}) for row in _read_jsonl(folder / "chunks.jsonl")]
        documents = {d["doc_id"]: d for d in _read_jsonl(folder / "documents.jsonl")}
        vectors = faiss.read_index(str(folder / "vectors.faiss"))
        bm25 = load_bm25(folder / "bm25")
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise DamagedIndex(f"{folder} cannot be read ({type(exc).__name__}: {exc}); {FIX}") from exc
    counts = (len(chunks), int(vectors.ntotal), int(bm25.scores["num_docs"]))
    if len(set(counts)) != 1:
        raise DamagedIndex(f"{folder}: chunks, vectors and BM25 documents disagree {counts}; {FIX}")
    return Index(folder, manifest, chunks, documents, vectors, bm25)


def check_fresh(manifest: dict, embedder_fingerprint: dict, settings: dict, corpus: dict[str, str]) -> None:
    """Raise StaleIndex when the index was built with another model, settings or corpus."""
    built = manifest.get("embedder", {})
    if built != embedder_fingerprint:
        raise StaleIndex(f"index/ was built with model {built.get('model')} ({built.get('backend')}, "
                         f"dim {built.get('dim')}), not {embedder_fingerprint['model']}; {FIX}")
    if manifest.get("settings") != settings:
        raise StaleIndex(f"index/ was built with other chunking settings {manifest.get('settings')}; {FIX}")
    old = manifest.get("corpus", {})
    changes = ([f"added {n}" for n in sorted(corpus.keys() - old.keys())]
               + [f"deleted {n}" for n in sorted(old.keys() - corpus.keys())]
               + [f"changed {n}" for n in sorted(corpus.keys() & old.keys()) if corpus[n] != old[n]])
    if changes:
        raise StaleIndex(f"the corpus changed since index/ was built ({'; '.join(changes)}); {FIX}")


def _cache_path(root: Path, model: str) -> Path:
    return root / "cache" / (re.sub(r"[^\w.-]+", "_", model) + ".npz")


def load_cache(root: Path, model: str) -> dict[str, np.ndarray]:
    """Embeddings by content hash; an unreadable cache is simply empty (it is only a cache)."""
    try:
        with np.load(_cache_path(root, model), allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
    except (OSError, ValueError, KeyError):
        return {}
    if len(keys) != len(vectors):
        return {}
    return dict(zip(keys.tolist(), vectors))


def save_cache(root: Path, model: str, cache: dict[str, np.ndarray], keep: set[str]) -> None:
    """Keep the vectors of the current chunks only; one file, written beside and renamed."""
    keys = [k for k in cache if k in keep]
    if not keys:
        return
    path = _cache_path(root, model)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    with open(tmp, "wb") as f:
        np.savez(f, keys=np.array(keys), vectors=np.stack([cache[k] for k in keys]).astype(np.float32))
    os.replace(tmp, path)
