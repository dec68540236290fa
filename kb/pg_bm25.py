"""The PostgreSQL store's BM25 pool: the top N over kb's posting blocks, reading few of them.

A term's postings (row, weight) are sorted by weight, highest first, and cut into blocks
(kb/pg_schema.py), so the last weight read of a term bounds each of its weights not yet read.
Blocks are read, a few at a time, until
  1. no row never met can reach the N-th best sum met so far (the bounds add up to less), and
  2. at most RESOLVE rows met for some terms only could still reach it (their sum met plus the
     bounds of the terms they were not met for), or BUDGET blocks are read;
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

RESOLVE = 512  # rows met for some terms only, then scored exactly from their own weights
BUDGET = 64  # blocks read per question (of BLOCK postings each) before settling for the best RESOLVE
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
        if sum(p.read for p in lists) >= BUDGET:
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
