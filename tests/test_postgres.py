"""The PostgreSQL + pgvector store on a real server (tests/pg.py): the same answers as the index
folder, all-or-nothing writes, one writer, new builds seen without a restart, restore, damage,
and what to ask a database administrator for."""
from __future__ import annotations

import threading

import psycopg
import pytest

from kb import pg_bm25, pg_schema
from kb.errors import DamagedIndex, IndexBusy, IndexMissing, IndexWriteFailed, KbError
from kb.lexical import tokenize
from kb.build import ingest
from kb.pipeline import KnowledgeBase
from kb.retrieve import Filters
from kb.store import backend

from conftest import FakeEmbedder, write_slice_corpus

QUESTIONS = ["tijdige afhandeling klachten 2012", "How many complaints did the IND receive in 2012?",
             "Hoeveel klachten ontving de IND in 2016?", "klachten ingebrekestellingen dwangsom", "kosten"]


def seen(kb: KnowledgeBase, question: str, **filters) -> list[tuple]:
    return [(p.chunk.chunk_id, p.score, p.highlights, p.why) for p in kb.ask(question, k=5, **filters)]


def test_both_stores_give_the_same_passages_scores_marks_and_reasons(slice_paths, slice_in_postgres, embedder):
    corpus, index = slice_paths
    folder, pg = KnowledgeBase(index, embedder, corpus=corpus), KnowledgeBase(slice_in_postgres, embedder, corpus=corpus)
    for q in QUESTIONS:
        assert seen(pg, q) == seen(folder, q) and seen(folder, q)
    assert seen(pg, "klachten", years=(2016,)) == seen(folder, "klachten", years=(2016,))
    assert seen(pg, "klachten", doc_ids=("ind-jaarverslag-2011",)) == seen(folder, "klachten", doc_ids=("ind-jaarverslag-2011",))
    assert pg.answer(QUESTIONS[2]).facts == folder.answer(QUESTIONS[2]).facts
    assert pg.index.documents.keys() == folder.index.documents.keys() and pg.index.chunks == folder.index.chunks


def slice_in_both(pg_url, tmp_path, monkeypatch) -> tuple:
    """The slice corpus in Postgres and in a folder (fake embedder), and the list every posting
    block read the Postgres pool makes is appended to."""
    corpus = write_slice_corpus(tmp_path / "corpus")
    ingest(corpus, pg_url, FakeEmbedder(), cache=tmp_path / "cache")
    ingest(corpus, tmp_path / "index", FakeEmbedder(), cache=tmp_path / "cache")
    pg, folder = backend(pg_url).open(), backend(tmp_path / "index").open()
    read = []
    monkeypatch.setattr(pg, "_blocks", lambda plan, blocks=pg._blocks: read.append(plan) or blocks(plan))
    return pg, folder, read


@pytest.mark.parametrize("resolve", [0, 1000])
def test_the_bm25_pool_reads_few_blocks_and_is_the_exact_top(pg_url, tmp_path, monkeypatch, resolve):
    """Blocks of one posting, so common terms have many and the pool must stop early: the rows
    it returns are the folder store's (every posting scored), with and without filters; with
    `resolve` 0 it reads until every row is settled, with 1000 it settles rows from their weights."""
    monkeypatch.setattr(pg_schema, "BLOCK", 1)
    monkeypatch.setattr(pg_bm25, "RESOLVE", resolve)
    pg, folder, read = slice_in_both(pg_url, tmp_path, monkeypatch)
    filters = [Filters(), Filters(years=(2016,)), Filters(doc_ids=("ind-jaarverslag-2011",)),
               Filters(years=(2011, 2012), doc_ids=("ind-jaarverslag-2011",))]
    for question in QUESTIONS + ["klachten klachten over de afhandeling", "de het een", "asielaanvragen nareis zwolle"]:
        terms = tuple(tokenize(question))
        for f in filters:
            for depth in (1, 5, 40):
                assert pg.bm25_top(terms, f, depth) == folder.bm25_top(terms, f, depth), (question, f, depth)
    common = max(folder.doc_freqs(tuple(tokenize(" ".join(QUESTIONS)))).items(), key=lambda kv: kv[1])
    read.clear()
    assert pg.bm25_top((common[0],), Filters(), 1) == folder.bm25_top((common[0],), Filters(), 1)
    assert sum(n for plan in read for _, n in plan.values()) <= 2 < common[1]  # the best, and one to bound the rest


