"""`repacked`: when a new task fits nowhere among the promises alone, even with one
promised stop moved (`making_room`), the day of its wishes planned again by the search.

Cheapest insertion places promises one by one, each where it adds least travel at the
time it is made; by the afternoon the day's promises can be packed so that a new visit
fits nowhere, though a plan of the same promises with the visit exists. A search (the
caller's `Planner`: `optimiser.solve` stopped by the solution count of `REPACK_PARAMS`,
passed in because `optimiser.solve` keeps promises with this package) plans the day's
promised tasks, each mandatory inside its promise as every later plan holds them, with
the new task made mandatory inside its wishes. When it serves them all, the new task's
stop is taken out again and the offers are looked for in the room it left. Only against
the promises alone (no plan published or drafted): a published plan's stops are not
moved to make an offer. Other days' routes are kept as they are, and the independent
checker passes every offer made from the result, as from any other basis.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from optimiser.model import Plan, Problem, Task
from optimiser.offers.slots import Basis
from optimiser.ortools.daywise import day_problem
from optimiser.params import SolveParams
from optimiser.rules import route_day_index

Planner = Callable[[Problem], Plan]
# The day's search stops at this many solutions (a count, not a clock: the same query
# gives the same answer); figures in docs/offers.md.
REPACK_PARAMS = SolveParams(max_solutions=10, time_limit_s=60.0, stall_solutions=None)
# Days one offer query may plan again (a count, as above); figures in docs/offers.md.
MAX_DAYS_PLANNED = 6


def repacked(basis: Basis, task: Task, planner: Planner) -> Basis | None:
    """A basis in which `task` (its wishes) fits after its wish day's promises were
    planned again by `planner` (see the module's notes), or None."""
    return Repacker(planner)(basis, task)


@dataclass
class Repacker:
    """`repacked` for one offer query: at most `days_left` days planned again in all (a
    series' sessions and each of its candidate windows may each ask for room)."""

    planner: Planner
    days_left: int = MAX_DAYS_PLANNED

    def __call__(self, basis: Basis, task: Task) -> Basis | None:
        for day in sorted({basis.problem.day_of(w.start_s) for w in task.windows}):
            if self.days_left <= 0:
                return None
            self.days_left -= 1
            made = _day_repacked(basis, task, day, self.planner)
            if made is not None:
                return made
        return None


def _day_repacked(basis: Basis, task: Task, day: int, planner: Planner) -> Basis | None:
    problem, plan = basis.problem, basis.plan
    on_day = {k for k, r in enumerate(plan.routes) if route_day_index(problem, r) == day}
    kept_ids = list(dict.fromkeys([*(s.task_id for k in sorted(on_day)
                                     for s in plan.routes[k].stops),
                                   *(t.id for t in problem.tasks if t.promise is not None
                                     and problem.day_of(t.promise.start_s) == day
                                     and t.id != task.id)]))
    tasks = [dataclasses.replace(basis.task(t), mandatory=True) for t in kept_ids]
    tasks.append(dataclasses.replace(task, mandatory=True))
    part = day_problem(problem, day, tasks, (), frozenset())
    if len(part.problem.tasks) != len(tasks):
        return None
    found = planner(part.problem)
    if found.unassigned:
        return None
    routes = [dataclasses.replace(r, shift_index=part.shift_of[(r.worker_id, r.shift_index)])
              for r in found.routes if r.stops]
    others = [r for k, r in enumerate(plan.routes) if k not in on_day]
    with_new = basis.derived(Plan(tuple(others + routes), plan.unassigned,
                                  solver_status=plan.solver_status))
    k, i = next((k, i) for k, r in enumerate(with_new.plan.routes)
                for i, s in enumerate(r.stops) if s.task_id == task.id)
    route = with_new.plan.routes[k]
    room = with_new.without(with_new.slot(problem.worker(route.worker_id),
                                          route.shift_index), i)
    return None if room is None else basis.derived(room)
