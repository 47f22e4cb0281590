"""The plan document (JSON, `trasa-plan/1`): written from a problem and plan, and read back.

Times are ISO 8601 with the offset of the problem's time zone; durations in
seconds (`_s`), distances in metres (`_m`). `plan_document` is the one writer
(the CLI and the HTTP app both call it); `read_plan` turns a document back into
a domain `Plan` for the independent check (`trasa check`). See docs/plan.md.

Each route names its provider's kind (`provider_kind`: `"cus"` or `"pes"`) and each
stop its service (`service`: see `service_of`), so that a monthly report can be made
from documents alone (`api/render/report.py`). The reader does not need either.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from typing import Any, TypeVar

from api.convert.moments import aware_moment
from optimiser.check import Violation
from optimiser.kpi import kpis, route_figures
from optimiser.model import (
    REASON_TEXT,
    Break,
    Plan,
    Problem,
    Reason,
    Route,
    Stop,
    StopAction,
    Task,
    TaskKind,
    Unassigned,
)
from optimiser.rules import route_day, unserved_order

PLAN_FORMAT = "trasa-plan/1"

PHYSIO_SKILL = "physio"
SERVICES = ("physiotherapy", "handyman", "transport", "care")


def service_of(task: Task) -> str:
    """The service a task is, for reporting: `"physiotherapy"` (a visit that needs the
    `physio` skill), `"handyman"` (a job), `"transport"` (a trip), `"care"` (other visits)."""
    if task.kind is TaskKind.TRIP:
        return "transport"
    if task.kind is TaskKind.JOB:
        return "handyman"
    return "physiotherapy" if PHYSIO_SKILL in task.required_skills else "care"


def document_route_day(route: Mapping[str, Any]) -> date:
    """The day a route of a plan document belongs to: its `day` (the day its shift starts,
    `optimiser.rules.route_day`); a document written before `day` existed: its start's."""
    day = route.get("day")
    return date.fromisoformat(day if isinstance(day, str) else str(route["start"])[:10])


def promise_json(problem: Problem, stop: Stop) -> dict[str, str] | None:
    """The window promised for `stop` (the first stop of a promised task), else None."""
    task = problem.task(stop.task_id)
    if task.promise is None or stop.action is not task.actions[0]:
        return None
    iso = problem.calendar.iso
    return {"start": iso(task.promise.start_s), "end": iso(task.promise.end_s)}


class PlanDocumentError(ValueError):
    """A plan document that cannot be read; the message names the field and the value."""


def plan_document(problem: Problem, plan: Plan, *, violations: list[Violation],
                  network: dict[str, Any], solver: dict[str, Any]) -> dict[str, Any]:
    """The plan as a JSON-ready dict. `network` describes the road network used;
    `solver` the parameters of the solve (time limit, seed, ...)."""
    calendar = problem.calendar
    iso = calendar.iso
    locations = {loc.id: loc for loc in problem.locations}
    routes = []
    for route in plan.routes:
        worker = problem.worker(route.worker_id)
        fig = route_figures(problem, route)
        routes.append({
            "worker": worker.id,
            "worker_name": worker.name,
            "provider": worker.provider_id,
            "provider_kind": problem.provider(worker.provider_id).kind.value,
            "shift": route.shift_index,
            "day": route_day(problem, route).isoformat(),
            "start": iso(route.start_s),
            "end": iso(route.end_s),
            "travel_s": fig.travel_s,
            "distance_m": fig.distance_m,
            "service_s": fig.service_s,
            "work_s": fig.work_s,
            "stops": [
                {
                    "task": s.task_id,
                    "kind": problem.task(s.task_id).kind.value,
                    "action": s.action.value,
                    "service": service_of(problem.task(s.task_id)),
                    "client": problem.task(s.task_id).client_id,
                    "location": s.location_id,
                    "place": locations[s.location_id].name or s.location_id,
                    "lat": locations[s.location_id].lat,
                    "lon": locations[s.location_id].lon,
                    "arrival": iso(s.arrival_s),
                    "start": iso(s.start_s),
                    "end": iso(s.end_s),
                    "promise": promise_json(problem, s),
                }
                for s in route.stops
            ],
            "breaks": [{"start": iso(b.start_s), "end": iso(b.end_s)} for b in route.breaks],
        })
    stats = plan.stats
    return {
        "format": PLAN_FORMAT,
        "date": calendar.first_date.isoformat(),
        "days": calendar.days,
        "timezone": calendar.timezone,
        "scenario": problem.name,
        "network": network,
        "solver": {
            "status": plan.solver_status,
            "objective": plan.objective,
            **solver,
            "solve_time_s": stats.time_s,
            "solutions": stats.solutions,
            "cancelled": stats.cancelled,
            "warnings": list(stats.warnings),
        },
        "check": {"passed": not violations, "violations": [str(v) for v in violations]},
        "kpis": asdict(kpis(problem, plan)),
        "routes": routes,
        "unassigned": [
            {
                "task": u.task_id,
                "priority": problem.task(u.task_id).priority.name.lower(),
                "mandatory": problem.task(u.task_id).mandatory,
                "reason": u.reason.value,
                "explanation": REASON_TEXT[u.reason],
                "detail": u.detail,
            }
            for u in unserved_order(problem, plan.unassigned)
        ],
    }


