"""Who wrote a document a user adds, and when it was added: guessed from the file, confirmed by
the user, stored in the corpus manifest so every citation of it says so."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
from collections import Counter
from pathlib import Path

from .errors import UnreadableFile
from .load import MANIFEST, meta_from_name
from .records import DocMeta

_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_FIELDS = ("id", "title", "publisher", "year", "published", "period", "source", "added")


def guess_meta(name: str, text: str) -> DocMeta:
    """Metadata to prefill the form: the title from the first heading or line, the year from the file
    name (else the year the text names most), the period from the years the text names most."""
    meta = meta_from_name(Path(name))
    first = next((ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip()), "")
    counts = Counter(int(y) for y in _YEAR.findall(text[:200_000]))
    year = meta.year or (counts.most_common(1)[0][0] if counts else 0)
    period = tuple(sorted(y for y, _ in counts.most_common(3) if year - 5 <= y <= year)) or ((year,) if year else ())
    title = first[:120] if 3 <= len(first) <= 120 else meta.title
    return DocMeta(doc_id=meta.doc_id, title=title, year=year, source=name, period=period)


def check_meta(meta: DocMeta) -> None:
    """A user's entry must name a title, a publisher and a plausible year; raises UnreadableFile."""
    this_year = dt.date.today().year
    if not meta.title.strip():
        raise UnreadableFile(f"{meta.source}: give the document a title", kind="no title")
    if not meta.publisher.strip():
        raise UnreadableFile(f"{meta.source}: say who published it (an organisation or a person)", kind="no publisher")
    for year in (meta.year, *meta.period):
        if not 1900 <= year <= this_year + 1:
            raise UnreadableFile(f"{meta.source}: {year} is not a year between 1900 and {this_year + 1}", kind="bad year")


def _entry(meta: DocMeta) -> str:
    values = {"id": meta.doc_id, "title": meta.title, "publisher": meta.publisher, "year": meta.year,
              "published": meta.published, "period": list(meta.period), "source": meta.source, "added": meta.added}
    lines = ["[[document]]"]
    for key in _FIELDS:
        value = values[key]
        if value or key in ("id", "title", "year", "source"):
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")  # JSON strings and lists are TOML
    return "\n".join(lines)


def add_to_manifest(corpus: Path, meta: DocMeta) -> None:
    """Write (or replace) the entry of `meta.source` in corpus/manifest.toml, atomically; other
    entries and the file's opening comments are kept as written."""
    path = corpus / MANIFEST
    text = path.read_text("utf-8") if path.exists() else ""
    blocks = re.split(r"(?m)^(?=\[\[document\]\])", text)
    head, entries = (blocks[0], blocks[1:]) if blocks and not blocks[0].startswith("[[document]]") else ("", blocks)
    kept = [b.strip() for b in entries if b.strip() and tomllib.loads(b)["document"][0].get("source") != meta.source]
    out = head.rstrip() + ("\n\n" if head.strip() else "") + "\n\n".join([*kept, _entry(meta)]) + "\n"
    tomllib.loads(out)  # never write a manifest that cannot be read back
    tmp = path.with_name(f".{MANIFEST}.tmp")
    tmp.write_text(out, "utf-8")
    os.replace(tmp, path)


def user_meta(meta: DocMeta, today: dt.date | None = None) -> DocMeta:
    """The entry as stored for a user's document: marked with the date it was added."""
    return DocMeta(**{**meta.__dict__, "added": (today or dt.date.today()).isoformat()})
