"""The checker's rule of promises (`promise_broken`), independent of the model: every task
with a `Task.promise` is served, and its first stop (a visit's or job's service, a trip's
pickup) starts inside the promise. It reads `Task.promise` itself, never the windows the
model was given (`optimiser.promises.promised` narrows them), so a model that got the
narrowing wrong is still caught. A stop that began before a re-plan's now
(`Problem.begun`) started when it did: a fact, not the plan's to keep, so its time is
not held to the promise (a promise broken in fact is the coordinator's to tell the
client). `optimiser.check` applies it to every plan."""

from __future__ import annotations

from optimiser.model import Plan, Problem, Task
from optimiser.violation import Violation

PROMISE_RULE = "promise_broken"


def promise_text(problem: Problem, task: Task) -> str:
    """`10:00-11:00 on 2026-11-24`: a task's promise as the checker names it."""
    assert task.promise is not None
    calendar = problem.calendar
    return (f"{calendar.hhmm(task.promise.start_s)}-{calendar.hhmm(task.promise.end_s)} "
            f"on {calendar.date_of(task.promise.start_s).isoformat()}")


def first_starts(problem: Problem, plan: Plan) -> dict[str, int]:
    """When each served task's first stop (a service, a pickup) starts in `plan`."""
    tasks = {t.id: t for t in problem.tasks}
    first: dict[str, int] = {}
    for route in plan.routes:
        for stop in route.stops:
            task = tasks.get(stop.task_id)  # an unknown task: the checker's unknown_task
            if task is not None and stop.action is task.actions[0]:
                first.setdefault(stop.task_id, stop.start_s)
    return first


def promise_violations(problem: Problem, plan: Plan) -> list[Violation]:
    """A promised task left out, or its first stop starting outside its promise."""
    first = first_starts(problem, plan)
    out: list[Violation] = []
    for task in problem.tasks:
        promise = task.promise
        if promise is None:
            continue
        start = first.get(task.id)
        if start is None:
            out.append(Violation(PROMISE_RULE, f"task {task.id!r} is left out, but its client "
                                               f"was promised {promise_text(problem, task)}"))
        elif task.id not in problem.begun and not promise.start_s <= start <= promise.end_s:
            out.append(Violation(PROMISE_RULE, f"task {task.id!r} starts at "
                                               f"{problem.calendar.hhmm(start)} ({start} s), "
                                               f"outside its promise "
                                               f"{promise_text(problem, task)}", (task.id,)))
    return out
