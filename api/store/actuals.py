"""What really happened, stored: the phone's actions (each exactly once by its key), the
coordinators' corrections, closed days and odometer readings (migration 0010).

`add_action` is race-safe without a lock: an `INSERT .. ON CONFLICT (key) DO NOTHING`
(SQLite and PostgreSQL alike), then the row of that key read back, so two requests
carrying one key at once store one row and both answer with it. A task's actual is
`optimiser.actuals.fold` of its accepted actions, unless a correction replaces it (the
latest one wins; all are kept, and each is in the audit log)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from api.store import audit
from api.store.tables import ActualCorrection, DayClosure, FieldAction, OdometerReading
from optimiser.actuals import Action, ActionKind, Actual, Outcome, fold

ACCEPTED, REJECTED = "accepted", "rejected"


def utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC instant (SQLite hands back naive UTC times)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class NewAction:
    """An action as judged, to be stored: `rejected_why` None when accepted."""

    key: str
    task_id: str
    worker_id: str
    kind: str
    day: date
    phone_at: datetime
    note: str = ""
    reason: str = ""
    rejected_why: str | None = None


def stored_actions(session: Session, keys: Iterable[str]) -> dict[str, FieldAction]:
    """The stored actions of these keys, by key."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    return {row.key: row for row in session.scalars(
        select(FieldAction).where(FieldAction.key.in_(wanted)))}


def add_action(session: Session, action: NewAction) -> tuple[FieldAction, bool]:
    """Store `action` unless its key is stored already; the stored row, and whether this
    call stored it. Not committed."""
    values: dict[str, Any] = {
        "key": action.key, "task_id": action.task_id, "worker_id": action.worker_id,
        "kind": action.kind, "day": action.day, "phone_at": utc(action.phone_at),
        "server_at": datetime.now(UTC), "note": action.note, "reason": action.reason,
        "status": REJECTED if action.rejected_why else ACCEPTED,
        "rejected_why": action.rejected_why}
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    inserted = session.scalars(dialect.insert(FieldAction).values(**values)
                               .on_conflict_do_nothing(index_elements=["key"])
                               .returning(FieldAction)).first()
    if inserted is not None:
        return inserted, True
    return session.scalars(select(FieldAction).where(FieldAction.key == action.key)
                           .execution_options(populate_existing=True)).one(), False


def as_action(row: FieldAction) -> Action:
    return Action(key=row.key, task_id=row.task_id, worker_id=row.worker_id,
                  kind=ActionKind(row.kind), phone_at=utc(row.phone_at), note=row.note,
                  reason=row.reason)


def actions_of(session: Session, task_ids: Iterable[str]) -> Sequence[FieldAction]:
    """Every stored action (accepted or not) on these tasks, oldest press first."""
    wanted = list(dict.fromkeys(task_ids))
    if not wanted:
        return []
    return session.scalars(select(FieldAction).where(FieldAction.task_id.in_(wanted))
                           .order_by(FieldAction.phone_at, FieldAction.key)).all()


def rejected_on(session: Session, day: date) -> Sequence[FieldAction]:
    """The actions judged for `day` that were rejected, oldest press first."""
    return session.scalars(select(FieldAction).where(
        FieldAction.day == day, FieldAction.status == REJECTED)
        .order_by(FieldAction.phone_at, FieldAction.key)).all()


def actuals(session: Session, task_ids: Iterable[str]) -> dict[str, Actual]:
    """Each task's actual: its accepted actions folded, or its latest correction. A task
    with neither is absent (unconfirmed)."""
    wanted = list(dict.fromkeys(task_ids))
    found = fold(as_action(r) for r in actions_of(session, wanted) if r.status == ACCEPTED)
    for task_id, row in latest_corrections(session, wanted).items():
        found[task_id] = Actual(task_id, Outcome(row.outcome),
                                utc(row.start) if row.start else None,
                                utc(row.end) if row.end else None, row.reason, corrected=True)
    return found


