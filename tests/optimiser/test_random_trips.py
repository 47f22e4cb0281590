"""Property: random days mixing bus trips, visits and jobs give checked plans.

Each day has one or two vehicles (seats and wheelchair places), one or two drivers
(sometimes one without a vehicle), other workers, and random trips: seated,
wheelchair and escort passengers; a pickup window, an arrive-by drop-off window or
neither; an optional maximum ride; some returns after an appointment. `solve`
raises PlanRejected if the independent checker objects, so a passing example is
a checked plan; the asserts restate the key promises of trips.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings

from optimiser.check import check
from optimiser.model import Problem, StopAction
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.random_days import days_with_trips


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days_with_trips())
def test_random_days_with_trips_give_checked_plans_that_account_for_every_task(
        problem: Problem) -> None:
    plan = solve(problem, params=SolveParams(time_limit_s=1, max_solutions=50))
    assert check(problem, plan) == []

    stops = Counter((s.task_id, s.action) for r in plan.routes for s in r.stops)
    reported = Counter(u.task_id for u in plan.unassigned)
    assert all(n == 1 for n in reported.values())
    for task in problem.tasks:
        counts = [stops[(task.id, a)] for a in task.actions]
        served = counts == [1] * len(task.actions)
        assert served != bool(reported[task.id]), (task.id, counts, reported[task.id])
        if not served:
            assert counts == [0] * len(task.actions), (task.id, counts)
    assert set(reported) <= {t.id for t in problem.tasks}

    for route in plan.routes:
        vehicle = problem.vehicle_of(problem.worker(route.worker_id))
        boarded: dict[str, int] = {}
        seats = wheelchairs = 0
        for stop in route.stops:
            task = problem.task(stop.task_id)
            if task.ride is None:
                continue
            assert vehicle is not None, (route.worker_id, task.id)
            people = task.ride.passengers
            if stop.action is StopAction.PICKUP:
                boarded[task.id] = stop.end_s
                seats, wheelchairs = seats + people.seats, wheelchairs + people.wheelchair
            else:
                assert task.id in boarded, f"{task.id} dropped off before its pickup"
                assert stop.start_s - boarded.pop(task.id) <= problem.max_ride_s(task)
                seats, wheelchairs = seats - people.seats, wheelchairs - people.wheelchair
            assert seats <= vehicle.seats and wheelchairs <= vehicle.wheelchair_places
        assert not boarded, f"picked up but not dropped off on the same route: {boarded}"
