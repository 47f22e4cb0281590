"""Audit rows of many requests written in one transaction (a group commit).

Every coordinator's or worker's read of clients' data leaves audit rows, so under load
most reads are also writes; on SQLite each took the database's one write lock in its own
transaction, and 50 readers queued for it in SQLite's busy handler, which sleeps in
steps of up to 100 ms: half of a read's time went there (`benchmarks.load --profile`).

A `GroupWriter` per database (and process) takes the rows that readers hand it, writes
all that are waiting in one transaction on its own thread and commits; each reader waits
for the commit that holds its rows, so no answer leaves before its audit rows are
stored, and a failed write fails the request that made it, as before. The rows wait for
no timer: a lone reader's rows are written at once, and while one transaction commits,
the next readers' rows gather for the next one."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from sqlalchemy import Engine, Table, insert

IDLE_S = 30.0  # a writer's thread ends after this long without rows
_WRITERS: dict[tuple[int, int, str], GroupWriter] = {}  # (process, engine, table) -> writer
_WRITERS_LOCK = threading.Lock()


class GroupWriter:
    """Inserts rows into `table` on `engine`, many callers' rows to a transaction."""

    def __init__(self, engine: Engine, table: Table) -> None:
        self.engine, self.table = engine, table
        self._lock = threading.Condition()
        self._waiting: list[tuple[Sequence[dict[str, Any]], Future[None]]] = []
        self._running = False  # a thread is writing or waiting for rows

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        """Return once `rows` are committed; raise what the write raised."""
        done: Future[None] = Future()
        with self._lock:
            self._waiting.append((rows, done))
            if self._running:
                self._lock.notify()
            else:  # the thread ends when idle: a test's many servers leave none behind
                self._running = True
                threading.Thread(target=self._run, daemon=True,
                                 name=f"trasa-{self.table.name}-writer").start()
        done.result()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._waiting:
                    if not self._lock.wait(timeout=IDLE_S) and not self._waiting:
                        self._running = False
                        return
                batch, self._waiting = self._waiting, []
            try:
                with self.engine.begin() as connection:
                    connection.execute(insert(self.table), [r for rows, _ in batch for r in rows])
            except BaseException as exc:  # noqa: BLE001 (each waiting request gets it)
                for _, done in batch:
                    done.set_exception(exc)
            else:
                for _, done in batch:
                    done.set_result(None)


def writer(engine: Engine, table: Table) -> GroupWriter:
    """The writer of `table` on `engine` in this process (made on first use; a forked
    process makes its own, since threads do not cross a fork)."""
    key = (os.getpid(), id(engine), table.name)
    with _WRITERS_LOCK:
        found = _WRITERS.get(key)
        if found is None or found.engine is not engine:
            found = _WRITERS[key] = GroupWriter(engine, table)
        return found
