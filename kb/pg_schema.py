"""The PostgreSQL + pgvector store's tables, and writing one generation in one transaction.

kb.state        the current and the previous generation (one row): switched in the writing
                transaction, so a reader sees the old corpus or the new one, never half
kb.generation   a generation's manifest (the same sealed JSON as the index folder's)
kb.chunk_<g>    a row per chunk (row = build order, as in the index folder): its record (plain
                columns: no JSON to parse per candidate), its text, the terms of its text (one a
                line: read ten times faster than text[]), its sentence units (spans int32 and
                float16 vectors, bytes) and its latent terms (kb/latent.py: int16 ids, float16
                weights, bytes): fetched by chunk row for the candidates, never searched
kb.vector_<g>   a chunk's vector (pgvector), HNSW inner product past EXACT_UP_TO rows: a narrow
                table, so a scan or the graph's visits never read the wide chunk rows
kb.bm25_<g>     a chunk's BM25 terms (ids, int32 bytes, ascending) and their weights (bm25s's own
                precomputed per-term scores, float32 bytes): narrow, read by row for candidates
kb.posting_<g>  the inverted index of kb's BM25 terms: a term's postings (rows int32, weights
                float32, the rows' years int16; bytes, kept in the row) sorted by weight, in blocks
                of BLOCK; a query reads the blocks that can matter (kb/pg_bm25.py)
kb.term_<g>     each term's id and document frequency
kb.document_<g> a report's metadata and cleaned text
"""
from __future__ import annotations

import json

import numpy as np

from .errors import KbError

BLOCK = 512  # postings per block, highest weight first: 5 KB, one row kept in its page (STORAGE PLAIN)
EXACT_UP_TO = 20_000  # chunks; past this the vectors get an HNSW index (a scan costs ~0.5 µs a vector)
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 128
TABLES = ("document", "chunk", "vector", "bm25", "term", "posting")
LOCK_KEY = 0x6B62_1400  # advisory lock of the one writer ("kb", issue 14)

BASE = """
CREATE TABLE IF NOT EXISTS kb.state (one boolean PRIMARY KEY DEFAULT true CHECK (one),
    current bigint NOT NULL, previous bigint);
CREATE TABLE IF NOT EXISTS kb.generation (id bigserial PRIMARY KEY, manifest jsonb NOT NULL,
    chunks integer NOT NULL, created timestamptz NOT NULL DEFAULT now());
"""


def dba_help(user: str) -> str:
    return ("ask a database administrator to run, as a superuser in this database: "
            f"CREATE EXTENSION IF NOT EXISTS vector; CREATE SCHEMA IF NOT EXISTS kb AUTHORIZATION \"{user}\";")


def ensure_base(conn, user: str) -> None:
    """The vector extension and kb's schema, made when this user may; else what to ask for."""
    import psycopg

    have = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
    try:
        if not have:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        if not conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'kb'").fetchone():
            conn.execute("CREATE SCHEMA kb")  # asks for CREATE on the database even when it exists
        conn.execute(BASE)
    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.FeatureNotSupported) as exc:
        conn.rollback()
        raise KbError(f"the database does not let {user} set up kb ({str(exc).splitlines()[0]}); "
                      f"{dba_help(user)}") from exc


def tables(gen: int, dim: int) -> str:
    return f"""
CREATE TABLE kb.document_{gen} (doc_id text PRIMARY KEY, ord integer NOT NULL, meta jsonb NOT NULL, text text NOT NULL);
CREATE TABLE kb.chunk_{gen} (row integer PRIMARY KEY, doc_id text NOT NULL, year integer NOT NULL,
    chunk_id text NOT NULL, title text NOT NULL, section text, page integer, start integer NOT NULL,
    "end" integer NOT NULL, years integer[] NOT NULL, text text NOT NULL, terms text NOT NULL,
    unit_spans bytea NOT NULL, unit_vectors bytea NOT NULL, latent bytea NOT NULL)
    WITH (toast_tuple_target = 8160);
CREATE TABLE kb.vector_{gen} (row integer PRIMARY KEY, embedding vector({dim}) NOT NULL);
CREATE TABLE kb.bm25_{gen} (row integer PRIMARY KEY, terms bytea NOT NULL, weights bytea NOT NULL);
CREATE TABLE kb.term_{gen} (term text PRIMARY KEY, id integer NOT NULL, df integer NOT NULL);
CREATE TABLE kb.posting_{gen} (term text NOT NULL, block integer NOT NULL, rows bytea STORAGE PLAIN NOT NULL,
    weights bytea STORAGE PLAIN NOT NULL, years bytea STORAGE PLAIN NOT NULL, PRIMARY KEY (term, block));
"""


def indexes(gen: int, n: int) -> list[str]:
    # the filters' rows read from the index alone (once VACUUM has marked the pages visible)
    out = [f"CREATE INDEX ON kb.chunk_{gen} (year) INCLUDE (row)", f"CREATE INDEX ON kb.chunk_{gen} (doc_id) INCLUDE (row)"]
    if n > EXACT_UP_TO:
        out.append(f"CREATE INDEX ON kb.vector_{gen} USING hnsw (embedding vector_ip_ops) "
                   f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})")
    return out


def by_chunk(bm25, n: int):
    """Each chunk's BM25 term ids (ascending) and weights as bytes, from bm25s's term-major (CSC)
    score matrix (a term's id is its index there)."""
    data, indices, indptr = (np.asarray(bm25.scores[k]) for k in ("data", "indices", "indptr"))
    term_of = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr)).astype("<i4")
    order = np.argsort(indices, kind="stable")
    bounds = np.searchsorted(indices[order], np.arange(n + 1))
    for row in range(n):
        sel = order[bounds[row]:bounds[row + 1]]
        yield row, term_of[sel].tobytes(), data[sel].astype("<f4").tobytes()


