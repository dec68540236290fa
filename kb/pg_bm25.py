"""The PostgreSQL store's BM25 pool: the top N over kb's posting blocks, reading few of them.

A term's postings (row, weight) are sorted by weight, highest first, and cut into blocks
(kb/pg_schema.py), so the last weight read of a term bounds each of its weights not yet read.
Blocks are read, a few at a time, until
  1. no row never met can reach the N-th best sum met so far (the bounds add up to less), and
  2. at most RESOLVE rows met for some terms only could still reach it (their sum met plus the
     bounds of the terms they were not met for), or BUDGET blocks are read (never while the
     question's terms hold at most EXACT_BLOCKS blocks in all: a corpus of a few thousand
     chunks gets the folder store's exact ranking);
the rows of 2 with the highest such bounds (at most RESOLVE) then get their exact sums from their
own weights (`resolve`). When 2 holds the rows returned are the exact top N (the same sums as
reading every block, ties to the lower row as in kb's `ranking`); past the budget a row outside
those RESOLVE can be missed, never mis-scored: kb scores every candidate from its own weights.
BM25's weights of a common term are flat (its first and its thousandth posting differ by a
third), so neither bound alone settles a common term before its end: reading every block of a
term in 40% of a million chunks is what the budget prevents.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .pg_rows import weight_matrix

RESOLVE = 512  # rows met for some terms only, then scored exactly from their own weights
BUDGET = 64  # blocks read per question (of BLOCK postings each) before settling for the best RESOLVE
EXACT_BLOCKS = 128  # a question whose terms hold no more blocks than this is read until exact
MAX_STEP = 16  # blocks read of one term in one round: the step doubles each time the term is chosen


@dataclass
class Postings:
    """One query term's postings read so far."""

    term: str
    id: int  # the term's id in the store (kb.term_<g>.id)
    count: int  # how often the question asks it
    blocks: int  # blocks the term has in all
    read: int = 0
    step: int = 1
    bound: float = np.inf  # no unread weight of this term is larger
    rows: list[np.ndarray] = field(default_factory=list)
    weights: list[np.ndarray] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.read >= self.blocks

    def add(self, blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]], keep: Callable | None) -> None:
        for rows, weights, years in blocks:
            self.bound = float(weights[-1]) if len(weights) else self.bound
            if keep is not None:
                kept = keep(rows, years)
                rows, weights = rows[kept], weights[kept]
            self.rows.append(rows)
            self.weights.append(weights)
        self.read += len(blocks)
        if self.done:
            self.bound = 0.0


