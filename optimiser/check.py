"""Independent checker: re-computes every route from the matrices, never trusts the solver.

`check(problem, plan)` returns the list of violated hard rules; an empty list
means the plan may leave the program. It imports nothing from the solver.

The rules of one route are in `optimiser.check_route`, the rule of promises in
`optimiser.check_promises`; the rules across routes (each task served once, a client in
one place at a time, trip pairs, working time, a shared bus, series) are here. `Violation`
and `PlanRejected` live in `optimiser.violation` and are re-exported here.
"""

from __future__ import annotations

from collections import Counter

from optimiser.check_promises import PROMISE_RULE, promise_violations
from optimiser.check_route import route_violations
from optimiser.model import Continuity, Plan, Problem, Route, StopAction, Worker
from optimiser.rules import route_day_index
from optimiser.violation import PlanRejected, Violation

__all__ = ["PROMISE_RULE", "PlanRejected", "Violation", "check"]


def check(problem: Problem, plan: Plan, *, promises: bool = True) -> list[Violation]:
    """The hard rules `plan` breaks. `promises=False` leaves out the rule of promises
    (`optimiser.check_promises`): the search checks its own plans so, since a promise it
    could not keep is not its fault but a plan its caller must refuse to publish."""
    out: list[Violation] = []
    if promises:
        out += promise_violations(problem, plan)
    out += _each_task_served_once_or_reported(problem, plan)
    workers = {w.id: w for w in problem.workers}
    tasks = {t.id: t for t in problem.tasks}
    seen_shifts: set[tuple[str, int]] = set()
    by_worker: dict[str, list[Route]] = {}
    for route in plan.routes:
        worker = workers.get(route.worker_id)
        if worker is None:
            out.append(Violation("unknown_worker", f"route for unknown worker {route.worker_id!r}"))
            continue
        key = (route.worker_id, route.shift_index)
        if key in seen_shifts:
            out.append(Violation("shift_used_twice", f"worker {worker.id!r} has two routes in "
                                                     f"shift {route.shift_index}"))
        seen_shifts.add(key)
        by_worker.setdefault(worker.id, []).append(route)
        out += route_violations(problem, worker, route, tasks)
    for worker_id, routes in by_worker.items():
        out += _working_time_violations(problem, workers[worker_id], routes)
    out += _vehicle_violations(problem, plan)
    out += _series_violations(problem, plan)
    out += _client_violations(problem, plan)
    return out


