"""`making_room`: when a new task fits nowhere among the promises alone, one promised
visit or job moved (inside its promise, to any worker who may serve it) so that it fits.

Against the promises alone no schedule has been published, so a promised stop may move
anywhere its promise allows. The stops tried are those of workers who may serve the new
task, nearest in time to its wishes first, at most `MAX_TRIES` of them (a count, not a
clock, so the same query gives the same answer): on 31 requests of three generated days
that found no room, one move (with the wish-tail windows of `optimiser.offers.search`)
made room for 12, in at most 76 ms each.
"""

from __future__ import annotations

from optimiser.model import StopAction, Task, can_serve
from optimiser.offers.basis_plan import cheapest
from optimiser.offers.slots import Basis

MAX_TRIES = 30


def making_room(basis: Basis, task: Task) -> Basis | None:
    """A basis in which one promised stop has moved so that `task` (its wishes) fits
    (without it: the caller offers its windows), or None."""
    problem = basis.problem
    tried: list[tuple[int, str, int, int]] = []
    for k, route in enumerate(basis.plan.routes):
        worker = problem.worker(route.worker_id)
        if not can_serve(problem, worker, task, worker.shifts[route.shift_index]):
            continue
        for i, stop in enumerate(route.stops):
            moved = basis.task(stop.task_id)
            if stop.action is StopAction.SERVE and moved.promise is not None:
                apart = min(max(w.start_s - stop.start_s, stop.start_s - w.end_s, 0)
                            for w in task.windows)
                tried.append((apart, stop.task_id, k, i))
    for _, moved_id, k, i in sorted(tried)[:MAX_TRIES]:
        route = basis.plan.routes[k]
        slot = basis.slot(problem.worker(route.worker_id), route.shift_index)
        gone = basis.without(slot, i)
        if gone is None:
            continue
        room = basis.derived(gone)
        placed = cheapest(room, task)
        if placed is None:
            continue
        with_new = room.derived(room.with_route(placed[0], placed[1]))
        back = cheapest(with_new, basis.task(moved_id))
        if back is None:
            continue
        both = with_new.derived(with_new.with_route(back[0], back[1]))
        where = next((j, n) for j, r in enumerate(both.plan.routes)
                     for n, s in enumerate(r.stops) if s.task_id == task.id)
        r = both.plan.routes[where[0]]
        made = both.without(both.slot(problem.worker(r.worker_id), r.shift_index), where[1])
        if made is not None:
            return basis.derived(made)
    return None
