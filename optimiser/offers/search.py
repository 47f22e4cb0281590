"""Where one new task fits in a basis: the candidate windows slid through its wishes,
and for each the cheapest insertion that starts its first stop inside it.

For each shift that may serve the task (`optimiser.model.can_serve`) and each insertion
position (a visit's one stop, or a trip's pickup and drop-off with at most
`MAX_BETWEEN` planned stops between them) the route is re-timed once with the new first
stop as early as its wish window allows (its earliest start E); the windows that hold E
are feasible, and of the later ones the last feasible is found by bisection, taking the
feasible starts of one position in one wish window as an interval (a later start only
pushes the later stops further). Seconds throughout.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from optimiser.model import Problem, Task, TimeWindow, can_serve
from optimiser.offers.slots import Basis, Slot
from optimiser.offers.timing import Leg, task_legs
from optimiser.presence import occupied

MAX_BETWEEN = 6  # planned stops between a new trip's pickup and its drop-off
TRAVEL_TIE_S = 60  # added travel (and scarce time) compared in whole minutes
ALTERNATIVES = 3  # insertions kept per candidate window
# A window opens at most this long (or one step of the grid, if longer) before the
# earliest start the route allows: "between 7:15 and 8:15" is no offer when nobody can
# come before 8:05.
OPEN_BEFORE_S = 15 * 60
MIN_TAIL_S = 30 * 60  # the shortest window at a wish's end


@dataclass(frozen=True)
class Candidate:
    """A window the first stop may be promised: `wish` is the index of the wish window."""

    window: TimeWindow
    wish: int
    day: int


@dataclass(frozen=True)
class Option:
    """The cheapest insertion found for a candidate window, and the next cheapest ones
    (`others`, at most `ALTERNATIVES` - 1): when the request's later tasks find no room
    beside the cheapest, the offer tries them."""

    candidate: Candidate
    slot: Slot
    positions: tuple[int, ...]
    added_s: int
    rank: tuple[int, int]  # (added travel + scarce time in minutes, not the preferred worker)
    others: tuple[Option, ...] = ()

    def ways(self) -> tuple[Option, ...]:
        """This insertion, then the others."""
        return (dataclasses.replace(self, others=()), *self.others)


def candidates(problem: Problem, task: Task, window_s: int, step_s: int) -> list[Candidate]:
    """Windows of `window_s` starting every `step_s` (on the step grid) inside each wish
    window, in which the first stop can start and still end inside the wish, and one at
    each end of the wish where the grid leaves starts uncovered; a wish too short for a
    whole window gives one window, its own span of starts. Then the wish's tail: from
    each later step of the grid to its last start, while that is at least `MIN_TAIL_S`
    (without them a stop that can only come late in the wish gets no offer, since a
    window may open at most `OPEN_BEFORE_S` before the earliest start)."""
    out: list[Candidate] = []
    for i, wish in enumerate(task.windows):
        last = wish.end_s - task.service_s
        if last < wish.start_s:
            continue
        day = problem.day_of(wish.start_s)
        t = -(-wish.start_s // step_s) * step_s
        if last - wish.start_s <= window_s:
            out.append(Candidate(TimeWindow(wish.start_s, last), i, day))
            t += step_s if t == wish.start_s else 0
        else:
            starts = [wish.start_s] if t > wish.start_s else []
            while t + window_s <= last:
                starts.append(t)
                t += step_s
            if starts[-1] + window_s < last:
                starts.append(last - window_s)
            out += [Candidate(TimeWindow(a, a + window_s), i, problem.day_of(a))
                    for a in starts]
            t = max(t, starts[-1] + step_s)
        while last - t >= MIN_TAIL_S:
            out.append(Candidate(TimeWindow(t, last), i, day))
            t += step_s
    return out


def options(basis: Basis, task: Task, cands: list[Candidate], *, not_before: int = 0,
            excluded_days: frozenset[int] = frozenset(),
            preferred_worker: str | None = None,
            only_worker: str | None = None, step_s: int = OPEN_BEFORE_S) -> dict[int, Option]:
    """The cheapest insertion of `task` for each candidate (index into `cands`) that has
    one, its first stop starting no earlier than `not_before` and not on `excluded_days`,
    by `only_worker` if given."""
    problem = basis.problem
    legs = task_legs(problem, task, tuple((w.start_s, w.end_s) for w in task.windows))
    legs[0] = legs[0].bounded(legs[0].lb, legs[0].ub, client_busy(basis, task))
    best: dict[int, Option] = {}
    scarce = scarcity(problem, task)
    groups: dict[int, list[int]] = {}
    for i, c in enumerate(cands):
        if c.day not in excluded_days and c.window.end_s >= not_before:
            groups.setdefault(c.wish, []).append(i)
    for worker, index, shift in basis.shifts():
        if only_worker is not None and worker.id != only_worker:
            continue
        mine = [(task.windows[w], idx) for w, idx in groups.items()
                if task.windows[w].start_s < shift.end_s and task.windows[w].end_s
                > shift.start_s]
        if not mine or not can_serve(problem, worker, task, shift):
            continue
        slot = basis.slot(worker, index)
        unpreferred = int(preferred_worker is not None and worker.id != preferred_worker)
        for positions in _positions(len(slot.legs), len(legs)):
            for wish, idx in mine:
                _try(basis, slot, legs, positions, wish, [cands[i] for i in idx], idx,
                     not_before, unpreferred, best, max(OPEN_BEFORE_S, step_s), scarce)
    return best


def scarcity(problem: Problem, task: Task) -> Callable[[TimeWindow], int]:
    """The scarce time (s) a promise of a given window holds: the task's service times
    the share of the qualified workers who are off shift at its middle (the most on shift
    at once on any day of the horizon being all of them), averaged over the starts the
    promise allows (its opening, middle and close: a later plan may serve it at any).
    An evening or Saturday hour that only two of six qualified workers can make costs
    two thirds of its length; a weekday morning, nothing; a window that opens while all
    work and runs into the evening, part of it."""
    shifts: dict[int, list[tuple[int, int]]] = {}
    for worker in problem.workers:
        for shift in worker.shifts:
            if can_serve(problem, worker, task, shift):
                shifts.setdefault(problem.day_of(shift.start_s), []).append(
                    (shift.start_s, shift.end_s))
    most = max((sum(1 for a, b in spans if a <= x < b) for spans in shifts.values()
                for x, _ in spans), default=0)
    service = task.service_s

    def at(start_s: int) -> int:
        middle = start_s + service // 2
        spans = shifts.get(problem.day_of(middle))
        if not spans:
            return 0
        on = sum(1 for a, b in spans if a <= middle < b)
        return service * (most - on) // most  # most: the peak of on

    def held(window: TimeWindow) -> int:
        starts = (window.start_s, (window.start_s + window.end_s) // 2, window.end_s)
        return sum(at(s) for s in starts) // len(starts)

    return held


def client_busy(basis: Basis, task: Task) -> tuple[tuple[int, int], ...]:
    """When the plan has the client of a visit or job at their home elsewhere or busy
    (`optimiser.presence.occupied`): spans its service may not overlap. A trip's absence
    is left to the checker."""
    if task.client_id is None or task.ride is not None or (
            task.location_id != basis.problem.client(task.client_id).location_id):
        return ()
    return tuple(sorted((a, b) for a, b, t in occupied(basis.problem, basis.plan,
                                                          task.client_id) if t != task.id))


def _positions(m: int, n: int) -> Iterator[tuple[int, ...]]:
    for p in range(m + 1):
        if n == 1:
            yield (p,)
        else:
            for q in range(p, min(m, p + MAX_BETWEEN) + 1):
                yield (p, q)


def _try(basis: Basis, slot: Slot, legs: list[Leg], positions: tuple[int, ...],
         wish: TimeWindow, group: list[Candidate], idx: list[int], not_before: int,
         unpreferred: int, best: dict[int, Option], open_before_s: int,
         scarce: Callable[[TimeWindow], int]) -> None:
    """Record the feasible candidates of one wish window at one insertion position: a
    window that holds the earliest start and opens at most `open_before_s` before it, or
    that opens later and still fits."""

    def fits(lb: int, ub: int) -> tuple[int | None, int]:
        bounded = [legs[0].bounded(max(lb, not_before), ub), *legs[1:]]
        timed, added = basis.insert(slot, bounded, positions)
        return (None if timed is None else timed.start_of(legs[0].task_id)), added

    earliest, added = fits(wish.start_s, wish.end_s)
    if earliest is None:
        return
    holding = [k for k, c in enumerate(group)
               if c.window.start_s <= earliest <= c.window.end_s]
    ok = [k for k in holding if earliest - group[k].window.start_s <= open_before_s]
    if not ok and holding:  # it can only come late in every window that holds it
        ok = [max(holding, key=lambda k: group[k].window.start_s)]
    later = [k for k, c in enumerate(group) if c.window.start_s > earliest]
    lo, hi = 0, len(later)  # later[:lo] fit, later[hi:] do not
    while lo < hi:
        mid = (lo + hi) // 2
        c = group[later[mid]]
        if fits(c.window.start_s, c.window.end_s)[0] is not None:
            lo = mid + 1
        else:
            hi = mid
    for k in ok + later[:lo]:
        i = idx[k]
        rank = (round((added + scarce(group[k].window)) / TRAVEL_TIE_S), unpreferred)
        option = Option(group[k], slot, positions, added, rank)
        old = best.get(i)
        if old is None:
            best[i] = option
            continue
        ways = sorted((*old.ways(), option), key=lambda o: o.rank)[:ALTERNATIVES]
        best[i] = dataclasses.replace(ways[0], others=tuple(ways[1:]))
