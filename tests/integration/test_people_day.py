"""A new user's Chełm day (`../shared/examples/people/my_day.json`, fictional people) on
the real road network: the high-priority Kielce appointment and its return are served
although two normal rides want the bus, nobody is in two places, and every reason given
for a task left out is true when checked against the data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from api.convert.scenario import read_scenario
from api.services.planning import PreparedScenario, prepare
from optimiser.check import check
from optimiser.model import Plan, Problem, Reason, StopAction, Task, Unassigned
from optimiser.params import SolveParams
from optimiser.solve import pair_of, solve

pytestmark = pytest.mark.slow

BUDGET = SolveParams(time_limit_s=300, max_solutions=300, searches=1)


@pytest.fixture(scope="module")
def day(shared_data: Path) -> PreparedScenario:
    scenario = read_scenario(shared_data.parent / "examples" / "people" / "my_day.json")
    return prepare(scenario, base_dir=Path("."), graph=str(shared_data / "osm" /
                                                             "Chelm_map.graphml"))


@pytest.fixture(scope="module")
def plans(day: PreparedScenario) -> dict[int, Plan]:
    return {seed: solve(day.problem, params=dataclasses.replace(BUDGET, seed=seed))
            for seed in (0, 1)}


def _served(plan: Plan) -> set[str]:
    return {s.task_id for r in plan.routes for s in r.stops}


def test_the_kielce_appointment_and_its_return_are_served(day: PreparedScenario,
                                                         plans: dict[int, Plan]) -> None:
    for seed, plan in plans.items():
        assert {"t-kielce", "t-kielce-back"} <= _served(plan), seed
        assert not check(day.problem, plan)
        stops = {(s.task_id, s.action): s for r in plan.routes for s in r.stops}
        back = stops[("t-kielce-back", StopAction.PICKUP)]
        there = stops[("t-kielce", StopAction.DROPOFF)]
        assert back.location_id == there.location_id == "clinic-kielce"


def test_every_reason_given_is_true(day: PreparedScenario, plans: dict[int, Plan]) -> None:
    problem = day.problem
    for plan in plans.values():
        assert plan.unassigned, "the day is too full to serve everything"
        for left in plan.unassigned:
            _assert_true(problem, plan, left)


def _rank(task: Task) -> tuple[bool, int]:
    return task.mandatory, int(task.priority)


def _assert_true(problem: Problem, plan: Plan, left: Unassigned) -> None:
    task = problem.task(left.task_id)
    qualified = [w for w in problem.workers if task.required_skills <= w.skills]
    what = f"{task.id}: {left.reason.value} ({left.detail})"
    if left.reason is Reason.NO_SKILLED_WORKER:
        assert not qualified, what
    elif left.reason is Reason.UNREACHABLE_IN_TIME:
        alone = _sub(problem, [task.id, *filter(None, [pair_of(problem, task)])])
        assert task.id not in _served(solve(alone, params=BUDGET)), what
    elif left.reason is Reason.TRIP_PAIR:
        other = pair_of(problem, task)
        assert other is not None, what
        assert other not in _served(plan), what
        assert next(u for u in plan.unassigned if u.task_id == other).reason is not (
            Reason.TRIP_PAIR), what
    elif left.reason is Reason.CLIENT_ELSEWHERE:
        # The client's served tasks named in the detail cover every window of the task.
        named = [t for t in _served(plan) if t in left.detail.split()]
        assert named, what
        busy = sorted(_span(problem, plan, t) for t in named)
        for w in task.windows:
            free_from = w.start_s
            for a, b in [*busy, (w.end_s, w.end_s)]:
                assert min(a, w.end_s) - free_from < task.service_s, what
                free_from = max(free_from, b)
    elif left.reason is Reason.CAPACITY_EXHAUSTED:
        # With only the served tasks that rank as high or higher, it still does not go in
        # beside them all: lower-ranked work did not take its place.
        kept = [t.id for t in problem.tasks if t.id in _served(plan) and _rank(t) >= _rank(task)]
        alone = _sub(problem, [task.id, *kept])
        again = _served(solve(alone, params=BUDGET))
        assert not (task.id in again and set(kept) <= again), what
    else:
        pytest.fail(f"no test of the reason yet: {what}")


def _sub(problem: Problem, task_ids: list[str]) -> Problem:
    keep = set(task_ids)
    for task_id in list(keep):
        other = pair_of(problem, problem.task(task_id))
        if other is not None:
            keep.add(other)
    return dataclasses.replace(problem, tasks=tuple(t for t in problem.tasks if t.id in keep),
                               series=())


def _span(problem: Problem, plan: Plan, task_id: str) -> tuple[int, int]:
    """When the client is kept by `task_id`: at home for a visit, away until the return."""
    stops = {(s.task_id, s.action): s for r in plan.routes for s in r.stops}
    task = problem.task(task_id)
    if task.ride is None:
        stop = stops[(task_id, StopAction.SERVE)]
        return stop.start_s, stop.end_s
    back = next((t.id for t in problem.tasks if t.ride and t.ride.return_of == task_id), None)
    end = stops[(back, StopAction.DROPOFF)].end_s if back else 24 * 3600
    return stops[(task_id, StopAction.PICKUP)].start_s, end