def test_past_its_budget_the_bm25_pool_stops_reading_and_keeps_the_best_it_settled(pg_url, tmp_path, monkeypatch):
    monkeypatch.setattr(pg_schema, "BLOCK", 1)
    monkeypatch.setattr(pg_bm25, "EXACT_BLOCKS", 0)
    monkeypatch.setattr(pg_bm25, "BUDGET", 4)
    pg, folder, read = slice_in_both(pg_url, tmp_path, monkeypatch)
    terms = tuple(tokenize("klachten klachten over de afhandeling van aanvragen"))
    found = pg.bm25_top(terms, Filters(), 3)
    every = sum(pg.doc_freqs(terms).values())  # blocks of one posting
    assert sum(n for plan in read for _, n in plan.values()) < every  # stopped before the end
    scores = dict(zip(range(pg.num_docs), folder._bm25_all(terms).tolist()))
    assert found and all(scores[r] > 0 for r in found) and [scores[r] for r in found] == sorted(
        (scores[r] for r in found), reverse=True)  # each row found, best first, by its exact score


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'kb'")}


def test_no_store_yet_says_how_to_build_it(pg_url):
    with pytest.raises(IndexMissing, match="kb --store URL ingest"):
        KnowledgeBase(pg_url, FakeEmbedder())


def test_a_failed_write_changes_nothing_and_leaves_no_tables(pg_url, tmp_path, monkeypatch):
    corpus = write_slice_corpus(tmp_path / "corpus")
    ingest(corpus, pg_url, FakeEmbedder(), cache=tmp_path / "cache")
    before, state = tables(pg_url), backend(pg_url).current_manifest()

    def fail(gen, n):
        return ["CREATE INDEX ON kb.no_such_table (x)"]
    monkeypatch.setattr(pg_schema, "indexes", fail)
    with pytest.raises(IndexWriteFailed, match="previous index is still the current one"):
        ingest(corpus, pg_url, FakeEmbedder(), force=True, cache=tmp_path / "cache")
    assert tables(pg_url) == before and backend(pg_url).current_manifest() == state
    assert KnowledgeBase(pg_url, FakeEmbedder()).ask("klachten", k=1)


def test_a_second_ingest_is_refused_while_one_writes(pg_url, tmp_path):
    corpus = write_slice_corpus(tmp_path / "corpus")
    first = backend(pg_url, tmp_path)
    with first.building():
        with pytest.raises(IndexBusy, match="another kb ingest is writing to this store"):
            ingest(corpus, pg_url, FakeEmbedder(), cache=tmp_path / "cache")
    ingest(corpus, pg_url, FakeEmbedder(), cache=tmp_path / "cache")  # the lock went with the first writer


def test_a_second_ingest_told_to_wait_waits_for_the_writer_then_builds(pg_url, tmp_path):
    corpus = write_slice_corpus(tmp_path / "corpus")
    ingest(corpus, pg_url, FakeEmbedder(), cache=tmp_path / "cache")
    (corpus / "extra.md").write_text("# Extra\n\nEen nieuw verslag over wachttijden in 2024.\n", "utf-8")
    told, reports = threading.Event(), []
    with backend(pg_url, tmp_path).building():
        second = threading.Thread(target=lambda: reports.append(
            ingest(corpus, pg_url, FakeEmbedder(), waiting=told.set, cache=tmp_path / "cache")))
        second.start()
        assert told.wait(60) and not reports  # it waits while the first writer holds the lock
    second.join(120)
    assert reports and reports[0].documents == 4 and not reports[0].up_to_date


