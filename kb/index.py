"""Index stage: FAISS vectors, chunk records, BM25 and a manifest, written as one generation.

index/
  CURRENT              name of the generation in use, replaced atomically
  gen-<ns>/            manifest.json, vectors.faiss, chunks.jsonl, documents.jsonl, bm25/,
                       units.npy + unit_vectors.npy: the sentence units of each chunk, (chunk row,
                       start, end) sorted by row, and a float16 vector each, for rescoring candidates;
                       latent_ids.npy + latent_weights.npy: each chunk's latent terms (kb/latent.py)
  cache/<model>.npz    embedding cache: content hashes and their vectors (kb/cache.py)
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
from filelock import FileLock, Timeout

from . import latent
from .errors import DamagedIndex, IndexBusy, IndexMissing, IndexWriteFailed, StaleIndex
from .files import file_sha256
from .lexical import load_bm25, save_bm25
from .records import Chunk
from .vectors import build_vector_index, describe_vector_index, set_search_depth

FORMAT_VERSION = 4  # 2: the manifest carries a checksum of itself; 3: sentence vectors (units.npy); 4: latent terms
FIX = "run `kb ingest` to rebuild it"


@dataclass
class Index:
    folder: Path
    manifest: dict
    chunks: list[Chunk]
    documents: dict[str, dict]  # doc_id -> {"title", "year", "text", "period", ...}
    vectors: faiss.Index
    bm25: object
    unit_vectors: np.ndarray  # (n, dim) float16, one per sentence unit (units.vector_units)
    unit_spans: np.ndarray  # (n, 3) int64: chunk row, start, end within the chunk's text
    latent_ids: np.ndarray  # (chunks, width) int16, -1 as padding; width 0 for a model without latent terms
    latent_weights: np.ndarray  # (chunks, width) float16
    terms: dict[int, frozenset[str]] = dataclasses.field(default_factory=dict)  # a chunk's BM25 terms, made on first use


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _fsync_tree(folder: Path, recursive: bool = True) -> None:
    """Flush every file, then the folders, so a power cut cannot leave a named but empty file."""
    paths = sorted(folder.rglob("*"), reverse=True) if recursive else []
    for path in [*paths, folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def writer_lock(root: Path) -> FileLock:
    root.mkdir(parents=True, exist_ok=True)
    return FileLock(str(root / ".lock"), timeout=0)


@contextmanager
def building(root: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the one writer lock for a whole build. Without `waiting` a second writer fails at once,
    before it spends minutes embedding; with it, `waiting()` is called once and the writer waits
    for the lock. The lock is the OS's: a killed build releases it."""
    lock = writer_lock(root)
    try:
        lock.acquire()
    except Timeout as exc:
        if waiting is None:
            raise IndexBusy(f"{root}: the index is being built by another process; wait for it to finish "
                            "and try again (the current index stays usable meanwhile)") from exc
        waiting()
        lock.acquire(timeout=-1)
    try:
        yield
    finally:
        lock.release()


def save_index(root: Path, manifest: dict, chunks: list[Chunk], documents: list[dict],
               vectors: np.ndarray, bm25, units: tuple[np.ndarray, np.ndarray],
               latent_terms: tuple[np.ndarray, np.ndarray] | None = None) -> Path:
    """Write a new generation next to the current one, then switch CURRENT to it. The caller
    holds `building(root)`. A failed write removes its half-written folder and changes nothing."""
    name = f"gen-{time.time_ns():020d}"  # sorts in build order
    tmp = root / f".tmp-{name}"
    try:
        _write_generation(tmp, manifest, chunks, documents, vectors, bm25, units,
                          latent_terms if latent_terms is not None else latent.none(len(chunks)))
        os.rename(tmp, root / name)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise IndexWriteFailed(f"{root}: the new index could not be written ({exc}); free disk space "
                                   "or fix permissions and run `kb ingest` again. The previous index "
                                   "is still the current one") from exc
        raise
    previous = (root / "CURRENT").read_text("utf-8").strip() if (root / "CURRENT").exists() else ""
    try:
        _point_to(root, name)
    except OSError as exc:
        shutil.rmtree(root / name, ignore_errors=True)
        raise IndexWriteFailed(f"{root}/CURRENT could not be switched to the new index ({exc}); free disk "
                               "space and run `kb ingest` again. The previous index is still the current one") from exc
    _prune(root, keep={name, previous})
    return root / name


