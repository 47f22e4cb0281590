"""Why a task is not served: test the task on its own against every worker shift.

`diagnose_alone` answers "could anyone do this task if it were the only task
of the day?". If not, the first failing test names the reason. If yes, the
task lost to others and `slot_holders` names the tasks that hold the slot it needed.
"""

from __future__ import annotations

from dataclasses import replace

from optimiser.model import (
    ELIGIBILITY_ORDER,
    Plan,
    Problem,
    Reason,
    Route,
    Stop,
    StopAction,
    Task,
    TimeWindow,
    Unassigned,
    Worker,
    accepted_by_client,
    can_serve,
    ineligibility,
)
from optimiser.presence import elsewhere
from optimiser.rules import gives_way


def diagnose_alone(problem: Problem, task: Task) -> Reason | None:
    """The reason no worker could serve `task` even alone, or None if someone could.

    Named after the test that the most promising worker failed (see `ineligibility`)."""
    failed = [ineligibility(problem, w, task) for w in problem.workers]
    furthest = max((len(ELIGIBILITY_ORDER) if r is None else ELIGIBILITY_ORDER.index(r)
                    for r in failed), default=0)
    if furthest <= ELIGIBILITY_ORDER.index(Reason.EXCEEDS_CAPACITY):
        return ELIGIBILITY_ORDER[furthest]
    if task.ride is not None and problem.travel_s(
            task.location_id, task.ride.dropoff_location_id) > problem.max_ride_s(task):
        return Reason.RIDE_TOO_LONG
    if furthest < len(ELIGIBILITY_ORDER):
        return ELIGIBILITY_ORDER[furthest]
    shifts = [(w, s) for w, reason in zip(problem.workers, failed, strict=True) if reason is None
              for s in w.shifts if can_serve(problem, w, task, s)]
    if not any(_fits_alone(problem, w, s, task) for w, s in shifts):
        return Reason.UNREACHABLE_IN_TIME
    return None


def _fits_alone(problem: Problem, worker: Worker, shift: TimeWindow, task: Task) -> bool:
    """Earliest-start simulation of the task's stops (one, or pickup and drop-off) in the shift."""
    legs = [task.leg(a) for a in task.actions]
    rules = problem.rules
    for first_window in legs[0][2]:
        place, clock, first_start, feasible = worker.start_location_id, shift.start_s, 0, True
        board_end = 0
        for n, (location, service_s, windows) in enumerate(legs):
            arrival = clock + problem.travel_s(place, location)
            options = (first_window,) if n == 0 else windows
            starts = [max(arrival, w.start_s) for w in options
                      if max(arrival, w.start_s) + service_s <= w.end_s] if options else [arrival]
            if not starts:
                feasible = False
                break
            start = min(starts)
            if n == 0:
                first_start = start - problem.travel_s(worker.start_location_id, location)
                board_end = start + service_s
            elif task.ride is not None and start - board_end > problem.max_ride_s(task):
                # Pick up later instead, if the pickup window allows: the ride gets shorter.
                delay = start - board_end - problem.max_ride_s(task)
                if board_end + delay > first_window.end_s:
                    feasible = False
                    break
                first_start += delay
            place, clock = location, start + service_s
        end = clock + problem.travel_s(place, worker.end_location_id)
        work = end - first_start
        if rules.break_after_s is not None and work > rules.break_after_s:
            # A break cannot interrupt a task: the drive there plus the task, or the task
            # plus the drive back, must fit in one stretch of work.
            go = problem.travel_s(worker.start_location_id, legs[0][0])
            back = problem.travel_s(place, worker.end_location_id)
            if min(go, back) + sum(service for _, service, _ in legs) > rules.break_after_s:
                feasible = False
            work += rules.break_s
            end += rules.break_s
        if feasible and end <= shift.end_s and (worker.max_work_s is None
                                                 or work <= worker.max_work_s):
            return True
    return False


def lost_to_others(problem: Problem, plan: Plan, task: Task) -> Unassigned:
    """Why a task that someone could serve alone is not in `plan`: its client is elsewhere
    at every time it could be done (naming what holds them), else the qualified workers'
    time is taken (naming who holds the slot and what would free it)."""
    away = elsewhere(problem, plan, task)
    if away:
        hhmm = problem.calendar.hhmm
        return Unassigned(task.id, Reason.CLIENT_ELSEWHERE, ", ".join(
            f"{t} {hhmm(a)}-{hhmm(b)}" for a, b, t in away))
    detail = slot_holders(problem, plan, task)
    ruled_out = ruled_out_by_client(problem, task)
    if ruled_out:  # what the client's refusals and requirements cost (a count, no names)
        wishes = f"the client's wishes rule out {ruled_out} qualified worker(s)"
        detail = f"{detail}; {wishes}" if detail else wishes
    return Unassigned(task.id, Reason.CAPACITY_EXHAUSTED, detail)


def ruled_out_by_client(problem: Problem, task: Task) -> int:
    """Workers who could serve `task` alone but for its client's refusals and
    requirements."""
    if task.client_id is None:
        return 0
    anyone = replace(task, client_id=None)
    return sum(1 for w in problem.workers if not accepted_by_client(problem, w, task)
               and ineligibility(problem, w, anyone) is None)


