"""The coordinator's live day: the day's published plan, route by route, planned against
what the phones said, with how far each route has got and the alerts of now
(`api.services.live_alerts`, the pure judgement). `GET /field/live` comes here; the
router applies each role's view.

"Now" is the server's clock (`TRASA_NOW` for tests and demonstrations) or the reader's
`now`; the slack before a stop is "running late" is `TRASA_LATE_SLACK_MIN`. A drop-off's
arrive-by is read from the plan's problem (`api.services.published_plan`); a plan that
does not read back still gives every alert but that one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from api.convert.plan_document import document_route_day
from api.render.field_words import ALERTS, STOP_STATES
from api.services import field_day as days
from api.services.live_alerts import LiveRoute, LiveStop, RouteState, judge
from api.services.published_plan import PlanNotReadable, read
from api.store import actuals as store
from api.store import plans as plan_store
from optimiser.calendar import DEFAULT_TIMEZONE
from optimiser.model import Problem, StopAction

ZONE = ZoneInfo(DEFAULT_TIMEZONE)


@dataclass(frozen=True)
class LiveDay:
    made: days.FieldDay
    now: datetime
    slack_min: int
    routes: list[RouteState]


def live_day(session: Session, day: date, now: datetime, slack_min: int, *,
             graph: str | None) -> LiveDay:
    """`day` as it stands at `now` (`field_day.NoPublishedPlan`)."""
    made = days.field_day(session, day)
    document = plan_store.document_of(session, made.plan_id)
    problem = _problem(session, made.plan_id, graph)
    routes = [_route(route, problem) for route in document.get("routes", [])
              if document_route_day(route) == day and route.get("stops")]
    pressed: dict[str, datetime] = {}
    for task_id, rows in made.accepted.items():
        pressed[task_id] = max(store.utc(r.phone_at) for r in rows).astimezone(ZONE)
    actuals = {k: replace(a, start=_local(a.start), end=_local(a.end))
               for k, a in made.actuals.items()}
    here = now.astimezone(ZONE)
    return LiveDay(made, here, slack_min, judge(routes, actuals, pressed, here, slack_min))


def _problem(session: Session, plan_id: str, graph: str | None) -> Problem | None:
    try:
        return read(session, plan_id, graph=graph).problem
    except PlanNotReadable:
        return None


def _route(route: dict[str, Any], problem: Problem | None) -> LiveRoute:
    vehicle = None
    if problem is not None:
        worker = next((w for w in problem.workers if w.id == route["worker"]), None)
        vehicle = worker.vehicle_id if worker is not None else None
    return LiveRoute(route["worker"], route.get("worker_name", ""), tuple(
        LiveStop(s["task"], s["kind"], s.get("action", "serve"), s.get("client"),
                 _time(s.get("arrival", s["start"])), _time(s["start"]), _time(s["end"]),
                 _due(problem, s)) for s in route["stops"]), vehicle)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(ZONE)


def _due(problem: Problem | None, stop: dict[str, Any]) -> datetime | None:
    """A drop-off's arrive-by: the end of its window (the one its planned start is in)."""
    if problem is None or stop.get("action") != "dropoff":
        return None
    try:
        task = problem.task(stop["task"])
    except KeyError:
        return None
    windows = task.leg(StopAction.DROPOFF)[2]
    if not windows:
        return None
    start = problem.calendar.seconds_of(_time(stop["start"]))
    due = next((w.end_s for w in windows if w.start_s <= start <= w.end_s), windows[0].end_s)
    return problem.calendar.moment(due).astimezone(ZONE)


def answer(live: LiveDay) -> dict[str, Any]:
    """The live day as JSON: routes with their progress and stops, the alerts (each with
    its words and, where a re-plan takes it as it is and now is on the day, the ready
    events body), the day's
    rejected presses, and the buses of the day (for their odometer)."""
    made = live.made
    today = live.now.date() == made.day  # a day past or ahead is not re-planned from now
    routes, alerts = [], []
    for state in live.routes:
        route = state.route
        routes.append({
            "worker": route.worker, "worker_name": route.worker_name,
            "vehicle": route.vehicle, "stops_total": len(state.stops),
            "finished": state.finished, "lateness_min": state.lateness_min,
            "stops": [{"number": s.number, "task": s.stop.task_id, "kind": s.stop.kind,
                       "action": s.stop.action, "client": s.stop.client,
                       "planned_arrival": s.stop.arrival.isoformat(),
                       "planned_start": s.stop.start.isoformat(),
                       "planned_end": s.stop.end.isoformat(),
                       "due": s.stop.due.isoformat() if s.stop.due else None,
                       "actual_start": _iso(s.actual_start), "actual_end": _iso(s.actual_end),
                       "state": s.state, "state_text": STOP_STATES[s.state],
                       "late_min": s.late_min} for s in state.stops]})
        alerts += [{"kind": a.kind.value, "text": ALERTS[a.kind.value], "worker": a.worker,
                    "worker_name": route.worker_name, "number": a.number, "task": a.task_id,
                    "action": a.action, "client": state.stops[a.number - 1].stop.client,
                    "minutes": a.minutes, "replan": a.replan if today else None}
                   for a in state.alerts]
    return {"day": made.day.isoformat(), "plan_id": made.plan_id,
            "now": live.now.isoformat(timespec="seconds"), "slack_min": live.slack_min,
            "closed_by": made.closed_by,
            "closed_at": made.closed_at.isoformat() if made.closed_at else None,
            "counts": days.counts(made), "routes": routes, "alerts": alerts,
            "rejected": days.rejected_rows(made),
            "vehicles": sorted({r["vehicle"] for r in routes if r["vehicle"]})}


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(ZONE) if moment else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
