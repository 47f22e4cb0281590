"""The independent checker's rules of one route, re-computed from the matrices: the
route inside its shift, each stop reached in time and inside its windows, the skills,
load and seats it needs, a trip's ride no longer than allowed, and breaks (Labour Code
art. 134). `optimiser.check` applies them to every route of a plan."""

from __future__ import annotations

from collections import Counter

from optimiser.model import (
    Problem,
    Route,
    Stop,
    StopAction,
    Task,
    Vehicle,
    Worker,
    accepted_by_client,
)
from optimiser.violation import Violation


def route_violations(
    problem: Problem, worker: Worker, route: Route, tasks: dict[str, Task]
) -> list[Violation]:
    """The hard rules `route` of `worker` breaks on its own."""
    out: list[Violation] = []
    who = f"worker {worker.id!r} shift {route.shift_index}"
    if not 0 <= route.shift_index < len(worker.shifts):
        return [Violation("unknown_shift", f"{who}: no such shift")]
    shift = worker.shifts[route.shift_index]
    if route.start_s < shift.start_s or route.end_s > shift.end_s:
        out.append(Violation("availability", f"{who}: route {route.start_s}-{route.end_s} "
                                             f"outside shift {shift.start_s}-{shift.end_s}"))
    if route.start_s > route.end_s:
        out.append(Violation("route_times", f"{who}: starts after it ends"))

    # Walk the route: gaps between consecutive fixed activities hold travel and breaks.
    place = worker.start_location_id
    free_from = route.start_s
    gaps: list[tuple[int, int, int]] = []  # (gap start, gap end, travel inside it)
    load = 0
    on_board = Counter[str]()  # seats, wheelchair
    boarded: dict[str, Stop] = {}
    vehicle = problem.vehicle_of(worker)
    for stop in route.stops:
        task = tasks.get(stop.task_id)
        if task is None or stop.action not in task.actions:
            continue  # reported by _each_task_served_once_or_reported
        what = f"{who}: task {task.id!r} {stop.action.value}"
        location, service_s, windows = task.leg(stop.action)
        if stop.location_id != location:
            out.append(Violation("location", f"{what} at {stop.location_id!r}, "
                                             f"not at {location!r}"))
        if not task.required_skills <= worker.skills:
            missing = sorted(task.required_skills - worker.skills)
            out.append(Violation("skill", f"{what} needs skills {missing} the worker lacks"))
        if not accepted_by_client(problem, worker, task):
            out.append(Violation("client_rules", f"{what}: client {task.client_id!r} refuses "
                                                 "this worker or requires what they lack"))
        travel = problem.travel_s(place, location)
        paused = _break_time_within(route, free_from, stop.start_s)
        if stop.arrival_s != free_from + paused + travel:
            out.append(Violation("travel_time", f"{what}: arrival {stop.arrival_s} s, but leaving "
                                                f"at {free_from} s takes {travel} s of travel and "
                                                f"{paused} s of break"))
        if stop.start_s < stop.arrival_s:
            out.append(Violation("travel_time", f"{what}: starts at {stop.start_s} s before "
                                                f"arriving at {stop.arrival_s} s"))
        if stop.end_s != stop.start_s + service_s:
            out.append(Violation("service_time", f"{what}: lasts {stop.end_s - stop.start_s} s, "
                                                 f"needs {service_s} s"))
        if windows and not any(w.start_s <= stop.start_s and stop.end_s <= w.end_s
                               for w in windows):
            listed = ", ".join(f"{w.start_s}-{w.end_s}" for w in windows)
            out.append(Violation("time_window", f"{what}: {stop.start_s}-{stop.end_s} "
                                                f"outside its windows {listed}"))
        if task.ride is not None:
            out += _ride_violations(problem, what, task, stop, boarded, on_board, vehicle)
        gaps.append((free_from, stop.start_s, travel))
        load += task.demand if stop.action is StopAction.SERVE else 0
        place, free_from = location, stop.end_s
    for task_id in sorted(boarded):
        out.append(Violation("pairing", f"{who}: trip {task_id!r} is picked up but not dropped "
                                        "off on this route"))
    back = problem.travel_s(place, worker.end_location_id)
    gaps.append((free_from, route.end_s, back))
    if free_from + back > route.end_s:
        out.append(Violation("travel_time", f"{who}: cannot be back at "
                                            f"{worker.end_location_id!r} by {route.end_s} s"))
    if worker.capacity is not None and load > worker.capacity:
        out.append(Violation("capacity", f"{who}: load {load} exceeds capacity "
                                         f"{worker.capacity}"))
    out += _break_violations(problem, who, route, gaps)
    return out


