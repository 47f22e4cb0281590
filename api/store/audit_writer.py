"""Audit rows of many requests written in one transaction (a group commit).

Every coordinator's or worker's read of clients' data leaves audit rows, so under load
most reads are also writes; on SQLite each took the database's one write lock in its own
transaction, and 50 readers queued for it in SQLite's busy handler, which sleeps in
steps of up to 100 ms: half of a read's time went there (`benchmarks.load --profile`).

A `GroupWriter` per database (and process) writes the rows of all readers waiting in
one transaction; each reader returns after the commit that holds its rows, so no answer
leaves before its audit rows are stored, and a failed write fails the requests whose
rows it held, as before. The rows wait for no timer and no other thread: a lone reader
writes its rows at once itself, and while one transaction commits, the next readers'
rows gather for the next one, which the first of them writes. In-process writers so
queue on a lock that wakes the next at once, not in SQLite's busy handler."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, Table, insert

LEADER_ROUNDS = 3  # transactions a leader writes before it hands the lead on
_WRITERS: dict[tuple[int, int, str], GroupWriter] = {}  # (process, engine, table) -> writer
_WRITERS_LOCK = threading.Lock()


class _Turn:
    """One caller's rows and how their write ended: written, failed, or handed to this
    caller to write (with the others waiting) as the next leader."""

    def __init__(self, rows: Sequence[dict[str, Any]]) -> None:
        self.rows = rows
        self.ready = threading.Event()
        self.lead = False
        self.error: BaseException | None = None


class GroupWriter:
    """Inserts rows into `table` on `engine`, many callers' rows to a transaction.

    The first caller while none writes is the leader: it writes its rows at once, on its
    own thread. Callers that come while a transaction is under way wait; when it ends,
    the leader writes all the waiting rows in one more transaction, up to
    `LEADER_ROUNDS` in all, then hands the lead to the first caller still waiting, who
    writes the waiting rows (its own among them) and so on: a caller waits for at most
    a few transactions, never for a timer or a thread of its own."""

    def __init__(self, engine: Engine, table: Table) -> None:
        self.engine, self.table = engine, table
        self._lock = threading.Lock()
        self._waiting: list[_Turn] = []
        self._writing = False

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        """Return once `rows` are committed; raise what their write raised."""
        turn = _Turn(rows)
        with self._lock:
            self._waiting.append(turn)
            lead = not self._writing
            self._writing = True
        if not lead:
            turn.ready.wait()
            if not turn.lead:
                if turn.error is not None:
                    raise turn.error
                return
        self._write_waiting()
        if turn.error is not None:
            raise turn.error

    def _write_waiting(self) -> None:
        """As the leader: write every waiting caller's rows, again while more come (up to
        `LEADER_ROUNDS` transactions: a running thread writes sooner than a waiting one
        wakes), then hand the lead on to the first caller still waiting."""
        for _ in range(LEADER_ROUNDS):
            with self._lock:
                batch, self._waiting = self._waiting, []
            error: BaseException | None = None
            try:
                with self.engine.begin() as connection:
                    connection.execute(insert(self.table), [r for t in batch for r in t.rows])
            except BaseException as exc:  # noqa: BLE001 (each caller of the batch gets it)
                error = exc
            for turn in batch:
                turn.error = error
                turn.ready.set()
            with self._lock:
                if not self._waiting:
                    self._writing = False
                    return
        with self._lock:
            following = self._waiting[0]
        following.lead = True
        following.ready.set()


def writer(engine: Engine, table: Table) -> GroupWriter:
    """The writer of `table` on `engine` in this process (made on first use; a forked
    process makes its own, since threads do not cross a fork)."""
    key = (os.getpid(), id(engine), table.name)
    with _WRITERS_LOCK:
        found = _WRITERS.get(key)
        if found is None or found.engine is not engine:
            found = _WRITERS[key] = GroupWriter(engine, table)
        return found