def name_places(routes: list[dict[str, Any]], scenario: object) -> None:
    """Give each stop of `routes` (a plan document's) without a `place` (a document
    written before it) the name of its location in `scenario` (the scenario document the
    plan was made from), else its location id: the stop's own place, never a client's
    home unless the stop is there."""
    locations = scenario.get("locations", []) if isinstance(scenario, dict) else []
    names = {x.get("id"): x.get("name") for x in locations if isinstance(x, dict)}
    for route in routes:
        for stop in route["stops"]:
            stop["place"] = (stop.get("place") or names.get(stop.get("location"))
                             or stop.get("location"))


def packing_document(problem: Problem, plan: Plan) -> dict[str, Any]:
    """What `read_plan` reads of `plan` and no more (no figures, names or places): a
    stored packing of promises (`api.store.packings`)."""
    iso = problem.calendar.iso
    return {
        "format": PLAN_FORMAT, "date": problem.calendar.first_date.isoformat(),
        "timezone": problem.calendar.timezone,
        "routes": [{
            "worker": r.worker_id, "shift": r.shift_index, "start": iso(r.start_s),
            "end": iso(r.end_s),
            "stops": [{"task": s.task_id, "action": s.action.value, "location": s.location_id,
                       "arrival": iso(s.arrival_s), "start": iso(s.start_s),
                       "end": iso(s.end_s)} for s in r.stops],
            "breaks": [{"start": iso(b.start_s), "end": iso(b.end_s)} for b in r.breaks]}
            for r in plan.routes],
        "unassigned": [{"task": u.task_id, "reason": u.reason.value, "detail": u.detail}
                       for u in plan.unassigned],
    }


def plan_over(problem: Problem, document: dict[str, Any], *,
              without: frozenset[str] = frozenset()) -> Plan:
    """`read_plan` of a document made for an earlier state of `problem`'s days: stops of
    tasks it no longer has (cancelled, moved) or in `without` left out, and routes of
    workers or shifts it no longer has."""
    tasks = {t.id for t in problem.tasks} - without
    shifts = {w.id: len(w.shifts) for w in problem.workers}
    routes = []
    for r in document.get("routes", []):
        stops = [s for s in r.get("stops", []) if s.get("task") in tasks]
        if stops and r.get("shift", 0) < shifts.get(r.get("worker"), 0):
            routes.append({**r, "stops": stops})
    return read_plan(problem, {**document, "routes": routes, "unassigned": [
        u for u in document.get("unassigned", []) if u.get("task") in tasks]})


