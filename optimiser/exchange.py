"""Priority repair after the search: a left-out task goes in where a served task of lower
rank (mandatory first, then priority) comes out, if the independent checker passes the
changed plan. A promised task (`Task.promise`) never comes out, for anything.

The search has such moves too (OR-Tools' exchange operators), but a search stopped by
its budget may leave one that pays. Tried on routes of visits and jobs without breaks
(their times follow from the order: each stop at its earliest start); the exchange is
tried at every position of every route whose worker can do the task.
"""

from __future__ import annotations

import dataclasses

from optimiser.check import check
from optimiser.model import (
    Plan,
    Problem,
    Reason,
    Route,
    Stop,
    StopAction,
    Task,
    TimeWindow,
    Unassigned,
    Worker,
    can_serve,
)


def _rank(task: Task) -> tuple[bool, int]:
    return task.mandatory, int(task.priority)


def _earliest(problem: Problem, worker: Worker, shift: TimeWindow, ids: list[str]
              ) -> tuple[Stop, ...] | None:
    """The stops of `ids` in order at their earliest starts, or None if they do not fit."""
    place, clock, stops = worker.start_location_id, shift.start_s, []
    for task_id in ids:
        task = problem.task(task_id)
        arrival = clock + problem.travel_s(place, task.location_id)
        starts = [max(arrival, w.start_s) for w in task.windows
                  if max(arrival, w.start_s) + task.service_s <= w.end_s]
        if not starts:
            return None
        start = min(starts)
        stops.append(Stop(task_id, task.location_id, arrival, start, start + task.service_s))
        place, clock = task.location_id, start + task.service_s
    return tuple(stops)


def _route_with(problem: Problem, route: Route, ids: list[str]) -> Route | None:
    worker = problem.worker(route.worker_id)
    stops = _earliest(problem, worker, worker.shifts[route.shift_index], ids)
    if stops is None:
        return None
    first = stops[0]
    start = first.start_s - problem.travel_s(worker.start_location_id, first.location_id)
    stops = (dataclasses.replace(first, arrival_s=first.start_s), *stops[1:])
    end = stops[-1].end_s + problem.travel_s(stops[-1].location_id, worker.end_location_id)
    return dataclasses.replace(route, start_s=start, end_s=end, stops=stops)


def _simple(route: Route) -> bool:
    return not route.breaks and all(s.action is StopAction.SERVE for s in route.stops)


def one_exchange(problem: Problem, plan: Plan, left_out: list[str]) -> tuple[Plan, str, str] | None:
    """The first exchange that pays: (changed plan, task put in, task taken out)."""
    for task_id in sorted(left_out, key=lambda t: _rank(problem.task(t)), reverse=True):
        task = problem.task(task_id)
        for r, route in enumerate(plan.routes):
            worker = problem.worker(route.worker_id)
            if not _simple(route) or not can_serve(problem, worker, task,
                                                   worker.shifts[route.shift_index]):
                continue
            for victim in route.stops:
                held = problem.task(victim.task_id)
                if held.promise is not None or _rank(held) >= _rank(task):
                    continue  # a promised task never comes out, whatever goes in
                rest = [s.task_id for s in route.stops if s is not victim]
                for pos in range(len(rest) + 1):
                    changed = _route_with(problem, route, rest[:pos] + [task_id] + rest[pos:])
                    if changed is None:
                        continue
                    routes = plan.routes[:r] + (changed,) + plan.routes[r + 1:]
                    served = {s.task_id for x in routes for s in x.stops}
                    # Reasons are the caller's; the checker needs each task accounted for.
                    candidate = dataclasses.replace(plan, routes=routes, unassigned=tuple(
                        Unassigned(t.id, Reason.CAPACITY_EXHAUSTED) for t in problem.tasks
                        if t.id not in served))
                    if not check(problem, candidate, promises=False):
                        return candidate, task_id, victim.task_id
    return None


def exchange_by_priority(problem: Problem, plan: Plan, left_out: list[str]
                         ) -> tuple[Plan, list[str]]:
    """Exchanges that pay, one after another, until none does; the plan and the tasks
    left out then (the plan's `unassigned` is not touched: the caller gives reasons)."""
    left = list(left_out)
    for _ in range(len(problem.tasks)):  # each exchange raises the plan's rank
        found = one_exchange(problem, plan, left)
        if found is None:
            break
        plan, put_in, taken_out = found
        left = [t for t in left if t != put_in] + [taken_out]
    return plan, left
