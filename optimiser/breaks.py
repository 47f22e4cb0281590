"""Breaks where a person would take them: `placed_breaks(problem, route) -> Route`.

The search gives each break an interval that satisfies the labour rule, often at the
first moment it may (the interval's lower bound): right after leaving the base, or an
hour into a seven-hour day. Here the same number of breaks of the same length are moved,
keeping every stop's start and end, to where a worker would take them:

- a break is taken **when a stop is finished, before driving on** (at the start of the gap
  between two stops), or **at the next place while waiting** for its start, after the
  arrival the stop shows; one break a gap. The checker's convention (a stop's arrival is
  the previous end, plus the breaks in between, plus the drive) then reads as the
  worker's day: a break never sits in the middle of a drive;
- each break as near as possible to **the middle of its stretch of work**: with one
  break, its middle nearest the middle of the route; with n, nearest the points that cut
  the route into n + 1 equal parts. A break in the middle leaves the most room on both
  sides of the labour rule (no stretch longer than `break_after_s`) when a stop runs
  late, and it is the usual meal break of a working day; a break as late as the rule
  allows would leave none;
- before the first stop (at the base, right after leaving it) or after the last one
  (before driving back) only where nothing else fits; the route's start or end then
  stays as it was.

A route never gets longer: without a break before the first stop it leaves as late as
that stop allows (as `optimiser.solve.route_of` does), without one after the last it
ends on coming back. Where the stops keep their times it starts no earlier and ends no
later, so rules that span routes (daily hours, rest, a shared vehicle) cannot break; a
route of visits and jobs re-timed around its break may end later (as much as it starts
later), and `with_breaks_placed`, the call for a whole plan, keeps a route as it was
wherever the independent check (`optimiser.check`) would fail with the new one. A route
whose breaks cannot be placed this way comes back unchanged.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from optimiser.check import check
from optimiser.model import Break, Plan, Problem, Route, Stop, StopAction, Task

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Gap:
    """Between two fixed activities: from `free_s` (a stop's end, or the route's start)
    the worker drives `travel_s` to be ready by `due_s` (the next start, or the route's end)."""

    free_s: int
    due_s: int
    travel_s: int


# Ends of a route a break may use, in the order tried: before the first stop (at the
# base, right after leaving it) or after the last one only where nothing else fits.
ENDS = (((False, False),), ((False, True), (True, False)), ((True, True),))
# Visits and jobs are re-timed for a better place only if it brings the breaks this much
# nearer the middle: a client's time is not moved for a few minutes.
RETIME_GAIN_S = 30 * 60
_MAX_COMBINATIONS = 5000


def placed_breaks(problem: Problem, route: Route, *, retime: bool = True) -> Route:
    """`route` with its breaks where a person would take them (see the module notes);
    with `retime` False every stop keeps its time."""
    lengths = [b.end_s - b.start_s for b in sorted(route.breaks, key=lambda b: b.start_s)]
    if not lengths or not route.stops or min(lengths) < problem.rules.break_s:
        return route
    worker = problem.worker(route.worker_id)
    places = [worker.start_location_id, *(s.location_id for s in route.stops),
              worker.end_location_id]
    travel = [problem.travel_s(a, b) for a, b in zip(places, places[1:], strict=False)]
    moved = _moved(problem, route, lengths, travel)
    retimed = _retimed(problem, route, lengths, travel) if retime else None
    if retimed is not None and (moved is None or retimed[0] < moved[0] or (
            retimed[0] == moved[0] and retimed[1] + RETIME_GAIN_S < moved[1])):
        return retimed[2]
    return moved[2] if moved is not None else route


def _moved(problem: Problem, route: Route, lengths: list[int], travel: list[int]
           ) -> tuple[int, float, Route] | None:
    """The breaks moved, every stop kept at its time: (ends used, cost, route) or None."""
    first, last = route.stops[0], route.stops[-1]
    tight_start, tight_end = first.start_s - travel[0], last.end_s + travel[-1]
    for group, ends in enumerate(ENDS):
        best: tuple[float, int, int, list[tuple[int, int]]] | None = None
        for before_first, after_last in ends:
            start = route.start_s if before_first else tight_start
            end = route.end_s if after_last else tight_end
            gaps = _gaps(route.stops, travel, start, end)
            usable = [k for k in range(len(gaps))
                      if (k > 0 or before_first) and (k < len(gaps) - 1 or after_last)]
            found = _best_places(gaps, usable, lengths, start, end, problem.rules.break_after_s)
            if found is not None and (best is None or found[0] < best[0]):
                best = (found[0], start, end, found[1])
        if best is None:
            continue
        cost, start, end, chosen = best
        # A route leaves as late and comes back as early as its stops allow unless a break
        # sits at that end (shorter stretches only: the rule still holds).
        start = start if chosen[0][0] == 0 else tight_start
        end = end if chosen[-1][0] == len(route.stops) else tight_end
        breaks = [Break(x, x + length) for (_, x), length in zip(chosen, lengths, strict=True)]
        return group, cost, with_breaks(problem, dataclasses.replace(
            route, start_s=start, end_s=end), breaks)
    return None


def _retimed(problem: Problem, route: Route, lengths: list[int], travel: list[int]
             ) -> tuple[int, float, Route] | None:
    """A route of visits and jobs with each break taken when a stop ends and every stop
    as early as its windows allow (the order kept, the route no longer than it was and
    inside its shift; it may end later than it did, which `with_breaks_placed` checks
    against the worker's other routes): (ends used, cost, route) or None. Trips keep
    their times (their ride limits and appointments link them to other stops), so a bus
    route is never re-timed."""
    if any(s.action is not StopAction.SERVE for s in route.stops):
        return None
    tasks = [problem.task(s.task_id) for s in route.stops]
    m, n = len(route.stops), len(lengths)
    if math.comb(m + 1, n) > _MAX_COMBINATIONS:
        return None
    for group, ends in enumerate(ENDS):
        best: tuple[float, Route] | None = None
        for chosen in itertools.combinations(range(m + 1), n):
            if (0 in chosen, m in chosen) not in ends:
                continue
            found = _earliest(problem, route, tasks, travel,
                              dict(zip(chosen, lengths, strict=True)))
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        if best is not None:
            return group, best[0], best[1]
    return None


def _earliest(problem: Problem, route: Route, tasks: list[Task], travel: list[int],
              pauses: dict[int, int]) -> tuple[float, Route] | None:
    """The route with a break of `pauses[k]` when gap k opens and every stop as early as
    its windows allow; (cost, route) if it keeps the labour rule and the route's bounds."""
    free, stops, breaks = route.start_s, [], []
    for k, (stop, task) in enumerate(zip(route.stops, tasks, strict=True)):
        if k in pauses:
            breaks.append(Break(free, free + pauses[k]))
            free += pauses[k]
        arrival = free + travel[k]
        starts = [max(arrival, w.start_s) for w in task.windows
                  if max(arrival, w.start_s) + task.service_s <= w.end_s]
        if not starts:
            return None
        start = min(starts)
        stops.append(dataclasses.replace(stop, arrival_s=arrival, start_s=start,
                                         end_s=start + task.service_s))
        free = start + task.service_s
    m = len(stops)
    if m in pauses:
        breaks.append(Break(free, free + pauses[m]))
        free += pauses[m]
    end = free + travel[m]
    start = route.start_s if 0 in pauses else stops[0].start_s - travel[0]
    shift = problem.worker(route.worker_id).shifts[route.shift_index]
    if end > shift.end_s or end - start > route.end_s - route.start_s:
        return None
    if 0 not in pauses:
        stops[0] = dataclasses.replace(stops[0], arrival_s=stops[0].start_s)
    cost = _rule_cost(breaks, start, end, problem.rules.break_after_s)
    if cost is None:
        return None
    return cost, dataclasses.replace(route, start_s=start, end_s=end, stops=tuple(stops),
                                     breaks=tuple(breaks))


def _rule_cost(breaks: Sequence[Break], start_s: int, end_s: int,
               break_after_s: int | None) -> float | None:
    """How far the breaks' middles are from the points that cut the route into equal parts
    (s, summed), or None if a stretch of work is longer than `break_after_s`."""
    cursor = start_s
    for b in breaks:
        if break_after_s is not None and b.start_s - cursor > break_after_s:
            return None
        cursor = b.end_s
    if break_after_s is not None and end_s - cursor > break_after_s:
        return None
    n, span = len(breaks), end_s - start_s
    return sum(abs((b.start_s + b.end_s) / 2 - (start_s + span * (i + 1) / (n + 1)))
               for i, b in enumerate(breaks))


def with_breaks(problem: Problem, route: Route, breaks: Sequence[Break]) -> Route:
    """`route` with `breaks` instead of its own, each stop's arrival re-derived as the
    checker derives it: the previous end (or the route's start), plus the breaks between
    it and the stop's start, plus the drive. Starts and ends stay as they are."""
    worker = problem.worker(route.worker_id)
    place, free_from = worker.start_location_id, route.start_s
    stops = []
    for stop in route.stops:
        paused = sum(b.end_s - b.start_s for b in breaks
                     if free_from <= b.start_s and b.end_s <= stop.start_s)
        arrival = free_from + paused + problem.travel_s(place, stop.location_id)
        stops.append(dataclasses.replace(stop, arrival_s=arrival))
        place, free_from = stop.location_id, stop.end_s
    return dataclasses.replace(route, stops=tuple(stops),
                               breaks=tuple(sorted(breaks, key=lambda b: b.start_s)))


def with_breaks_placed(problem: Problem, plan: Plan) -> Plan:
    """`plan` with every route's breaks placed by `placed_breaks`, where the plan still
    passes the independent check (a route re-timed around its break may not: then the
    stops keep their times, or at last the route keeps the breaks it had)."""
    placed = [placed_breaks(problem, r) for r in plan.routes]
    if tuple(placed) == plan.routes:
        return plan
    whole = dataclasses.replace(plan, routes=tuple(placed))
    if not check(problem, whole, promises=False):
        return whole
    if check(problem, plan, promises=False):
        return plan  # broken already: not this module's to judge
    # A route re-timed around its break may meet another route's stop of the same client
    # (client_elsewhere): then its breaks move with every stop kept at its time.
    routes = list(plan.routes)
    for k, route in enumerate(placed):
        for candidate in dict.fromkeys((route, placed_breaks(problem, plan.routes[k],
                                                             retime=False))):
            trial = dataclasses.replace(plan, routes=(*routes[:k], candidate,
                                                      *routes[k + 1:]))
            violations = check(problem, trial, promises=False)
            if not violations:
                routes[k] = candidate
                break
        else:
            log.info("breaks of %s kept where the search put them: placing them fails the "
                     "check: %s", route.worker_id, "; ".join(str(v) for v in violations[:3]))
    return dataclasses.replace(plan, routes=tuple(routes))


def _gaps(stops: Sequence[Stop], travel: Sequence[int], start_s: int, end_s: int
          ) -> list[_Gap]:
    frees = [start_s, *(s.end_s for s in stops)]
    dues = [*(s.start_s for s in stops), end_s]
    return [_Gap(a, b, t) for a, b, t in zip(frees, dues, travel, strict=True)]


def _best_places(gaps: Sequence[_Gap], usable: Sequence[int], lengths: Sequence[int],
                 start_s: int, end_s: int, break_after_s: int | None
                 ) -> tuple[float, list[tuple[int, int]]] | None:
    """Where the breaks go, one a gap and in order, so that no stretch of work is longer
    than `break_after_s` and their middles are nearest the points that cut the route into
    n + 1 equal parts: (total distance in s, (gap, start) per break), or None.

    A break in a gap starts when the previous stop ends (before driving on), or, where
    the gap has room to drive, wait and pause, at the next place after arriving (never
    before the arrival the stop shows). Dynamic programming over (break, place): the rule
    links a break only to the one before it."""
    n = len(lengths)
    limit = break_after_s if break_after_s is not None else end_s - start_s
    span = end_s - start_s

    def target(i: int) -> float:
        return start_s + span * (i + 1) / (n + 1) - lengths[i] / 2

    def places(i: int, k: int) -> list[int]:
        gap, length = gaps[k], lengths[i]
        if gap.due_s - gap.free_s < gap.travel_s + length:
            return []
        out = [gap.free_s]
        earliest, latest = gap.free_s + length + gap.travel_s, gap.due_s - length
        if earliest <= latest:  # arrived (as the stop shows it), waiting: pause there
            out += sorted({earliest, latest, min(latest, max(earliest, round(target(i))))})
        return out

    # table[i][(k, x)]: (cost, previous place) with break i at x in gap k, 0..i placed.
    table: list[dict[tuple[int, int], tuple[float, tuple[int, int]]]] = []
    for i in range(n):
        row: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {}
        for k in usable:
            for x in places(i, k):
                here = abs(x - target(i))
                if i == 0:
                    if x - start_s <= limit:
                        row[(k, x)] = (here, (-1, -1))
                    continue
                options = [(c + here, (j, y)) for (j, y), (c, _) in table[i - 1].items()
                           if j < k and x - (y + lengths[i - 1]) <= limit]
                if options:
                    row[(k, x)] = min(options)
        table.append(row)
    ends = [(c, place) for place, (c, _) in table[-1].items()
            if end_s - (place[1] + lengths[-1]) <= limit]
    if not ends:
        return None
    total, place = min(ends)
    chosen = [place]
    for i in range(n - 1, 0, -1):
        place = table[i][place][1]
        chosen.append(place)
    return total, chosen[::-1]
