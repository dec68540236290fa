"""Benchmark: full build, no-change rebuild, warm query latency and peak memory.

    python scripts/bench.py [--corpus corpus] [--runs 200]

Prints figures; asserts nothing (speed is measured here, not in the tests).
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from kb.answer import asked, highlight
from kb.embed import get_embedder
from kb.evaluate import read_cases
from kb.build import ingest
from kb.pipeline import KnowledgeBase
from kb.retrieve import make_query

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
            kb.answer(questions[i % len(questions)], k=5)  # passages, marks, confidence, facts
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"query (warm, k=5):    p50 {statistics.median(times):5.1f} ms   p95 {p95:5.1f} ms   ({args.runs} runs)")
        bench_figures_and_verify(kb, args.runs)
        bench_highlight(kb, questions)
        print(f"peak memory (RSS):    {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.0f} MB")


def quotes_of(kb: KnowledgeBase, n: int, length: int = 300) -> list[str]:
    """n stretches of about `length` characters of the indexed text, cut at spaces (seeded)."""
    rng = random.Random(7)
    texts = [d["text"] for d in kb.index.documents.values()]
    out = []
    while len(out) < n:
        text = rng.choice(texts)
        start = text.find(" ", rng.randrange(0, max(1, len(text) - length - 50))) + 1
        out.append(" ".join(text[start:text.rfind(" ", start, start + length)].split()))
    return out


def p50_p95(times: list[float]) -> str:
    times = sorted(times)
    return f"p50 {statistics.median(times):5.1f} ms   p95 {times[int(0.95 * (len(times) - 1))]:5.1f} ms"


def timed(fn, items) -> list[float]:
    times = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def bench_figures_and_verify(kb: KnowledgeBase, runs: int) -> None:
    started = time.perf_counter()
    facts = sum(len(s.facts) for s in kb.series)
    print(f"figures, first use:   {(time.perf_counter() - started) * 1000:6.0f} ms ({facts} facts, {len(kb.series)} series)")
    print(f"figures query (warm): {p50_p95(timed(kb.figures, ['klachten', 'asiel', 'documenten'] * 20))}")
    quotes = quotes_of(kb, runs)
    kb.verify(quotes[0])  # builds the word positions once
    found = timed(kb.verify, quotes)
    print(f"verify 300 chars, in the reports (warm): {p50_p95(found)}")
    rng = random.Random(3)
    shuffled = [" ".join(rng.sample(q.split(), len(q.split()))) for q in quotes[:50]]
    print(f"verify 300 chars, not there (warm, incl. closest passages): {p50_p95(timed(kb.verify, shuffled))}")


def bench_highlight(kb: KnowledgeBase, questions: list[str]) -> None:
    """Highlighting a 1 MB text (the reports, repeated) for each question's terms."""
    text = "\n\n".join(d["text"] for d in kb.index.documents.values())
    big = (text * (1_000_000 // len(text) + 1))[:1_000_000]
    terms = [asked(q, list(make_query(q, np.zeros(1)).terms)) for q in questions]
    started = time.perf_counter()
    highlight(big, terms[0], kb.idf)
    cold = (time.perf_counter() - started) * 1000
    warm = timed(lambda t: highlight(big, t, kb.idf), terms)
    print(f"highlight 1 MB text:  first {cold:5.0f} ms; then {p50_p95(warm)}   max {max(warm):5.1f} ms, "
          f"{sum(t < 100 for t in warm)} of {len(warm)} questions under 100 ms")


if __name__ == "__main__":
    main()
