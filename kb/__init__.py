"""kb: cited answers from a pile of public reports, offline."""
from .build import ingest
from .pipeline import KnowledgeBase

__all__ = ["KnowledgeBase", "ingest"]