def read_plan(problem: Problem, document: object) -> Plan:
    """The domain plan a document describes, for `problem` (read from the same scenario).

    Only what the checker needs is read: routes (worker, shift, times, stops, breaks) and
    unassigned tasks; figures and KPIs are re-derived, never trusted."""
    doc = _Reader(problem, document)
    return doc.plan()


class _Reader:
    def __init__(self, problem: Problem, document: object) -> None:
        self.problem = problem
        self.root = _mapping(document, "document")
        if self.root.get("format") != PLAN_FORMAT:
            raise PlanDocumentError(f"format: expected {PLAN_FORMAT!r}, got "
                                    f"{self.root.get('format')!r}")
        for key, expected in (("date", problem.calendar.first_date.isoformat()),
                              ("timezone", problem.calendar.timezone)):
            if key in self.root and self.root[key] != expected:
                raise PlanDocumentError(f"{key}: {self.root[key]!r} is not the scenario's "
                                        f"{expected!r}")

    def plan(self) -> Plan:
        routes = tuple(self.route(r, f"routes[{i}]")
                       for i, r in enumerate(_list(self.root, "routes", "")))
        unassigned = tuple(self.unassigned(u, f"unassigned[{i}]")
                           for i, u in enumerate(_list(self.root, "unassigned", "")))
        solver = self.root.get("solver")
        status = solver.get("status", "") if isinstance(solver, dict) else ""
        return Plan(routes=routes, unassigned=unassigned, solver_status=str(status))

    def route(self, raw: object, where: str) -> Route:
        item = _mapping(raw, where)
        shift = item.get("shift")
        if not isinstance(shift, int) or isinstance(shift, bool):
            raise PlanDocumentError(f"{where}.shift: {shift!r} is not an integer")
        return Route(
            worker_id=_text(item, "worker", where), shift_index=shift,
            start_s=self.time(item, "start", where), end_s=self.time(item, "end", where),
            stops=tuple(self.stop(s, f"{where}.stops[{k}]")
                        for k, s in enumerate(_list(item, "stops", where))),
            breaks=tuple(self.pause(b, f"{where}.breaks[{k}]")
                         for k, b in enumerate(_list(item, "breaks", where))))

    def pause(self, raw: object, where: str) -> Break:
        item = _mapping(raw, where)
        return Break(self.time(item, "start", where), self.time(item, "end", where))

    def stop(self, raw: object, where: str) -> Stop:
        item = _mapping(raw, where)
        parsed = _member(StopAction, item, "action", where)
        return Stop(task_id=_text(item, "task", where),
                    location_id=_text(item, "location", where),
                    arrival_s=self.time(item, "arrival", where),
                    start_s=self.time(item, "start", where),
                    end_s=self.time(item, "end", where), action=parsed)

    def unassigned(self, raw: object, where: str) -> Unassigned:
        item = _mapping(raw, where)
        parsed = _member(Reason, item, "reason", where)
        detail = item.get("detail", "")
        return Unassigned(_text(item, "task", where), parsed, str(detail or ""))

    def time(self, item: dict[str, Any], key: str, where: str) -> int:
        moment = aware_moment(_text(item, key, where), f"{where}.{key}", PlanDocumentError)
        return self.problem.calendar.seconds_of(moment)


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PlanDocumentError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def _list(item: dict[str, Any], key: str, where: str) -> list[Any]:
    value = item.get(key, [])
    if not isinstance(value, list):
        raise PlanDocumentError(f"{where + '.' if where else ''}{key}: expected a list, got "
                                f"{type(value).__name__}")
    return value


_E = TypeVar("_E", bound=enum.StrEnum)


def _member(kind: type[_E], item: dict[str, Any], key: str, where: str) -> _E:
    text = _text(item, key, where)
    try:
        return kind(text)
    except ValueError:
        raise PlanDocumentError(f"{where}.{key}: {text!r} is not one of "
                                f"{', '.join(kind)}") from None


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise PlanDocumentError(f"{where}.{key}: expected a non-empty string, got {value!r}")
    return value
