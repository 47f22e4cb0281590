"""A day planned against what really happened: each task of the day's published plan
with its planned start and end and its actual (folded from the phone's accepted actions,
or corrected), and the actions rejected for the day with their reasons. The API
(`GET /field/actuals`) and `trasa actuals` both come here; the API applies each role's
view (`api.app.privacy`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from api.convert.plan_document import document_route_day
from api.render.field_words import OUTCOMES, REJECTIONS
from api.store import actuals as store
from api.store import plans as plan_store
from api.store.tables import FieldAction
from optimiser.actuals import Actual, Outcome


class NoPublishedPlan(LookupError):
    """No published plan covers the day."""


@dataclass(frozen=True)
class Planned:
    """One task on a route of the day: who, what, when (the plan document's times)."""

    task_id: str
    kind: str
    client: str | None
    worker: str
    worker_name: str
    start: str
    end: str


@dataclass(frozen=True)
class FieldDay:
    day: date
    plan_id: str
    planned: list[Planned]
    actuals: dict[str, Actual]
    accepted: dict[str, list[FieldAction]]  # each task's accepted actions, pressed order
    rejected: list[FieldAction]
    closed_by: str | None
    closed_at: datetime | None

    @property
    def clients(self) -> list[str]:
        return [p.client for p in self.planned if p.client]


def field_day(session: Session, day: date) -> FieldDay:
    """`day` planned against actual (`NoPublishedPlan`)."""
    plan_id = plan_store.published_on(session, day)
    if plan_id is None:
        raise NoPublishedPlan(f"days/{day}: no published plan covers this day")
    planned = planned_of(plan_store.document_of(session, plan_id), day)
    closure = store.closure(session, day)
    tasks = [p.task_id for p in planned]
    accepted: dict[str, list[FieldAction]] = {}
    for row in store.actions_of(session, tasks):
        if row.status == store.ACCEPTED:
            accepted.setdefault(row.task_id, []).append(row)
    return FieldDay(day, plan_id, planned, store.actuals(session, tasks), accepted,
                    list(store.rejected_on(session, day)),
                    closure.closed_by if closure else None,
                    store.utc(closure.at) if closure else None)


def on_published_plan(session: Session, day: date, task_id: str) -> bool:
    """Whether `task_id` is on a route of `day` in the day's published plan."""
    plan_id = plan_store.published_on(session, day)
    return plan_id is not None and any(
        p.task_id == task_id for p in planned_of(plan_store.document_of(session, plan_id), day))


def planned_of(document: dict[str, Any], day: date) -> list[Planned]:
    """The tasks of `day`'s routes in route and stop order (a ride once: its pick-up's
    start to its drop-off's end)."""
    found: dict[str, Planned] = {}
    for route in document.get("routes", []):
        if document_route_day(route) != day:
            continue
        for stop in route["stops"]:
            seen = found.get(stop["task"])
            if seen is None:
                found[stop["task"]] = Planned(stop["task"], stop["kind"], stop.get("client"),
                                              route["worker"], route.get("worker_name", ""),
                                              stop["start"], stop["end"])
            else:
                found[stop["task"]] = Planned(seen.task_id, seen.kind, seen.client,
                                              seen.worker, seen.worker_name, seen.start,
                                              stop["end"])
    return list(found.values())


def rows(made: FieldDay) -> list[dict[str, Any]]:
    """Each planned task as JSON: planned times, the actual (outcome `unconfirmed` and no
    times when nothing was pressed), the outcome in words, the accepted presses."""
    out = []
    for p in made.planned:
        actual = made.actuals.get(p.task_id, Actual(p.task_id, Outcome.UNCONFIRMED))
        out.append({
            "task": p.task_id, "kind": p.kind, "client": p.client, "worker": p.worker,
            "worker_name": p.worker_name, "planned_start": p.start, "planned_end": p.end,
            "actual": {"outcome": actual.outcome.value,
                       "outcome_text": OUTCOMES[actual.outcome.value],
                       "start": actual.start.isoformat() if actual.start else None,
                       "end": actual.end.isoformat() if actual.end else None,
                       "delivered_s": actual.delivered_s, "reason": actual.reason,
                       "corrected": actual.corrected},
            "actions": [_action(r) for r in made.accepted.get(p.task_id, [])]})
    return out


def _action(row: FieldAction) -> dict[str, Any]:
    return {"key": row.key, "worker": row.worker_id, "kind": row.kind,
            "phone_at": store.utc(row.phone_at).isoformat(),
            "server_at": store.utc(row.server_at).isoformat(), "note": row.note,
            "reason": row.reason}


def rejected_rows(made: FieldDay) -> list[dict[str, Any]]:
    """The day's rejected actions as JSON, with the reason in words."""
    return [{**_action(r), "task": r.task_id, "rejected_why": r.rejected_why,
             "message": REJECTIONS.get(r.rejected_why or "", "")} for r in made.rejected]


def counts(made: FieldDay) -> dict[str, int]:
    """How many tasks of the day ended each way (every outcome named, zeros too)."""
    tally = dict.fromkeys((o.value for o in Outcome), 0)
    for row in rows(made):
        tally[row["actual"]["outcome"]] += 1
    return tally
