"""Scale benchmark: synthetic corpora made from the real reports, from 10x to 1M chunks.

    python scripts/scale_bench.py [--sizes 3880,38800,388000,1000000] [--runs 300]

Per size, in child processes of their own (so each peak memory is that size's alone):
  build   BM25 + FAISS + writing the generation (checksums, fsync), chunks per second; the
          embedding is projected from the bundled model's rate measured here on 64 texts
          (embedding 1M chunks at ~10/s would take more than a day), and the vectors of the
          synthetic chunks are mixed from the real ones (see `mixed_vector`);
  disk    size of the generation folder;
  memory  peak RSS while building, and while serving (open + queries), per chunk;
  latency p50/p95 of BM25, dense and hybrid retrieval for 44 real questions (the query
          embedding excluded: it is ~10 ms whatever the size);
  recall  recall@10 of kb's vector index against exact search, and for the threshold both
          kinds side by side: flat and HNSW latency and HNSW recall at every size.
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from kb import index as store
from kb.cache import load_cache
from kb import latent, vectors
from kb.chunk import mentioned_years, passage_text
from kb.units import vector_units
from kb.embed import content_hash, get_embedder
from kb.evaluate import read_cases
from kb.embedded import EmbeddedStore
from kb.lexical import build_bm25
from kb.build import SETTINGS, ingest
from kb.records import Chunk
from kb.retrieve import CANDIDATES, Filters, make_query, search

ROOT = Path(__file__).resolve().parents[1]
QUESTION_SETS = [ROOT / "tests" / "data" / "extra_cases.jsonl", ROOT.parent / "shared" / "eval" / "dev_cases.jsonl"]
CHUNKS_PER_DOC = 40
NOISE = 0.1  # norm of the noise added to a synthetic vector
SOURCES = 3  # passages mixed into one synthetic passage


def prepare(work: Path) -> float:
    """Index the real corpus once; keep its chunks, vectors and the embedded questions."""
    embedder = get_embedder()
    ingest(ROOT / "corpus", work / "real", embedder)
    real = store.open_index(work / "real")
    cache = load_cache(work / "real", embedder.name)
    base = np.stack([cache[content_hash(passage_text(c))] for c in real.chunks])
    np.save(work / "base.npy", base.astype(np.float32))
    rows = [{**dataclasses.asdict(c), "period": real.documents[c.doc_id]["period"]} for c in real.chunks]
    (work / "base.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    questions = [c.question for path in QUESTION_SETS if path.exists() for c in read_cases(path)]
    np.save(work / "queries.npy", np.stack([embedder.embed_query(q) for q in questions]))
    np.save(work / "base_latent_ids.npy", real.latent_ids)
    np.save(work / "base_latent_weights.npy", real.latent_weights)
    np.save(work / "queries_latent.npy", np.stack([latent.as_row(t) for t in embedder.latent_terms(questions)]))
    (work / "queries.json").write_text(json.dumps(questions, ensure_ascii=False), "utf-8")
    sample = [passage_text(c) for c in real.chunks[:64]]
    started = time.perf_counter()
    embedder.embed_batch(sample)
    return len(sample) / (time.perf_counter() - started)


def mixed_text(rng: random.Random, texts: list[str], weights: np.ndarray) -> str:
    """Sentences of the source passages in proportion to their weights (the first always
    given one), shuffled, and one number changed: a new passage in the reports' language."""
    picked = []
    for k, (text, w) in enumerate(zip(texts, weights)):
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
        take = max(int(k == 0), round(w * len(sentences)))
        picked += rng.sample(sentences, min(take, len(sentences)))
    rng.shuffle(picked)
    return re.sub(r"\d+", lambda m: str(rng.randrange(10 ** len(m.group())) or 1), " ".join(picked), count=1)