def _client_violations(problem: Problem, plan: Plan) -> list[Violation]:
    """A client is in one place at a time, and a trip pair is served both or neither.

    At home for each visit or job at their home; away from a trip's pickup (from the day's
    start if fetched elsewhere) until the drop-off of the trip that brings them home (its
    return, or the trip itself), or until the day ends when nothing does."""
    out: list[Violation] = []
    stops = {(s.task_id, s.action): s for r in plan.routes for s in r.stops}
    served = {task_id for task_id, _ in stops}
    homes = {c.id: c.location_id for c in problem.clients}
    trips = {t.id: t for t in problem.tasks if t.ride is not None}
    back = {t.ride.return_of: t for t in trips.values() if t.ride and t.ride.return_of}
    for out_id, ret in sorted(back.items()):
        if out_id in trips and (out_id in served) != (ret.id in served):
            half, other = (out_id, ret.id) if out_id in served else (ret.id, out_id)
            if half in problem.begun:
                continue  # under way when re-planned: a fact, the other half is reported
            out.append(Violation("trip_pair", f"trip {half!r} is served without its pair "
                                              f"{other!r}: a client is never taken there "
                                              "without the way back", (half,)))
    # The trip that brings a client back: the served return, else the client's next served
    # trip from where this one dropped off (a way home entered as a trip of its own).
    whole = {t for t in trips if (t, StopAction.PICKUP) in stops
             and (t, StopAction.DROPOFF) in stops}  # else a pairing violation
    for task in sorted((trips[t] for t in whole),
                       key=lambda t: stops[(t.id, StopAction.PICKUP)].start_s):
        if task.id in back and back[task.id].id in served or task.ride is None:
            continue
        drop_end = stops[(task.id, StopAction.DROPOFF)].end_s
        later = [t for t in trips.values() if t.id in whole and t.ride is not None
                 and t.ride.return_of is None and t.client_id == task.client_id
                 and t.location_id == task.ride.dropoff_location_id
                 and stops[(t.id, StopAction.PICKUP)].start_s >= drop_end
                 and t not in back.values()]
        if later:
            back[task.id] = min(later, key=lambda t: stops[(t.id, StopAction.PICKUP)].start_s)
    brought_back = {t.id for out_id, t in back.items() if out_id in served and t.id in served}
    spans: dict[str, list[tuple[int, int, str, bool]]] = {}  # client: (start, end, task, home)
    for task in problem.tasks:
        if task.client_id is None or task.id not in served:
            continue
        home = homes.get(task.client_id)
        if task.ride is None:
            if task.location_id == home:
                stop = stops[(task.id, StopAction.SERVE)]
                spans.setdefault(task.client_id, []).append(
                    (stop.start_s, stop.end_s, task.id, True))
            continue
        if task.id in brought_back:
            continue  # inside its outbound's absence
        pickup = stops.get((task.id, StopAction.PICKUP))
        if pickup is None:
            continue  # a pairing violation, reported elsewhere
        day = problem.day_of(pickup.start_s)
        start = pickup.start_s if task.location_id == home else problem.day_starts_s[day]
        ender = task if task.ride.dropoff_location_id == home else back.get(task.id)
        drop = stops.get((ender.id, StopAction.DROPOFF)) if ender is not None else None
        if drop is not None and ender is not None and ender.ride is not None:
            end = drop.start_s + ender.ride.alight_s
        else:
            end = _midnight_after(problem, day)
        spans.setdefault(task.client_id, []).append((start, end, task.id, False))
    for client_id, items in sorted(spans.items()):
        for i, (s1, e1, t1, home1) in enumerate(items):
            for s2, e2, t2, home2 in items[i + 1:]:
                if s1 < e2 and s2 < e1 and not {t1, t2} <= problem.begun:
                    where = ("at home for both" if home1 and home2 else
                             "away on a trip for both" if not (home1 or home2) else
                             "at home and away on a trip at once")
                    out.append(Violation("client_elsewhere", f"client {client_id!r} is {where}: "
                                         f"task {t1!r} {s1}-{e1} s and task {t2!r} {s2}-{e2} s",
                                         (t1, t2)))
    return out


def _midnight_after(problem: Problem, day: int) -> int:
    starts = problem.day_starts_s
    if day + 1 < len(starts):
        return starts[day + 1]
    return problem.calendar.at(problem.calendar.dates[day], 24)


def _working_time_violations(problem: Problem, worker: Worker, routes: list[Route]
                             ) -> list[Violation]:
    """Daily and horizon limits of the contract, and the daily rest between working days."""
    out: list[Violation] = []
    valid = [r for r in routes if 0 <= r.shift_index < len(worker.shifts)]
    day_of_route = {id(r): route_day_index(problem, r) for r in valid}
    per_day = Counter[int]()
    for route in valid:
        per_day[day_of_route[id(route)]] += route.work_s

    def tasks_of(routes: list[Route]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.task_id for r in routes for s in r.stops))

    for day, total in sorted(per_day.items()):
        if worker.max_work_s is not None and total > worker.max_work_s:
            out.append(Violation("working_time", f"worker {worker.id!r} works {total} s on day "
                                                 f"{day}, contract limit {worker.max_work_s} s",
                                 tasks_of([r for r in valid if day_of_route[id(r)] == day])))
    total = sum(per_day.values())
    if worker.max_week_s is not None and total > worker.max_week_s:
        out.append(Violation("working_time", f"worker {worker.id!r} works {total} s in the "
                                             f"horizon, limit {worker.max_week_s} s",
                             tasks_of(valid)))
    rest = problem.rules.rest_s
    if rest is None:
        return out
    ordered = sorted(valid, key=lambda r: r.start_s)
    for a in ordered:
        for b in ordered:
            if day_of_route[id(b)] > day_of_route[id(a)] and b.start_s - a.end_s < rest:
                out.append(Violation("rest", f"worker {worker.id!r} rests {b.start_s - a.end_s} "
                                             f"s between days {day_of_route[id(a)]} and "
                                             f"{day_of_route[id(b)]}, needs {rest} s",
                                     tasks_of([a, b])))
    return out


