"""Who served whom in the weeks before a plan (continuity of care, issue 31): for each
client, the workers who came. A day with confirmed service (accepted `done` and
`picked_up` presses from the phones, issue 30) counts what was done; a day without it
counts the published plan of that day, as planned. A worker a client has seen is
*familiar*: a plan with `goals.familiar` prefers them (`optimiser.model.Client.familiar`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.convert.plan_document import document_route_day
from api.services.offer_problem import record_of
from api.store import plans as plan_store
from api.store.tables import FieldAction, PlanVersion, Task

WEEKS = 4  # how far back a worker stays familiar
CONFIRMED = ("done", "picked_up")


def familiar_workers(session: Session, before: date, weeks: int = WEEKS
                     ) -> dict[str, set[str]]:
    """Client id -> the workers who served them in the `weeks` before `before` (see the
    module's note)."""
    first, last = before - timedelta(weeks=weeks), before - timedelta(days=1)
    seen: dict[str, set[str]] = defaultdict(set)
    confirmed_days: set[date] = set()
    rows = session.execute(select(FieldAction.task_id, FieldAction.worker_id, FieldAction.day)
                           .where(FieldAction.day >= first, FieldAction.day <= last,
                                  FieldAction.status == "accepted",
                                  FieldAction.kind.in_(CONFIRMED))).all()
    clients = _clients_of(session, {record_of(r.task_id) for r in rows})
    for task_id, worker_id, day in rows:
        client = clients.get(record_of(task_id))
        if client is not None:
            seen[client].add(worker_id)
            confirmed_days.add(day)
    versions = session.scalars(select(PlanVersion.id).where(
        PlanVersion.status == plan_store.PlanStatus.PUBLISHED.value,
        PlanVersion.first_day <= last, PlanVersion.last_day >= first))
    for plan_id in versions:
        for route in plan_store.document_of(session, plan_id).get("routes", []):
            day = document_route_day(route)
            if not first <= day <= last or day in confirmed_days:
                continue
            for stop in route.get("stops", []):
                if stop.get("client"):
                    seen[stop["client"]].add(route["worker"])
    return dict(seen)


def _clients_of(session: Session, task_ids: set[str]) -> dict[str, str]:
    if not task_ids:
        return {}
    rows = session.execute(select(Task.id, Task.client_id).where(
        Task.id.in_(sorted(task_ids)), Task.client_id.is_not(None)))
    return {r.id: str(r.client_id) for r in rows}
