"""sentence-transformers backend: any model name or local path, never downloaded at run time."""
from __future__ import annotations

import os

import numpy as np

from .embed import Embedder, normalize_rows
from .errors import KbError


class SentenceTransformerEmbedder(Embedder):
    backend = "sentence-transformers"

    def __init__(self, model: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # kb works offline: a missing model is an error
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise KbError(f"model '{model}' needs sentence-transformers; install kb[st]") from exc
        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise KbError(f"model '{model}' is not available offline ({exc}); give a local path "
                          "or an installed model, or leave --model out for the bundled e5") from exc
        self.name = model
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())

    def embed_batch(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=32, show_progress_bar=False,
                                     convert_to_numpy=True)
        return normalize_rows(np.asarray(vectors, dtype=np.float32))