def _vehicle_violations(problem: Problem, plan: Plan) -> list[Violation]:
    """A vehicle is driven by one route at a time."""
    out: list[Violation] = []
    by_vehicle: dict[str, list[Route]] = {}
    vehicle_of = {w.id: w.vehicle_id for w in problem.workers}
    for route in plan.routes:
        vehicle = vehicle_of.get(route.worker_id)
        if vehicle is not None:
            by_vehicle.setdefault(vehicle, []).append(route)
    for vehicle, routes in by_vehicle.items():
        ordered = sorted(routes, key=lambda r: r.start_s)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if b.start_s < a.end_s:
                out.append(Violation("vehicle_in_use", f"vehicle {vehicle!r} is driven by "
                                     f"{a.worker_id!r} until {a.end_s} s and by {b.worker_id!r} "
                                     f"from {b.start_s} s", tuple(s.task_id for s in b.stops)))
    return out


def _series_violations(problem: Problem, plan: Plan) -> list[Violation]:
    out: list[Violation] = []
    done = {s.task_id: (problem.day_of(s.start_s), r.worker_id)
            for r in plan.routes for s in r.stops}
    for series in problem.series:
        served = [(t, *done[t]) for t in series.task_ids if t in done]
        for i, (a, day_a, _) in enumerate(served):
            for b, day_b, _ in served[i + 1:]:
                if abs(day_b - day_a) < series.min_gap_days:
                    out.append(Violation("series_spacing", f"series {series.id!r}: sessions "
                                         f"{a!r} and {b!r} are {abs(day_b - day_a)} day(s) "
                                         f"apart, at least {series.min_gap_days} needed",
                                         (b,)))
        workers = {w for _, _, w in served}
        if series.continuity is Continuity.REQUIRED and len(workers) > 1:
            out.append(Violation("continuity", f"series {series.id!r} is split between "
                                               f"{sorted(workers)}",
                                 tuple(t for t, _, w in served if w != served[0][2])))
    return out


def _each_task_served_once_or_reported(problem: Problem, plan: Plan) -> list[Violation]:
    out: list[Violation] = []
    stops = Counter((s.task_id, s.action) for r in plan.routes for s in r.stops)
    served = Counter(s.task_id for r in plan.routes for s in r.stops)
    reported = Counter(u.task_id for u in plan.unassigned)
    known = {t.id: t for t in problem.tasks}
    for task_id in sorted(set(served) | set(reported)):
        if task_id not in known:
            out.append(Violation("unknown_task", f"plan mentions unknown task {task_id!r}"))
    for task_id, task in sorted(known.items()):
        counts = [stops[(task_id, a)] for a in task.actions]
        wrong_actions = served[task_id] - sum(counts)
        if wrong_actions:
            out.append(Violation("pairing", f"task {task_id!r} has {wrong_actions} stop(s) of "
                                            f"a kind it does not have ({task.kind.value})"))
        if max(counts) > 1:
            out.append(Violation("served_twice", f"task {task_id!r} served {max(counts)} times"))
        elif min(counts) != max(counts):
            out.append(Violation("pairing", f"trip {task_id!r} has a pickup without its "
                                            "drop-off or the other way round"))
        elif counts[0] == 0 and reported[task_id] == 0:
            out.append(Violation("task_lost", f"task {task_id!r} neither served nor reported "
                                              "unassigned"))
        elif counts[0] + reported[task_id] > 1:
            out.append(Violation("served_and_unassigned", f"task {task_id!r} is both served "
                                                          "and reported unassigned"))
    out += _linked_returns(problem, plan)
    return out


def _linked_returns(problem: Problem, plan: Plan) -> list[Violation]:
    out: list[Violation] = []
    stop = {(s.task_id, s.action): s for r in plan.routes for s in r.stops}
    for task in problem.tasks:
        if task.ride is None or task.ride.return_of is None:
            continue
        outbound = next((t for t in problem.tasks if t.id == task.ride.return_of), None)
        if outbound is not None and outbound.ride is not None and (
                task.location_id != outbound.ride.dropoff_location_id):
            out.append(Violation("return_trip", f"return trip {task.id!r} picks up at "
                                 f"{task.location_id!r}, not where {outbound.id!r} dropped off "
                                 f"({outbound.ride.dropoff_location_id!r})", (task.id,)))
        back = stop.get((task.id, StopAction.PICKUP))
        there = stop.get((task.ride.return_of, StopAction.DROPOFF))
        if back is not None and there is not None and (
                back.start_s < there.end_s + task.ride.appointment_s):
            out.append(Violation("return_trip", f"return trip {task.id!r} picks up at "
                                 f"{back.start_s} s, before the appointment after "
                                 f"{task.ride.return_of!r} ends at "
                                 f"{there.end_s + task.ride.appointment_s} s", (task.id,)))
    return out