def met(lists: list[Postings]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows met so far (sorted), their sums met, and which terms each was met for."""
    rows = [np.concatenate(p.rows) if p.rows else np.zeros(0, np.int32) for p in lists]
    weights = [p.count * np.concatenate(p.weights).astype(np.float64) if p.weights else np.zeros(0) for p in lists]
    every = np.concatenate(rows)
    unique, at = np.unique(every, return_inverse=True)
    sums = np.bincount(at, np.concatenate(weights), minlength=len(unique))
    seen = np.zeros((len(unique), len(lists)), dtype=bool)
    seen[at, np.repeat(np.arange(len(lists)), [len(r) for r in rows])] = True
    return unique, sums, seen


def top_rows(lists: list[Postings], read: Callable, resolve: Callable, depth: int, keep: Callable | None = None) -> list[int]:
    """The top `depth` rows. read({term: (first block, count)}) -> {term: [(rows, weights, years)
    a block]}; resolve(rows) -> their exact sums; keep(rows, years) -> a mask (a filter)."""
    lists = [p for p in lists if p.blocks]
    if not lists:
        return []
    plan = {p.term: (0, 1) for p in lists}
    while plan:
        for term, blocks in read(plan).items():
            next(p for p in lists if p.term == term).add(blocks, keep)
        rows, sums, seen = met(lists)
        bounds = np.array([p.count * p.bound for p in lists])
        theta = float(np.partition(sums, len(sums) - depth)[len(sums) - depth]) if len(sums) >= depth else 0.0
        unread = ~seen @ bounds  # the most a row can still gain: 0 once met for every term not read out
        could = (unread > 0) & (sums + unread >= theta)
        unmet = bounds.sum() >= theta  # a row never met could still enter
        if all(p.done for p in lists) or (not unmet and could.sum() <= RESOLVE):
            break
        if sum(p.read for p in lists) >= BUDGET and sum(p.blocks for p in lists) > EXACT_BLOCKS:
            break
        plan = next_reads(lists, seen[could], theta, bounds, unmet)
    exact = np.where(unread > 0, 0.0, sums)
    if could.any():
        settle = np.flatnonzero(could)
        settle = settle[np.argsort(-(sums + unread)[settle], kind="stable")[:RESOLVE]]
        exact[settle] = resolve(rows[settle])
    order = np.lexsort((rows, -exact))[:depth]
    return [int(rows[i]) for i in order if exact[i] > 0]


def next_reads(lists: list[Postings], open_seen: np.ndarray, theta: float, bounds: np.ndarray, unmet: bool) -> dict:
    """While a row never met could enter: every term not read out. Then the term whose unread
    weights hold most back (its bound, times the open rows not met for it), and any term that
    alone could lift a row past theta. Each read doubles the term's step."""
    if unmet:
        chosen = {i for i, b in enumerate(bounds) if b > 0}
    else:
        gain = bounds * (1 + (~open_seen).sum(axis=0))
        chosen = {int(np.argmax(gain))} | {i for i, b in enumerate(bounds) if b >= theta and b > 0}
    plan = {}
    for i in sorted(chosen):
        p = lists[i]
        if not p.done:
            plan[p.term] = (p.read, min(p.step, p.blocks - p.read))
            p.step = min(2 * p.step, MAX_STEP)
    return plan


def read_blocks(sql: Callable, plan: dict[str, tuple[int, int]]) -> dict[str, list[tuple]]:
    """The planned blocks of each term, in block order, as arrays over their bytes."""
    terms = list(plan)
    found = sql("SELECT p.term, p.block, p.rows, p.weights, p.years FROM unnest(%s::text[], %s::int[], %s::int[]) "
                "AS q(term, lo, hi) JOIN kb.posting_{g} p ON p.term = q.term AND p.block >= q.lo AND p.block < q.hi",
                [terms, [plan[t][0] for t in terms], [sum(plan[t]) for t in terms]], binary=True)
    out: dict[str, list[tuple]] = {t: [] for t in terms}
    for term, _, rows, weights, years in sorted(found, key=lambda r: (r[0], r[1])):
        out[term].append((np.frombuffer(rows, "<i4"), np.frombuffer(weights, "<f4"), np.frombuffer(years, "<i2")))
    return out


def exact_sums(sql: Callable, rows: np.ndarray, lists: list[Postings]) -> np.ndarray:
    """The exact sums of rows the blocks read could not settle, from their own weights (kb.bm25_<g>)."""
    ids = np.array(sorted(p.id for p in lists), dtype=np.int32)
    counts = np.array([p.count for p in sorted(lists, key=lambda p: p.id)], dtype=np.float64)
    found = sql("SELECT row, terms, weights FROM kb.bm25_{g} WHERE row = ANY(%s)", [rows.tolist()], binary=True)
    sums = weight_matrix([(np.frombuffer(t, "<i4"), np.frombuffer(w, "<f4")) for _, t, w in found], ids) @ counts
    at = {int(r): s for (r, _, _), s in zip(found, sums.tolist())}
    return np.array([at.get(int(r), 0.0) for r in rows])


def posting_filter(sql: Callable, filters, where: Callable) -> Callable | None:
    """A filter as a mask over postings: years from the postings themselves, reports by their rows."""
    if not filters.years and not filters.doc_ids:
        return None
    years = np.array(sorted(filters.years), dtype=np.int16)
    allowed = None
    if filters.doc_ids:
        cond, params = where(filters)
        allowed = np.array(sorted(r for (r,) in sql(f"SELECT c.row FROM kb.chunk_{{g}} c WHERE {cond}", params)), dtype=np.int32)

    def keep(rows: np.ndarray, row_years: np.ndarray) -> np.ndarray:
        mask = np.isin(row_years, years) if len(years) else np.ones(len(rows), dtype=bool)
        return mask & np.isin(rows, allowed) if allowed is not None else mask
    return keep
