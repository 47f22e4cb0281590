"""The basis plan read once per offer query: each worker shift as a `Slot` (its route's
legs, breaks and the limits the worker's other routes leave), and the insertion of a new
task's stops into a slot at given positions.

A slot of a shift the basis does not use is an empty route. Stops of the basis become
legs that may not start earlier than they do (`Leg.lb`), so inserting never moves a
planned stop earlier and moves a later one only as far as it must; an outbound's
drop-off whose return runs on another route may not end later than that return's
pickup minus the appointment (`Leg.ub`). Times in seconds, travel from the matrix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from optimiser.model import Plan, Problem, Route, StopAction, Task, TimeWindow, Worker
from optimiser.offers.timing import INF, Leg, Limits, Timed, simulate_with_breaks, task_legs
from optimiser.rules import route_day_index


@dataclass(frozen=True)
class Slot:
    """One worker shift: its route in the basis (None: unused) as legs and breaks."""

    worker: Worker
    shift_index: int
    route_index: int | None  # position in the basis plan's routes
    legs: tuple[Leg, ...]
    gap_breaks: dict[int, int]
    limits: Limits
    day: int
    travel_s: int  # the route's travel in the basis

    @property
    def key(self) -> tuple[str, int]:
        return self.worker.id, self.shift_index


class Basis:
    """The basis plan (routes and reported tasks) with its slots, built when first asked
    for, and travel lookups. `legs` caches each task's unbounded legs by the task object
    (a basis made from another with one task promised shares the rest)."""

    def __init__(self, problem: Problem, plan: Plan, dur: list[list[int]] | None = None,
                 legs: dict[int, tuple[Task, list[Leg]]] | None = None,
                 promised: dict[str, Task] | None = None) -> None:
        self.problem, self.plan = problem, plan
        self.promised = promised or {}  # tasks of `problem` as promised since
        self.dur: list[list[int]] = dur if dur is not None else problem.matrix.duration_s.tolist()
        self.legs = legs if legs is not None else {}
        self._built: dict[tuple[str, int], Slot] = {}
        self._route_at = {(r.worker_id, r.shift_index): k for k, r in enumerate(plan.routes)}
        self._day = [route_day_index(problem, r) for r in plan.routes]
        self._where = {(s.task_id, s.action): (s, k) for k, r in enumerate(plan.routes)
                       for s in r.stops}
        self._returns = {t.ride.return_of: t for t in problem.tasks
                         if t.ride is not None and t.ride.return_of is not None}

    def derived(self, plan: Plan, promised: dict[str, Task] | None = None) -> Basis:
        """A basis of `plan` sharing this one's problem, travel lookups and legs, with
        `promised` tasks (default: this one's) standing for the problem's."""
        return Basis(self.problem, plan, self.dur, self.legs,
                     self.promised if promised is None else promised)

    def task(self, task_id: str) -> Task:
        return self.promised.get(task_id) or self.problem.task(task_id)

    def shifts(self) -> list[tuple[Worker, int, TimeWindow]]:
        """(worker, shift index, shift) of every shift, a slot each."""
        return [(w, i, s) for w in self.problem.workers for i, s in enumerate(w.shifts)]

    def slot(self, worker: Worker, index: int) -> Slot:
        """The slot of `worker`'s shift `index` (built once)."""
        key = (worker.id, index)
        found = self._built.get(key)
        if found is None:
            k = self._route_at.get(key)
            route = self.plan.routes[k] if k is not None else None
            legs = [] if route is None else [self._leg(k, stop.task_id, stop.action,
                                                       stop.start_s) for stop in route.stops]
            found = self._built[key] = self._slot(worker, index, k, route, legs)
        return found

    def task_legs(self, task: Task) -> list[Leg]:
        """`timing.task_legs` of `task`, cached."""
        cached = self.legs.get(id(task))
        if cached is None or cached[0] is not task:
            cached = self.legs[id(task)] = (task, task_legs(self.problem, task))
        return cached[1]

    def _leg(self, k: int | None, task_id: str, action: StopAction, start: int) -> Leg:
        task = self.task(task_id)
        leg = next(x for x in self.task_legs(task) if x.action is action)
        ub = INF
        back = self._returns.get(task_id)
        if action is StopAction.DROPOFF and back is not None and back.ride is not None:
            pickup = self._where.get((back.id, StopAction.PICKUP))
            if pickup is not None and pickup[1] != k:
                ub = pickup[0].start_s - back.ride.appointment_s - leg.service_s
        return leg.bounded(start, ub)

    def _slot(self, worker: Worker, index: int, k: int | None, route: Route | None,
              legs: list[Leg]) -> Slot:
        problem = self.problem
        shift = worker.shifts[index]
        gaps: dict[int, int] = {}
        if route is not None:
            for b in route.breaks:
                gap = sum(1 for s in route.stops if s.end_s <= b.start_s)
                gaps[gap] = gaps.get(gap, 0) + 1
        day = problem.day_of(shift.start_s)
        others = [(r, self._day[j]) for j, r in enumerate(self.plan.routes)
                  if r.worker_id == worker.id and r.shift_index != index]
        rules = problem.rules
        work_left = INF
        if worker.max_work_s is not None:
            same_day = sum(r.work_s for r, d in others if d == day)
            work_left = worker.max_work_s - same_day
        if worker.max_week_s is not None:
            work_left = min(work_left, worker.max_week_s - sum(r.work_s for r, _ in others))
        earliest, latest = 0, INF
        if rules.rest_s is not None:
            for r, other_day in others:
                if other_day < day:
                    earliest = max(earliest, r.end_s + rules.rest_s)
                elif other_day > day:
                    latest = min(latest, r.start_s - rules.rest_s)
        busy: tuple[tuple[int, int], ...] = ()
        vehicle = problem.vehicle_of(worker)
        if vehicle is not None:
            drivers = {w.id for w in problem.workers if w.vehicle_id == vehicle.id}
            busy = tuple((r.start_s, r.end_s) for r in self.plan.routes
                         if r.worker_id in drivers and (r.worker_id, r.shift_index)
                         != (worker.id, index))
        limits = Limits(
            shift.start_s, shift.end_s, problem.location_index(worker.start_location_id),
            problem.location_index(worker.end_location_id),
            seats=vehicle.seats if vehicle is not None else 0,
            wheel=vehicle.wheelchair_places if vehicle is not None else 0,
            capacity=worker.capacity if worker.capacity is not None else INF,
            break_s=rules.break_s,
            break_after_s=rules.break_after_s if rules.break_after_s is not None else INF,
            work_left=work_left, earliest_start=earliest, latest_end=latest, busy=busy)
        return Slot(worker, index, k, tuple(legs), gaps, limits, day,
                    self.travel(limits, legs))

    def travel(self, limits: Limits, legs: Sequence[Leg]) -> int:
        """The travel of a route through `legs` (0 for none: an unused shift)."""
        if not legs:
            return 0
        dur = self.dur
        total, place = 0, limits.base
        for leg in legs:
            total += dur[place][leg.loc]
            place = leg.loc
        return total + dur[place][limits.home]

    def insert(self, slot: Slot, new: Sequence[Leg], positions: Sequence[int]
               ) -> tuple[Timed | None, int]:
        """`slot`'s route with `new[i]` inserted before its original leg `positions[i]`
        (positions non-decreasing): (timed route or None, travel it adds). The breaks of a
        gap that gets new stops are taken before the next planned stop or before the new
        ones, whichever ends the route earlier (it leaves the most room for more)."""
        legs, gaps = self._merged(slot, new, positions, late=True)
        added = self.travel(slot.limits, legs) - slot.travel_s
        timed = simulate_with_breaks(self.dur, legs, gaps, slot.limits)
        if any(slot.gap_breaks.get(p) for p in positions):
            legs, gaps = self._merged(slot, new, positions, late=False)
            other = simulate_with_breaks(self.dur, legs, gaps, slot.limits)
            if other is not None and (timed is None or other.end_s < timed.end_s):
                timed = other
        return timed, added

    @staticmethod
    def _merged(slot: Slot, new: Sequence[Leg], positions: Sequence[int], *, late: bool
                ) -> tuple[list[Leg], dict[int, int]]:
        legs: list[Leg] = []
        gaps: dict[int, int] = {}
        n = 0
        for k in range(len(slot.legs) + 1):
            if slot.gap_breaks.get(k) and not late:
                gaps[len(legs)] = slot.gap_breaks[k]
            while n < len(new) and positions[n] == k:
                legs.append(new[n])
                n += 1
            if slot.gap_breaks.get(k) and late:
                gaps[len(legs)] = slot.gap_breaks[k]
            if k < len(slot.legs):
                legs.append(slot.legs[k])
        return legs, gaps

    def without(self, slot: Slot, k: int) -> Plan | None:
        """The basis plan with the stop of `slot`'s leg `k` taken out, the route re-timed
        (its breaks around the stop kept in the gap it leaves); None if it cannot be."""
        legs = [leg for j, leg in enumerate(slot.legs) if j != k]
        if not legs:
            routes = [r for j, r in enumerate(self.plan.routes) if j != slot.route_index]
            return dataclasses.replace(self.plan, routes=tuple(routes))
        gaps: dict[int, int] = {}
        for gap, count in slot.gap_breaks.items():
            at = gap if gap <= k else gap - 1
            gaps[at] = gaps.get(at, 0) + count
        timed = simulate_with_breaks(self.dur, legs, gaps, slot.limits)
        return None if timed is None else self.with_route(slot, timed)

    def with_route(self, slot: Slot, timed: Timed) -> Plan:
        """The basis plan with `slot`'s route replaced by `timed`."""
        route = timed.route(slot.worker.id, slot.shift_index)
        routes = list(self.plan.routes)
        if slot.route_index is None:
            routes.append(route)
        else:
            routes[slot.route_index] = route
        return dataclasses.replace(self.plan, routes=tuple(routes))
