"""A client is in one place at a time: which of a client's tasks must not overlap.

A visit or a handyman job needs the client at home for its service. A bus trip takes
the client away: from its pickup until the drop-off of the trip that brings them back
(its return, `Ride.return_of`), or, with no return, until the end of that day; a trip
that ends at home keeps the client away until its drop-off ends. A return whose
outbound is planned belongs to the outbound's absence, which covers it; a trip of the
same client that picks up where an outbound dropped off, later, is taken as its return
when no `return_of` says so (the way home from the day centre entered on its own).

`clashes(problem, tasks)` lists the pairs of `tasks` that could overlap given their
windows: the search (the OR-Tools model) keeps each pair apart. The independent checker
(`optimiser.check`) has its own rule and does not use this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from optimiser.model import DAY_S, Plan, Problem, StopAction, Task


@dataclass(frozen=True)
class Absence:
    """Where a trip's client is away from home, by the tasks whose stops bound it.

    `starts_at_pickup`: the absence starts when `trip` picks up (else at the start of the
    day: the client was fetched elsewhere); `until`: the trip whose drop-off ends it (the
    return, or `trip` itself when it ends at home), None: the end of the day."""

    trip: Task
    starts_at_pickup: bool
    until: Task | None


@dataclass(frozen=True)
class Clash:
    """Two spans of one client's day that must not overlap: a task at home (`Task`) or
    an absence (`Absence`) each."""

    client_id: str
    first: Task | Absence
    second: Task | Absence


def returns_of(tasks: list[Task]) -> dict[str, Task]:
    """The trip that brings the client back from each outbound trip among `tasks`, by the
    outbound's id: its return (`return_of`), else the client's first later trip that
    picks up where the outbound dropped off and is nobody's return (a way home from the
    day centre entered as a trip of its own)."""
    back = {t.ride.return_of: t for t in tasks
            if t.ride is not None and t.ride.return_of is not None}
    taken = {t.id for t in back.values()}
    for out in sorted((t for t in tasks if t.ride is not None), key=_earliest):
        if out.id in back or out.id in taken or out.ride is None:
            continue
        later = [t for t in tasks if t.ride is not None and t.ride.return_of is None
                 and t.id not in taken and t.id != out.id and t.client_id == out.client_id
                 and t.location_id == out.ride.dropoff_location_id
                 and _earliest(t) >= _earliest(out)]
        if later:
            back[out.id] = min(later, key=_earliest)
            taken.add(back[out.id].id)
    return back


def _earliest(task: Task) -> int:
    return min(w.start_s for w in task.windows)


def absences(problem: Problem, tasks: list[Task]) -> list[Absence]:
    """The absences from home that the trips among `tasks` make."""
    back = returns_of(tasks)
    within = {t.id for t in back.values()}
    homes = {c.id: c.location_id for c in problem.clients}
    out: list[Absence] = []
    for trip in tasks:
        if trip.ride is None or trip.client_id is None or trip.id in within:
            continue  # a way back lies within its outbound's absence
        home = homes.get(trip.client_id)
        if trip.ride.dropoff_location_id == home:
            until: Task | None = trip
        else:
            until = back.get(trip.id)
        out.append(Absence(trip, trip.location_id == home, until))
    return out


def span_bounds(problem: Problem, item: Task | Absence) -> tuple[int, int]:
    """The earliest start and latest end the span can have, from windows and days."""
    if isinstance(item, Task):
        return min(w.start_s for w in item.windows), max(w.end_s for w in item.windows)
    day = problem.day_of(min(w.start_s for w in item.trip.windows))
    start = (min(w.start_s for w in item.trip.windows) if item.starts_at_pickup
             else problem.day_starts_s[day])
    if item.until is None:
        return start, day_end_s(problem, day)
    ride = item.until.ride
    assert ride is not None
    latest = max(w.end_s for w in ride.dropoff_windows) if ride.dropoff_windows else (
        day_end_s(problem, day))
    return start, latest + ride.alight_s


def day_end_s(problem: Problem, day: int) -> int:
    """The midnight that ends planned day `day` (seconds from the first midnight)."""
    starts = problem.day_starts_s
    if day + 1 < len(starts):
        return starts[day + 1]
    return problem.calendar.at(problem.calendar.dates[day], 24)


def clashes(problem: Problem, tasks: list[Task]) -> list[Clash]:
    """Pairs of one client's spans among `tasks` that could overlap (by their bounds)."""
    by_client: dict[str, list[Task | Absence]] = {}
    homes = {c.id: c.location_id for c in problem.clients}
    for task in tasks:
        if task.ride is None and task.client_id is not None and (
                task.location_id == homes.get(task.client_id)):
            by_client.setdefault(task.client_id, []).append(task)
    for absence in absences(problem, tasks):
        assert absence.trip.client_id is not None
        by_client.setdefault(absence.trip.client_id, []).append(absence)
    out: list[Clash] = []
    for client_id, spans in sorted(by_client.items()):
        bounds = [span_bounds(problem, s) for s in spans]
        for i, a in enumerate(spans):
            for j in range(i + 1, len(spans)):
                if bounds[i][0] < bounds[j][1] and bounds[j][0] < bounds[i][1]:
                    out.append(Clash(client_id, a, spans[j]))
    return out


