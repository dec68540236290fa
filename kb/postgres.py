"""The PostgreSQL + pgvector store: one database many kb processes share (tables: kb/pg_schema.py).

The database searches: BM25 candidates from kb's own terms and weights (the posting blocks read
by kb/pg_bm25.py: the exact top N), dense candidates by pgvector's HNSW inner product, filters on
years and reports in SQL. It hands over the candidates' data in one query (record, text, terms,
BM25 weights, vector, sentence units) as arrays over the bytes, each part turned into Python
objects only when scoring asks for it; kb/retrieve.py scores them exactly as for the index
folder. Memory here holds the candidates of recent questions, not the corpus.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Container
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from . import latent, pg_bm25, pg_schema
from .errors import DamagedIndex, IndexBusy, IndexMissing, IndexWriteFailed, KbError
from .index import FORMAT_VERSION, read_manifest_dict, seal
from .lexical import tokenize
from .pg_rows import FETCH, Row, latent_matrix, rows_from, vector_matrix, weight_matrix
from .records import Chunk


FIX = "run `kb --store URL ingest` to build it"
EF_SEARCH = 300  # HNSW candidates examined per dense search: recall@10 0.980 at 1M chunks (200: 0.950)
KEEP_ROWS = 1024  # candidates' data kept between questions (about 25 KB each)


def connect(url: str):
    import psycopg
    from pgvector.psycopg import register_vector

    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        from .store import describe

        raise KbError(f"{describe(url)}: cannot connect ({str(exc).strip().splitlines()[-1][:200]}); "
                      "check the URL, that the server runs and that it lets this user in") from exc
    try:
        register_vector(conn)
    except psycopg.ProgrammingError:
        pass  # no vector extension yet: the writer makes it (or says what to ask a DBA for)
    return conn


class PostgresBackend:
    def __init__(self, url: str, cache_root: Path) -> None:
        from .store import describe

        self.url, self.cache_root, self.where = url, cache_root, describe(url)
        self._writer = None

    @contextmanager
    def building(self, waiting=None):
        """The one writer: a session advisory lock. When another ingest holds it, without `waiting`
        refused at once; with it, `waiting()` is called and the lock waited for."""
        conn = connect(self.url)
        try:
            pg_schema.ensure_base(conn, conn.info.user)
            if not conn.execute("SELECT pg_try_advisory_lock(%s)", (pg_schema.LOCK_KEY,)).fetchone()[0]:
                if waiting is None:
                    raise IndexBusy(f"{self.where}: another kb ingest is writing to this store; wait for it to "
                                    "finish and try again (the current index stays usable meanwhile)")
                waiting()
                conn.execute("SELECT pg_advisory_lock(%s)", (pg_schema.LOCK_KEY,))
            from pgvector.psycopg import register_vector

            register_vector(conn)
            self._writer = conn
            yield
        finally:
            self._writer = None
            conn.close()  # ends the session: the advisory lock goes with it

    def save(self, manifest, chunks, documents, vectors, bm25, units, latent_terms=None) -> None:
        """All or nothing: the tables, their indexes and the switch of kb.state in one transaction."""
        import psycopg

        conn = self._writer
        counts = {"chunks": len(chunks), "vectors": len(vectors), "bm25_docs": int(bm25.scores["num_docs"]),
                  "units": len(units[0])}
        full = seal({**manifest, "format_version": FORMAT_VERSION, "counts": counts,
                     "vector_index": {"kind": "pgvector-hnsw" if len(chunks) > pg_schema.EXACT_UP_TO else "exact",
                                      "m": pg_schema.HNSW_M, "ef_construction": pg_schema.HNSW_EF_CONSTRUCTION}})
        try:
            with conn.transaction():
                gen = conn.execute("INSERT INTO kb.generation (manifest, chunks) VALUES (%s, %s) RETURNING id",
                                   (json.dumps(full, ensure_ascii=False), len(chunks))).fetchone()[0]
                pg_schema.write_generation(conn, gen, chunks, documents, np.asarray(vectors), bm25, units,
                                           lambda c: frozenset(tokenize(c.text)),
                                           latent.none(len(chunks)) if latent_terms is None else latent_terms)
                old = conn.execute("SELECT current FROM kb.state FOR UPDATE").fetchone()
                conn.execute("INSERT INTO kb.state (current, previous) VALUES (%s, %s) ON CONFLICT (one) DO UPDATE "
                             "SET current = EXCLUDED.current, previous = EXCLUDED.previous", (gen, old[0] if old else None))
        except psycopg.Error as exc:
            raise IndexWriteFailed(f"{self.where}: the new index could not be written ({str(exc).splitlines()[0][:200]}); "
                                   "nothing changed, the previous index is still the current one") from exc
        pg_schema.prune(conn)
        pg_schema.vacuum(conn, gen)

    def _state(self, conn) -> tuple[int, int | None]:
        import psycopg

        try:
            row = conn.execute("SELECT current, previous FROM kb.state").fetchone()
        except psycopg.errors.UndefinedTable:
            row = None
        if not row:
            raise IndexMissing(f"{self.where}: no index built yet; {FIX}")
        return row

    def current_manifest(self) -> dict:
        conn = connect(self.url)
        try:
            gen, _ = self._state(conn)
            return _manifest(conn, gen, self.where)
        finally:
            conn.close()

    def open(self) -> PostgresStore:
        conn = connect(self.url)
        gen, _ = self._state(conn)
        conn.execute(f"SET hnsw.ef_search = {EF_SEARCH}")
        conn.execute("SET hnsw.iterative_scan = strict_order")  # a filter still yields enough rows
        return PostgresStore(conn, gen, _manifest(conn, gen, self.where), self.where)

    def restore(self) -> str:
        with self.building():
            conn = self._writer
            current, previous = self._state(conn)
            if previous is None:
                raise IndexMissing(f"{self.where}: there is no previous index to go back to; {FIX}")
            _manifest(conn, previous, self.where)
            conn.execute("UPDATE kb.state SET current = %s, previous = %s", (previous, current))
        return f"generation {previous}"


def _manifest(conn, gen: int, where: str) -> dict:
    row = conn.execute("SELECT manifest FROM kb.generation WHERE id = %s", (gen,)).fetchone()
    if row is None:
        raise DamagedIndex(f"{where}: kb.state names generation {gen}, which is not there; {FIX}")
    return read_manifest_dict(row[0], f"{where} generation {gen}", f"{where}: the manifest of generation {gen}")


class PostgresStore:
    """One generation of the shared store, read through one connection."""

    def __init__(self, conn, gen: int, manifest: dict, where: str) -> None:
        self.conn, self.gen, self.manifest, self.where = conn, gen, manifest, where
        self.num_docs = int(manifest["counts"]["chunks"])
        self._rows: OrderedDict[int, Row] = OrderedDict()
        self._terms: dict[str, tuple[int, int] | None] = {}  # term -> (id, df); None: not in the corpus
        self._docs: dict[str, dict] = {}

    def _sql(self, sql: str, params=(), binary: bool = False) -> list[tuple]:
        with self.conn.cursor(binary=binary) as cur:
            return self._run(cur, sql, params)

    def _run(self, cur, sql: str, params) -> list[tuple]:
        import psycopg

        try:
            return cur.execute(sql.replace("{g}", str(self.gen)), params).fetchall()
        except psycopg.errors.UndefinedTable as exc:
            raise IndexBusy(f"{self.where}: the index was replaced twice while this question was answered; "
                            "ask again") from exc

    def generation(self) -> str:
        return str(self._sql("SELECT current FROM kb.state")[0][0])

    def _where(self, filters, alias: str = "c") -> tuple[str, list]:
        sql, params = [], []
        if filters.years:
            sql.append(f"{alias}.year = ANY(%s)")
            params.append(list(filters.years))
        if filters.doc_ids:
            sql.append(f"{alias}.doc_id = ANY(%s)")
            params.append(list(filters.doc_ids))
        return " AND ".join(sql), params

    def bm25_top(self, terms: tuple[str, ...], filters, depth: int) -> list[int]:
        """The best rows by BM25 over kb's terms, each counted as often as asked: the top `depth`,
        reading only the posting blocks that can matter (kb/pg_bm25.py: exact within its budget)."""
        known = self.term_ids(terms)
        counts = {t: terms.count(t) for t in known}
        lists = [pg_bm25.Postings(t, known[t][0], counts[t], -(-known[t][1] // pg_schema.BLOCK)) for t in counts]
        return pg_bm25.top_rows(lists, self._blocks, lambda rows: pg_bm25.exact_sums(self._sql, rows, lists), depth,
                                pg_bm25.posting_filter(self._sql, filters, self._where))

    def _blocks(self, plan: dict[str, tuple[int, int]]) -> dict[str, list[tuple]]:
        return pg_bm25.read_blocks(self._sql, plan)

    def dense_top(self, vector: np.ndarray, filters, depth: int) -> list[int]:
        from pgvector import Vector

        cond, params = self._where(filters)
        q = Vector(np.asarray(vector, dtype=np.float32))
        if cond:  # the filter's rows from the chunk table, the search over the vectors
            cond = f"WHERE v.row IN (SELECT c.row FROM kb.chunk_{{g}} c WHERE {cond})"
        sql = f"SELECT v.row, v.embedding <#> %s FROM kb.vector_{{g}} v {cond} ORDER BY v.embedding <#> %s LIMIT %s"
        return [r for r, negative in self._sql(sql, [q, *params, q, depth]) if -negative > 0]

    def fetch(self, rows: list[int]) -> None:
        """The candidates' data in one query, kept for the next questions (up to KEEP_ROWS)."""
        missing = [r for r in rows if r not in self._rows]
        if missing:
            with self.conn.cursor(binary=True) as cur:
                self._rows.update(rows_from(self._run(cur, FETCH, [missing])))
        for r in rows:
            self._rows.move_to_end(r)
        while len(self._rows) > max(KEEP_ROWS, len(rows)):
            self._rows.popitem(last=False)

    def _row(self, row: int) -> Row:
        if row not in self._rows:
            self.fetch([row])
        return self._rows[row]

    def chunks_at(self, rows: list[int]) -> list[Chunk]:
        self.fetch(list(rows))
        return [self._rows[r].chunk for r in rows]

    def bm25_scores(self, terms: tuple[str, ...], rows: np.ndarray) -> np.ndarray:
        """BM25 as bm25s adds it up: float32, the known query terms in order, repeats counted."""
        known = self.term_ids(terms)
        ids = np.array(sorted({i for i, _ in known.values()}), dtype=np.int32)
        data = [self._row(int(r)) for r in rows]
        weights = weight_matrix([(d.bm25_ids, d.bm25_weights) for d in data], ids)
        out = np.zeros(len(rows), dtype=np.float32)
        for t in (t for t in terms if t in known):
            out += weights[:, np.searchsorted(ids, known[t][0])]
        return out

    def dense_scores(self, vector: np.ndarray, rows: list[int]) -> np.ndarray:
        if not len(rows):
            return np.zeros(0, np.float32)
        return vector_matrix([self._row(int(r)).vector for r in rows]) @ np.asarray(vector, dtype=np.float32)

    def latent_scores(self, query: latent.Terms | None, rows: list[int]) -> np.ndarray:
        ids, weights = latent_matrix([self._row(int(r)).latent for r in rows])
        return latent.scores(ids, weights, query)

    def units_of(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        data = self._row(row)
        return data.spans, data.unit_vectors

    def terms_of(self, row: int) -> Container[str]:
        return self._row(row).terms

    def term_ids(self, terms: tuple[str, ...]) -> dict[str, tuple[int, int]]:
        """(id, document frequency) of each known term, in the order first asked."""
        new = [t for t in dict.fromkeys(terms) if t not in self._terms]
        if new:
            found = {t: (i, df) for t, i, df in self._sql("SELECT term, id, df FROM kb.term_{g} WHERE term = ANY(%s)", [new])}
            self._terms.update({t: found.get(t) for t in new})
        return {t: self._terms[t] for t in dict.fromkeys(terms) if self._terms[t] is not None}

    def doc_freqs(self, terms: tuple[str, ...]) -> dict[str, int]:
        return {t: df for t, (_, df) in self.term_ids(terms).items()}

    def _document(self, doc_id: str) -> dict:
        if doc_id not in self._docs:
            rows = self._sql("SELECT meta FROM kb.document_{g} WHERE doc_id = %s", [doc_id])
            self._docs[doc_id] = rows[0][0] if rows else {}
        return self._docs[doc_id]

    def document(self, doc_id: str) -> dict | None:
        """The report's metadata, without its text (kept per opened generation)."""
        return self._document(doc_id) or None

    def period(self, doc_id: str) -> tuple[int, ...]:
        return tuple(self._document(doc_id).get("period", ()))

    def text(self, doc_id: str, start: int, end: int) -> str:
        rows = self._sql("SELECT substr(text, %s, %s) FROM kb.document_{g} WHERE doc_id = %s", [start + 1, end - start, doc_id])
        return rows[0][0] if rows else ""

    @property
    def chunks(self) -> list[Chunk]:
        """Every chunk (figures, compare, verify): read once, on first use."""
        if not hasattr(self, "_all_chunks"):
            self._all_chunks = [Chunk(i, d, title, y, section, page, start, end, t, tuple(years))
                                for d, y, i, title, section, page, start, end, years, t in self._sql(
                                    'SELECT doc_id, year, chunk_id, title, section, page, start, "end", years, text '
                                    "FROM kb.chunk_{g} ORDER BY row")]
        return self._all_chunks

    @property
    def documents(self) -> dict[str, dict]:
        """Every report with its text: read once, on first use."""
        if not hasattr(self, "_all_documents"):
            self._all_documents = {d: {**m, "text": t} for d, m, t in
                                   self._sql("SELECT doc_id, meta, text FROM kb.document_{g} ORDER BY ord")}
        return self._all_documents