def _ride_violations(
    problem: Problem, what: str, task: Task, stop: Stop, boarded: dict[str, Stop],
    on_board: Counter[str], vehicle: Vehicle | None,
) -> list[Violation]:
    assert task.ride is not None
    out: list[Violation] = []
    people = task.ride.passengers
    sign = 1 if stop.action is StopAction.PICKUP else -1
    on_board["seats"] += sign * people.seats
    on_board["wheelchair"] += sign * people.wheelchair
    if vehicle is None:
        out.append(Violation("capacity", f"{what}: the worker has no vehicle"))
    elif on_board["seats"] > vehicle.seats or on_board["wheelchair"] > vehicle.wheelchair_places:
        out.append(Violation("capacity", f"{what}: {on_board['seats']} seats and "
                                         f"{on_board['wheelchair']} wheelchair places in use, "
                                         f"vehicle {vehicle.id!r} has {vehicle.seats} and "
                                         f"{vehicle.wheelchair_places}"))
    if stop.action is StopAction.PICKUP:
        boarded[task.id] = stop
        return out
    pickup = boarded.pop(task.id, None)
    if pickup is None:
        out.append(Violation("pairing", f"{what}: dropped off before being picked up on this "
                                        "route"))
        return out
    ride = stop.start_s - pickup.end_s
    if ride > problem.max_ride_s(task):
        out.append(Violation("ride_time", f"{what}: passengers ride {ride} s, at most "
                                          f"{problem.max_ride_s(task)} s allowed", (task.id,)))
    return out


def _break_violations(
    problem: Problem, who: str, route: Route, gaps: list[tuple[int, int, int]]
) -> list[Violation]:
    out: list[Violation] = []
    rules = problem.rules
    for b in route.breaks:
        if b.end_s - b.start_s < rules.break_s:
            out.append(Violation("break", f"{who}: break {b.start_s}-{b.end_s} shorter than "
                                          f"{rules.break_s} s"))
        gap = next((g for g in gaps if g[0] <= b.start_s and b.end_s <= g[1]), None)
        if gap is None:
            out.append(Violation("break", f"{who}: break {b.start_s}-{b.end_s} overlaps a task "
                                          "or lies outside the route"))
    for start, end, travel in gaps:
        inside = _break_time_within(route, start, end)
        if end - start < travel + inside:
            out.append(Violation("break", f"{who}: {end - start} s between {start} s and {end} s "
                                          f"cannot hold {travel} s of travel and {inside} s of "
                                          "break"))
    if rules.break_after_s is None:
        return out
    cursor = route.start_s
    for b in sorted(route.breaks, key=lambda b: b.start_s):
        if b.end_s - b.start_s >= rules.break_s:
            if b.start_s - cursor > rules.break_after_s:
                out.append(Violation("break", f"{who}: works {b.start_s - cursor} s from "
                                              f"{cursor} s without a break"))
            cursor = max(cursor, b.end_s)
    if route.end_s - cursor > rules.break_after_s:
        out.append(Violation("break", f"{who}: works {route.end_s - cursor} s from {cursor} s "
                                      f"without a {rules.break_s} s break"))
    return out


def _break_time_within(route: Route, start_s: int, end_s: int) -> int:
    return sum(b.end_s - b.start_s for b in route.breaks
               if start_s <= b.start_s and b.end_s <= end_s)
