"""Re-planning a published plan at a moment of the day ("now") after events.

What has happened stays as it happened: a stop that started before now (or that a
worker reported) is *frozen* at its real times, a passenger on board is dropped off by
the same bus, and a day before now is not touched. Everything else on the day of now
(and on any later day an event touches) is planned again with the full model of the
day (`optimiser.ortools`: every rule, the frozen stops pinned in place), starting from
the published routes and paying for every change to them (`Stability`): served
priority first, then few changes, then travel.

Two problems take part. `Replanned.problem` is the day as it happened: the scenario's
problem with the facts applied (`apply_facts`: cancelled tasks gone, shifts cut by
unavailability, real times of reported stops); the plan is checked against it, and a
stored plan is read back against it. The search sees a stricter copy of it, in which
frozen stops have one possible time and every other task may only start from now on.

Times are seconds from the first day's midnight, as everywhere in the domain.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from optimiser.check import PlanRejected, check
from optimiser.kpi import rank_of
from optimiser.model import (
    Continuity,
    Plan,
    Priority,
    Problem,
    ProblemError,
    Reason,
    Route,
    RunStats,
    Stop,
    StopAction,
    Task,
    TimeWindow,
    Unassigned,
    Worker,
)
from optimiser.ortools import daywise
from optimiser.ortools.model import RawRoute, RawSolution, RoutingProblem, Stability
from optimiser.ortools.search import NoFeasibleStart, Watch, search_fresh, search_from
from optimiser.params import CancelSignal, Metaheuristic, ProgressCallback, SolveParams
from optimiser.reasons import diagnose_alone, lost_to_others
from optimiser.solve import REPAIRABLE, repaired, route_of, tightened

MIN_ANEW_S = 0.5  # a plan made anew in less time rarely serves more
_NEVER = 2**40  # a window's end no plan reaches: cut only from now on


class ReplanError(ProblemError):
    """An event that cannot apply to the plan; the message names the event and field."""


class EventKind(enum.StrEnum):
    NEW_REQUEST = "new_request"  # the task is in the problem, not in the plan
    CANCELLED = "cancelled"
    WORKER_UNAVAILABLE = "worker_unavailable"
    VEHICLE_UNAVAILABLE = "vehicle_unavailable"
    STARTED = "started"  # a stop began at `at_s`
    FINISHED = "finished"  # a stop ended at `at_s`
    LATE = "late"  # a stop ends `late_s` later than planned (and starts later if not begun)
    NO_SHOW = "no_show"  # the client was not at home at `at_s`


STOP_REPORTS = frozenset({EventKind.STARTED, EventKind.FINISHED, EventKind.LATE,
                          EventKind.NO_SHOW})


@dataclass(frozen=True)
class Event:
    """One thing that happened. `target` is a task, worker or vehicle id by kind; `at_s`
    is when a stop report happened (default now) or when an unavailability starts,
    `until_s` when it ends (default: the end of the horizon)."""

    kind: EventKind
    target: str
    action: StopAction = StopAction.SERVE
    at_s: int | None = None
    until_s: int | None = None
    late_s: int = 0


@dataclass(frozen=True)
class Unavailable:
    """A worker (`kind` "worker") or every driver of a vehicle ("vehicle") is off."""

    kind: str
    id: str
    from_s: int
    to_s: int


@dataclass(frozen=True)
class Actual:
    """The real times of a stop by `worker_id`; `no_show`: the client was not there, the
    task not served."""

    task_id: str
    action: StopAction
    start_s: int
    end_s: int
    no_show: bool = False
    worker_id: str = ""


@dataclass(frozen=True)
class Facts:
    """What has happened, accumulated over every re-planning of a plan."""

    cancelled: tuple[str, ...] = ()
    unavailable: tuple[Unavailable, ...] = ()
    actuals: tuple[Actual, ...] = ()

    def merged(self, later: Facts) -> Facts:
        """These facts, then `later` (a later report of a stop replaces an earlier one)."""
        actual = {(a.task_id, a.action): a for a in (*self.actuals, *later.actuals)}
        return Facts(tuple(dict.fromkeys((*self.cancelled, *later.cancelled))),
                     (*self.unavailable, *later.unavailable), tuple(actual.values()))


@dataclass(frozen=True)
class ReplanParams:
    """The search budget and the price of change (see `Stability`): `solve.time_limit_s`
    bounds the whole re-planning (every day planned again), `stability` is the cost of a
    second a stop moves beyond `tolerance_s`, in travel seconds (0: re-optimise freely),
    `move_cost_s` the cost of a task given to another worker."""

    solve: SolveParams = field(default_factory=lambda: SolveParams(
        time_limit_s=4.0, max_solutions=200, stall_solutions=50,
        metaheuristic=Metaheuristic.GREEDY_DESCENT))
    stability: int = 1
    move_cost_s: int = 1800
    tolerance_s: int = 900
    # False: plan what is not frozen anew (the default first solutions and GLS of a new
    # plan, the same budget): what benchmarks.replan compares re-planning with.
    warm_start: bool = True

    def __post_init__(self) -> None:
        for name in ("stability", "move_cost_s", "tolerance_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}={getattr(self, name)} must be >= 0")


class ChangeKind(enum.StrEnum):
    ADDED = "added"  # the stop is new on this worker's day
    REMOVED = "removed"  # the stop left this worker's day (`reason` says where or why)
    RETIMED = "retimed"  # same worker, start moved by more than the tolerance


@dataclass(frozen=True)
class Change:
    worker_id: str
    day: int
    kind: ChangeKind
    task_id: str
    action: StopAction
    before_s: int | None  # old start
    after_s: int | None  # new start
    reason: str  # e.g. "cancelled", "moved to physio-2", "new request", "no_show"


@dataclass(frozen=True, eq=False)
class Replanned:
    problem: Problem  # the day as it happened: the plan is checked against it
    plan: Plan
    facts: Facts  # the facts this re-planning added (merge them with the plan's earlier ones)
    changes: tuple[Change, ...]
    days: tuple[int, ...]  # the days planned again
    frozen: frozenset[tuple[str, StopAction]]  # stops kept as they happened
    untouched_routes: int  # published routes that came back the same
    routes_before: int
    warnings: tuple[str, ...] = ()

    @property
    def changed_workers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.worker_id for c in self.changes))


# ----------------------------------------------------------------------- the facts


def apply_facts(problem: Problem, facts: Facts) -> Problem:
    """`problem` as it happened: cancelled tasks gone, shifts cut where their worker (or
    the bus a driver takes) was off, reported stops at their real times and lengths, and
    a shift that a late stop made longer ending when its worker is back."""
    gone = set(facts.cancelled)
    actual = {(a.task_id, a.action): a for a in facts.actuals if not a.no_show}
    tasks = tuple(_as_happened(t, actual) for t in problem.tasks if t.id not in gone)
    tasks = tuple(dataclasses.replace(t, ride=dataclasses.replace(t.ride, return_of=None))
                  if t.ride is not None and t.ride.return_of in gone else t for t in tasks)
    series = tuple(dataclasses.replace(s, task_ids=kept) for s in problem.series
                   if (kept := tuple(t for t in s.task_ids if t not in gone)))
    workers = tuple(_overtime(problem, _cut_worker(w, facts.unavailable), actual.values())
                    for w in problem.workers)
    return dataclasses.replace(problem, tasks=tasks, series=series, workers=workers)


def _as_happened(task: Task, actual: dict[tuple[str, StopAction], Actual]) -> Task:
    return _at_times(task, {a: (x.start_s, x.end_s) for a in task.actions
                            if (x := actual.get((task.id, a))) is not None})


def _at_times(task: Task, times: dict[StopAction, tuple[int, int]]) -> Task:
    """`task` with the stops in `times` at those (start, end) and no other time; one
    replace for both stops of a trip (a pickup moved late alone may not fit the drop-off
    windows of the plan, and a task checks that on every replace)."""
    changes: dict[str, Any] = {}
    for action, (start, end) in times.items():
        window = (TimeWindow(start, end),)
        if action is StopAction.DROPOFF:
            assert task.ride is not None
            changes["ride"] = dataclasses.replace(task.ride, dropoff_windows=window,
                                                  alight_s=end - start)
        else:
            changes |= {"windows": window, "service_s": end - start}
    return dataclasses.replace(task, **changes) if changes else task


def _overtime(problem: Problem, worker: Worker, actuals: Iterable[Actual]) -> Worker:
    """The worker's shifts, each ending no earlier than its reported stops and the drive
    back, and beginning no later than the drive there (a visit that ran late makes the
    day longer, one begun before the shift makes it begin earlier: the plan records what
    happened, not refuses it)."""
    shifts = list(worker.shifts)
    for a in actuals:
        if a.worker_id != worker.id or not shifts:
            continue
        # The shift the stop was in: the one it began in, else the nearest.
        k = min(range(len(shifts)), key=lambda k: max(shifts[k].start_s - a.start_s,
                                                      a.start_s - shifts[k].end_s, 0))
        place = problem.task(a.task_id).leg(a.action)[0]
        back = a.end_s + problem.travel_s(place, worker.end_location_id)
        bound = shifts[k + 1].start_s - 1 if k + 1 < len(shifts) else back
        if back > shifts[k].end_s:
            shifts[k] = TimeWindow(shifts[k].start_s, min(back, bound))
        leave = a.start_s - problem.travel_s(worker.start_location_id, place)
        first = shifts[k - 1].end_s + 1 if k > 0 else 0
        if leave < shifts[k].start_s:
            shifts[k] = TimeWindow(max(leave, first), shifts[k].end_s)
    return dataclasses.replace(worker, shifts=tuple(shifts))


def _cut_worker(worker: Worker, off: Iterable[Unavailable]) -> Worker:
    shifts = list(worker.shifts)
    for u in off:
        if not (u.kind == "worker" and u.id == worker.id
                or u.kind == "vehicle" and u.id == worker.vehicle_id):
            continue
        parts = []
        for s in shifts:
            if u.to_s <= s.start_s or u.from_s >= s.end_s:
                parts.append(s)
                continue
            if u.from_s > s.start_s:
                parts.append(TimeWindow(s.start_s, u.from_s))
            if u.to_s < s.end_s:
                parts.append(TimeWindow(u.to_s, s.end_s))
        shifts = parts
    return dataclasses.replace(worker, shifts=tuple(shifts))


# ------------------------------------------------------------------- re-planning


def replan(problem: Problem, published: Plan, events: Sequence[Event], now_s: int,
           params: ReplanParams | None = None, *, on_progress: ProgressCallback | None = None,
           cancel: CancelSignal | None = None) -> Replanned:
    """Plan again from `now_s` after `events`. `problem` is the problem `published` was
    planned for (the plan's earlier facts applied) with any new requests added."""
    params = params or ReplanParams()
    state = _State(problem, published, events, now_s)
    full = dataclasses.replace(apply_facts(problem, state.facts),
                               begun=frozenset(t for t, _ in state.frozen))
    if not events:
        plan = dataclasses.replace(published, stats=RunStats())
        return Replanned(full, plan, state.facts, (), (), frozenset(state.frozen),
                         len(published.routes), len(published.routes))
    strict = state.strict_problem(full)
    days = state.days_to_plan(full)
    watch = Watch(len(strict.tasks), on_progress, cancel, params.solve.stall_solutions)
    raw_routes = [kept for r in published.routes
                  if (kept := _raw(r, state.shift_in(full, r))) is not None]
    held = frozenset(s.id for s in full.series if s.continuity is not Continuity.NONE)
    offered: set[str] = set()
    deadline = time.monotonic() + params.solve.time_limit_s  # for every day planned again
    for n, day in enumerate(days):
        if watch.stop_requested():
            break
        others = [r for r in raw_routes if daywise.day_of_route(full, r) != day]
        mine = [r for r in raw_routes if daywise.day_of_route(full, r) == day]
        elsewhere = {t for r in others for t, _, _ in r.visits}
        candidates = [t for t in strict.tasks if t.id not in elsewhere]
        part = daywise.day_problem(strict, day, candidates, others, held)
        if not part.shift_of:
            continue
        ids = {t.id for t in part.tasks}
        offered |= ids
        pinned = dict(part.pinned) | {t: w for (t, _), w in state.frozen.items() if t in ids}
        model = functools.partial(RoutingProblem, part.problem, part.tasks, part.same_worker,
                                  pinned, stability=state.stability(params))
        budget = dataclasses.replace(
            params.solve, time_limit_s=max(0.1, (deadline - time.monotonic()) / (len(days) - n)),
            max_solutions=None if params.solve.max_solutions is None
            else max(1, params.solve.max_solutions // (len(days) - n)))
        if params.warm_start:
            rp = model()
            try:
                raw = search_from(rp, _start_routes(rp, part, mine, state), budget, watch,
                                  first=frozenset(t for t, _ in state.frozen))
            except NoFeasibleStart as exc:
                raise ReplanError(f"events: {exc}: {state.reported_stops()}") from None
            # A descent from the old routes trades one task for one; an urgent request
            # that needs two stops out, or a moved task that outranks a served one, may
            # need a plan made anew (a descent too), in the time left: the one serving
            # more by priority is kept.
            left = (deadline - time.monotonic()) / (len(days) - n)
            if left > MIN_ANEW_S and _outranked(part.problem, part.tasks, raw, state) and not (
                    watch.stop_requested()):
                anew = search_fresh(model(), dataclasses.replace(budget, time_limit_s=left),
                                    watch)
                if _served_rank(part.problem, anew) > _served_rank(part.problem, raw):
                    raw = anew
        else:
            raw = search_fresh(model(), dataclasses.replace(
                budget, metaheuristic=SolveParams().metaheuristic), watch)
        raw_routes = others + [part.to_week(r) for r in raw.routes]
    plan = _finished(full, strict, state, raw_routes, offered, watch)
    stops = {(s.task_id, s.action) for r in plan.routes for s in r.stops}
    if lost := [k for k in state.frozen if k not in stops]:  # the past never goes silently
        why = {u.task_id: u.detail or u.reason.value for u in plan.unassigned}
        hhmm = full.calendar.hhmm
        told = "; ".join(f"{t} {a.value} at {hhmm(start)} ({why.get(t, 'no place')})"
                         for t, a in lost for start in [state.times_of(t, a)[0]])
        raise ReplanError(f"events: what happened cannot be kept with every rule of the "
                          f"day: {told}; check the reported stops")
    violations = check(full, plan)
    if violations:
        raise PlanRejected(violations)
    changes = tuple(_changes(full, published, plan, state, params.tolerance_s))
    untouched = sum(1 for r in published.routes if same_route(r, plan, params.tolerance_s))
    return Replanned(full, plan, state.facts, changes, tuple(days), frozenset(state.frozen),
                     untouched, len(published.routes), tuple(state.warnings))


def _served_rank(problem: Problem, raw: RawSolution) -> tuple[int, ...]:
    """`optimiser.kpi.rank_of` the tasks served, travel aside."""
    served = {t for r in raw.routes for t, _, _ in r.visits}  # a trip once, not per stop
    return rank_of((problem.task(t) for t in served), 0)


def _outranked(problem: Problem, offered: Sequence[Task], raw: RawSolution, state: _State
               ) -> bool:
    """Whether an offered task the events touched (a new request, or one served before)
    is left out while a worker with its skills, or its client, has one of lower rank."""
    served = {t for r in raw.routes for t, _, _ in r.visits}
    served_before = {task_id for task_id, _ in state.stop_of}
    rank = {t.id: (t.mandatory, int(t.priority)) for t in offered}
    for task in offered:
        if task.id in served or not (task.id in state.new_requests
                                     or task.id in served_before):
            continue
        if task.client_id is not None and any(
                t.client_id == task.client_id and t.id in served and rank[t.id] < rank[task.id]
                for t in offered):
            return True  # the client's time may be held by the lower one
        for route in raw.routes:
            if task.required_skills <= problem.worker(route.worker_id).skills and any(
                    rank.get(t, rank[task.id]) < rank[task.id] for t, _, _ in route.visits):
                return True
    return False


class _State:
    """The published plan read at `now_s` with the events: what is frozen, the new facts."""

    def __init__(self, problem: Problem, published: Plan, events: Sequence[Event],
                 now_s: int) -> None:
        self.problem, self.published, self.now_s = problem, published, now_s
        self.warnings: list[str] = []
        self.actuals: dict[tuple[str, StopAction], Actual] = {}
        self.stop_of = {(s.task_id, s.action): (r, s) for r in published.routes
                        for s in r.stops}
        self.unserved = {u.task_id: u for u in published.unassigned}
        _validate(problem, published, events, now_s, self.stop_of, self.unserved)
        self.events = list(events)
        self.new_requests = {e.target for e in events if e.kind is EventKind.NEW_REQUEST}
        off = [self._unavailable(e) for e in events
               if e.kind in (EventKind.WORKER_UNAVAILABLE, EventKind.VEHICLE_UNAVAILABLE)]
        self.cut_of = {w.id: min([now_s] + [u.from_s for u in off if _hits(u, w)])
                       for w in problem.workers}
        actuals = self._reported(events)
        self.no_show = {a.task_id for a in actuals.values() if a.no_show}
        # Frozen: reported, or begun before the worker's cut (now, or when they went off).
        self.frozen: dict[tuple[str, StopAction], str] = {}
        for key, (route, stop) in self.stop_of.items():
            if stop.task_id in self.no_show:
                continue
            if key in actuals or stop.start_s < self.cut_of[route.worker_id]:
                self.frozen[key] = route.worker_id
        for i, e in enumerate(events):
            if (e.kind in STOP_REPORTS and e.action is StopAction.DROPOFF
                    and (e.target, StopAction.PICKUP) not in self.frozen):
                raise ReplanError(f"events[{i}].action: {e.target!r} has no pickup begun "
                                  "before now or reported; report the pickup first")
        actuals |= self._on_board(actuals)
        self.actuals = actuals
        self._check_reported_times(events)
        cancelled = tuple(e.target for e in events if e.kind is EventKind.CANCELLED)
        # A return trip goes with its outbound ride.
        cancelled += tuple(t.id for t in problem.tasks if t.ride is not None
                           and t.ride.return_of in cancelled and t.id not in cancelled)
        off = [self._after_frozen_work(u) for u in off]
        self.facts = Facts(cancelled, tuple(off), tuple(actuals.values()))

    # -- events to facts
    def _unavailable(self, e: Event) -> Unavailable:
        horizon = self.problem.day_starts_s[-1] + 2 * 86400
        kind = "worker" if e.kind is EventKind.WORKER_UNAVAILABLE else "vehicle"
        start = self.now_s if e.at_s is None else e.at_s
        return Unavailable(kind, e.target, start, horizon if e.until_s is None else e.until_s)

    def _reported(self, events: Sequence[Event]) -> dict[tuple[str, StopAction], Actual]:
        hhmm = self.problem.calendar.hhmm
        out: dict[tuple[str, StopAction], Actual] = {}
        for i, e in enumerate(events):
            if e.kind not in STOP_REPORTS:
                continue
            key = (e.target, e.action)
            _, stop = self.stop_of[key]
            seen = out.get(key)
            start = seen.start_s if seen else stop.start_s
            end = seen.end_s if seen else stop.end_s
            at = self.now_s if e.at_s is None else e.at_s
            if e.kind is EventKind.STARTED:
                start, end = at, at + (end - start)
            elif e.kind is EventKind.FINISHED:
                if start - 60 < at < start:  # reported to the minute: within the one it began
                    at = start
                if at < start:  # a stop cannot end before it began
                    raise ReplanError(
                        f"events[{i}].at: {e.target!r} finished at {hhmm(at)}, before it "
                        f"began ({hhmm(start)}); report `started` with its real time too")
                end = at
            elif e.kind is EventKind.LATE:
                if start >= self.now_s:  # not begun yet: it begins later too
                    start += e.late_s
                end += e.late_s
            else:
                start = end = at
            out[key] = Actual(e.target, e.action, start, end, e.kind is EventKind.NO_SHOW,
                              self.stop_of[key][0].worker_id)
        return out

    def _on_board(self, actuals: dict[tuple[str, StopAction], Actual]
                  ) -> dict[tuple[str, StopAction], Actual]:
        """A passenger on board is dropped off by the same bus, as late (or early) as they
        boarded: a drop-off due before now without a report of its own moves too."""
        out = {}
        for (task_id, action), worker in list(self.frozen.items()):
            drop = (task_id, StopAction.DROPOFF)
            if action is not StopAction.PICKUP or drop in actuals:
                continue
            _, pickup = self.stop_of[(task_id, action)]
            _, planned = self.stop_of[drop]
            board = actuals.get((task_id, action))
            if drop in self.frozen and board is None:
                continue  # both under way as planned
            # Boarded earlier or later than planned: the ride takes as long as planned
            # (never held on board beyond its longest ride).
            delay = (board.end_s if board else pickup.end_s) - pickup.end_s
            out[drop] = Actual(task_id, StopAction.DROPOFF, planned.start_s + delay,
                               planned.end_s + delay, worker_id=worker)
            self.frozen[drop] = worker
        return out

    def _after_frozen_work(self, u: Unavailable) -> Unavailable:
        """An unavailability starts once the frozen work of the routes it hits is done and
        the worker is back: a stop under way is finished, passengers on board dropped off."""
        start = u.from_s
        for route in self.published.routes:
            worker = self.problem.worker(route.worker_id)
            done = [s for s in route.stops if (s.task_id, s.action) in self.frozen]
            if not _hits(u, worker) or not done:
                continue
            last = max(done, key=lambda s: self._times(s)[1])
            back = self._times(last)[1] + self.problem.travel_s(last.location_id,
                                                                worker.end_location_id)
            if self._times(done[0])[0] < u.from_s < back:
                self.warnings.append(
                    f"{worker.id} is off from {self.problem.calendar.hhmm(u.from_s)}, but "
                    "first finishes what is under way and drops off passengers on board: "
                    f"back at {self.problem.calendar.hhmm(back)}")
                start = max(start, back)
        return dataclasses.replace(u, from_s=start, to_s=max(u.to_s, start + 1))

    def _check_reported_times(self, events: Sequence[Event]) -> None:
        """Reported times must fit the route as it went: each frozen stop after the one
        before it and the drive between them."""
        hhmm = self.problem.calendar.hhmm
        reported = {(e.target, e.action): i for i, e in enumerate(events)
                    if e.kind in STOP_REPORTS}
        for (task_id, action), i in list(reported.items()):  # a drop-off moved with its pickup
            if action is StopAction.PICKUP:
                reported.setdefault((task_id, StopAction.DROPOFF), i)
        for route in self.published.routes:
            done = [s for s in route.stops if (s.task_id, s.action) in self.frozen]
            for a, b in zip(done, done[1:], strict=False):
                (_, a_end), (b_start, _) = self._times(a), self._times(b)
                if a_end + self.problem.travel_s(a.location_id, b.location_id) <= b_start:
                    continue
                key = next((k for k in ((a.task_id, a.action), (b.task_id, b.action))
                            if k in reported), (a.task_id, a.action))
                where = f"events[{reported[key]}]" if key in reported else "events"
                raise ReplanError(
                    f"{where}: {a.task_id} ending at {hhmm(a_end)} leaves no time to reach "
                    f"{b.task_id}, which {route.worker_id} began at {hhmm(b_start)}")

    def reported_stops(self) -> str:
        """The stops the events fixed in place, for a refusal that names them."""
        hhmm = self.problem.calendar.hhmm
        told = [f"{a.task_id} {a.action.value} {hhmm(a.start_s)}-{hhmm(a.end_s)}"
                for a in self.actuals.values()]
        return "check the reported stops (" + (", ".join(told) or "none") + ")"

    def times_of(self, task_id: str, action: StopAction) -> tuple[int, int]:
        return self._times(self.stop_of[(task_id, action)][1])

    def _times(self, stop: Stop) -> tuple[int, int]:
        a = self.actuals.get((stop.task_id, stop.action))
        return (a.start_s, a.end_s) if a else (stop.start_s, stop.end_s)

    # -- the problem the search sees
    def strict_problem(self, full: Problem) -> Problem:
        """`full` with frozen stops at their one time (mandatory, urgent: never traded) and
        every other task's windows from now on; tasks whose windows passed, and no-shows,
        are left out of it (they are reported, not planned)."""
        tasks = []
        for task in full.tasks:
            keys = [(task.id, a) for a in task.actions]
            if task.id in self.no_show:
                continue
            if any(k in self.frozen for k in keys):
                tasks.append(self._pinned_task(task))
                continue
            cut = daywise.cut_to(task, self.now_s, _NEVER)
            if cut is not None:
                tasks.append(cut)
        ids = {t.id for t in tasks}
        # Nobody is fetched home from a ride that is not made any more; a return under
        # way (its outbound never made) goes on without the link.
        frozen = {t for t, _ in self.frozen}
        tasks = [t if t.ride is None or t.ride.return_of in (None, *ids) else
                 dataclasses.replace(t, ride=dataclasses.replace(t.ride, return_of=None))
                 for t in tasks if t.ride is None or t.ride.return_of in (None, *ids)
                 or t.id in frozen]
        ids = {t.id for t in tasks}
        series = tuple(dataclasses.replace(s, task_ids=kept) for s in full.series
                       if (kept := tuple(t for t in s.task_ids if t in ids)))
        return dataclasses.replace(full, tasks=tuple(tasks), series=series)

    def _pinned_task(self, task: Task) -> Task:
        times = {a: self._times(self.stop_of[(task.id, a)][1]) for a in task.actions
                 if (task.id, a) in self.frozen}
        return dataclasses.replace(_at_times(task, times), mandatory=True,
                                   priority=Priority.URGENT)

    def days_to_plan(self, full: Problem) -> list[int]:
        """The day of now, and each later working day an event touches."""
        today = full.day_of(self.now_s)
        touched = {today}
        for e in self.events:
            if e.kind is EventKind.NEW_REQUEST:
                touched |= {full.day_of(w.start_s) for w in full.task(e.target).windows}
            elif e.kind is EventKind.CANCELLED:
                found = self.stop_of.get((e.target, _first(self.problem, e.target)))
                if found is not None:
                    touched.add(full.day_of(found[1].start_s))
        for u in self.facts.unavailable:
            touched |= set(range(full.day_of(u.from_s), full.day_of(max(u.from_s, u.to_s - 1))
                                 + 1))
        days = set(daywise.working_days(full))
        return sorted(d for d in touched if d >= today and d in days)

    def stability(self, params: ReplanParams) -> Stability:
        return Stability(
            worker_of={s.task_id: r.worker_id for r in self.published.routes for s in r.stops},
            start_of={(s.task_id, s.action): s.start_s for r in self.published.routes
                      for s in r.stops},
            move_cost_s=params.move_cost_s if params.stability else 0,
            tolerance_s=params.tolerance_s, per_s=params.stability)

    def shift_in(self, full: Problem, route: Route) -> int | None:
        """The index in `full` (shifts cut) of the shift a published route ran in."""
        shifts = full.worker(route.worker_id).shifts
        overlap = [min(s.end_s, route.end_s) - max(s.start_s, route.start_s) for s in shifts]
        frozen = [s.start_s for s in route.stops if (s.task_id, s.action) in self.frozen]
        for k, s in enumerate(shifts):
            if frozen and s.start_s <= min(frozen) < s.end_s:
                return k
        if not overlap or max(overlap) <= 0:
            return None
        return overlap.index(max(overlap))


def _raw(route: Route, shift: int | None) -> RawRoute | None:
    if shift is None:
        return None
    return RawRoute(route.worker_id, shift, route.start_s, route.end_s,
                    tuple((s.task_id, s.action, s.start_s) for s in route.stops),
                    tuple((b.start_s, b.end_s) for b in route.breaks))


def _start_routes(rp: RoutingProblem, part: daywise.DayProblem, mine: list[RawRoute],
                  state: _State) -> list[list[int]]:
    """The published routes of the day as routing indices per vehicle of `rp`, each in
    the order its stops happen now (a reported stop at its real time: a bus may have
    fetched its second passenger first)."""
    vehicle = {}
    for (worker_id, k), week_k in part.shift_of.items():
        vehicle[(worker_id, week_k)] = next(v for v, (w, kk) in enumerate(rp.shifts)
                                            if w.id == worker_id and kk == k)
    routes: list[list[int]] = [[] for _ in rp.shifts]
    for raw in mine:
        v = vehicle.get((raw.worker_id, raw.shift_index))
        if v is None:
            continue
        at = {(t, a): state.actuals[(t, a)].start_s if (t, a) in state.actuals else start
              for t, a, start in raw.visits}
        stops = sorted(((t, a) for t, a, _ in raw.visits if (t, a) in rp.node_of),
                       key=lambda k: at[k])
        # A trip whose pickup or drop-off is not offered any more goes with both.
        whole = {t for t, _ in stops
                 if all((t, a) in stops for a in rp.problem.task(t).actions)}
        routes[v] = [rp.index(t, a) for t, a in stops if t in whole]
    return routes


def _finished(full: Problem, strict: Problem, state: _State, raw_routes: list[RawRoute],
              offered: set[str], watch: Watch) -> Plan:
    routes = tuple(route_of(strict, r) for r in raw_routes)
    served = {s.task_id for r in routes for s in r.stops}
    # Reasons come below; the checker needs every task accounted for.
    plan = Plan(routes=routes, unassigned=tuple(Unassigned(t.id, Reason.CAPACITY_EXHAUSTED)
                                                for t in strict.tasks if t.id not in served))
    tight = dataclasses.replace(plan, routes=tuple(tightened(strict, r) for r in routes))
    for candidate in (tight, plan):
        if all(v.rule in REPAIRABLE and v.tasks for v in check(strict, candidate)):
            plan = repaired(strict, candidate)
            break
    else:
        raise PlanRejected(check(strict, plan))
    served = {s.task_id for r in plan.routes for s in r.stops}
    planned_for = {t.id for t in strict.tasks}
    unassigned = []
    for task in full.tasks:
        if task.id in served:
            continue
        if task.id in state.no_show:
            unassigned.append(Unassigned(task.id, Reason.NO_SHOW))
        elif task.id in offered and task.id in planned_for:
            mine = strict.task(task.id)
            reason = diagnose_alone(strict, mine)
            unassigned.append(Unassigned(task.id, reason) if reason else lost_to_others(
                strict, plan, mine))
        elif task.id in state.unserved:
            unassigned.append(state.unserved[task.id])
        elif task.id in planned_for:
            # A task of a day not planned again, that lost its place there (a rule
            # spanning days, e.g. weekly hours, after a change today).
            unassigned.append(Unassigned(task.id, Reason.CAPACITY_EXHAUSTED,
                                         "removed when another day was planned again"))
        else:
            unassigned.append(Unassigned(task.id, Reason.WINDOW_PASSED))
    stats = RunStats(time_s=round(watch.elapsed_s(), 3), solutions=watch.solutions,
                     improvements=tuple(watch.improvements), cancelled=watch.cancelled,
                     warnings=tuple(state.warnings))
    return Plan(routes=plan.routes, unassigned=tuple(unassigned), objective=0,
                solver_status="REPLANNED", stats=stats)


def _changes(full: Problem, published: Plan, plan: Plan, state: _State, tolerance_s: int
             ) -> Iterable[Change]:
    def stops(p: Plan) -> dict[tuple[str, str, StopAction], tuple[int, int]]:
        return {(r.worker_id, s.task_id, s.action): (s.start_s, full.day_of(r.start_s))
                for r in p.routes for s in r.stops}

    before, after = stops(published), stops(plan)
    worker_now = {s.task_id: r.worker_id for r in plan.routes for s in r.stops}
    why = {u.task_id: u.reason.value for u in plan.unassigned}
    cancelled = set(state.facts.cancelled)
    for (worker, task, action), (start, day) in before.items():
        if (worker, task, action) in after:
            new = after[(worker, task, action)][0]
            if abs(new - start) > tolerance_s:
                yield Change(worker, day, ChangeKind.RETIMED, task, action, start, new,
                             "re-timed")
            continue
        reason = ("cancelled" if task in cancelled else
                  f"moved to {worker_now[task]}" if task in worker_now else why.get(task, ""))
        yield Change(worker, day, ChangeKind.REMOVED, task, action, start, None, reason)
    was = {t: w for w, t, _ in before}
    for (worker, task, action), (start, day) in after.items():
        if (worker, task, action) in before:
            continue
        reason = ("new request" if task in state.new_requests else
                  f"moved from {was[task]}" if task in was else "was not served")
        yield Change(worker, day, ChangeKind.ADDED, task, action, None, start, reason)


def same_route(route: Route, plan: Plan, tolerance_s: int) -> bool:
    for other in plan.routes:
        if other.worker_id == route.worker_id and other.stops and route.stops and any(
                (s.task_id, s.action) == (route.stops[0].task_id, route.stops[0].action)
                for s in other.stops):
            return [(s.task_id, s.action) for s in other.stops] == [
                (s.task_id, s.action) for s in route.stops] and all(
                abs(a.start_s - b.start_s) <= tolerance_s
                for a, b in zip(other.stops, route.stops, strict=True))
    return False


# ---------------------------------------------------------------------- helpers


def _hits(u: Unavailable, worker: Worker) -> bool:
    return (u.kind == "worker" and u.id == worker.id
            or u.kind == "vehicle" and u.id == worker.vehicle_id)


def _first(problem: Problem, task_id: str) -> StopAction:
    return next((t.actions[0] for t in problem.tasks if t.id == task_id), StopAction.SERVE)


def _validate(problem: Problem, published: Plan, events: Sequence[Event], now_s: int,
              stop_of: dict[tuple[str, StopAction], tuple[Route, Stop]],
              unserved: dict[str, Unassigned]) -> None:
    tasks = {t.id: t for t in problem.tasks}
    workers = {w.id for w in problem.workers}
    vehicles = {v.id for v in problem.vehicles}
    in_plan = {t for t, _ in stop_of} | set(unserved)
    if now_s < 0:
        raise ReplanError(f"now: {now_s} s is before the plan's first day")
    cancelled = {e.target: i for i, e in enumerate(events) if e.kind is EventKind.CANCELLED}
    for i, e in enumerate(events):
        where = f"events[{i}]"
        if e.kind in STOP_REPORTS and e.target in cancelled:
            raise ReplanError(f"{where}.task: {e.target!r} is cancelled in "
                              f"events[{cancelled[e.target]}]; a stop report and a "
                              "cancellation of one task contradict each other")
        if e.kind is EventKind.NEW_REQUEST:
            if e.target not in tasks:
                raise ReplanError(f"{where}.task: {e.target!r} is not a task of the problem")
            if e.target in in_plan:
                raise ReplanError(f"{where}.task: {e.target!r} is already in the plan")
            continue
        if e.kind in (EventKind.WORKER_UNAVAILABLE, EventKind.VEHICLE_UNAVAILABLE):
            known = workers if e.kind is EventKind.WORKER_UNAVAILABLE else vehicles
            field_name = "worker" if e.kind is EventKind.WORKER_UNAVAILABLE else "vehicle"
            if e.target not in known:
                raise ReplanError(f"{where}.{field_name}: unknown {field_name} {e.target!r}")
            if e.until_s is not None and e.until_s <= (now_s if e.at_s is None else e.at_s):
                raise ReplanError(f"{where}.to: {e.until_s} s is not after its start")
            if e.until_s is not None and e.until_s <= now_s:
                raise ReplanError(f"{where}.to: the unavailability has already ended")
            continue
        if e.target not in tasks:
            raise ReplanError(f"{where}.task: unknown task {e.target!r}")
        if e.kind is EventKind.CANCELLED:
            returns = [t.id for t in problem.tasks
                       if t.ride is not None and t.ride.return_of == e.target]
            for task_id in (e.target, *returns):  # a return trip goes with its outbound
                key = (task_id, tasks[task_id].actions[0])
                if key in stop_of and stop_of[key][1].start_s < now_s:
                    raise ReplanError(f"{where}.task: {task_id!r} began at "
                                      f"{problem.calendar.hhmm(stop_of[key][1].start_s)}, "
                                      "before now; it cannot be cancelled")
            continue
        key = (e.target, e.action)
        if key not in stop_of:
            raise ReplanError(f"{where}.task: {e.target!r} has no {e.action.value} stop in "
                              "the plan")
        if e.at_s is not None and e.at_s > now_s:
            raise ReplanError(f"{where}.at: {problem.calendar.hhmm(e.at_s)} is after now "
                              f"({problem.calendar.hhmm(now_s)}): report what has happened")
        route, stop = stop_of[key]
        if e.kind is EventKind.FINISHED and e.at_s is not None and e.at_s < stop.start_s - 3600:
            raise ReplanError(f"{where}.at: finished at {problem.calendar.hhmm(e.at_s)}, more "
                              "than an hour before it was due to begin; report `started` first")
        if e.kind is EventKind.LATE and not 0 < e.late_s <= 12 * 3600:
            raise ReplanError(f"{where}.minutes: {e.late_s // 60} must be within 1..720")
        if e.kind in (EventKind.FINISHED, EventKind.NO_SHOW) and route.stops and any(
                (s.task_id, s.action) == key and s.start_s > now_s + 3600
                for s in route.stops):
            raise ReplanError(f"{where}.task: {e.target!r} is due at "
                              f"{problem.calendar.hhmm(stop.start_s)}, not yet begun")
        if e.kind is EventKind.NO_SHOW and e.action is StopAction.DROPOFF:
            raise ReplanError(f"{where}.action: a no-show is at a pickup or a visit")


def check_events(problem: Problem, published: Plan, events: Sequence[Event], now_s: int
                 ) -> None:
    """Raise `ReplanError` for events that cannot apply (what `replan` refuses first)."""
    _State(problem, published, events, now_s)
