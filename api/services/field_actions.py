"""Workers' presses on the phone, judged and stored exactly once (issue 30).

An action names a task, never a plan version, so a re-plan published meanwhile does not
void it. It is the worker's when the task is on that worker's route of its day in the
plan **in force at the phone's time** (the last version of the day published at or
before it) or in the day's current published plan. The day is the phone time's day in
Poland, or the day before (a night shift belongs to the day it starts). Otherwise it is
kept as **rejected**, with one reason code (`REASONS`, worded for the worker by
`api.render.field_words.REJECTIONS`):

- `other_worker`: the task is on another worker's route (in force or current);
- `withdrawn`: it was on this worker's route in a version superseded before the press,
  or its task record was cancelled before the press;
- `not_on_route`: it is on no route of this worker that day (no plan, or never theirs);
- `kind_mismatch`: the press does not fit the task (`picked_up` on a visit);
- `day_closed`: a coordinator closed the day.

Plan documents are read as every output reads them (`api.store.plans.document_of`, one
read per process and version); a version's index of stops is kept beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.convert.plan_document import document_route_day
from api.store import actuals as store
from api.store import plans as plan_store
from api.store.tables import FieldAction, PlanVersion, Task
from optimiser.actuals import ActionKind
from optimiser.calendar import DEFAULT_TIMEZONE

REASONS = ("other_worker", "not_on_route", "withdrawn", "kind_mismatch", "day_closed")
_VISIT = frozenset({ActionKind.ARRIVED, ActionKind.DONE, ActionKind.ABSENT,
                    ActionKind.NOT_DONE})
FITS = {"visit": _VISIT, "job": _VISIT,
        "trip": frozenset({ActionKind.PICKED_UP, ActionKind.DROPPED_OFF, ActionKind.ABSENT,
                           ActionKind.NOT_DONE})}
PUBLISHED = plan_store.PlanStatus.PUBLISHED.value

# (plan id, redactions) -> task id -> [(route day, worker id, task kind)]
_INDEX: dict[tuple[str, int], dict[str, list[tuple[date, str, str]]]] = {}
_INDEX_KEPT = 32


@dataclass(frozen=True)
class Press:
    """One action as the phone sent it."""

    key: str
    task_id: str
    kind: ActionKind
    phone_at: datetime
    note: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Judged:
    """A press as stored: `repeated` when its key was stored before (this answer is the
    stored one)."""

    row: FieldAction
    repeated: bool


def receive(session: Session, worker_id: str, presses: Sequence[Press]) -> list[Judged]:
    """Judge and store each press once (a key stored before: its stored row), committed."""
    # no read of the keys first: a fresh press (nearly all) is judged and inserted, and a
    # key stored before meets the insert's conflict and is read back (one trip fewer)
    stored: dict[str, FieldAction] = {}
    seen = Seen()  # a phone's queue is mostly one day: read its plans and closure once
    out: list[Judged] = []
    for press in presses:
        if press.key in stored:
            out.append(Judged(stored[press.key], repeated=True))
            continue
        day, why = judge(session, worker_id, press, seen)
        row, inserted = store.add_action(session, store.NewAction(
            press.key, press.task_id, worker_id, press.kind.value, day, press.phone_at,
            press.note, press.reason, why))
        stored[press.key] = row
        out.append(Judged(row, repeated=not inserted))
    session.commit()
    return out


@dataclass
class Seen:
    """What one batch has read already: the plan versions of each pair of days, and
    which days are closed (neither changes inside the batch's transaction)."""

    versions: dict[date, list[_Version]] = field(default_factory=dict)
    closed: dict[date, bool] = field(default_factory=dict)

    def closed_on(self, session: Session, day: date) -> bool:
        if day not in self.closed:
            self.closed[day] = day in store.closed_days(session, [day])
        return self.closed[day]


def judge(session: Session, worker_id: str, press: Press, seen: Seen | None = None
          ) -> tuple[date, str | None]:
    """The day `press` belongs to and why it is rejected (None: accepted)."""
    seen = seen if seen is not None else Seen()
    local = press.phone_at.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()
    days = [local, local - timedelta(days=1)]
    if local not in seen.versions:
        seen.versions[local] = _versions(session, days)
    versions = seen.versions[local]
    theirs: tuple[date, str] | None = None  # another worker's: (day, worker)
    withdrawn: date | None = None
    for day in days:
        current, earlier = _in_force(versions, day, press.phone_at)
        for _worker, kind in _placed(session, current, press.task_id, day, worker_id):
            if seen.closed_on(session, day):
                return day, "day_closed"
            if _cancelled_before(session, press.task_id, press.phone_at):
                return day, "withdrawn"
            return day, None if press.kind in FITS.get(kind, frozenset()) else "kind_mismatch"
        others = _placed(session, current, press.task_id, day, None)
        if others and theirs is None:
            theirs = (day, others[0][0])
        if withdrawn is None and _placed(session, earlier, press.task_id, day, worker_id):
            withdrawn = day
    if seen.closed_on(session, local):
        return local, "day_closed"
    if theirs is not None:
        return theirs[0], "other_worker"
    if withdrawn is not None:
        return withdrawn, "withdrawn"
    if _cancelled_before(session, press.task_id, press.phone_at):
        return local, "withdrawn"
    return local, "not_on_route"


@dataclass(frozen=True)
class _Version:
    id: str
    status: str
    first_day: date
    last_day: date
    published_at: datetime
    redactions: int


def _versions(session: Session, days: list[date]) -> list[_Version]:
    """Every version published for any of `days`, oldest publish first."""
    rows = session.execute(select(
        PlanVersion.id, PlanVersion.status, PlanVersion.first_day, PlanVersion.last_day,
        PlanVersion.published_at, PlanVersion.redactions).where(
        PlanVersion.published_at.is_not(None), PlanVersion.first_day <= max(days),
        PlanVersion.last_day >= min(days)).order_by(PlanVersion.published_at)).all()
    return [_Version(r.id, r.status, r.first_day, r.last_day, store.utc(r.published_at),
                     r.redactions) for r in rows]


def _in_force(versions: list[_Version], day: date, at: datetime
              ) -> tuple[list[_Version], list[_Version]]:
    """The versions of `day` a press at `at` answers to (the one in force then, and the
    current published one), and those superseded before it."""
    of_day = [v for v in versions if v.first_day <= day <= v.last_day]
    before = [v for v in of_day if v.published_at <= at.astimezone(UTC)]
    in_force = before[-1:] if before else []
    current = [v for v in of_day if v.status == PUBLISHED and v not in in_force]
    return in_force + current, before[:-1]


def _placed(session: Session, versions: list[_Version], task_id: str, day: date,
            worker_id: str | None) -> list[tuple[str, str]]:
    """(worker, task kind) of each route of `day` in `versions` that has `task_id`: only
    `worker_id`'s routes, or every worker's (None)."""
    found = []
    for version in versions:
        for route_day, worker, kind in _index(session, version).get(task_id, []):
            if route_day == day and (worker_id is None or worker == worker_id):
                found.append((worker, kind))
    return found


def _index(session: Session, version: _Version) -> dict[str, list[tuple[date, str, str]]]:
    key = (version.id, version.redactions)
    index = _INDEX.get(key)
    if index is None:
        index = index_of(plan_store.document_of(session, version.id))
        if len(_INDEX) >= _INDEX_KEPT:
            _INDEX.clear()
        _INDEX[key] = index
    return index


def index_of(document: dict[str, Any]) -> dict[str, list[tuple[date, str, str]]]:
    """Task id -> (route day, worker, task kind) of each route of the document it is on."""
    index: dict[str, list[tuple[date, str, str]]] = {}
    for route in document.get("routes", []):
        day = document_route_day(route)
        for task_id, kind in dict.fromkeys((s["task"], s["kind"]) for s in route["stops"]):
            index.setdefault(task_id, []).append((day, route["worker"], kind))
    return index


def _cancelled_before(session: Session, task_id: str, at: datetime) -> bool:
    """Whether `task_id`'s stored record was cancelled before `at` (a task with no record
    was planned from a scenario file: only its plans say)."""
    row = session.execute(select(Task.status, Task.updated_at).where(Task.id == task_id)
                          ).first()
    return row is not None and row.status == "cancelled" \
        and store.utc(row.updated_at) <= at.astimezone(UTC)
