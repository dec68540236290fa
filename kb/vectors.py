"""Vector index: FAISS, exact (flat) up to EXACT_UP_TO vectors, HNSW past it.

The figures behind the settings come from `scripts/scale_bench.py` on the 2-core machine (see
BENCHMARKS.md): an exact search costs about 60 ns per vector (6 ms at 100,000, 24 ms at
388,000, 59 ms at 1M), HNSW about 1 ms at 1M with recall@10 0.98. Below the threshold
exactness is cheap, so it is kept. Pure: no model in here.
"""
from __future__ import annotations

import faiss
import numpy as np

EXACT_UP_TO = 100_000
HNSW_M = 32  # links per node
HNSW_EF_CONSTRUCTION = 160  # at 64, recall@10 at 1M stalled at 0.95-0.97 whatever efSearch
HNSW_EF_SEARCH = 512  # recall@10 0.98 at 1M synthetic chunks for the real questions, p50 ~1 ms
FILTERED_EXACT = 0.2  # a filter that keeps under this share of the rows is searched exactly


def build_vector_index(vectors: np.ndarray, exact_up_to: int | None = None) -> faiss.Index:
    """Inner-product index of unit vectors (inner product = cosine)."""
    dim = vectors.shape[1]
    if len(vectors) <= (EXACT_UP_TO if exact_up_to is None else exact_up_to):
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    set_search_depth(index)
    return index


def describe_vector_index(index: faiss.Index) -> dict:
    if isinstance(index, faiss.IndexHNSW):
        return {"kind": "hnsw", "m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION, "ef_search": HNSW_EF_SEARCH}
    return {"kind": "flat"}


def set_search_depth(index: faiss.Index) -> None:
    """efSearch is not stored in the file; set it after every load."""
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = HNSW_EF_SEARCH


def _flat_part(index: faiss.Index) -> faiss.Index:
    return faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index


def stored_matrix(index: faiss.Index) -> np.ndarray:
    """The stored vectors as an (n, dim) view of FAISS's own memory: no copy."""
    flat = _flat_part(index)
    if flat.ntotal == 0:
        return np.zeros((0, flat.d), dtype=np.float32)
    return faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)


def similarities(index: faiss.Index, query: np.ndarray, rows: list[int]) -> np.ndarray:
    """Exact cosine of the query with the given rows."""
    return stored_matrix(index)[np.asarray(rows, dtype=np.int64)] @ np.asarray(query, dtype=np.float32)


def nearest(index: faiss.Index, query: np.ndarray, allowed: np.ndarray | None, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, similarities) of the `depth` nearest allowed vectors, best first.

    Unfiltered, the index searches (HNSW approximately). A filter is a bitmap FAISS checks
    during the search; one that keeps few rows is searched exactly over the stored vectors,
    since a graph walk would pass mostly forbidden nodes and miss allowed ones."""
    q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
    k = min(depth, int(index.ntotal))
    if k <= 0 or (allowed is not None and not allowed.any()):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if allowed is None or allowed.all():
        sims, ids = index.search(q, k)
    else:
        bits = np.packbits(allowed, bitorder="little")  # kept alive while FAISS reads it
        selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
        if isinstance(index, faiss.IndexHNSW) and allowed.mean() >= FILTERED_EXACT:
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, k))
            sims, ids = index.search(q, k, params=params)
        else:
            sims, ids = _flat_part(index).search(q, k, params=faiss.SearchParameters(sel=selector))
    keep = ids[0] >= 0
    return ids[0][keep], sims[0][keep]
