"""A moved request and its published plan's re-plan (`POST /offers/accept` of a move,
`PUT /tasks/{id}/promise`): the old stop cancelled, the task as the plan's scenario
knows it again as a new request at its new promise."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request, Response

from api.app.replan_intake import start_replan
from api.schemas.offers import Accepted, OfferedWindow
from api.services.offer_problem import record_of
from api.services.parameters import Kind, default, solve_params
from api.settings import Settings
from api.store import plans, records, tables
from api.store.records import RecordNotFound


@dataclass(frozen=True)
class Was:
    """A moved task as it was before the move (its row changes in the session)."""

    id: str
    day: date
    kind: str


def was_of(row: tables.Task) -> Was:
    return Was(row.id, row.day, row.kind)


def stored_task(session: Any, record_id: str) -> Was | None:
    """The stored task or trip `record_id` as it is now (None: neither)."""
    for kind in ("tasks", "trips"):
        try:
            return was_of(records.get_record(session, records.KINDS[kind], record_id))
        except RecordNotFound:
            continue
    return None


def moved_request(session: Any, plan: tables.PlanVersion, was: Was, held: str,
                  window: OfferedWindow) -> dict[str, Any] | None:
    """The `new_request` event that puts the moved task back into `plan` at `window`
    (its id `ID~movedN`, N one more than the plan's scenario and events hold); None
    when the new day is not one of the plan's, or the scenario lacks the task."""
    if not plan.first_day <= window.day <= plan.last_day:
        return None
    job = session.get(tables.Job, plan.job_id)
    snapshot = job.request.get("scenario") if job is not None else None
    if not isinstance(snapshot, dict):
        return None
    added = [a.get("task") or a.get("trip") or {}
             for a in (plan.document.get("replanning") or {}).get("added", [])]
    items = [*snapshot.get("tasks", []), *snapshot.get("trips", []), *added]
    old = next((x for x in items if x.get("id") in (held, was.id)), None)
    if old is None:
        return None
    taken = {str(x.get("id")) for x in items}
    k = 1
    while f"{was.id}~moved{k}" in taken:
        k += 1
    promise = {"start": window.start, "end": window.end, "day": window.day.isoformat()}
    item = {key: value for key, value in old.items() if key != "series"}
    item.update(id=f"{was.id}~moved{k}", promise=promise)
    if "trip" in was.kind:
        item.update(day=window.day.isoformat())
        return {"kind": "new_request", "trip": item}
    duration = int(item.get("duration_min", 0))
    h, m = (int(x) for x in window.end.split(":"))
    end = min(h * 60 + m + duration, 23 * 60 + 59)
    item.update(windows=[{"start": window.start, "end": f"{end // 60:02d}:{end % 60:02d}",
                          "day": window.day.isoformat()}])
    item.pop("release_date", None)
    item.pop("due_date", None)
    return {"kind": "new_request", "task": item}


def replan_moved(session: Any, request: Request, response: Response, user: tables.User,
                 settings: Settings, was: Was, accepted: Accepted) -> str | None:
    """After a move (`was`: the task's record before it; the move is in the session,
    not committed): the published plan that held its old stop re-planned with a
    `cancelled` event for it and, when the new day is one of the plan's, the task again
    as a `new_request` at its new promise (`ID~movedN`: a plan's ids are never reused).
    Else the move is committed alone. The job's id, or None."""
    plan_id = plans.published_on(session, was.day)
    plan = plans.get_plan(session, plan_id) if plan_id else None
    held = [] if plan is None else sorted({
        s["task"] for r in plan.document.get("routes", []) for s in r.get("stops", [])
        if record_of(s["task"]) == was.id})
    if plan is None or not held or plan.job_id is None:
        session.commit()
        return None
    events: list[dict[str, Any]] = [{"kind": "cancelled", "task": t} for t in held]
    again = moved_request(session, plan, was, held[0], accepted.tasks[0])
    if again is not None:
        events.append(again)
    solve = solve_params(Kind.REPLAN, max_solutions=default(Kind.REPLAN, "max_solutions"),
                         server_time_limit_s=settings.replan_time_limit_s)
    job = start_replan(session, request, response, user, plan,
                       {"now": "00:00", "events": events}, solve, settings)
    return job.id
