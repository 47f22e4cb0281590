"""Reads audited under load: every read's rows are stored by the time `record_reads`
returns, many readers share transactions, and a session that is writing keeps its rows
in its own transaction (no wait for the lock it holds). On a real SQLite file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from api.store import audit
from api.store.audit_writer import writer
from api.store.database import engine_for, migrate, sessions
from api.store.tables import AuditEntry

READERS, READS = 40, 25


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'trasa.db'}"
    migrate(url)
    return url


def stored(url: str, username: str | None = None) -> int:
    query = select(func.count()).select_from(AuditEntry)
    if username is not None:
        query = query.where(AuditEntry.username == username)
    with engine_for(url).connect() as connection:
        return int(connection.scalar(query) or 0)


def test_each_read_is_stored_before_record_reads_returns(url: str) -> None:
    missing: list[str] = []

    def reader(k: int) -> None:
        for i in range(READS):
            with sessions(url)() as session:
                audit.record_reads(session, f"reader-{k}", [f"clients/c{i}", f"clients/d{i}"])
            # another connection sees this read's rows at once: they were committed
            if stored(url, f"reader-{k}") != 2 * (i + 1):
                missing.append(f"reader-{k} read {i}")

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(READERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert missing == []
    assert stored(url) == READERS * READS * 2
    with engine_for(url).connect() as connection:
        per_reader = connection.execute(select(AuditEntry.username, func.count())
                                        .group_by(AuditEntry.username)).all()
    assert sorted(n for _, n in per_reader) == [2 * READS] * READERS


def test_a_failed_write_fails_the_reads_it_held(url: str) -> None:
    with engine_for(url).begin() as connection:
        connection.execute(text("DROP TABLE audit_log"))
    with sessions(url)() as session, pytest.raises(Exception, match="audit_log"):
        audit.record_reads(session, "reader", ["clients/c1"])
    # the writer is free again: the next read is written once the table is back
    migrate_back = AuditEntry.__table__.create  # type: ignore[attr-defined]
    migrate_back(engine_for(url))
    with sessions(url)() as session:
        audit.record_reads(session, "reader", ["clients/c2"])
    assert stored(url, "reader") == 1


def test_a_session_that_writes_keeps_its_audit_rows_in_its_transaction(url: str) -> None:
    with sessions(url)() as session:
        audit.record(session, "coordinator", "user disable", "users/x")  # holds the lock
        done = threading.Event()

        def read() -> None:
            audit.record_reads(session, "coordinator", ["clients/c1"])
            done.set()

        thread = threading.Thread(target=read)
        thread.start()
        thread.join(timeout=10)
        assert done.is_set(), "the read waited for the write lock its own session holds"
        assert stored(url) == 0  # nothing committed yet: both rows are the session's
        session.rollback()
    assert stored(url) == 0


def test_one_writer_per_database(url: str, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    migrate(other)
    table = AuditEntry.__table__
    assert writer(engine_for(url), table) is writer(engine_for(url), table)  # type: ignore[arg-type]
    assert writer(engine_for(url), table) is not writer(engine_for(other), table)  # type: ignore[arg-type]


def test_a_repeated_read_within_the_window_is_one_read(url: str) -> None:
    for _ in range(3):  # a phone page polled: one row per person and resource
        with sessions(url)() as session:
            audit.record_reads(session, "worker", ["clients/c1", "clients/c1", "clients/c2"])
    assert stored(url, "worker") == 2
    with sessions(url)() as session:  # another person's read is their own
        audit.record_reads(session, "coordinator", ["clients/c1"])
    assert stored(url, "coordinator") == 1
    with sessions(url)() as session:  # past the window, the read is written again
        audit.record_reads(session, "worker", ["clients/c1"], repeat_s=0)
    assert stored(url, "worker") == 3
