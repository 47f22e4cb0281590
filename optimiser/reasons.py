"""Why a task is not served: test the task on its own against every worker shift.

`diagnose_alone` answers "could anyone do this task if it were the only task
of the day?". If not, the first failing test names the reason. If yes, the
task lost to others and `lost_to` names the tasks that used the capacity.
"""

from __future__ import annotations

from optimiser.model import Plan, Problem, Reason, Route, Task, TimeWindow, Worker


def diagnose_alone(problem: Problem, task: Task) -> Reason | None:
    qualified = [w for w in problem.workers if task.required_skills <= w.skills]
    if not qualified:
        return Reason.NO_SKILLED_WORKER
    qualified = [w for w in qualified if w.capacity is None or w.capacity >= task.demand]
    if not qualified:
        return Reason.EXCEEDS_CAPACITY
    shifts = [(w, s) for w in qualified for s in w.shifts
              if any(s.overlap_s(win) >= task.service_s for win in task.windows)]
    if not shifts:
        return Reason.NO_AVAILABILITY
    if not any(_fits_alone(problem, w, s, task) for w, s in shifts):
        return Reason.UNREACHABLE_IN_TIME
    return None


def _fits_alone(problem: Problem, worker: Worker, shift: TimeWindow, task: Task) -> bool:
    go = problem.travel_s(worker.start_location_id, task.location_id)
    back = problem.travel_s(task.location_id, worker.end_location_id)
    work = go + task.service_s + back
    rules = problem.rules
    if rules.break_after_s is not None and work > rules.break_after_s:
        work += rules.break_s
    if worker.max_work_s is not None and work > worker.max_work_s:
        return False
    for window in task.windows:
        start = max(window.start_s, shift.start_s + go)
        if start + task.service_s <= window.end_s and start - go + work <= shift.end_s:
            return True
    return False


def lost_to(problem: Problem, plan: Plan, task: Task, *, limit: int = 5) -> list[str]:
    """Served tasks of equal or higher priority on routes that could have taken `task`."""
    tasks = {t.id: t for t in problem.tasks}
    out: list[str] = []
    for route in plan.routes:
        if not _could_take(problem.worker(route.worker_id), route, task):
            continue
        for stop in route.stops:
            other = tasks[stop.task_id]
            if other.priority >= task.priority or other.mandatory:
                out.append(other.id)
    return sorted(set(out))[:limit]


def _could_take(worker: Worker, route: Route, task: Task) -> bool:
    shift = worker.shifts[route.shift_index]
    return task.required_skills <= worker.skills and any(
        shift.overlap_s(w) >= task.service_s for w in task.windows)
