"""Calendar links: a phone's calendar app cannot log in, so it subscribes to a URL that
carries a secret (`cal_<id>_<secret>`) standing for the log-in. Each link is a record:
only a digest of the secret is kept, with the worker it reads, who made it, when it
expires and when it was revoked. Links are made only for stored workers; a feed read
with an unknown, revoked or expired link, or one of a worker no longer stored, is
refused."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.security import CALENDAR_PREFIX, api_key_digest, api_key_matches, new_secret, split_secret
from api.store import audit, tables
from api.store.records import BadReference, RecordNotFound

MAX_DAYS = 3650


class BadLink(ValueError):
    """A feed read whose link is unknown, revoked, expired or for another worker."""


def add_link(session: Session, worker_id: str, created_by: str, days: int
             ) -> tuple[tables.CalendarLink, str]:
    """A new link to `worker_id`'s calendar for `days` days, and its token (shown once)."""
    if session.get(tables.Worker, worker_id) is None:
        raise BadReference("worker_id", worker_id,
                           f"worker_id: {worker_id!r} is not a stored worker")
    if not 1 <= days <= MAX_DAYS:
        raise BadReference("days", str(days), f"days: {days}: from 1 to {MAX_DAYS}")
    link_id, token = new_secret(CALENDAR_PREFIX)
    now = datetime.now(UTC)
    row = tables.CalendarLink(id=link_id, secret_hash=api_key_digest(token),
                              worker_id=worker_id, created_by=created_by, created_at=now,
                              expires_at=now + timedelta(days=days))
    session.add(row)
    session.flush()
    audit.record(session, created_by, "link add", f"calendar-links/{link_id}")
    return row, token


def list_links(session: Session, worker_id: str | None = None
               ) -> Sequence[tables.CalendarLink]:
    query = select(tables.CalendarLink)
    if worker_id is not None:
        query = query.where(tables.CalendarLink.worker_id == worker_id)
    return session.scalars(query.order_by(tables.CalendarLink.created_at,
                                          tables.CalendarLink.id)).all()


def get_link(session: Session, link_id: str) -> tables.CalendarLink:
    row = session.get(tables.CalendarLink, link_id)
    if row is None:
        raise RecordNotFound(f"calendar-links/{link_id}: no such link")
    return row


def revoke(session: Session, link_id: str, actor: str) -> tables.CalendarLink:
    """Revoke a link (again: no change); the row stays, for the record."""
    row = get_link(session, link_id)
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.flush()
    audit.record(session, actor, "link revoke", f"calendar-links/{link_id}")
    return row


def check(session: Session, token: str, worker_id: str) -> tables.CalendarLink:
    """The stored link of `token` if it reads `worker_id`'s calendar now."""
    link_id = split_secret(token, CALENDAR_PREFIX)
    row = session.get(tables.CalendarLink, link_id) if link_id else None
    if row is None or not api_key_matches(token, row.secret_hash):
        raise BadLink("the calendar link is not valid (unknown or mistyped)")
    if row.worker_id != worker_id:
        raise BadLink("the link is for another worker's calendar")
    if row.revoked_at is not None:
        raise BadLink("the calendar link was revoked; ask for a new one")
    if _aware(row.expires_at) <= datetime.now(UTC):
        raise BadLink("the calendar link has expired; ask for a new one")
    if session.get(tables.Worker, worker_id) is None:
        raise BadLink(f"workers/{worker_id}: no longer stored")
    return row


def _aware(moment: datetime) -> datetime:
    """SQLite gives back times without their zone; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
