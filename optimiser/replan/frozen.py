"""The published plan read at a moment of the day ("now") with the events: which stops
are frozen (begun, or reported) and at what real times, the facts the events add, and
the stricter problem the search sees (frozen stops at their one time, every other task
from now on)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from optimiser.model import Plan, Priority, Problem, Route, Stop, StopAction, Task
from optimiser.ortools import daywise
from optimiser.ortools.raw import Stability
from optimiser.replan.events import (
    STOP_REPORTS,
    Actual,
    Event,
    EventKind,
    Facts,
    ReplanError,
    Unavailable,
    hits,
)
from optimiser.replan.facts import at_times
from optimiser.replan.params import ReplanParams
from optimiser.replan.validate import first_action, validate_events

NEVER = 2**40  # a window's end no plan reaches: cut only from now on


class PlanAtNow:
    """The published plan read at `now_s` with the events: what is frozen, the new facts."""

    def __init__(self, problem: Problem, published: Plan, events: Sequence[Event],
                 now_s: int) -> None:
        self.problem, self.published, self.now_s = problem, published, now_s
        self.warnings: list[str] = []
        self.actuals: dict[tuple[str, StopAction], Actual] = {}
        self.stop_of = {(s.task_id, s.action): (r, s) for r in published.routes
                        for s in r.stops}
        self.unserved = {u.task_id: u for u in published.unassigned}
        validate_events(problem, published, events, now_s, self.stop_of, self.unserved)
        self.events = list(events)
        self.new_requests = {e.target for e in events if e.kind is EventKind.NEW_REQUEST}
        off = [self._unavailable(e) for e in events
               if e.kind in (EventKind.WORKER_UNAVAILABLE, EventKind.VEHICLE_UNAVAILABLE)]
        self.cut_of = {w.id: min([now_s] + [u.from_s for u in off if hits(u, w)])
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
            if not hits(u, worker) or not done:
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
            cut = daywise.cut_to(task, self.now_s, NEVER)
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
        return dataclasses.replace(at_times(task, times), mandatory=True,
                                   priority=Priority.URGENT)

    def days_to_plan(self, full: Problem) -> list[int]:
        """The day of now, and each later working day an event touches."""
        today = full.day_of(self.now_s)
        touched = {today}
        for e in self.events:
            if e.kind is EventKind.NEW_REQUEST:
                touched |= {full.day_of(w.start_s) for w in full.task(e.target).windows}
            elif e.kind is EventKind.CANCELLED:
                found = self.stop_of.get((e.target, first_action(self.problem, e.target)))
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


def check_events(problem: Problem, published: Plan, events: Sequence[Event], now_s: int
                 ) -> None:
    """Raise `ReplanError` for events that cannot apply (what `replan` refuses first)."""
    PlanAtNow(problem, published, events, now_s)