def test_a_build_by_another_process_is_seen_at_the_next_question(pg_url, tmp_path):
    corpus = write_slice_corpus(tmp_path / "corpus")
    ingest(corpus, pg_url, FakeEmbedder(), cache=tmp_path / "cache")
    reader = KnowledgeBase(pg_url, FakeEmbedder())
    assert not any(p.chunk.doc_id == "zwolle-2024" for p in reader.ask("fietsenstalling Zwolle", k=5))
    (corpus / "zwolle-2024.md").write_text("# Fietsen\n\nDe gemeente Zwolle bouwde in 2024 een fietsenstalling "
                                           "voor 5.000 fietsen bij het station.\n", "utf-8")
    ingest(corpus, pg_url, FakeEmbedder(), cache=tmp_path / "cache")  # as another app process would
    assert reader.ask("fietsenstalling Zwolle", k=1)[0].chunk.doc_id == "zwolle-2024"
    assert backend(pg_url).restore().startswith("generation")
    assert not any(p.chunk.doc_id == "zwolle-2024" for p in reader.ask("fietsenstalling Zwolle", k=5))


def test_readers_see_the_old_or_the_new_corpus_while_builds_run(pg_url, tmp_path):
    corpus = write_slice_corpus(tmp_path / "corpus")
    ingest(corpus, pg_url, FakeEmbedder(), cache=tmp_path / "cache")
    reader = KnowledgeBase(pg_url, FakeEmbedder())
    expected = [p.chunk.chunk_id for p in reader.ask("klachten afhandeling", k=5)]
    failures: list[BaseException] = []

    def build() -> None:
        try:
            for _ in range(3):
                ingest(corpus, pg_url, FakeEmbedder(), force=True, cache=tmp_path / "cache")
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
    writer = threading.Thread(target=build)
    writer.start()
    answers = []
    while writer.is_alive():
        try:
            answers.append([p.chunk.chunk_id for p in reader.ask("klachten afhandeling", k=5)])
        except IndexBusy:
            pass  # replaced twice during one question: said plainly, the next question works
    writer.join()
    assert not failures and answers and all(a == expected for a in answers)
    assert len(tables(pg_url) - {"state", "generation"}) == 2 * len(pg_schema.TABLES)  # the current and the previous generation


def test_a_damaged_manifest_is_reported(pg_url, tmp_path):
    ingest(write_slice_corpus(tmp_path / "corpus"), pg_url, FakeEmbedder(), cache=tmp_path / "cache")
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE kb.generation SET manifest = jsonb_set(manifest, '{built}', '\"1999\"')")
    with pytest.raises(DamagedIndex, match="does not match its own checksum"):
        KnowledgeBase(pg_url, FakeEmbedder())


def test_without_rights_to_set_up_it_says_what_to_ask_a_dba_for(pg_url, tmp_path):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE ROLE reporter LOGIN")
        conn.execute(f"REVOKE CREATE ON DATABASE {pg_url.rsplit('/', 1)[1]} FROM PUBLIC")
    user_url = pg_url.replace("postgres@", "reporter@")
    with pytest.raises(KbError, match=r'CREATE EXTENSION IF NOT EXISTS vector; CREATE SCHEMA IF NOT EXISTS kb '
                                      r'AUTHORIZATION "reporter";'):
        ingest(write_slice_corpus(tmp_path / "corpus"), user_url, FakeEmbedder(), cache=tmp_path / "cache")
    with psycopg.connect(pg_url, autocommit=True) as conn:  # what the DBA runs
        conn.execute('CREATE EXTENSION IF NOT EXISTS vector; CREATE SCHEMA IF NOT EXISTS kb AUTHORIZATION "reporter";')
    ingest(write_slice_corpus(tmp_path / "corpus"), user_url, FakeEmbedder(), cache=tmp_path / "cache")
    assert KnowledgeBase(user_url, FakeEmbedder()).ask("klachten", k=1)


def test_a_bad_url_is_a_clear_error(tmp_path):
    with pytest.raises(KbError, match="cannot connect"):
        KnowledgeBase("postgresql://nobody@127.0.0.1:1/none", FakeEmbedder())
    with pytest.raises(KbError, match="give postgresql://USER@HOST:PORT/DB"):
        KnowledgeBase("mysql://x@y/z", FakeEmbedder())
