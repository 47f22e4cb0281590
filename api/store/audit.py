"""The audit log: every read of personal data, who and when; and every change to
accounts, calendar links and people's data (export, erasure).

A read is one row per person and resource; the same person reading the same resource
again within `REPEAT_S` (a phone page polled, a sheet opened twice) is the same read and
is not written again by this process: the log says who read what and when to the
minute, without a write per request under load (`python -m benchmarks.load`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Engine, Table, func, insert, select
from sqlalchemy.orm import Session

from api.store.audit_writer import writer
from api.store.tables import AuditEntry

ACTION_LENGTH = 20  # the column's width
REPEAT_S = 60.0  # TRASA_AUDIT_REPEAT_S: a repeated read within this is one read
_RECENT: dict[tuple[str, str, str], float] = {}  # (database, person, resource) -> written
_RECENT_KEPT = 100_000
_RECENT_LOCK = threading.Lock()


def record_reads(session: Session, username: str, resources: Iterable[str], *,
                 repeat_s: float = REPEAT_S) -> None:
    """`username` read `resources`: the rows are committed when this returns, in a
    transaction shared with other requests' reads (`api.store.audit_writer`), not in
    `session`'s. A session that holds SQLite's write lock (it wrote and has not
    committed) writes them itself: the shared writer would wait for that lock. A
    resource this person's read was written for less than `repeat_s` ago is skipped."""
    engine = session.get_bind()
    database = str(engine.url) if isinstance(engine, Engine) else str(id(engine))
    now = time.monotonic()
    with _RECENT_LOCK:
        fresh = [r for r in dict.fromkeys(resources)
                 if now - _RECENT.get((database, username, r), -repeat_s) >= repeat_s]
    rows = [{"username": username, "action": "read", "resource": r} for r in fresh]
    if not rows:
        return
    if isinstance(engine, Engine) and engine.url.database not in (None, "", ":memory:") \
            and not _holds_write_lock(session):  # (an in-memory database is a connection's)
        writer(engine, cast(Table, AuditEntry.__table__)).write(rows)
        _written(database, username, fresh, now)
    else:  # one plain INSERT in the caller's transaction: counted when it commits
        session.execute(insert(AuditEntry), rows)


def _written(database: str, username: str, resources: list[str], at: float) -> None:
    with _RECENT_LOCK:
        if len(_RECENT) > _RECENT_KEPT:
            _RECENT.clear()
        _RECENT.update({(database, username, r): at for r in resources})


def _holds_write_lock(session: Session) -> bool:
    """Whether `session` has begun writing on SQLite (whose driver begins a transaction
    at the first write, not at a read)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    if session.new or session.dirty or session.deleted:
        return True
    if not session.in_transaction():
        return False
    dbapi = session.connection().connection.dbapi_connection
    return bool(getattr(dbapi, "in_transaction", True))


def record(session: Session, username: str, action: str, resource: str, *,
           detail: str | None = None) -> None:
    """One change: `action` (e.g. "user disable", "client erase") on `resource`, with
    `detail` (the reason a promise was withdrawn or moved)."""
    if len(action) > ACTION_LENGTH:
        raise ValueError(f"action: {action!r} is longer than {ACTION_LENGTH} characters")
    session.execute(insert(AuditEntry), [{"username": username, "action": action,
                                          "resource": resource, "detail": detail}])


def entries(session: Session, *, username: str | None, resource: str | None,
            since: datetime | None, limit: int, offset: int
            ) -> tuple[Sequence[AuditEntry], int]:
    query = select(AuditEntry)
    if username is not None:
        query = query.where(AuditEntry.username == username)
    if resource is not None:
        query = query.where(AuditEntry.resource == resource)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
                           ).all()
    return rows, total


def about(session: Session, resource: str) -> Sequence[AuditEntry]:
    """Every entry on `resource`, oldest first (a person's export)."""
    return session.scalars(select(AuditEntry).where(AuditEntry.resource == resource)
                           .order_by(AuditEntry.id)).all()
