"""Index integrity under crashes, damage, concurrent builds and planted files."""
import json
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from kb import cache
from kb import index as store
from kb.cache import load_cache
from kb.errors import DamagedIndex, IndexWriteFailed
from kb.build import ingest
from kb.pipeline import KnowledgeBase

from conftest import FakeEmbedder, write_slice_corpus

TESTS = Path(__file__).resolve().parent
QUESTION = "tijdige afhandeling klachten 2012"


@pytest.fixture()
def two_builds(tmp_path):
    """A slice index built twice: the current generation and an intact previous one."""
    corpus = write_slice_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    ingest(corpus, index, FakeEmbedder())
    ingest(corpus, index, FakeEmbedder(), force=True)
    return corpus, index


def answers(index: Path) -> list[tuple[str, int, int]]:
    kb = KnowledgeBase(index, FakeEmbedder())
    return [(p.chunk.doc_id, p.chunk.start, p.chunk.end) for p in kb.ask(QUESTION, k=5)]


def run_kb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb.cli", *args], capture_output=True, text=True, timeout=300)


def _truncate_faiss(gen: Path) -> None:
    path = gen / "vectors.faiss"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_chunk_byte(gen: Path) -> None:
    path = gen / "chunks.jsonl"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _cut_chunks(gen: Path) -> None:
    path = gen / "chunks.jsonl"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _empty_manifest(gen: Path) -> None:
    (gen / "manifest.json").write_bytes(b"")


def _newer_manifest(gen: Path) -> None:
    manifest = json.loads((gen / "manifest.json").read_text("utf-8"))
    (gen / "manifest.json").write_text(json.dumps({**manifest, "format_version": 99}), "utf-8")


def _reseal(gen: Path) -> None:
    """Rewrite the checksums as if the damage had been there at build time: now the readers
    themselves (FAISS, JSON) meet the damaged bytes."""
    manifest = json.loads((gen / "manifest.json").read_text("utf-8"))
    manifest["files"] = {name: store.file_sha256(gen / name) for name in manifest["files"]}
    (gen / "manifest.json").write_text(json.dumps(store.seal(manifest)), "utf-8")


