"""The plan an offer query works against, made whole for the problem it is asked on.

The caller passes the day's published plan, else its latest draft, else None: the
promises alone. Every promised task the plan does not serve (all of them when there is
no plan) is inserted where it adds least travel, its first stop inside its promise:
cheap insertion, not a search, in the first of a few orders (`ORDERS`) that places them
all. Every other task the plan neither serves nor reports
(the new request's excepted) is reported as not in the basis, so the independent
checker sees each task accounted for.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

from optimiser.model import Plan, Problem, Reason, Task, TimeWindow, Unassigned, can_serve
from optimiser.offers.search import MAX_BETWEEN
from optimiser.offers.slots import Basis, Slot
from optimiser.offers.timing import Timed

NOT_IN_BASIS = "not in the plan the offer was made against"


def basis_plan(problem: Problem, basis: Plan | None, new_ids: tuple[str, ...],
               dur: list[list[int]] | None = None,
               orders: tuple[Callable[[Task], int], ...] | None = None) -> Plan:
    """`basis` (or an empty plan) with the missing promised tasks inserted and every
    other task of `problem` but `new_ids` served or reported (see the module's notes)."""
    plan = basis if basis is not None else Plan((), (), solver_status="promises")
    new = set(new_ids)
    served = {s.task_id for r in plan.routes for s in r.stops}
    reported = {u.task_id for u in plan.unassigned}
    missing = [t for t in problem.tasks if t.id not in served and t.id not in new]
    promised = [t for t in missing if t.promise is not None]
    plan, left = _placed(Basis(problem, plan, dur), promised,
                         orders or (*ORDERS, *(_shuffled(k) for k in range(SHUFFLES))))
    unassigned = [u for u in plan.unassigned if u.task_id not in new
                  and u.task_id not in {t.id for t in promised}]
    unassigned += left
    unassigned += [Unassigned(t.id, Reason.CAPACITY_EXHAUSTED, NOT_IN_BASIS) for t in missing
                   if t.promise is None and t.id not in reported]
    return dataclasses.replace(plan, unassigned=tuple(unassigned))


def _placed(basis: Basis, promised: list[Task], orders: tuple[Callable[[Task], int], ...]
            ) -> tuple[Plan, list[Unassigned]]:
    """The basis with `promised` inserted one by one (`cheapest`), in the first of
    `orders` that places them all, else the one that leaves fewest out."""
    best: tuple[Plan, list[Unassigned]] | None = None
    for order in orders:
        now, left = basis, []
        for _, task in sorted(enumerate(promised), key=lambda it: (
                it[1].ride is not None and it[1].ride.return_of is not None, order(it[1]),
                it[0])):
            placed = cheapest(now, task)
            if placed is None:
                left.append(Unassigned(task.id, Reason.CAPACITY_EXHAUSTED,
                                       "its promise cannot be kept in the plan"))
                continue
            slot, timed, _ = placed
            now = now.derived(now.with_route(slot, timed))
        if best is None or len(left) < len(best[1]):
            best = (now.plan, left)
        if not left:
            break
    assert best is not None
    return best


def _promise(task: Task) -> TimeWindow:
    assert task.promise is not None
    return task.promise


# Orders in which promised tasks are inserted, each tried while one leaves a promise out
# (greedy insertion is order-sensitive: on a day of 50 promises one order left 2 out
# where another placed all): the problem's own order (stored records: as promised, so
# the offers' own packing is repeated), the earliest promise first, the earliest to end
# first, the least room first; then `SHUFFLES` seeded random orders.
ORDERS: tuple[Callable[[Task], int], ...] = (
    lambda t: 0,
    lambda t: _promise(t).start_s,
    lambda t: _promise(t).end_s,
    lambda t: _promise(t).length_s - t.service_s,
)
SHUFFLES = 12


def _shuffled(seed: int) -> Callable[[Task], int]:
    draw = random.Random(seed)
    ranks: dict[str, int] = {}
    return lambda t: ranks.setdefault(t.id, draw.randrange(1 << 30))


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
