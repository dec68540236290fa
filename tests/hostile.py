"""Hostile PDFs written byte by byte in the tests: no binary fixture is committed."""
from __future__ import annotations

import zlib
from pathlib import Path

def page_text(words: bytes) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % words


def _objects(content: bytes, filter_: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s>>\nstream\n" % (len(content), filter_) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def write_pdf(path: Path, objects: list[bytes], prev_of: callable = None) -> Path:
    """A classic PDF: the objects, one xref table, a trailer; `prev_of(xref_offset)` may
    add a /Prev entry to the trailer."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    prev = b" /Prev %d" % prev_of(xref) if prev_of else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, prev, xref)
    path.write_bytes(bytes(out))
    return path


def plain_pdf(path: Path, words: bytes = b"Klachten over asiel") -> Path:
    return write_pdf(path, _objects(page_text(words)))


def looping_xref_pdf(path: Path, words: bytes = b"Een lus in de verwijzingen") -> Path:
    """The trailer's /Prev points back at its own xref table: a reader that follows it loops."""
    return write_pdf(path, _objects(page_text(words)), prev_of=lambda xref: xref)


def inflate_bomb_pdf(path: Path, gigabytes: int = 2) -> Path:
    """A page whose content stream is about 2 MB on disk and inflates to `gigabytes` GB."""
    packer, block = zlib.compressobj(9), b" " * (64 << 20)
    packed = b"".join(packer.compress(block) for _ in range(gigabytes * 16)) + packer.flush()
    return write_pdf(path, _objects(packed, b"/Filter /FlateDecode "))
