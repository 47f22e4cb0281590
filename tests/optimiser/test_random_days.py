"""Property: random small days never yield a plan with violations, and every task is accounted for.

`solve` raises PlanRejected if the independent checker finds anything, so a
passing example is a checked plan; the asserts restate the key promises.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimiser.calendar import Calendar
from optimiser.check import check
from optimiser.model import (
    Continuity,
    Goals,
    LabourRules,
    Location,
    Priority,
    Problem,
    Provider,
    ProviderKind,
    Series,
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


@st.composite
def weeks(draw: st.DrawFn) -> Problem:
    """2-4 days (one of them 25 h long, as at the end of summer time), daily and weekly
    limits, the daily rest, evening shifts, and therapy series with every continuity."""
    calendar = draw(calendars())
    day = calendar.day_starts_s
    n_days = len(day)
    n_places = draw(st.integers(2, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    xy = rng.uniform(0, 6000, size=(n_places, 2))
    metres = np.rint(np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2)).astype(np.int64)
    seconds = (metres * 36 // 300).astype(np.int64)
    workers = []
    for k in range(draw(st.integers(1, 3))):
        shifts = []
        for d in sorted(draw(st.sets(st.integers(0, n_days - 1), min_size=1))):
            start = day[d] + draw(st.sampled_from([7, 8, 14, 16])) * H
            shifts.append(TimeWindow(start, start + draw(st.integers(3, 8)) * H))
        workers.append(Worker(
            id=f"w{k}", name=f"w{k}", provider_id=draw(st.sampled_from(["cus", "pes"])),
            skills=frozenset({"physio"}), shifts=tuple(shifts), start_location_id="p0",
            end_location_id="p0",
            max_work_s=draw(st.one_of(st.none(), st.integers(3, 8).map(lambda h: h * H))),
            max_week_s=draw(st.one_of(st.none(), st.integers(4, 20).map(lambda h: h * H)))))
    tasks, series = [], []
    for i in range(draw(st.integers(1, 5))):
        service_s = draw(st.sampled_from([30, 45, 60])) * 60
        first, last = draw(st.sampled_from([(8, 12), (9, 15), (15, 20)]))
        windows_ = tuple(TimeWindow(day[d] + first * H, day[d] + last * H)
                         for d in range(n_days))
        sessions = draw(st.integers(1, min(3, n_days)))
        ids = tuple(f"s{i}#{k}" for k in range(sessions))
        place = f"p{draw(st.integers(0, n_places - 1))}"
        tasks += [Task(id=t, kind=TaskKind.VISIT, location_id=place, service_s=service_s,
                       windows=windows_, required_skills=frozenset({"physio"}),
                       priority=draw(st.sampled_from(list(Priority)))) for t in ids]
        if sessions > 1:
            series.append(Series(f"s{i}", ids, min_gap_days=draw(st.integers(0, 1)),
                                 continuity=draw(st.sampled_from(list(Continuity)))))
    return Problem(
        locations=tuple(Location(f"p{i}", 51.0, 21.0 + i / 1000) for i in range(n_places)),
        providers=(Provider("cus", "CUS", ProviderKind.CUS), Provider("pes", "PES",
                                                                      ProviderKind.PES)),
        workers=tuple(workers), tasks=tuple(tasks), matrix=TravelMatrix(seconds, metres),
        rules=LabourRules(rest_s=11 * H), series=tuple(series), calendar=calendar,
        goals=Goals(pes_share_target=0.35, pes_weight=draw(st.sampled_from([0.0, 0.2]))))


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    """2-4 Warsaw days, often across the end of summer time (25 October 2026: 25 h)."""
    first = date(2026, 10, 25) - timedelta(days=draw(st.integers(0, 3))) if draw(
        st.booleans()) else date(2026, 11, 23)
    return Calendar(first, days=draw(st.integers(2, 4)), timezone="Europe/Warsaw")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weeks())
def test_random_weeks_give_checked_plans_that_account_for_every_task(problem: Problem):
    plan = solve(problem, params=SolveParams(time_limit_s=2, max_solutions=60))
    assert check(problem, plan) == []
    served = [s.task_id for r in plan.routes for s in r.stops]
    reported = [u.task_id for u in plan.unassigned]
    assert sorted(served + reported) == sorted(t.id for t in problem.tasks)