def postings(bm25, years: np.ndarray):
    """(term, block, rows, weights, years) rows as bytes: each term's postings, highest weight first."""
    data, indices, indptr = (np.asarray(bm25.scores[k]) for k in ("data", "indices", "indptr"))
    for term, i in bm25.vocab_dict.items():
        if i + 1 >= len(indptr):
            continue
        lo, hi = int(indptr[i]), int(indptr[i + 1])
        order = np.argsort(-data[lo:hi], kind="stable")
        rows, weights = indices[lo:hi][order].astype("<i4"), data[lo:hi][order].astype("<f4")
        for b, at in enumerate(range(0, hi - lo, BLOCK)):
            part = rows[at:at + BLOCK]
            yield term, b, part.tobytes(), weights[at:at + BLOCK].tobytes(), years[part].astype("<i2").tobytes()


def latent_bytes(ids: np.ndarray, weights: np.ndarray) -> bytes:
    """A chunk's latent terms (kb/latent.py) as int16 ids then float16 weights; padding dropped."""
    keep = np.asarray(ids) >= 0
    return np.asarray(ids, np.int16)[keep].tobytes() + np.asarray(weights, np.float16)[keep].tobytes()


def write_generation(conn, gen: int, chunks, documents: list[dict], vectors: np.ndarray, bm25,
                     units: tuple[np.ndarray, np.ndarray], terms_of, latent_terms: tuple[np.ndarray, np.ndarray]) -> None:
    """Fill generation `gen`'s tables (inside the caller's transaction) with binary COPY."""
    from pgvector import Vector

    n, dim = len(chunks), int(vectors.shape[1])
    conn.execute(tables(gen, dim))
    with conn.cursor().copy(f"COPY kb.document_{gen} (doc_id, ord, meta, text) FROM STDIN") as copy:
        for at, d in enumerate(documents):
            meta = {k: v for k, v in d.items() if k != "text"}
            copy.write_row((d["doc_id"], at, json.dumps(meta, ensure_ascii=False), d["text"]))
    spans, unit_vectors = units
    starts = np.searchsorted(spans[:, 0], np.arange(n + 1)) if n else np.zeros(1, np.int64)
    cols = 'row, doc_id, year, chunk_id, title, section, page, start, "end", years, text, terms, unit_spans, unit_vectors, latent'
    latent_ids, latent_weights = latent_terms
    with conn.cursor().copy(f"COPY kb.chunk_{gen} ({cols}) FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.set_types(["int4", "text", "int4", "text", "text", "text", "int4", "int4", "int4", "int4[]", "text", "text",
                        "bytea", "bytea", "bytea"])
        for row, c in enumerate(chunks):
            lo, hi = starts[row], starts[row + 1]
            copy.write_row((row, c.doc_id, c.year, c.chunk_id, c.title, c.section, c.page, c.start, c.end, list(c.years),
                            c.text, "\n".join(sorted(terms_of(c))), spans[lo:hi, 1:].astype(np.int32).tobytes(),
                            np.asarray(unit_vectors[lo:hi], dtype=np.float16).tobytes(),
                            latent_bytes(latent_ids[row], latent_weights[row])))
    with conn.cursor().copy(f"COPY kb.bm25_{gen} (row, terms, weights) FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.set_types(["int4", "bytea", "bytea"])
        for record in by_chunk(bm25, n):
            copy.write_row(record)
    with conn.cursor().copy(f"COPY kb.vector_{gen} (row, embedding) FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.set_types(["int4", "vector"])
        for row in range(n):
            copy.write_row((row, Vector(np.asarray(vectors[row], dtype=np.float32))))
    indptr = np.asarray(bm25.scores["indptr"])
    with conn.cursor().copy(f"COPY kb.term_{gen} (term, id, df) FROM STDIN") as copy:
        for term, i in bm25.vocab_dict.items():
            if i + 1 < len(indptr):
                copy.write_row((term, i, int(indptr[i + 1] - indptr[i])))
    years = np.array([c.year for c in chunks], dtype=np.int16)
    with conn.cursor().copy(f"COPY kb.posting_{gen} (term, block, rows, weights, years) FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.set_types(["text", "int4", "bytea", "bytea", "bytea"])
        for posting in postings(bm25, years):
            copy.write_row(posting)
    for statement in indexes(gen, n):
        conn.execute(statement)
    for table in TABLES:  # statistics before the first question plans against them
        conn.execute(f"ANALYZE kb.{table}_{gen}")


def vacuum(conn, gen: int) -> None:
    """After the switch (VACUUM cannot run in a transaction): hint bits and the visibility map
    set once here, not by the first readers, and index-only scans for the filters."""
    for table in TABLES:
        conn.execute(f"VACUUM kb.{table}_{gen}")


def drop_generation(conn, gen: int) -> None:
    for table in TABLES:
        conn.execute(f"DROP TABLE IF EXISTS kb.{table}_{gen}")


def prune(conn) -> None:
    """Every generation but the current and the previous one goes (after the switch)."""
    keep = conn.execute("SELECT current, previous FROM kb.state").fetchone()
    for (gen,) in conn.execute("SELECT id FROM kb.generation WHERE id <> ALL(%s)", ([g for g in keep if g],)).fetchall():
        with conn.transaction():
            drop_generation(conn, gen)
            conn.execute("DELETE FROM kb.generation WHERE id = %s", (gen,))
