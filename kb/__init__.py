"""kb: cited answers from a pile of public reports, offline."""
from .pipeline import KnowledgeBase, ingest

__all__ = ["KnowledgeBase", "ingest"]
