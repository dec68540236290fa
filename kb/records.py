"""The records that flow through the pipeline: Document -> Chunk -> Passage."""
from __future__ import annotations

from dataclasses import dataclass, field

from .cite import section_label


@dataclass(frozen=True)
class DocMeta:
    """What the corpus manifest says about one file."""

    doc_id: str
    title: str
    year: int
    source: str
    publisher: str = ""
    published: str = ""
    period: tuple[int, ...] = ()
    added: str = ""  # the date a user added it in the app ("" for the reports the project curates)


@dataclass
class Document:
    """One cleaned report. `offsets[i]` is the raw-text index of cleaned character i."""

    meta: DocMeta
    text: str
    offsets: list[int]
    page_starts: list[int] = field(default_factory=list)  # cleaned offsets where PDF pages begin
    repairs: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Chunk:
    """A span of a document's cleaned text, labelled for citation when it is made."""

    chunk_id: str
    doc_id: str
    title: str
    year: int
    section: str
    page: int | None  # the PDF page it starts on; a search or a quote check gives the page its quote starts on
    start: int
    end: int
    text: str
    years: tuple[int, ...] = ()  # years the text mentions: a hint of what its figures are about

    @property
    def citation(self) -> str:
        """Report, year, section and, for a PDF, the page the passage starts on. A text report has
        no pages: its section says where; text before the first heading says so. It names no
        publisher: a chunk does not know who wrote its report (`cite.citation` does, from the manifest)."""
        where = section_label(self.section, self.text, self.year, "en") or "before the first heading"
        page = f", p. {self.page}" if self.page and self.page >= 1 else ""
        return f"{self.title} ({self.year}), {where}{page}"


@dataclass
class Passage:
    """A retrieved chunk with its score, the answering spans and why it ranked."""

    chunk: Chunk
    score: float
    highlights: list[tuple[int, int]] = field(default_factory=list)  # spans within chunk.text
    why: dict = field(default_factory=dict)
    rows: tuple[int, ...] = ()  # the index rows of the chunks it is made of (none: not from a search)
    cited: str = ""  # its full citation (publisher; a user's document marked), set by the knowledge base

    @property
    def citation(self) -> str:
        """The full citation where the knowledge base gave one, else the chunk's own (no publisher)."""
        return self.cited or self.chunk.citation

    @property
    def quote(self) -> str:
        """The marked part; with nothing marked, the passage less the heading lines it opens with
        (a quote never starts with a heading)."""
        if not self.highlights:
            lines = self.chunk.text.strip().split("\n")
            headings = {h.strip() for h in self.chunk.section.split(" > ")}
            while len(lines) > 1 and (lines[0].lstrip().startswith("#") or lines[0].strip() in headings
                                      or not lines[0].strip()):
                lines.pop(0)
            return "\n".join(lines)
        start, end = self.highlights[0][0], self.highlights[-1][1]
        return self.chunk.text[start:end]


@dataclass
class Answer:
    """What a question gets: the passages, the table facts that answer it, and whether the
    reports seem not to answer it at all (the passages are still the closest there are)."""

    question: str
    passages: list[Passage]
    no_answer: bool = False
    confidence: float = 0.0  # how likely the top passage answers, 0..1 (calibrated)
    facts: list = field(default_factory=list)  # series.Fact
    respelled: tuple[tuple[str, str], ...] = ()  # (typed, read): the question's slips as it was read
