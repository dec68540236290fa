"""The plain peer `kb eval` scores beside kb: what a generic RAG kit does with the same model.

RecursiveCharacterTextSplitter(1000, 200) chunks of the raw files, bm25s with Dutch stems and
stop words, the same embedder, reciprocal rank fusion (k=60). No cleaning, no structure, no
year hint, no weights. Its marked answer is the sentence sharing the most query stems. Kept
apart from kb's own stages on purpose: it is the yardstick, never tuned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from langchain_text_splitters import RecursiveCharacterTextSplitter

from .cache import load_cache, save_cache
from .embed import Embedder, embed_with_cache
from .load import corpus_files, read_manifest, MANIFEST, meta_from_name

RRF_K = 60
DEPTH = 100
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


@dataclass(frozen=True)
class PeerChunk:
    year: int
    text: str


@dataclass
class Peer:
    chunks: list[PeerChunk]
    vectors: np.ndarray
    bm25: bm25s.BM25
    embedder: Embedder


def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def _tokens(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(texts, stopwords="nl", stemmer=_stemmer(), return_ids=False, show_progress=False)


def raw_chunks(corpus: Path) -> list[PeerChunk]:
    """The text and Markdown files of the corpus, split as a generic kit splits them."""
    metas = read_manifest(corpus / MANIFEST)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = []
    for path in corpus_files(corpus):
        if path.suffix.lower() == ".pdf":
            continue  # the peer reads text files only; the bundled corpus has no PDF
        year = (metas.get(path.name) or meta_from_name(path)).year
        text = path.read_text("utf-8", errors="replace")
        chunks.extend(PeerChunk(year, piece) for piece in splitter.split_text(text))
    return chunks


def build_peer(corpus: Path, index_root: Path, embedder: Embedder) -> Peer:
    """The peer's chunks, BM25 and vectors; vectors come from (and go to) their own cache."""
    chunks = raw_chunks(corpus)
    texts = [c.text for c in chunks]
    name = embedder.name + "+peer"
    cache = load_cache(index_root, name)
    vectors = embed_with_cache(embedder, texts, cache)
    if index_root.is_dir():
        save_cache(index_root, name, cache, keep=set(cache))
    bm25 = bm25s.BM25()
    bm25.index(_tokens(texts), show_progress=False)
    return Peer(chunks, vectors, bm25, embedder)


def peer_search(peer: Peer, question: str, k: int = 10) -> list[tuple[PeerChunk, list[tuple[int, int]]]]:
    """The k best chunks by RRF of BM25 and dense, each with its marked sentence."""
    query_tokens = _tokens([question])[0]
    fused: dict[int, float] = {}
    if query_tokens:
        scores = peer.bm25.get_scores(query_tokens)
        for rank, row in enumerate(_top(scores)):
            fused[row] = fused.get(row, 0.0) + 1 / (RRF_K + rank + 1)
    sims = peer.vectors @ peer.embedder.embed_query(question)
    for rank, row in enumerate(_top(sims)):
        fused[row] = fused.get(row, 0.0) + 1 / (RRF_K + rank + 1)
    best = sorted(fused, key=lambda r: -fused[r])[:k]
    return [(peer.chunks[r], [best_sentence(peer.chunks[r].text, set(query_tokens))]) for r in best]


def _top(scores: np.ndarray) -> list[int]:
    order = np.argsort(-scores, kind="stable")[:DEPTH]
    return [int(r) for r in order if scores[r] > 0]


def best_sentence(text: str, query_tokens: set[str]) -> tuple[int, int]:
    """The span of the sentence (or line) sharing the most query stems; the first on a tie."""
    best, best_span = -1, (0, len(text))
    for m in _SENTENCE.finditer(text):
        shared = len(query_tokens & set(_tokens([m.group()])[0])) if m.group().strip() else -1
        if shared > best:
            best, best_span = shared, m.span()
    return best_span
