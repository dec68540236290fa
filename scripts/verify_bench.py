"""Benchmark of quote verification (warm): a 300-character text that is in the reports, one with
a changed word, one that is not (its closest passages are a search), and whole articles of 40
sentences (a third the reports' own, a third changed, a third the writer's own words).

    python scripts/verify_bench.py [--corpus corpus] [--index index] [--runs 200]

Prints figures; asserts nothing. Builds the index first when there is none.
"""
from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from bench import quotes_of, timed  # scripts/bench.py: the same stretches and timer
from kb.embed import get_embedder
from kb.errors import IndexMissing
from kb.build import ingest
from kb.pipeline import KnowledgeBase
from kb.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
OWN_WORDS = ["Dat blijkt uit cijfers die deze krant heeft ingezien.", "De minister wil daar niet op reageren.",
             "Critici spreken van een crisis in de uitvoering.", "Advocaten klagen al jaren over de wachttijden."]


def changed(text: str, rng: random.Random) -> str:
    words = text.split()
    at = rng.randrange(1, len(words) - 1)
    return " ".join(words[:at] + ["niet"] + words[at:])


def article(kb: KnowledgeBase, rng: random.Random, n: int = 40) -> str:
    sentences = [s for d in kb.index.documents.values() for s in split_sentences(d["text"])
                 if 60 < len(s) < 250 and len(s.split()) >= 6]
    picked = rng.sample(sentences, n)
    return " ".join(s if i % 3 == 0 else changed(s, rng) if i % 3 == 1 else rng.choice(OWN_WORDS)
                    for i, s in enumerate(picked))


def p50_p95(times: list[float]) -> str:
    times = sorted(times)
    return f"p50 {statistics.median(times):6.1f} ms   p95 {times[int(0.95 * (len(times) - 1))]:6.1f} ms   max {times[-1]:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    embedder = get_embedder()
    try:
        kb = KnowledgeBase(args.index, embedder, corpus=args.corpus)
    except IndexMissing:
        ingest(args.corpus, args.index, embedder)
        kb = KnowledgeBase(args.index, embedder, corpus=args.corpus)
    rng = random.Random(3)
    quotes = quotes_of(kb, args.runs)
    started = time.perf_counter()
    kb.verify(quotes[0] + " geconfron-\nteerd")  # a line break to repair: the word list is read once
    print(f"first verify (word positions, word list): {(time.perf_counter() - started) * 1000:6.0f} ms")
    print(f"300 chars, in the reports:          {p50_p95(timed(kb.verify, quotes))}")
    print(f"300 chars, 'niet' put in (altered):  {p50_p95(timed(kb.verify, [changed(q, rng) for q in quotes]))}")
    shuffled = [" ".join(rng.sample(q.split(), len(q.split()))) for q in quotes[:50]]
    print(f"300 chars, not there (+ closest):    {p50_p95(timed(kb.verify, shuffled))}")
    articles = [article(kb, rng) for _ in range(10)]
    times = sorted(timed(kb.verify_text, articles))
    print(f"article of 40 sentences ({sum(map(len, articles)) // len(articles)} chars): "
          f"median {statistics.median(times) / 1000:.2f} s   max {times[-1] / 1000:.2f} s   (10 articles)")


if __name__ == "__main__":
    main()
