"""`keep_promises`: a plan that leaves a promise out, made to keep it if it can be.

A search ranks a promised task above everything (`optimiser.kpi.rank_of`), yet a short
one can still leave one out: a week of 240 promises at 100 solutions did. Every promise
was made by an offer that fitted it among the promises before it (`optimiser.offers`),
so the promises alone have a plan; this finds one cheaply, without a search:

1. each promised task left out inserted into the plan where it adds least travel (its
   first stop inside its promise), the plan's other work untouched;
2. if one fits nowhere: the promises alone (`basis_plan`, cheapest insertion in the order
   of their promises), then the plan's other tasks inserted back, by priority from
   urgent down, a trip with its return or not at all;
3. the same from `packing`, when the caller has one: a plan the promises were made
   against (the last accepted offer's, `api.store.packings`), its missing promises
   inserted. Packing many promises from nothing can fail where the offers, placing
   them one by one into the plan before, fitted them all.

The first of these that keeps every promise and passes the independent checker is
returned; else the plan as it was (its caller refuses it, naming the promise). A task
the second way could not put back is reported as giving way to the promises.
"""

from __future__ import annotations

import dataclasses
import logging

from optimiser.breaks import placed_breaks
from optimiser.check import check
from optimiser.model import Plan, Problem, Reason, Task, Unassigned
from optimiser.offers.basis_plan import basis_plan, cheapest
from optimiser.offers.slots import Basis
from optimiser.rules import gives_way

log = logging.getLogger(__name__)

GAVE_WAY = "gave way to promised tasks"


def keep_promises(problem: Problem, plan: Plan, packing: Plan | None = None) -> Plan:
    """`plan`, or a plan keeping the promises it leaves out (see the module's notes)."""
    served = {s.task_id for r in plan.routes for s in r.stops}
    missing = [t for t in problem.tasks if t.promise is not None and t.id not in served]
    if not missing:
        return plan
    dur: list[list[int]] = problem.matrix.duration_s.tolist()
    for way, made in (("inserted", lambda: _inserted(problem, plan, missing, dur)),
                      ("promises first", lambda: _promises_first(problem, plan, dur)),
                      ("from the packing", lambda: packing and _promises_first(
                          problem, plan, dur, packing))):
        candidate = made()
        if candidate is None:
            continue
        candidate = dataclasses.replace(candidate, objective=plan.objective,
                                        solver_status=plan.solver_status, stats=plan.stats)
        for made_plan in (_tidy(problem, plan, candidate), candidate):
            if not check(problem, made_plan):
                log.warning("kept %d promise(s) the search left out (%s)", len(missing), way)
                return made_plan
    return plan


def _inserted(problem: Problem, plan: Plan, missing: list[Task],
              dur: list[list[int]]) -> Plan | None:
    basis = Basis(problem, plan, dur)
    for task in _pairs_first(problem, missing):
        placed = cheapest(basis, task)
        if placed is None:
            return None
        slot, timed, _ = placed
        basis = basis.derived(basis.with_route(slot, timed))
    gone = {t.id for t in missing}
    return dataclasses.replace(basis.plan, unassigned=tuple(
        u for u in plan.unassigned if u.task_id not in gone))


def _promises_first(problem: Problem, plan: Plan, dur: list[list[int]],
                    packing: Plan | None = None) -> Plan | None:
    promised = {t.id for t in problem.tasks if t.promise is not None}
    packed = {s.task_id for r in (packing.routes if packing else ()) for s in r.stops}
    others = {t.id for t in problem.tasks} - promised - packed
    start = basis_plan(problem, packing, tuple(sorted(others)), dur)
    if {u.task_id for u in start.unassigned} & promised:
        return None
    basis = Basis(problem, dataclasses.replace(start, unassigned=()), dur)
    served = [problem.task(s.task_id) for r in plan.routes for s in r.stops
              if s.task_id in others]
    back: set[str] = packed - promised
    for group in _groups(problem, sorted(set(served), key=lambda t: gives_way(t),
                                         reverse=True)):
        trial = basis
        for task in group:
            placed = cheapest(trial, task)
            if placed is None:
                break
            slot, timed, _ = placed
            trial = trial.derived(trial.with_route(slot, timed))
        else:
            basis = trial
            back |= {t.id for t in group}
    was = {u.task_id: u for u in plan.unassigned}
    unassigned = [was.get(t) or Unassigned(t, Reason.CAPACITY_EXHAUSTED, GAVE_WAY)
                  for t in sorted(others - back)]
    return dataclasses.replace(basis.plan, unassigned=tuple(unassigned))


def _groups(problem: Problem, tasks: list[Task]) -> list[list[Task]]:
    """Each task alone, a trip with its return (outbound first) as one group."""
    ids = {t.id for t in tasks}
    groups: list[list[Task]] = []
    for task in tasks:
        if task.ride is not None and task.ride.return_of in ids:
            continue  # goes with its outbound
        back = [r for r in tasks if r.ride is not None and r.ride.return_of == task.id]
        groups.append([task, *back])
    return groups


def _pairs_first(problem: Problem, tasks: list[Task]) -> list[Task]:
    """Outbounds before returns, then by promise."""
    return sorted(tasks, key=lambda t: (t.ride is not None and t.ride.return_of is not None,
                                        t.promise.start_s if t.promise else 0, t.id))


def _tidy(problem: Problem, before: Plan, plan: Plan) -> Plan:
    """New routes with their breaks where a person would take them."""
    old = {id(r) for r in before.routes}
    return dataclasses.replace(plan, routes=tuple(
        r if id(r) in old else placed_breaks(problem, r, retime=False) for r in plan.routes))
