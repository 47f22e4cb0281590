"""Promises: the window a client was told someone will come (an accepted offer).

A promise says when the task's first stop starts: a visit's or job's service, a trip's
pickup. `promised` turns a task into the task the model plans: its windows narrowed to
those starts (a stop must start and end inside a window, so a window reaches past the
promise by the service time), and mandatory, so the search never trades it away. The
checker holds every plan to `Task.promise` itself, not to the narrowed windows.
"""

from __future__ import annotations

import dataclasses

from optimiser.problem_parts import ProblemError, Task, TimeWindow


def promise_windows(task: Task, promise: TimeWindow) -> tuple[TimeWindow, ...]:
    """The parts of `task`'s windows in which its first stop can start inside `promise`
    and end in time: each window cut to [promise start, promise end + service]."""
    service = task.service_s
    cut = (TimeWindow(max(w.start_s, promise.start_s), min(w.end_s, promise.end_s + service))
           for w in task.windows
           if min(w.end_s, promise.end_s + service) - max(w.start_s, promise.start_s) >= service)
    return tuple(cut)


def promised(task: Task, promise: TimeWindow) -> Task:
    """`task` as the model plans it once `promise` is made (see the module's note);
    `ProblemError` naming the task when no start inside the promise fits its windows."""
    windows = promise_windows(task, promise)
    if not windows:
        raise ProblemError(
            f"task {task.id!r}: promise {promise.start_s}-{promise.end_s} leaves no start "
            f"inside the task's windows for its {task.service_s} s of service")
    return dataclasses.replace(task, windows=windows, mandatory=True, promise=promise)


def kept(task: Task, start_s: int) -> bool:
    """Whether a first stop of `task` starting at `start_s` keeps its promise (a task
    without one keeps it always)."""
    return task.promise is None or task.promise.start_s <= start_s <= task.promise.end_s
