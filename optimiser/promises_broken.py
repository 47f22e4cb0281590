"""Which promises a plan does not keep, and why, in words a coordinator understands.

The checker's rule (`optimiser.check_promises`) says that a promise is broken; this says
why, from the plan's own reasons for leaving a task out (`Plan.unassigned`, given by
`optimiser.reasons`), or from `optimiser.reasons` itself where the plan gives none. A
plan that breaks a promise is never published: its caller refuses it with these
(`PromisesBroken`), naming each promise and why, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from optimiser.check_promises import first_starts, promise_text
from optimiser.model import REASON_TEXT, Plan, Problem, Task, Unassigned
from optimiser.promises import kept
from optimiser.reasons import diagnose_alone, lost_to_others

OUTSIDE = "outside_promise"  # the reason of a promised task served at another time


@dataclass(frozen=True)
class BrokenPromise:
    task_id: str
    promise: str  # "10:00-11:00 on 2026-11-24"
    reason: str  # a `Reason` value, or OUTSIDE for a task served at another time
    why: str

    def __str__(self) -> str:
        return f"task {self.task_id!r} promised {self.promise}: {self.why}"


class PromisesBroken(Exception):
    """A plan that does not keep every promise: refused, nothing published."""

    def __init__(self, broken: list[BrokenPromise], *, what: str = "the plan") -> None:
        self.broken = tuple(broken)
        listed = "; ".join(str(b) for b in broken[:10])
        super().__init__(f"{what} cannot keep {len(broken)} promise(s), so nothing is "
                         f"published: {listed}")


def broken_promises(problem: Problem, plan: Plan) -> list[BrokenPromise]:
    """Each promise `plan` does not keep (the checker's `promise_broken`), with why."""
    why_out = {u.task_id: u for u in plan.unassigned}
    first = first_starts(problem, plan)
    out: list[BrokenPromise] = []
    for task in problem.tasks:
        if task.promise is None:
            continue
        promise = promise_text(problem, task)
        if task.id in first:
            if task.id not in problem.begun and not kept(task, first[task.id]):
                at = problem.calendar.hhmm(first[task.id])
                out.append(BrokenPromise(task.id, promise, OUTSIDE,
                                         f"served from {at}, outside the promise"))
            continue
        left = why_out.get(task.id) or _why_left_out(problem, plan, task)
        detail = f" ({left.detail})" if left.detail else ""
        out.append(BrokenPromise(task.id, promise, left.reason.value,
                                 f"left out: {REASON_TEXT[left.reason]}{detail}"))
    return out


def _why_left_out(problem: Problem, plan: Plan, task: Task) -> Unassigned:
    """`optimiser.reasons`' answer for a task the plan leaves out without saying why."""
    reason = diagnose_alone(problem, task)
    return lost_to_others(problem, plan, task) if reason is None else Unassigned(task.id,
                                                                                   reason)
