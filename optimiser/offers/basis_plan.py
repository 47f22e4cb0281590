"""The plan an offer query works against, made whole for the problem it is asked on.

The caller passes the day's published plan, else its latest draft, else None: the
promises alone. Every promised task the plan does not serve (all of them when there is
no plan) is inserted where it adds least travel, its first stop inside its promise:
cheap insertion, not a search. Every other task the plan neither serves nor reports
(the new request's excepted) is reported as not in the basis, so the independent
checker sees each task accounted for.
"""

from __future__ import annotations

import dataclasses

from optimiser.model import Plan, Problem, Reason, Task, Unassigned, can_serve
from optimiser.offers.search import MAX_BETWEEN
from optimiser.offers.slots import Basis, Slot
from optimiser.offers.timing import Timed

NOT_IN_BASIS = "not in the plan the offer was made against"


def basis_plan(problem: Problem, basis: Plan | None, new_ids: tuple[str, ...],
               dur: list[list[int]] | None = None) -> Plan:
    """`basis` (or an empty plan) with the missing promised tasks inserted and every
    other task of `problem` but `new_ids` served or reported (see the module's notes)."""
    plan = basis if basis is not None else Plan((), (), solver_status="promises")
    new = set(new_ids)
    served = {s.task_id for r in plan.routes for s in r.stops}
    reported = {u.task_id for u in plan.unassigned}
    missing = [t for t in problem.tasks if t.id not in served and t.id not in new]
    promised = sorted((t for t in missing if t.promise is not None),
                      key=lambda t: (t.ride is not None and t.ride.return_of is not None,
                                     t.promise.start_s if t.promise else 0, t.id))
    left: list[Unassigned] = []
    basis_now = Basis(problem, plan, dur)
    for task in promised:
        placed = cheapest(basis_now, task)
        if placed is None:
            left.append(Unassigned(task.id, Reason.CAPACITY_EXHAUSTED,
                                   "its promise cannot be kept in the plan"))
            continue
        slot, timed, _ = placed
        plan = basis_now.with_route(slot, timed)
        basis_now = basis_now.derived(plan)
    unassigned = [u for u in plan.unassigned if u.task_id not in new
                  and u.task_id not in {t.id for t in promised}]
    unassigned += left
    unassigned += [Unassigned(t.id, Reason.CAPACITY_EXHAUSTED, NOT_IN_BASIS) for t in missing
                   if t.promise is None and t.id not in reported]
    return dataclasses.replace(plan, unassigned=tuple(unassigned))


def cheapest(basis: Basis, task: Task) -> tuple[Slot, Timed, Basis] | None:
    """The insertion of `task` (as it is: its windows, narrowed to its promise) that adds
    least travel, or None if it fits nowhere."""
    problem = basis.problem
    legs = list(basis.task_legs(task))
    out = problem.task(task.ride.return_of) if task.ride and task.ride.return_of else None
    if out is not None and out.ride is not None:
        drop = next((s for r in basis.plan.routes for s in r.stops
                     if s.task_id == out.id and s.action.value == "dropoff"), None)
        if drop is not None:
            legs[0] = legs[0].bounded(drop.end_s + task.ride.appointment_s if task.ride
                                      else 0, legs[0].ub)
    best: tuple[int, Slot, Timed] | None = None
    for worker, index, shift in basis.shifts():
        if not can_serve(problem, worker, task, shift):
            continue
        slot = basis.slot(worker, index)
        m = len(slot.legs)
        for p in range(m + 1):
            for q in ([p] if len(legs) == 1 else range(p, min(m, p + MAX_BETWEEN) + 1)):
                positions = (p,) if len(legs) == 1 else (p, q)
                timed, added = basis.insert(slot, legs, positions)
                if timed is not None and (best is None or added < best[0]):
                    best = (added, slot, timed)
    return None if best is None else (best[1], best[2], basis)
