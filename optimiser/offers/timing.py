"""The times of one route with a stop or two inserted: a fast re-simulation of the
checker's rules (`optimiser.check_route`), run many times per offer query.

A route is a list of `Leg`s (one a stop: where, how long, when it may start) and its
breaks, kept as lengths per gap (gap k lies before leg k; gap m after the last leg).
`simulate` walks the legs as the checker does: from the previous end (or the route's
start) the worker takes the gap's breaks (each starts when the previous stop ends,
before driving on, as `optimiser.breaks` prefers), drives, and starts the stop at the
earliest moment that is no earlier than

- its arrival,
- the time it had in the basis plan (`Leg.lb`: a stop already planned is never moved
  earlier, so stops before the inserted one keep their times and a stop after it is
  pushed later only as far as the insertion needs),
- for a return trip, its outbound's drop-off end plus the appointment,

inside one of its windows (a promised task's windows are already narrowed to its
promise, `optimiser.promises.promise_windows`) and no later than `Leg.ub`. It keeps
the vehicle's seats and wheelchair places, the worker's load, each trip's longest ride
(a pickup is delayed when the passengers would sit too long waiting for a drop-off
window), the shift, the labour rule (no stretch of work longer than `break_after_s`;
where the breaks do not keep it they are moved, or one is added) and the worker's limits
over routes (`Limits`: hours per day and horizon, daily rest, a shared vehicle).

Times are integer seconds from local midnight of the first planned day.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from optimiser.model import Break, Problem, Route, Stop, StopAction, Task
from optimiser.promises import promise_windows

INF = 1 << 60
_MAX_BREAK_LAYOUTS = 60  # gap combinations tried when the labour rule needs breaks moved


class Leg:
    """One stop to time: `loc` is the location's matrix index, `windows` (start, end)
    pairs (empty: any time), `lb`/`ub` the earliest and latest start allowed."""

    __slots__ = ("action", "after", "appointment_s", "avoid", "demand", "lb", "loc",
                 "location_id", "max_ride_s", "seats", "service_s", "task_id", "ub", "wheel",
                 "windows")

    def __init__(self, task_id: str, action: StopAction, loc: int, location_id: str,
                 service_s: int, windows: tuple[tuple[int, int], ...], lb: int = 0,
                 ub: int = INF, *, demand: int = 0, seats: int = 0, wheel: int = 0,
                 max_ride_s: int = INF, after: str | None = None,
                 appointment_s: int = 0, avoid: tuple[tuple[int, int], ...] = ()) -> None:
        self.task_id, self.action, self.loc, self.location_id = task_id, action, loc, location_id
        self.service_s, self.windows, self.lb, self.ub = service_s, windows, lb, ub
        self.demand, self.seats, self.wheel, self.max_ride_s = demand, seats, wheel, max_ride_s
        self.after, self.appointment_s = after, appointment_s
        self.avoid = avoid  # (start, end) the stop may not overlap: its client is elsewhere

    def bounded(self, lb: int, ub: int, avoid: tuple[tuple[int, int], ...] | None = None
                ) -> Leg:
        return Leg(self.task_id, self.action, self.loc, self.location_id, self.service_s,
                   self.windows, lb, ub, demand=self.demand, seats=self.seats,
                   wheel=self.wheel, max_ride_s=self.max_ride_s, after=self.after,
                   appointment_s=self.appointment_s,
                   avoid=self.avoid if avoid is None else avoid)


def task_legs(problem: Problem, task: Task, windows: tuple[tuple[int, int], ...] | None = None
              ) -> list[Leg]:
    """The legs of `task` (a visit's one, a trip's pickup and drop-off), unbounded;
    the first stop's windows narrowed to the task's promise, or to `windows` if given."""
    if windows is None:
        own = task.windows if task.promise is None else promise_windows(task, task.promise)
        windows = tuple((w.start_s, w.end_s) for w in own)
    loc = problem.location_index(task.location_id)
    if task.ride is None:
        return [Leg(task.id, StopAction.SERVE, loc, task.location_id, task.service_s, windows,
                    demand=task.demand)]
    ride, people = task.ride, task.ride.passengers
    drop = ride.dropoff_location_id
    return [
        Leg(task.id, StopAction.PICKUP, loc, task.location_id, task.service_s, windows,
            seats=people.seats, wheel=people.wheelchair, after=ride.return_of,
            appointment_s=ride.appointment_s),
        Leg(task.id, StopAction.DROPOFF, problem.location_index(drop), drop, ride.alight_s,
            tuple((w.start_s, w.end_s) for w in ride.dropoff_windows),
            seats=-people.seats, wheel=-people.wheelchair, max_ride_s=problem.max_ride_s(task)),
    ]


@dataclass(frozen=True)
class Limits:
    """What a route may take beyond its own stops: the shift, the vehicle's room, the
    load, the labour rule, and the windows the worker's other routes leave
    (`busy`: (start, end) no route of this worker's vehicle may overlap; `rest_before`/
    `rest_after`: the latest end and earliest start the daily rest allows; `work_left`:
    the longest this route may be under the day's and horizon's contract hours)."""

    shift_start: int
    shift_end: int
    base: int
    home: int
    seats: int = INF
    wheel: int = INF
    capacity: int = INF
    break_s: int = 900
    break_after_s: int = INF
    work_left: int = INF
    earliest_start: int = 0
    latest_end: int = INF
    busy: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Timed:
    """A simulated route: start, end, (leg, arrival, start, end) per stop, breaks."""

    start_s: int
    end_s: int
    stops: tuple[tuple[Leg, int, int, int], ...]
    breaks: tuple[tuple[int, int], ...]

    def start_of(self, task_id: str) -> int:
        return next(s for leg, _, s, _ in self.stops if leg.task_id == task_id)

    def route(self, worker_id: str, shift_index: int) -> Route:
        return Route(worker_id, shift_index, self.start_s, self.end_s, tuple(
            Stop(leg.task_id, leg.location_id, arrival, start, end, leg.action)
            for leg, arrival, start, end in self.stops),
            tuple(Break(a, b) for a, b in self.breaks))


def _start_in(leg: Leg, earliest: int) -> int:
    """The earliest start >= `earliest` inside a window of `leg`, <= its `ub` and clear
    of its `avoid` spans, or -1."""
    service = leg.service_s
    for _ in range(len(leg.avoid) + 1):
        if earliest > leg.ub:
            return -1
        start = earliest
        if leg.windows:
            start = next((max(a, earliest) for a, b in leg.windows
                          if max(a, earliest) + service <= b), -1)
            if start < 0 or start > leg.ub:
                return -1
        clash = next((b for a, b in leg.avoid if a < start + service and start < b), None)
        if clash is None:
            return start
        earliest = clash
    return -1


def simulate(dur: Sequence[Sequence[int]], legs: Sequence[Leg], gap_breaks: dict[int, int],
             limits: Limits) -> Timed | None:
    """`legs` timed with `gap_breaks[k]` breaks before leg k (see the module's notes), or
    None where a rule fails. The route leaves as late as its first stop allows."""
    return simulate_why(dur, legs, gap_breaks, limits)[0]


def simulate_why(dur: Sequence[Sequence[int]], legs: Sequence[Leg], gap_breaks: dict[int, int],
                 limits: Limits) -> tuple[Timed | None, bool]:
    """`simulate`, and whether only the labour rule failed (breaks placed elsewhere
    might keep it)."""
    for _ in range(4):  # a too-long ride delays its pickup, a route that must leave later
        # its first stop: then the walk starts again
        timed, late, labour = _walk(dur, legs, gap_breaks, limits)
        if late is None:
            return timed, labour
        legs = late
    return None, False


def _walk(dur: Sequence[Sequence[int]], legs: Sequence[Leg], gap_breaks: dict[int, int],
          limits: Limits) -> tuple[Timed | None, list[Leg] | None, bool]:
    break_s = limits.break_s
    free = route_start = limits.shift_start
    place = limits.base
    stops: list[tuple[Leg, int, int, int]] = []
    gaps: list[tuple[int, int, int]] = []  # (opens, closes, breaks) of gaps with breaks
    seats = wheel = load = 0
    boarded: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for k, leg in enumerate(legs):
        paused = gap_breaks.get(k, 0)
        arrival = free + paused * break_s + dur[place][leg.loc]
        earliest = arrival if arrival > leg.lb else leg.lb
        if leg.after is not None:
            if leg.after in boarded:
                return None, None, False  # a return before its outbound's drop-off
            if leg.after in dropped:
                earliest = max(earliest, dropped[leg.after] + leg.appointment_s)
        start = _start_in(leg, earliest)
        if start < 0:
            return None, None, False
        end = start + leg.service_s
        if k == 0:  # leave as late as the first stop allows, breaks taken on the way
            free = route_start = start - dur[place][leg.loc] - paused * break_s
            arrival = start
        if leg.action is StopAction.PICKUP:
            boarded[leg.task_id] = end
        elif leg.action is StopAction.DROPOFF:
            pickup_end = boarded.pop(leg.task_id, None)
            if pickup_end is not None and start - pickup_end > leg.max_ride_s:
                late = _delay_pickup(legs, leg.task_id, start - pickup_end - leg.max_ride_s,
                                     stops)
                return None, late, False
            dropped[leg.task_id] = end
        else:
            load += leg.demand
        seats += leg.seats
        wheel += leg.wheel
        if seats > limits.seats or wheel > limits.wheel or load > limits.capacity:
            return None, None, False
        if paused:
            gaps.append((free, start, paused))
        stops.append((leg, arrival, start, end))
        place, free = leg.loc, end
    paused = gap_breaks.get(len(legs), 0)
    route_end = free + paused * break_s + dur[place][limits.home]
    if paused:
        gaps.append((free, route_end, paused))
    if boarded or route_end > limits.shift_end or route_end > limits.latest_end \
            or route_start < limits.shift_start:
        return None, None, False
    # Too early for the daily rest, too long for the contract hours, or while another
    # route drives the vehicle: leaving later may help, the first stop then starts later.
    later = max(limits.earliest_start - route_start,
                route_end - route_start - limits.work_left,
                *(b - route_start for a, b in limits.busy if a < route_end and route_start < b))
    if later > 0:
        if not stops:
            return None, None, False
        first = legs[0]
        return None, [first.bounded(max(first.lb, stops[0][2] + later), first.ub),
                      *legs[1:]], False
    breaks = _placed(gaps, route_start, route_end, break_s, limits.break_after_s)
    if breaks is None:
        return None, None, True
    return Timed(route_start, route_end, tuple(stops), tuple(breaks)), None, False


def _placed(gaps: list[tuple[int, int, int]], start_s: int, end_s: int, break_s: int,
            limit_s: int) -> list[tuple[int, int]] | None:
    """Breaks in their gaps, each as late as the stretch of work before it allows (the
    latest that keeps the labour rule leaves the most room after it), or None if no
    stretch of work can be kept within `limit_s`. A break anywhere in its gap keeps the
    checker's arithmetic: the gap holds the drive and the breaks either way."""
    breaks: list[tuple[int, int]] = []
    cursor = start_s
    for opens, closes, count in gaps:
        floor = opens
        for i in range(count):
            latest = closes - (count - i) * break_s
            at = min(latest, cursor + limit_s) if limit_s < INF else floor
            if at < floor:
                return None
            breaks.append((at, at + break_s))
            cursor = floor = at + break_s
    if end_s - cursor > limit_s:
        return None
    return breaks


def _delay_pickup(legs: Sequence[Leg], task_id: str, by_s: int,
                  stops: list[tuple[Leg, int, int, int]]) -> list[Leg] | None:
    """`legs` with the pickup of `task_id` starting `by_s` later than it just did."""
    start = next((s for leg, _, s, _ in stops
                  if leg.task_id == task_id and leg.action is StopAction.PICKUP), None)
    if start is None:
        return None
    return [leg.bounded(max(leg.lb, start + by_s), leg.ub)
            if leg.task_id == task_id and leg.action is StopAction.PICKUP else leg
            for leg in legs]


def simulate_with_breaks(dur: Sequence[Sequence[int]], legs: Sequence[Leg],
                         gap_breaks: dict[int, int], limits: Limits) -> Timed | None:
    """`simulate`, and where the labour rule fails with the breaks where they are, the
    same number of breaks (at least one) in other gaps, middle gaps first."""
    timed, labour = simulate_why(dur, legs, gap_breaks, limits)
    if timed is not None or not labour or not legs:
        return timed
    count = max(1, sum(gap_breaks.values()))
    m = len(legs)
    inner = sorted(range(1, m), key=lambda k: abs(2 * k - m))
    for n, gaps in enumerate(itertools.combinations(inner, count)):
        if n >= _MAX_BREAK_LAYOUTS:
            break
        layout = dict.fromkeys(gaps, 1)
        if layout == gap_breaks:
            continue
        timed = simulate(dur, legs, layout, limits)
        if timed is not None:
            return timed
    return None
