"""The rules of a worker's time in the routing model: each route inside its shift, the
contract limits per day and over the horizon, the daily rest between working days, breaks
(Labour Code art. 134), and one driver at a time in a shared bus.

`WorkerTimeRules` is a part of `optimiser.ortools.model.RoutingProblem` (it reads the
model the class builds); `breaks_needed` and `one_break_window` are the break rule the
SISR bridge applies too.
"""

from __future__ import annotations

import math

from ortools.constraint_solver import pywrapcp

from optimiser.model import LabourRules, Problem, TimeWindow, Worker


class WorkerTimeRules:
    """The `_add_*` methods of a worker's time; `RoutingProblem` sets the attributes."""

    problem: Problem
    shifts: list[tuple[Worker, int]]
    routing: pywrapcp.RoutingModel
    manager: pywrapcp.RoutingIndexManager
    time: pywrapcp.RoutingDimension
    horizon: int
    break_vehicle: dict[str, int]

    def _add_shifts(self) -> None:
        for v, (worker, k) in enumerate(self.shifts):
            shift = worker.shifts[k]
            for index in (self.routing.Start(v), self.routing.End(v)):
                self.time.CumulVar(index).SetRange(shift.start_s, shift.end_s)

    def _add_working_time_limits(self) -> None:
        """Contract limits per calendar day and over the horizon, and the rest between routes.

        Each route's span is an explicit non-negative variable so that bounds propagation
        tightens the route start and end: OR-Tools reports cumul values at their lower
        bounds, and a sum over raw cumul differences would not tighten them.
        """
        solver, time_dim = self.routing.solver(), self.time
        span = []
        for v in range(len(self.shifts)):
            var = solver.IntVar(0, self.horizon, f"span-{v}")
            solver.Add(var == time_dim.CumulVar(self.routing.End(v))
                       - time_dim.CumulVar(self.routing.Start(v)))
            span.append(var)
        by_worker: dict[str, list[int]] = {}
        for v, (w, _) in enumerate(self.shifts):
            by_worker.setdefault(w.id, []).append(v)
        for worker in self.problem.workers:
            vehicles = by_worker.get(worker.id, [])
            if worker.max_work_s is not None:
                by_day: dict[int, list[int]] = {}
                for v in vehicles:
                    day = self.problem.day_of(worker.shifts[self.shifts[v][1]].start_s)
                    by_day.setdefault(day, []).append(v)
                for same_day in by_day.values():
                    if len(same_day) == 1:
                        time_dim.SetSpanUpperBoundForVehicle(worker.max_work_s, same_day[0])
                    solver.Add(solver.Sum([span[v] for v in same_day]) <= worker.max_work_s)
            if worker.max_week_s is not None and vehicles:
                solver.Add(solver.Sum([span[v] for v in vehicles]) <= worker.max_week_s)
            self._add_rest(worker, vehicles)

    def _add_shared_vehicles(self) -> None:
        """Two drivers of one bus cannot drive it at the same time."""
        solver, routing, time_dim = self.routing.solver(), self.routing, self.time
        for a, (wa, ka) in enumerate(self.shifts):
            for b, (wb, kb) in enumerate(self.shifts[a + 1:], start=a + 1):
                if (wa.vehicle_id is None or wa.vehicle_id != wb.vehicle_id or wa.id == wb.id
                        or not wa.shifts[ka].overlap_s(wb.shifts[kb])):
                    continue
                a_first = solver.IsLessOrEqualVar(time_dim.CumulVar(routing.End(a)),
                                                  time_dim.CumulVar(routing.Start(b)))
                b_first = solver.IsLessOrEqualVar(time_dim.CumulVar(routing.End(b)),
                                                  time_dim.CumulVar(routing.Start(a)))
                solver.Add(a_first + b_first + 2 >= routing.ActiveVehicleVar(a)
                           + routing.ActiveVehicleVar(b) + 1)

    def _add_rest(self, worker: Worker, vehicles: list[int]) -> None:
        """Routes of a worker on different days leave at least rules.rest_s between them.

        Within one day a split shift (morning and evening) is allowed: the daily rest is
        between working days (Labour Code art. 132)."""
        rest = self.problem.rules.rest_s
        if rest is None:
            return
        solver, routing = self.routing.solver(), self.routing
        shift = {v: worker.shifts[self.shifts[v][1]] for v in vehicles}
        ordered = sorted(vehicles, key=lambda v: shift[v].start_s)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                if shift[a].end_s + rest <= shift[b].start_s:
                    break  # later shifts are further away still
                if self.problem.day_of(shift[a].start_s) == self.problem.day_of(
                        shift[b].start_s):
                    continue
                both = routing.ActiveVehicleVar(a) + routing.ActiveVehicleVar(b)
                solver.Add(self.time.CumulVar(routing.Start(b)) + self.horizon * (2 - both)
                           >= self.time.CumulVar(routing.End(a)) + rest)

    def _add_breaks(self, service: list[int]) -> None:
        rules = self.problem.rules
        if rules.break_after_s is None:
            return
        solver = self.routing.solver()
        visit = [service[self.manager.IndexToNode(i)] for i in range(self.routing.Size())]
        for v, (worker, k) in enumerate(self.shifts):
            shift = worker.shifts[k]
            count = breaks_needed(shift, rules)
            if count == 0:
                continue
            if count == 1:
                # One break, in the window that leaves no stretch of the shift longer than
                # the rule: OR-Tools can start a search from a given plan with it (warm
                # starts), which it cannot with the distance rule below.
                breaks = [solver.FixedDurationIntervalVar(
                    *one_break_window(shift, rules), rules.break_s, False, f"break-{v}-0")]
            else:
                breaks = [solver.FixedDurationIntervalVar(
                    shift.start_s, shift.end_s - rules.break_s, rules.break_s, True,
                    f"break-{v}-{i}") for i in range(count)]
            self.break_vehicle.update({b.Name(): v for b in breaks})
            self.time.SetBreakIntervalsOfVehicle(breaks, v, visit)
            if count > 1:
                self.time.SetBreakDistanceDurationOfVehicle(rules.break_after_s, rules.break_s,
                                                            v)


def breaks_needed(shift: TimeWindow, rules: LabourRules) -> int:
    """Breaks a shift needs so that no stretch of work is longer than the rule allows."""
    if rules.break_after_s is None or shift.length_s <= rules.break_after_s:
        return 0
    return math.ceil(shift.length_s / rules.break_after_s) - 1


def one_break_window(shift: TimeWindow, rules: LabourRules) -> tuple[int, int]:
    """The earliest and latest start of a shift's one break that leave no longer stretch."""
    assert rules.break_after_s is not None
    return (max(shift.start_s, shift.end_s - rules.break_after_s - rules.break_s),
            min(shift.start_s + rules.break_after_s, shift.end_s - rules.break_s))