def latest_corrections(session: Session, task_ids: Iterable[str]
                       ) -> dict[str, ActualCorrection]:
    wanted = list(dict.fromkeys(task_ids))
    if not wanted:
        return {}
    rows = session.scalars(select(ActualCorrection).where(
        ActualCorrection.task_id.in_(wanted)).order_by(ActualCorrection.id)).all()
    return {row.task_id: row for row in rows}  # the latest of each task wins


def correct(session: Session, task_id: str, outcome: Outcome, start: datetime | None,
            end: datetime | None, reason: str, by: str) -> ActualCorrection:
    """Store a correction of `task_id`'s actual and its audit entry (committed)."""
    row = ActualCorrection(task_id=task_id, outcome=outcome.value,
                           start=utc(start) if start else None, end=utc(end) if end else None,
                           reason=reason, by=by, at=datetime.now(UTC))
    session.add(row)
    session.flush()
    audit.record(session, by, "actual correct", f"tasks/{task_id}",
                 detail=f"{outcome.value}: {reason}")
    session.commit()
    return row


def erase_texts(session: Session, task_ids: Iterable[str], erased: str) -> int:
    """A client's erasure (RODO art. 17): the notes and reasons of the presses on their
    tasks blanked, and the reasons of corrections of them replaced by `erased`; the
    rows, kinds and times stay (counts do not change). How many rows changed (flushed)."""
    changed = 0
    for row in actions_of(session, task_ids):
        if row.note or row.reason:
            row.note, row.reason = "", ""
            changed += 1
    wanted = list(dict.fromkeys(task_ids))
    for fix in session.scalars(select(ActualCorrection).where(
            ActualCorrection.task_id.in_(wanted))) if wanted else []:
        if fix.reason != erased:
            fix.reason = erased
            changed += 1
    session.flush()
    return changed


def closure(session: Session, day: date) -> DayClosure | None:
    return session.get(DayClosure, day)


def closed_days(session: Session, days: Iterable[date]) -> set[date]:
    wanted = list(set(days))
    if not wanted:
        return set()
    return set(session.scalars(select(DayClosure.day).where(DayClosure.day.in_(wanted))))


def close_day(session: Session, day: date, by: str) -> tuple[DayClosure, bool]:
    """Close `day` (committed, audited); the closure, and whether this call closed it (a
    day closed already stays as first closed)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    inserted = session.execute(dialect.insert(DayClosure).values(
        day=day, closed_by=by, at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=["day"]).returning(DayClosure.day)).scalar()
    if inserted is not None:
        audit.record(session, by, "day close", f"days/{day}")
    session.commit()
    row = session.scalars(select(DayClosure).where(DayClosure.day == day)
                          .execution_options(populate_existing=True)).one()
    return row, inserted is not None


def set_odometer(session: Session, vehicle_id: str, day: date, start_km: int,
                 end_km: int | None, by: str) -> OdometerReading:
    """Record (or replace) a bus's odometer of `day` (committed, audited): one upsert, so
    two writes at once leave one row, the later one's."""
    values = {"vehicle_id": vehicle_id, "day": day, "start_km": start_km, "end_km": end_km,
              "by": by, "at": datetime.now(UTC)}
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(OdometerReading).values(**values)
    session.execute(insert.on_conflict_do_update(
        index_elements=["vehicle_id", "day"],
        set_={k: v for k, v in values.items() if k not in ("vehicle_id", "day")}))
    audit.record(session, by, "odometer set", f"vehicles/{vehicle_id}/days/{day}",
                 detail=f"{start_km}..{end_km if end_km is not None else ''} km")
    session.commit()
    return session.scalars(select(OdometerReading).where(
        OdometerReading.vehicle_id == vehicle_id, OdometerReading.day == day)
        .execution_options(populate_existing=True)).one()


def odometer(session: Session, vehicle_id: str, day: date) -> OdometerReading | None:
    return session.get(OdometerReading, (vehicle_id, day))