def mixed_vector(rng: np.random.Generator, sources: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weighted mean of the source passages' vectors, plus a little noise, made unit.
    Mixtures of three spread the points like new passages would; noisy copies of one passage
    would instead make a thousand near-ties per passage, which no real corpus has."""
    noise = rng.standard_normal(sources.shape[1]).astype(np.float32)
    v = weights @ sources + NOISE * noise / np.linalg.norm(noise)
    return v / np.linalg.norm(v)


def synthetic_latent(work: Path, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each synthetic chunk's latent terms: those of the real passage it is built around (row
    r's first source is real passage r mod the corpus size; see synthesise): the sizes, and so
    the work of storing, fetching and scoring them, are real."""
    ids, weights = np.load(work / "base_latent_ids.npy"), np.load(work / "base_latent_weights.npy")
    first = np.arange(n) % len(ids)
    return ids[first], weights[first]


def question_queries(work: Path) -> list:
    """The real questions as kb makes them: vector, terms and latent terms."""
    qvecs, rows = np.load(work / "queries.npy"), np.load(work / "queries_latent.npy")
    questions = json.loads((work / "queries.json").read_text("utf-8"))
    terms = [(r[0][r[0] >= 0].astype(np.int64), r[1][r[0] >= 0]) for r in rows]
    return [make_query(q, v, t) for q, v, t in zip(questions, qvecs, terms)]


def synthesise(work: Path, n: int, seed: int = 0) -> tuple[list[Chunk], list[dict], np.ndarray]:
    base = json.loads((work / "base.json").read_text("utf-8"))
    base_vectors = np.load(work / "base.npy")
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    chunks, documents, out = [], [], np.empty((n, base_vectors.shape[1]), dtype=np.float32)
    for first in range(0, n, CHUNKS_PER_DOC):
        doc_id, texts, rows = f"syn-{first // CHUNKS_PER_DOC:06d}", [], []
        for row in range(first, min(n, first + CHUNKS_PER_DOC)):
            sources = [row % len(base)] + [rng.randrange(len(base)) for _ in range(SOURCES - 1)]
            weights = nrng.dirichlet(np.ones(SOURCES)).astype(np.float32)
            texts.append(mixed_text(rng, [base[i]["text"] for i in sources], weights))
            out[row] = mixed_vector(nrng, base_vectors[sources], weights)
            rows.append(sources[0])
        src = base[rows[0]]
        text, pos = "\n\n".join(texts), 0
        for row, (t, i) in enumerate(zip(texts, rows), first):
            chunks.append(Chunk(f"{doc_id}:{pos}-{pos + len(t)}", doc_id, f"Synthetisch {src['title']}", src["year"],
                                base[i]["section"], None, pos, pos + len(t), t, mentioned_years(t)))
            pos += len(t) + 2
        documents.append({"doc_id": doc_id, "title": f"Synthetisch {src['title']}", "year": src["year"],
                          "source": f"{doc_id}.txt", "period": src["period"], "page_starts": [], "text": text})
    return chunks, documents, out


def synthetic_units(chunks: list, vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The real answer units of each synthetic chunk (about five a chunk, as in the reports), each
    carrying its chunk's vector: the sizes and the search work are real, the vectors not."""
    spans = [(row, s, e) for row, c in enumerate(chunks) for (s, e), _ in vector_units(c.text)]
    rows = np.array([r for r, _, _ in spans], dtype=np.int64)
    return np.array(spans, dtype=np.int64).reshape(-1, 3), vecs[rows].astype(np.float16)


def build(work: Path, n: int) -> dict:
    chunks, documents, vecs = synthesise(work, n)
    root = work / f"index-{n}"
    started = time.perf_counter()
    bm25 = build_bm25([passage_text(c) for c in chunks])
    bm25_s = time.perf_counter() - started
    manifest = {"embedder": {"model": "synthetic"}, "settings": SETTINGS, "corpus": {}}
    with store.building(root):
        gen = store.save_index(root, manifest, chunks, documents, vecs, bm25, synthetic_units(chunks, vecs),
                               synthetic_latent(work, n))
    seconds = time.perf_counter() - started
    disk = sum(p.stat().st_size for p in gen.rglob("*") if p.is_file())
    return {"chunks": n, "build_s": seconds, "bm25_s": bm25_s, "disk_mb": disk / 2**20,
            "peak_build_mb": memory_mb("VmHWM"),
            "vector_index": json.loads((gen / "manifest.json").read_text("utf-8"))["vector_index"]["kind"]}


def memory_mb(field: str) -> float:
    """VmHWM (peak) or VmRSS (now) of this process. Not ru_maxrss: Linux carries that over
    from the parent through exec, and the parent holds the embedding model."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"/proc/self/status has no {field}")


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for i in range(runs):
        started = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), float(np.percentile(times, 95))


def exact_top(matrix: np.ndarray, query: np.ndarray, k: int = 10) -> set[int]:
    sims = matrix @ query
    return set(np.argpartition(-sims, k)[:k].tolist())


def serve(work: Path, n: int, runs: int) -> dict:
    baseline = memory_mb("VmRSS")
    started = time.perf_counter()
    index = EmbeddedStore(store.open_index(work / f"index-{n}"))
    open_s = time.perf_counter() - started
    serve_mb = memory_mb("VmRSS")
    qvecs = np.load(work / "queries.npy")
    queries = question_queries(work)
    pick = lambda i: queries[i % len(queries)]  # noqa: E731
    result = {"open_s": open_s, "serve_mb": serve_mb, "bytes_per_chunk": (serve_mb - baseline) * 2**20 / n,
              "bm25": timed(lambda i: index.bm25_top(pick(i).terms, Filters(), CANDIDATES), runs),
              "dense": timed(lambda i: index.dense_top(pick(i).vector, Filters(), CANDIDATES), runs),
              "hybrid": timed(lambda i: search(index, pick(i), k=5), runs)}
    matrix = vectors.stored_matrix(index.vectors)
    found = [set(vectors.nearest(index.vectors, q.vector, None, 10)[0].tolist()) for q in queries]
    result["recall@10"] = float(np.mean([len(f & exact_top(matrix, q.vector)) / 10 for f, q in zip(found, queries)]))
    result.update(compare_kinds(index.vectors, matrix, qvecs, runs))
    return result


def compare_kinds(kbs: faiss.Index, matrix: np.ndarray, qvecs: np.ndarray, runs: int) -> dict:
    """Flat and HNSW on the same vectors (kb's own index is one of them): the figures the
    threshold and the HNSW settings are chosen from."""
    is_hnsw = isinstance(kbs, faiss.IndexHNSW)
    flat = vectors.build_vector_index(matrix, exact_up_to=len(matrix)) if is_hnsw else kbs
    started = time.perf_counter()
    hnsw = kbs if is_hnsw else vectors.build_vector_index(matrix, exact_up_to=0)
    hnsw_build = time.perf_counter() - started
    one = lambda idx: (lambda i: idx.search(qvecs[i % len(qvecs)][None], 10))  # noqa: E731
    truth = [set(flat.search(q[None], 10)[1][0].tolist()) for q in qvecs]
    recall = {}
    for ef in (64, 128, 256, 512):
        hnsw.hnsw.efSearch = ef
        recall[ef] = (float(np.mean([len(set(hnsw.search(q[None], 10)[1][0].tolist()) & t) / 10
                                     for q, t in zip(qvecs, truth)])), timed(one(hnsw), runs)[0])
    vectors.set_search_depth(hnsw)
    return {"flat_index": timed(one(flat), runs), "hnsw_index": timed(one(hnsw), runs),
            "hnsw_build_s": None if is_hnsw else hnsw_build, "hnsw_ef": recall}


def child(args) -> None:
    faiss.omp_set_num_threads(2)
    work, n = Path(args.work), args.n
    result = build(work, n) if args.mode == "build" else serve(work, n, args.runs)
    print(json.dumps(result))


def run_child(mode: str, work: Path, n: int, runs: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--work", str(work), "--n", str(n),
                          "--runs", str(runs)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(n: int, rate: float, b: dict, s: dict) -> None:
    ms = lambda pair: f"{pair[0]:7.2f} / {pair[1]:7.2f}"  # noqa: E731
    print(f"\n== {n:,} chunks ({n / 388:,.0f}x): vector index {b['vector_index']}")
    print(f"  build (excl. embedding)  {b['build_s']:8.1f} s  ({n / b['build_s']:,.0f} chunks/s; BM25 {b['bm25_s']:.1f} s)")
    print(f"  embedding, projected     {n / rate / 3600:8.2f} h  (bundled model, {rate:.1f} chunks/s measured)")
    print(f"  disk                     {b['disk_mb']:8.1f} MB   ({b['disk_mb'] * 2**20 / n:,.0f} bytes/chunk)")
    print(f"  memory                   peak while building {b['peak_build_mb']:,.0f} MB; serving {s['serve_mb']:,.0f} MB "
          f"({s['bytes_per_chunk']:,.0f} bytes/chunk opened); open {s['open_s']:.1f} s")
    print(f"  latency p50 / p95 ms     BM25 {ms(s['bm25'])}   dense {ms(s['dense'])}   hybrid {ms(s['hybrid'])}")
    print(f"  kb's dense recall@10     {s['recall@10']:.3f}")
    built = f"(HNSW build {s['hnsw_build_s']:.1f} s)" if s["hnsw_build_s"] is not None else "(kb's own HNSW)"
    print(f"  index only, p50 / p95 ms flat {ms(s['flat_index'])}   HNSW {ms(s['hnsw_index'])}  {built}")
    print("  HNSW efSearch: recall@10, p50 ms  " + "  ".join(
        f"{ef}: {r:.3f}, {t:.2f}" for ef, (r, t) in s["hnsw_ef"].items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="3880,38800,388000,1000000")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--child", choices=["build", "serve"], dest="mode")
    parser.add_argument("--work")
    parser.add_argument("--n", type=int)
    args = parser.parse_args()
    if args.mode:
        child(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rate = prepare(work)
        print(f"kb scale benchmark; FAISS {faiss.__version__}, exact up to {vectors.EXACT_UP_TO:,} vectors, "
              f"then HNSW M={vectors.HNSW_M} efSearch={vectors.HNSW_EF_SEARCH}")
        for n in (int(s) for s in args.sizes.split(",")):
            b = run_child("build", work, n, args.runs)
            s = run_child("serve", work, n, args.runs)
            report(n, rate, b, s)
            for path in work.glob(f"index-{n}"):
                subprocess.run(["rm", "-rf", str(path)], check=True)


if __name__ == "__main__":
    main()