def slot_holders(problem: Problem, plan: Plan, task: Task, *, workers: int = 3,
                 stops: int = 4) -> str:
    """Who holds the slot a task left out for capacity would need, and what would free it.

    For each route whose worker could serve `task` on that shift: the stops that overlap
    the task's windows (the tasks occupying the qualified workers then), the worker named
    by name (and the vehicle, for a driver). Then which of them, taken out alone, would
    leave time to go there and serve it inside its windows (travel, windows, and for a
    trip the drop-off, the ride limit and the seats on board; breaks and daily limits
    are not re-checked, so "would make room" is a lead for the coordinator, not a
    promise). Only work that ranks below the task is offered for taking out (mandatory
    first, then priority): never work of equal or higher rank, so never work already
    started or done when a day is re-planned (that is pinned as mandatory and urgent)."""
    hhmm = problem.calendar.hhmm
    held: list[str] = []
    frees: list[str] = []
    lower = False
    for route in plan.routes:
        worker = problem.worker(route.worker_id)
        if not can_serve(problem, worker, task, worker.shifts[route.shift_index]):
            continue
        busy = [s for s in route.stops if s.task_id != task.id and any(
            s.start_s < w.end_s and w.start_s < s.end_s for w in task.windows)]
        if not busy:
            continue
        who = _who(problem, worker)
        if len(held) < workers:
            listed = ", ".join(f"{s.task_id} {hhmm(s.start_s)}-{hhmm(s.end_s)}"
                               for s in busy[:stops])
            held.append(f"{who}: {listed}{', ...' if len(busy) > stops else ''}")
        for held_id in dict.fromkeys(s.task_id for s in busy):
            other = problem.task(held_id)
            if gives_way(other) >= gives_way(task):
                continue
            lower = True
            if _room_without(problem, route, held_id, task):
                frees.append(f"{held_id} ({other.priority.name.lower()}) on {who}")
    if not held:
        return ""
    if frees:
        room = f"taking out {' or '.join(frees[:3])} alone would make room"
    elif lower:
        room = "no single task of lower priority taken out would make room"
    else:
        room = "every task holding it has equal or higher priority"
    return f"the slot is held by {'; '.join(held)}; {room}"


def _who(problem: Problem, worker: Worker) -> str:
    vehicle = problem.vehicle_of(worker)
    return worker.name + (f" ({vehicle.name})" if vehicle is not None and vehicle.name else "")


def _room_without(problem: Problem, route: Route, removed: str, task: Task) -> bool:
    """Would `task` (its stop, or a trip's pickup and drop-off one after the other) fit
    where task `removed` was, with all of `removed`'s stops taken out of `route`?"""
    worker = problem.worker(route.worker_id)
    shift = worker.shifts[route.shift_index]
    kept = [s for s in route.stops if s.task_id != removed]
    positions = sorted({sum(1 for s in route.stops[:i] if s.task_id != removed)
                        for i, s in enumerate(route.stops) if s.task_id == removed})
    for at in positions:
        before = kept[at - 1] if at > 0 else None
        after = kept[at] if at < len(kept) else None
        if task.ride is not None and not _seats_free(problem, worker, kept[:at], task):
            continue
        place = before.location_id if before else worker.start_location_id
        free_from = before.end_s if before else shift.start_s
        end = _legs_end(problem, task, place, free_from)
        if end is None:
            continue
        where, done = end
        next_place = after.location_id if after else worker.end_location_id
        due = after.start_s if after else shift.end_s
        if done + problem.travel_s(where, next_place) <= due:
            return True
    return False


def _legs_end(problem: Problem, task: Task, place: str, free_from: int
              ) -> tuple[str, int] | None:
    """Where and when `task`'s stops end, done one after the other as early as their
    windows allow from `place` at `free_from`; None if a window or the ride limit fails."""
    board_end = 0
    for n, action in enumerate(task.actions):
        location, service_s, windows = task.leg(action)
        arrival = free_from + problem.travel_s(place, location)
        starts = [max(arrival, w.start_s) for w in windows
                  if max(arrival, w.start_s) + service_s <= w.end_s] if windows else [arrival]
        if not starts:
            return None
        start = min(starts)
        if n == 1 and start - board_end > problem.max_ride_s(task):
            return None
        board_end = start + service_s
        place, free_from = location, start + service_s
    return place, free_from


def _seats_free(problem: Problem, worker: Worker, done: list[Stop], task: Task) -> bool:
    """Has the vehicle room for `task`'s passengers after the stops `done`?"""
    vehicle = problem.vehicle_of(worker)
    assert task.ride is not None
    if vehicle is None:
        return False
    seats, wheelchairs = task.ride.passengers.seats, task.ride.passengers.wheelchair
    for stop in done:
        ride = problem.task(stop.task_id).ride
        if ride is not None:
            sign = 1 if stop.action is StopAction.PICKUP else -1
            seats += sign * ride.passengers.seats
            wheelchairs += sign * ride.passengers.wheelchair
    return seats <= vehicle.seats and wheelchairs <= vehicle.wheelchair_places


def sessions_beyond_spacing(problem: Problem) -> dict[str, str]:
    """Sessions of a series that cannot get a day of their own given the spacing.

    Counts the days on which a session could be done alone, picks as many as the spacing
    allows (earliest first), and names the sessions left over with the days found."""
    out: dict[str, str] = {}
    for series in problem.series:
        days = sorted({problem.day_of(w.start_s) for t in series.task_ids
                       for w in problem.task(t).windows
                       if diagnose_alone(problem, replace(problem.task(t), windows=(w,))) is None})
        picked: list[int] = []
        for day in days:
            if not picked or day - picked[-1] >= series.min_gap_days:
                picked.append(day)
        for task_id in series.task_ids[len(picked):]:
            out[task_id] = (f"series {series.id!r}: {len(series.task_ids)} sessions, only "
                            f"{len(picked)} day(s) {series.min_gap_days} apart can take one")
    return out
