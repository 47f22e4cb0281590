"""A check of a break's place that the break tests and the output tests share: a break at a
route's start only when no later one passes the checker."""

from __future__ import annotations

from dataclasses import replace

from optimiser.breaks import with_breaks
from optimiser.check import check
from optimiser.model import Break, Plan, Problem, Route


def assert_not_needlessly_early(p: Problem, plan: Plan, route: Route, pause: Break) -> None:
    """A break at the route's start, or at its start plus the drive to the first stop, only
    when no later start (minute by minute) passes the checker."""
    first = route.stops[0]
    worker = p.worker(route.worker_id)
    early = {route.start_s, route.start_s + p.travel_s(worker.start_location_id,
                                                      first.location_id)}
    if pause.start_s not in early:
        return
    length = pause.end_s - pause.start_s
    others = [b for b in route.breaks if b != pause]
    for t in range(pause.start_s + 60, route.end_s - length + 1, 60):
        moved = with_breaks(p, route, [*others, Break(t, t + length)])
        routes = tuple(moved if r is route else r for r in plan.routes)
        assert check(p, replace(plan, routes=routes)), (
            f"break at {pause.start_s} s could start at {t} s and still pass")
