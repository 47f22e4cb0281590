"""Promises on stored tasks and trips: made (an accepted offer), moved, withdrawn, and a
request cancelled by phone. Each is an explicit act, audited with who, when and why
(`audit_log.detail`); a plain replace of the record cannot change a promise
(`keep_promise`).

A cancelled trip takes its return with it: the return cannot happen without it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.schemas.records import PromiseRecord, TaskResource, TripResource
from api.store import audit, tables
from api.store.records import KINDS, RecordError, get_record, replace_record

ACTION_MADE = "promise made"
ACTION_MOVED = "promise moved"
ACTION_WITHDRAWN = "promise withdrawn"
ACTION_CANCELLED = "request cancelled"


class PromiseChange(RecordError):
    """A plain write that would change a promise: the message names `promise`."""


def keep_promise(session: Session, kind_name: str, record_id: str,
                 resource: TaskResource | TripResource) -> TaskResource | TripResource:
    """`resource` (a plain PUT's body) with the stored promise: left out, it is kept;
    given, it must be the stored one (`PromiseChange` otherwise)."""
    row = get_record(session, KINDS[kind_name], record_id)
    stored = row.body.get("promise")
    if "promise" not in resource.model_fields_set:
        return resource.model_copy(update={
            "promise": None if stored is None else PromiseRecord.model_validate(stored)})
    given = None if resource.promise is None else resource.promise.model_dump(mode="json")
    if given != stored:
        raise PromiseChange(f"promise: {given!r} differs from the stored promise {stored!r}; "
                            f"a promise is moved with PUT /{kind_name}/{record_id}/promise "
                            f"and withdrawn with DELETE /{kind_name}/{record_id}/promise")
    return resource


def promise_of(start: str, end: str, username: str) -> PromiseRecord:
    return PromiseRecord(start=start, end=end, by=username, at=datetime.now(UTC))


def set_promise(session: Session, kind_name: str, record_id: str,
                promise: PromiseRecord | None, *, username: str, version: int | None,
                action: str, reason: str, status: str | None = None) -> Any:
    """Replace the promise of a stored task or trip (None: withdraw it), optionally its
    status too; audited with `reason`. `version`: the ETag the caller read (None: the
    caller holds the publishing lock and read the record itself)."""
    kind = KINDS[kind_name]
    row = get_record(session, kind, record_id)
    resource = kind.schema.model_validate(row.body)
    update: dict[str, Any] = {"promise": promise}
    if status is not None:
        update["status"] = status
    row = replace_record(session, kind, record_id, resource.model_copy(update=update),
                         row.version if version is None else version)
    audit.record(session, username, action, f"{kind_name}/{record_id}", detail=reason or None)
    return row


def returns_of(session: Session, trip_id: str) -> Sequence[tables.Task]:
    """The stored trips that are returns of `trip_id` (open ones)."""
    rows = session.scalars(select(tables.Task).where(
        tables.Task.kind == "trip", tables.Task.status == "open")).all()
    return [r for r in rows if r.body.get("return_of") == trip_id]


def cancel(session: Session, kind_name: str, record_id: str, *, username: str,
           version: int | None, reason: str) -> list[tuple[str, date]]:
    """Cancel a task or trip (and a trip's returns): its promise withdrawn, its status
    `cancelled`, audited. The (id, day) of every request cancelled."""
    row = set_promise(session, kind_name, record_id, None, username=username,
                      version=version, action=ACTION_CANCELLED, reason=reason,
                      status="cancelled")
    done = [(row.id, row.day)]
    if kind_name == "trips":
        for back in returns_of(session, record_id):
            set_promise(session, "trips", back.id, None, username=username, version=None,
                        action=ACTION_CANCELLED, reason=reason, status="cancelled")
            done.append((back.id, back.day))
    return done


def promised_between(session: Session, first_day: date, last_day: date
                     ) -> Sequence[tables.Task]:
    """Every open task and trip with a promise on these days."""
    return session.scalars(select(tables.Task).where(
        tables.Task.promised.is_(True), tables.Task.status == "open",
        tables.Task.day >= first_day, tables.Task.day <= last_day)
        .order_by(tables.Task.id)).all()
