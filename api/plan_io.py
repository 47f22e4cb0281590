"""The plan as JSON (ISO 8601 with offset, seconds and metres) and as a terminal roster."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.table import Table

from api.scenario import Clock
from optimiser.check import Violation
from optimiser.kpi import kpis, route_figures
from optimiser.model import REASON_TEXT, Plan, Problem, Stop

PLAN_FORMAT = "trasa-plan/1"


def plan_to_json(
    problem: Problem, plan: Plan, clock: Clock, *, violations: list[Violation],
    meta: dict[str, Any],
) -> dict[str, Any]:
    locations = {loc.id: loc for loc in problem.locations}
    routes = []
    for route in plan.routes:
        worker = problem.worker(route.worker_id)
        fig = route_figures(problem, route)
        routes.append({
            "worker": worker.id,
            "worker_name": worker.name,
            "provider": worker.provider_id,
            "shift": route.shift_index,
            "start": clock.iso(route.start_s),
            "end": clock.iso(route.end_s),
            "travel_s": fig.travel_s,
            "distance_m": fig.distance_m,
            "service_s": fig.service_s,
            "work_s": fig.work_s,
            "stops": [
                {
                    "task": s.task_id,
                    "kind": problem.task(s.task_id).kind.value,
                    "action": s.action.value,
                    "client": problem.task(s.task_id).client_id,
                    "location": s.location_id,
                    "lat": locations[s.location_id].lat,
                    "lon": locations[s.location_id].lon,
                    "arrival": clock.iso(s.arrival_s),
                    "start": clock.iso(s.start_s),
                    "end": clock.iso(s.end_s),
                }
                for s in route.stops
            ],
            "breaks": [{"start": clock.iso(b.start_s), "end": clock.iso(b.end_s)}
                       for b in route.breaks],
        })
    return {
        "format": PLAN_FORMAT,
        **meta,
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
            for u in plan.unassigned
        ],
    }


def print_roster(console: Console, problem: Problem, plan: Plan, clock: Clock) -> None:
    for route in plan.routes:
        worker = problem.worker(route.worker_id)
        fig = route_figures(problem, route)
        provider = problem.provider(worker.provider_id)
        table = Table(
            title=f"{worker.name} ({provider.name}, {provider.kind.value.upper()}) "
                  f"{clock.hhmm(route.start_s)}-{clock.hhmm(route.end_s)}  "
                  f"{fig.distance_m / 1000:.1f} km, {fig.travel_s // 60} min driving",
            title_justify="left",
        )
        for column in ("arrive", "start", "end", "task", "kind", "client", "place"):
            table.add_column(column)
        rows = [(s.arrival_s, clock.hhmm(s.arrival_s), clock.hhmm(s.start_s), clock.hhmm(s.end_s),
                 s.task_id, _what(problem, s),
                 problem.task(s.task_id).client_id or "", s.location_id) for s in route.stops]
        rows += [(b.start_s, "", clock.hhmm(b.start_s), clock.hhmm(b.end_s), "break", "", "", "")
                 for b in route.breaks]
        for row in sorted(rows, key=lambda r: r[0]):
            table.add_row(*row[1:])
        console.print(table)
    if plan.unassigned:
        table = Table(title="Not served", title_justify="left")
        for column in ("task", "priority", "reason", "detail"):
            table.add_column(column)
        for u in plan.unassigned:
            task = problem.task(u.task_id)
            label = task.priority.name.lower() + (" (mandatory)" if task.mandatory else "")
            table.add_row(u.task_id, label, REASON_TEXT[u.reason], u.detail)
        console.print(table)


def print_summary(console: Console, problem: Problem, plan: Plan) -> None:
    k = kpis(problem, plan)
    console.print(
        f"served {k.served}/{k.tasks} tasks on {k.routes} routes; "
        f"{k.distance_m / 1000:.1f} km, {k.travel_s / 3600:.1f} h driving, "
        f"{k.service_s / 3600:.1f} h of service; by priority {k.served_by_priority}"
    )


def _what(problem: Problem, stop: Stop) -> str:
    task = problem.task(stop.task_id)
    if task.ride is None:
        return task.kind.value
    people = task.ride.passengers
    who = ", ".join(f"{n} {label}" for n, label in ((people.seated, "seated"),
                                                    (people.wheelchair, "wheelchair"),
                                                    (people.escort, "escort")) if n)
    return f"{stop.action.value} ({who})"