def _edit_manifest(gen: Path, change) -> None:
    manifest = json.loads((gen / "manifest.json").read_text("utf-8"))
    change(manifest)
    (gen / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")


def _digit_in_a_checksum(gen: Path) -> None:
    """One digit of vectors.faiss's recorded checksum changed: the file itself is intact."""
    def change(m):
        digest = m["files"]["vectors.faiss"]
        m["files"]["vectors.faiss"] = ("1" if digest[0] == "0" else "0") + digest[1:]
    _edit_manifest(gen, change)


def _corpus_hash_changed(gen: Path) -> None:
    def change(m):
        name = sorted(m["corpus"])[0]
        m["corpus"][name] = "0" * 64
    _edit_manifest(gen, change)


DAMAGE = {
    "a digit changed in a recorded checksum": (_digit_in_a_checksum, "manifest.json is damaged"),
    "a corpus hash changed in the manifest": (_corpus_hash_changed, "manifest.json is damaged"),
    "faiss cut in half": (_truncate_faiss, "vectors.faiss"),
    "faiss cut in half, checksums resealed": (lambda g: (_truncate_faiss(g), _reseal(g)), "vectors.faiss|cannot be read"),
    "byte flipped in chunk records": (_flip_chunk_byte, "chunks.jsonl"),
    "chunk records cut mid-line, checksums resealed": (lambda g: (_cut_chunks(g), _reseal(g)), "cannot be read"),
    "manifest of zero bytes": (_empty_manifest, "manifest.json"),
    "manifest of a newer format": (_newer_manifest, "newer kb.*format 99"),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damage_is_kbs_own_error_with_the_previous_index_offered(two_builds, damage):
    corpus, index = two_builds
    before = answers(index)
    harm, names = DAMAGE[damage]
    previous = sorted(index.glob("gen-*"))[0].name
    harm(store.current_generation(index))
    with pytest.raises(DamagedIndex, match=names) as err:
        store.open_index(index)
    assert err.value.previous == previous and "kb restore" in str(err.value)
    cli = run_kb("--corpus", str(corpus), "--index", str(index), "ask", QUESTION)
    assert cli.returncode == 2 and cli.stderr.startswith("kb: ") and "Traceback" not in cli.stderr
    assert previous in cli.stderr and "kb restore" in cli.stderr
    restored = run_kb("--index", str(index), "restore")
    assert restored.returncode == 0 and previous in restored.stdout
    assert answers(index) == before


def test_restore_without_an_intact_previous_index_says_so(tmp_path):
    corpus = write_slice_corpus(tmp_path / "corpus")
    ingest(corpus, tmp_path / "index", FakeEmbedder())
    _flip_chunk_byte(store.current_generation(tmp_path / "index"))
    with pytest.raises(DamagedIndex) as err:
        store.open_index(tmp_path / "index")
    assert err.value.previous is None and "kb restore" not in str(err.value)
    cli = run_kb("--index", str(tmp_path / "index"), "restore")
    assert cli.returncode == 2 and "no intact previous index" in cli.stderr


def test_a_damaged_index_is_rebuilt_by_ingest_not_called_up_to_date(two_builds):
    corpus, index = two_builds
    _flip_chunk_byte(store.current_generation(index))
    assert not ingest(corpus, index, FakeEmbedder()).up_to_date
    store.open_index(index)


STALLING_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from conftest import FakeEmbedder
    import kb.index as store
    from kb.build import ingest

    real_fsync = store._fsync_tree
    def stall(folder, recursive=True):
        real_fsync(folder, recursive)
        if folder.name.startswith(".tmp-gen-"):  # every file written, not yet switched to
            Path(sys.argv[4]).write_text(folder.name)
            time.sleep(600)
    store._fsync_tree = stall
    ingest(Path(sys.argv[2]), Path(sys.argv[3]), FakeEmbedder(), force=True)
""")


def test_a_build_killed_halfway_leaves_the_previous_index_current(two_builds, tmp_path):
    corpus, index = two_builds
    before, current = answers(index), store.current_generation(index)
    marker = tmp_path / "stalled"
    child = subprocess.Popen([sys.executable, "-c", STALLING_BUILD, str(TESTS), str(corpus), str(index), str(marker)])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the child build never reached its half-written state"
        assert (index / marker.read_text()).is_dir()  # the half-written generation is there
        waited, second = [], threading.Thread(target=lambda: ingest(corpus, index, FakeEmbedder(), force=True,
                                                                       waiting=lambda: waited.append(1)))
        second.start()  # a second build waits for the first, neither failing nor building beside it
        second.join(2)
        assert second.is_alive() and waited == [1]
        assert store.current_generation(index) == current and answers(index) == before
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    second.join(120)  # the killed build's lock died with it: the waiting one builds
    assert not second.is_alive() and store.current_generation(index) != current and answers(index) == before
    assert not list(index.glob(".tmp-*")) and answers(index) == before


def test_a_write_that_fails_changes_nothing(two_builds, monkeypatch):
    corpus, index = two_builds
    before, current = answers(index), store.current_generation(index)

    def disk_full(*_args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(store, "save_bm25", disk_full)
    with pytest.raises(IndexWriteFailed, match="No space left.*previous index is still the current one"):
        ingest(corpus, index, FakeEmbedder(), force=True)
    assert store.current_generation(index) == current and not list(index.glob(".tmp-*"))
    assert answers(index) == before


def test_searching_in_a_loop_while_the_index_is_rebuilt(two_builds):
    corpus, index = two_builds
    errors, searches, stop = [], [0], threading.Event()

    def search_loop() -> None:
        while not stop.is_set():
            try:
                kb = KnowledgeBase(index, FakeEmbedder())
                for p in kb.ask(QUESTION, k=5):
                    doc = kb.index.documents[p.chunk.doc_id]
                    assert doc["text"][p.chunk.start:p.chunk.end] == p.chunk.text
                searches[0] += 1
            except Exception as exc:  # noqa: BLE001 - every failure is the finding
                errors.append(repr(exc))
    reader = threading.Thread(target=search_loop)
    reader.start()
    try:
        for _ in range(4):
            ingest(corpus, index, FakeEmbedder(), force=True)
    finally:
        stop.set()
        reader.join()
    assert errors == [] and searches[0] >= 4


class Payload:
    """Unpickling this creates the sentinel file: proof that a pickle was loaded."""

    def __init__(self, sentinel: Path) -> None:
        self.sentinel = sentinel

    def __reduce__(self):
        return (os.system, (f"touch {self.sentinel}",))


def test_planted_pickles_are_never_loaded(two_builds, tmp_path):
    corpus, index = two_builds
    sentinel = tmp_path / "pwned"
    gen = store.current_generation(index)
    payload = pickle.dumps(Payload(sentinel))
    (index / "evil.pkl").write_bytes(payload)
    (gen / "evil.pkl").write_bytes(payload)
    (gen / "bm25" / "extra.pkl").write_bytes(payload)
    assert answers(index)  # stray pickles are ignored
    target = next((gen / "bm25").glob("*.npy"))
    np.save(target, np.array([Payload(sentinel)], dtype=object), allow_pickle=True)
    _reseal(gen)  # even with its checksum "right", a pickled .npy is refused
    with pytest.raises(DamagedIndex, match="cannot be read"):
        store.open_index(index)
    cache = next((index / "cache").glob("*.npz"))
    np.savez(cache, keys=np.array([Payload(sentinel)], dtype=object), vectors=np.zeros((1, 64)))
    assert load_cache(index, FakeEmbedder().name) == {}
    ingest(corpus, index, FakeEmbedder(), force=True)
    assert not sentinel.exists()


def _no_space(*_args, **_kwargs):
    raise OSError(28, "No space left on device")


def _faiss_disk_full(monkeypatch):
    def write_index(index, path):  # FAISS writes part of the file, then reports the error as it does
        Path(path).write_bytes(b"IxF2 partial")
        raise RuntimeError("Error in faiss::FileIOWriter::operator() at FileIOWriter: "
                           "fwrite failed: No space left on device")
    monkeypatch.setattr(store.faiss, "write_index", write_index)


def _pointer_disk_full(monkeypatch):
    def open_(path, *args, **kwargs):  # the pointer file is created, its write fails
        f = open(path, *args, **kwargs)
        if Path(path).name == "CURRENT.tmp":
            f.close()
            _no_space()
        return f
    monkeypatch.setattr(store, "open", open_, raising=False)


def _cache_disk_full(monkeypatch):
    def savez(f, **_arrays):
        f.write(b"PK\x03\x04 partial")
        _no_space()
    monkeypatch.setattr(cache.np, "savez", savez)


@pytest.mark.parametrize("harm, switched", [(_faiss_disk_full, False), (_pointer_disk_full, False),
                                            (_cache_disk_full, True)])
def test_disk_full_is_kbs_own_message_and_leaves_nothing_half_written(two_builds, monkeypatch, capsys, harm, switched):
    """Disk full at the FAISS write, at the switch of CURRENT and at the cache save after it:
    exit 2 with kb's message, no CURRENT.tmp, no partial cache or generation, the index whole."""
    from kb.cli import main

    corpus, index = two_builds
    before = store.current_generation(index)
    generations = sorted(p.name for p in index.glob("gen-*"))
    monkeypatch.setattr("kb.embed.get_embedder", lambda model=None: FakeEmbedder())
    harm(monkeypatch)
    code = main(["--corpus", str(corpus), "--index", str(index), "ingest", "--force"])
    _, err = capsys.readouterr()
    monkeypatch.undo()
    assert code == 2 and err.startswith("kb: ") and "No space left on device" in err and "Traceback" not in err
    assert not list(index.glob("*.tmp*")) and not list(index.glob(".tmp-*")) and not list(index.rglob("*.tmp.npz"))
    if switched:
        assert "built, whole and current" in err and store.current_generation(index) != before
    else:
        assert "previous index is still the current one" in err and store.current_generation(index) == before
        assert sorted(p.name for p in index.glob("gen-*")) == generations
    assert answers(index)  # whole either way
