"""Benchmark: full build, no-change rebuild, warm query latency and peak memory.

    python scripts/bench.py [--corpus corpus] [--runs 200]

Prints figures; asserts nothing (speed is measured here, not in the tests).
"""
from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from kb.embed import get_embedder
from kb.evaluate import read_cases
from kb.pipeline import KnowledgeBase, ingest

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "extra_cases.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    embedder = get_embedder()
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        started = time.perf_counter()
        report = ingest(args.corpus, index, embedder)
        print(f"full build:           {time.perf_counter() - started:6.1f} s  ({report.chunks} chunks, "
              f"{report.chunks / report.seconds:.1f} chunks/s)")
        started = time.perf_counter()
        ingest(args.corpus, index, embedder)
        print(f"no-change rebuild:    {time.perf_counter() - started:6.2f} s  (up to date check)")
        started = time.perf_counter()
        forced = ingest(args.corpus, index, embedder, force=True)
        print(f"forced rebuild:       {time.perf_counter() - started:6.2f} s  ({forced.embedded} embedded anew)")
        kb = KnowledgeBase(index, embedder, corpus=args.corpus)
        questions = [c.question for c in read_cases(QUESTIONS)]
        for q in questions[:5]:
            kb.ask(q)  # warm up
        times = []
        for i in range(args.runs):
            started = time.perf_counter()
            kb.ask(questions[i % len(questions)], k=5)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"query (warm, k=5):    p50 {statistics.median(times):5.1f} ms   p95 {p95:5.1f} ms   ({args.runs} runs)")
        print(f"peak memory (RSS):    {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.0f} MB")


if __name__ == "__main__":
    main()
