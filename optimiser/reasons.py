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
    Task,
    TimeWindow,
    Worker,
    can_serve,
    ineligibility,
)


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


def slot_holders(problem: Problem, plan: Plan, task: Task, *, workers: int = 3,
                 stops: int = 4) -> str:
    """Who holds the slot a task left out for capacity would need, and what would free it.

    For each route whose worker could serve `task` on that shift: the stops that overlap
    the task's windows (the tasks occupying the qualified workers then). Then whether
    taking out one of them alone would leave time to go there, serve it inside a window
    and reach the next stop (travel and windows only: breaks and daily limits are not
    re-checked, so "would make room" is a lead for the coordinator, not a promise)."""
    hhmm = problem.calendar.hhmm
    held: list[str] = []
    frees: list[str] = []
    for route in plan.routes:
        worker = problem.worker(route.worker_id)
        if not can_serve(problem, worker, task, worker.shifts[route.shift_index]):
            continue
        busy = [s for s in route.stops if s.task_id != task.id and any(
            s.start_s < w.end_s and w.start_s < s.end_s for w in task.windows)]
        if not busy:
            continue
        if len(held) < workers:
            listed = ", ".join(f"{s.task_id} {hhmm(s.start_s)}-{hhmm(s.end_s)}"
                               for s in busy[:stops])
            held.append(f"{worker.id}: {listed}{', ...' if len(busy) > stops else ''}")
        frees += [f"{s.task_id} ({problem.task(s.task_id).priority.name.lower()}) on "
                  f"{worker.id}" for s in busy if _room_without(problem, route, s, task)]
    if not held:
        return ""
    room = (f"taking out {' or '.join(frees[:3])} alone would make room" if frees
            else "no single task taken out would make room")
    return f"the slot is held by {'; '.join(held)}; {room}"


def _room_without(problem: Problem, route: Route, removed: Stop, task: Task) -> bool:
    """Would `task` fit in the gap `removed` leaves (travel and windows only)?"""
    worker = problem.worker(route.worker_id)
    at = route.stops.index(removed)
    before = route.stops[at - 1] if at > 0 else None
    after = route.stops[at + 1] if at + 1 < len(route.stops) else None
    place = before.location_id if before else worker.start_location_id
    free_from = before.end_s if before else worker.shifts[route.shift_index].start_s
    arrive = free_from + problem.travel_s(place, task.location_id)
    next_place = after.location_id if after else worker.end_location_id
    due = after.start_s if after else worker.shifts[route.shift_index].end_s
    for w in task.windows:
        start = max(arrive, w.start_s)
        if (start + task.service_s <= w.end_s and start + task.service_s
                + problem.travel_s(task.location_id, next_place) <= due):
            return True
    return False


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
