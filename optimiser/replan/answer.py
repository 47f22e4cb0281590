"""What a re-planning answers: the new plan with the day as it happened, and each change
to a worker's day (a stop added, removed or re-timed, and why)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from optimiser.model import Plan, Problem, Route, StopAction
from optimiser.replan.events import Facts
from optimiser.replan.frozen import PlanAtNow


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


def changes_between(full: Problem, published: Plan, plan: Plan, state: PlanAtNow,
                    tolerance_s: int) -> Iterable[Change]:
    """Each stop of `published` that `plan` removed or re-timed, and each it added."""
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