def occupied(problem: Problem, plan: Plan, client_id: str) -> list[tuple[int, int, str]]:
    """When `plan` has the client at home for a task or away: (start s, end s, task id)."""
    stops = {(s.task_id, s.action): s for r in plan.routes for s in r.stops}
    served = [t for t in problem.tasks
              if t.client_id == client_id and (t.id, t.actions[0]) in stops]
    out = [(stops[(t.id, StopAction.SERVE)].start_s, stops[(t.id, StopAction.SERVE)].end_s,
            t.id) for t in served if t.ride is None]
    for absence in absences(problem, served):
        earliest, latest = span_bounds(problem, absence)
        start = (stops[(absence.trip.id, StopAction.PICKUP)].start_s
                 if absence.starts_at_pickup else earliest)
        drop = None if absence.until is None else stops.get(
            (absence.until.id, StopAction.DROPOFF))
        out.append((start, latest if drop is None else drop.end_s, absence.trip.id))
    return out


def elsewhere(problem: Problem, plan: Plan, task: Task) -> list[tuple[int, int, str]]:
    """What keeps the client of a task from it at every time it could be done (the spans
    of `occupied` in the way), or [] if some time is free. A visit or job needs its
    service time at home inside a window; a trip needs the client from its pickup until
    the end of the absence it starts (at the earliest: the drop-off that ends it, or the
    day's end when nothing brings them home)."""
    if task.client_id is None:
        return []
    busy = [b for b in sorted(occupied(problem, plan, task.client_id)) if b[2] != task.id]
    needed = task.service_s
    if task.ride is not None:
        mine = [a for a in absences(problem, list(problem.tasks)) if a.trip.id == task.id]
        if not mine:
            return []  # a way back: its outbound's absence says where the client is
        needed = _least_absence_s(problem, mine[0])  # from the pickup's start
    never = problem.day_starts_s[-1] + 2 * DAY_S  # after every span of the horizon
    for window in task.windows:
        free_from = window.start_s
        for start, end, _ in [*busy, (never, never, "")]:
            if free_from <= window.end_s - task.service_s and start - free_from >= needed:
                return []
            free_from = max(free_from, end)
    return [b for b in busy if any(b[0] < w.end_s + needed and w.start_s < b[1]
                                   for w in task.windows)]


def _least_absence_s(problem: Problem, absence: Absence) -> int:
    """The shortest time an absence lasts from its trip's pickup."""
    trip = absence.trip
    assert trip.ride is not None
    pickup = min(w.start_s for w in trip.windows)
    if absence.until is None:
        return max(0, day_end_s(problem, problem.day_of(pickup)) - pickup)
    ride = absence.until.ride
    assert ride is not None
    there = trip.service_s + problem.travel_s(trip.location_id, trip.ride.dropoff_location_id)
    if absence.until is trip:
        return there + ride.alight_s
    back = absence.until
    earliest_back = max(pickup + there + trip.ride.alight_s + ride.appointment_s,
                        min(w.start_s for w in back.windows))
    return (earliest_back - pickup + back.service_s
            + problem.travel_s(back.location_id, ride.dropoff_location_id) + ride.alight_s)
