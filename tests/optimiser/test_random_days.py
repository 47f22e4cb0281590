"""Property: random small days never yield a plan with violations, and every task is accounted for.

`solve` raises PlanRejected if the independent checker finds anything, so a
passing example is a checked plan; the asserts restate the key promises.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimiser.check import check
from optimiser.model import (
    LabourRules,
    Location,
    Priority,
    Problem,
    Provider,
    ProviderKind,
    Task,
    TaskKind,
    TimeWindow,
    TravelMatrix,
    Worker,
)
from optimiser.params import SolveParams
from optimiser.solve import solve

H = 3600
SKILLS = ("physio", "plumbing", "electrics")


@st.composite
def windows(draw: st.DrawFn, service_s: int, count: int) -> tuple[TimeWindow, ...]:
    out: list[TimeWindow] = []
    cursor = 6 * H
    for _ in range(count):
        start = cursor + draw(st.integers(0, 4)) * 1800
        end = start + service_s + draw(st.integers(0, 6)) * 1800
        if end > 23 * H:
            break
        out.append(TimeWindow(start, end))
        cursor = end + 1800
    return tuple(out) or (TimeWindow(8 * H, 8 * H + service_s),)


@st.composite
def days(draw: st.DrawFn) -> Problem:
    n_places = draw(st.integers(2, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    xy = rng.uniform(0, 8000, size=(n_places, 2))
    metres = np.rint(np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2)).astype(np.int64)
    seconds = (metres * 36 // 300).astype(np.int64)  # 30 km/h on a Manhattan grid
    locations = tuple(Location(f"p{i}", 51.0, 21.0 + i / 1000) for i in range(n_places))
    workers = []
    for k in range(draw(st.integers(1, 3))):
        start = draw(st.integers(6, 16)) * H
        length = draw(st.integers(2, 10)) * H
        split = draw(st.booleans()) and start + length + 2 * H < 24 * H
        shifts = (TimeWindow(start, start + length),) + (
            (TimeWindow(start + length + H, min(24 * H, start + length + 4 * H)),) if split
            else ())
        workers.append(Worker(
            id=f"w{k}", name=f"w{k}", provider_id=draw(st.sampled_from(["cus", "pes"])),
            skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), max_size=2))),
            shifts=shifts, start_location_id="p0",
            end_location_id=f"p{draw(st.integers(0, n_places - 1))}",
            max_work_s=draw(st.one_of(st.none(), st.integers(2, 8).map(lambda h: h * H))),
            capacity=draw(st.one_of(st.none(), st.integers(0, 10))),
        ))
    tasks = []
    for i in range(draw(st.integers(1, 9))):
        service_s = draw(st.integers(1, 6)) * 15 * 60
        tasks.append(Task(
            id=f"t{i}", kind=draw(st.sampled_from([TaskKind.VISIT, TaskKind.JOB])),
            location_id=f"p{draw(st.integers(0, n_places - 1))}", service_s=service_s,
            windows=draw(windows(service_s, draw(st.integers(1, 2)))),
            required_skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), max_size=1))),
            priority=draw(st.sampled_from(list(Priority))), mandatory=draw(st.booleans()),
            demand=draw(st.integers(0, 4)),
        ))
    rules = LabourRules(break_after_s=draw(st.sampled_from([None, 3 * H, 6 * H])),
                        break_s=draw(st.sampled_from([15 * 60, 30 * 60])))
    return Problem(locations=locations,
                   providers=(Provider("cus", "CUS", ProviderKind.CUS),
                              Provider("pes", "PES", ProviderKind.PES)),
                   workers=tuple(workers), tasks=tuple(tasks),
                   matrix=TravelMatrix(seconds, metres), rules=rules)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days())
def test_random_days_give_checked_plans_that_account_for_every_task(problem: Problem):
    plan = solve(problem, params=SolveParams(time_limit_s=1, max_solutions=50))
    assert check(problem, plan) == []
    served = [s.task_id for r in plan.routes for s in r.stops]
    reported = [u.task_id for u in plan.unassigned]
    assert sorted(served + reported) == sorted(t.id for t in problem.tasks)