def _write_generation(tmp: Path, manifest: dict, chunks: list[Chunk], documents: list[dict], vectors: np.ndarray,
                      bm25, units: tuple[np.ndarray, np.ndarray], latent_terms: tuple[np.ndarray, np.ndarray]) -> None:
    tmp.mkdir(parents=True)
    vector_index = build_vector_index(np.ascontiguousarray(vectors, dtype=np.float32))
    try:
        faiss.write_index(vector_index, str(tmp / "vectors.faiss"))
    except RuntimeError as exc:  # FAISS reports a failed write (disk full) as a RuntimeError
        raise OSError(f"FAISS could not write vectors.faiss: {str(exc).strip().splitlines()[-1][:200]}") from exc
    unit_spans, unit_vectors = units
    np.save(tmp / "units.npy", np.asarray(unit_spans, dtype=np.int64).reshape(-1, 3), allow_pickle=False)
    np.save(tmp / "unit_vectors.npy", np.asarray(unit_vectors, dtype=np.float16), allow_pickle=False)
    np.save(tmp / "latent_ids.npy", np.asarray(latent_terms[0], dtype=np.int16), allow_pickle=False)
    np.save(tmp / "latent_weights.npy", np.asarray(latent_terms[1], dtype=np.float16), allow_pickle=False)
    _write_jsonl(tmp / "chunks.jsonl", [dataclasses.asdict(c) for c in chunks])
    _write_jsonl(tmp / "documents.jsonl", documents)
    save_bm25(bm25, tmp / "bm25")
    files = {str(p.relative_to(tmp)): file_sha256(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
    counts = {"chunks": len(chunks), "vectors": int(vector_index.ntotal), "bm25_docs": int(bm25.scores["num_docs"]),
              "units": len(unit_spans)}
    full = {**manifest, "format_version": FORMAT_VERSION, "counts": counts, "files": files,
            "vector_index": describe_vector_index(vector_index)}
    (tmp / "manifest.json").write_text(json.dumps(seal(full), indent=1, ensure_ascii=False), "utf-8")
    _fsync_tree(tmp)


def _manifest_digest(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def seal(manifest: dict) -> dict:
    """The manifest with a checksum of its own content: an edited digit in it, a file's recorded
    checksum or the corpus hash, is then the manifest's damage, not an intact file's."""
    return {**manifest, "manifest_sha256": _manifest_digest(manifest)}


def _point_to(root: Path, name: str) -> None:
    """Make generation `name` current: a new pointer file, flushed, renamed over the old one. A
    failed write (disk full) removes the half-written pointer and leaves CURRENT as it was."""
    pointer = root / "CURRENT.tmp"
    try:
        with open(pointer, "w", encoding="utf-8") as f:
            f.write(name)
            f.flush()
            os.fsync(f.fileno())
        os.replace(pointer, root / "CURRENT")
    except OSError:
        pointer.unlink(missing_ok=True)
        raise
    try:
        _fsync_tree(root, recursive=False)
    except OSError:
        pass  # the switch is made; only its flush to disk is in doubt, and the old index is kept too


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
        raise DamagedIndex(f"{root}/CURRENT names '{name[:60]}', which is not an index generation; {FIX}",
                           previous=_name(intact_previous(root, name)))
    return root / name


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise DamagedIndex(f"{folder}/manifest.json cannot be read ({exc}); {FIX}") from exc
    return read_manifest_dict(manifest, str(folder), f"{folder}/manifest.json")


def read_manifest_dict(manifest: dict, where: str, name: str) -> dict:
    """The manifest, once its format is this kb's and its content matches its own checksum."""
    found = manifest.get("format_version") if isinstance(manifest, dict) else None
    if isinstance(found, int) and found > FORMAT_VERSION:
        raise DamagedIndex(f"{where} was written by a newer kb (index format {found}; this kb reads "
                           f"format {FORMAT_VERSION}); update kb, or {FIX} for this version")
    if found != FORMAT_VERSION:
        raise StaleIndex(f"{where} has index format {found}, this kb reads format {FORMAT_VERSION}; {FIX}")
    if manifest.get("manifest_sha256") != _manifest_digest(manifest):
        raise DamagedIndex(f"{name} is damaged (its content does not match its own checksum); {FIX}")
    return manifest


def verify_files(folder: Path, manifest: dict) -> None:
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file() or file_sha256(path) != digest:
            raise DamagedIndex(f"{path} is missing or damaged (checksum differs); {FIX}")


def checked_manifest(folder: Path) -> dict:
    """The generation's manifest, after every file it lists matched its checksum."""
    manifest = read_manifest(folder)
    verify_files(folder, manifest)
    return manifest


def open_index(root: Path) -> Index:
    """Open the current generation, every file checked first. A build that switches CURRENT
    meanwhile may prune the generation being read: then the new current one is read instead.
    When the current one is damaged, the error names an intact previous one, if there is one."""
    for _ in range(3):
        folder = current_generation(root)
        try:
            return open_generation(folder)
        except (DamagedIndex, StaleIndex) as exc:
            if current_generation(root) != folder:
                continue  # replaced while we read it
            previous = intact_previous(root, folder.name)
            offer = (f" The previous index {previous.name} is intact: `kb restore` makes it current again."
                     if previous else "")
            raise type(exc)(f"{exc}.{offer}", previous=_name(previous)) from exc
    raise IndexBusy(f"{root}: the index was replaced three times while it was being opened; try again")


def open_generation(folder: Path) -> Index:
    manifest = checked_manifest(folder)
    try:
        chunks = [Chunk(**{**row, "years": tuple(row["years"])}) for row in _read_jsonl(folder / "chunks.jsonl")]
        documents = {d["doc_id"]: d for d in _read_jsonl(folder / "documents.jsonl")}
        vectors = faiss.read_index(str(folder / "vectors.faiss"))
        bm25 = load_bm25(folder / "bm25")
        unit_spans = np.load(folder / "units.npy", allow_pickle=False)
        unit_vectors = np.load(folder / "unit_vectors.npy", allow_pickle=False)
        latent_ids = np.load(folder / "latent_ids.npy", allow_pickle=False)
        latent_weights = np.load(folder / "latent_weights.npy", allow_pickle=False)
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise DamagedIndex(f"{folder} cannot be read ({type(exc).__name__}: {exc}); {FIX}") from exc
    counts = (len(chunks), int(vectors.ntotal), int(bm25.scores["num_docs"]))
    if len(set(counts)) != 1:
        raise DamagedIndex(f"{folder}: chunks, vectors and BM25 documents disagree {counts}; {FIX}")
    if not units_fit(unit_spans, unit_vectors, chunks, vectors.d):
        raise DamagedIndex(f"{folder}: the sentence units and their vectors disagree with the chunks; {FIX}")
    if not latent.fits(latent_ids, latent_weights, len(chunks)):
        raise DamagedIndex(f"{folder}: the latent terms disagree with the chunks; {FIX}")
    set_search_depth(vectors)
    return Index(folder, manifest, chunks, documents, vectors, bm25, unit_vectors, unit_spans, latent_ids, latent_weights)


def units_fit(spans: np.ndarray, vectors: np.ndarray, chunks: list[Chunk], dim: int) -> bool:
    """Spans (row, start, end) sorted by row, inside their chunk, one vector each."""
    if spans.ndim != 2 or spans.shape[1] != 3 or vectors.shape != (len(spans), dim):
        return False
    if not len(spans):
        return True
    rows, starts, ends = spans[:, 0], spans[:, 1], spans[:, 2]
    lengths = np.array([len(c.text) for c in chunks], dtype=np.int64)
    return bool((np.diff(rows) >= 0).all() and rows[0] >= 0 and rows[-1] < len(chunks)
                and (starts >= 0).all() and (starts < ends).all() and (ends <= lengths[rows]).all())


def intact_previous(root: Path, current: str) -> Path | None:
    """The newest other generation whose manifest reads and whose files match their checksums."""
    for folder in sorted(root.glob("gen-*"), reverse=True):
        if folder.name == current or not folder.is_dir():
            continue
        try:
            checked_manifest(folder)
        except (DamagedIndex, StaleIndex):
            continue
        return folder
    return None


def _name(folder: Path | None) -> str | None:
    return folder.name if folder else None


def restore_previous(root: Path) -> str:
    """Make the intact previous generation current again (`kb restore`); returns its name."""
    pointer = root / "CURRENT"
    current = pointer.read_text("utf-8").strip() if pointer.exists() else ""
    with building(root):
        previous = intact_previous(root, current)
        if previous is None:
            raise IndexMissing(f"{root}: there is no intact previous index to go back to; {FIX}")
        try:
            _point_to(root, previous.name)
        except OSError as exc:
            raise IndexWriteFailed(f"{root}/CURRENT could not be switched back ({exc}); free disk space and "
                                   "run `kb restore` again. The index is as it was") from exc
    return previous.name


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
