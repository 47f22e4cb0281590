"""The plan in the terminal: one table per route, the tasks not served, a summary line."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from optimiser.kpi import kpis, route_figures
from optimiser.model import REASON_TEXT, Plan, Problem, Stop


def print_roster(console: Console, problem: Problem, plan: Plan) -> None:
    clock = problem.calendar
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
