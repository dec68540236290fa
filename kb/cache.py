"""The embedding cache beside the index: index/cache/<model>.npz holds content hashes and their
vectors, so a rebuild embeds only new or changed passages. Plain .npy arrays, never pickled."""
from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from .errors import IndexWriteFailed


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
    tmp = path.with_suffix(".tmp.npz")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            np.savez(f, keys=np.array(keys), vectors=np.stack([cache[k] for k in keys]).astype(np.float32))
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise IndexWriteFailed(f"{path}: the embedding cache could not be saved ({exc}); the new index is "
                               "built, whole and current, but the next build embeds everything again. "
                               "Free disk space and run `kb ingest --force` to write the cache") from exc
