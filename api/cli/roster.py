"""The plan in the terminal: one table per route, the tasks not served, a summary line."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from optimiser.kpi import kpis, route_figures
from optimiser.model import REASON_TEXT, Plan, Problem, Stop
from optimiser.replan import Change


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


def print_changes(console: Console, problem: Problem, changes: Sequence[Change]) -> None:
    """What re-planning changed, worker by worker: added, removed (and why), re-timed."""
    if not changes:
        console.print("no stop changed")
        return
    hhmm = problem.calendar.hhmm
    days = len({c.day for c in changes}) > 1
    table = Table(title="changes", title_justify="left")
    for column in ("worker", *(["day"] if days else []), "change", "task", "stop", "was",
                   "now", "why"):
        table.add_column(column, overflow="fold")
    for c in changes:
        table.add_row(c.worker_id, *([problem.calendar.dates[c.day].isoformat()] if days
                                     else []), c.kind.value,
                      c.task_id, c.action.value, "" if c.before_s is None else hhmm(c.before_s),
                      "" if c.after_s is None else hhmm(c.after_s), c.reason)
    console.print(table)
