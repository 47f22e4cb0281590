"""Property: on random days of trips, visits and jobs (tests/optimiser/test_random_trips),
a request taken out of a solved plan is offered again, and every offer the engine makes
passes the independent checker and keeps everything the plan served.

A served request fits where it was (the stops around it keep their times), so an engine
whose re-timing were stricter than the checker would miss it, and one laxer than the
checker would have its offers thrown out by the check inside the engine. The examples
are derandomized (the same 25 every run); benchmarks and longer runs explore more."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings

from optimiser.check import check
from optimiser.model import Problem
from optimiser.offers import OfferSettings, find_offers
from optimiser.params import SolveParams
from optimiser.promises import promised
from optimiser.solve import plan_without, solve
from tests.optimiser.random_days import days_with_trips


def request_of(problem: Problem, task_id: str) -> tuple[str, ...]:
    """A task with its outbound or return, if it has one."""
    task = problem.task(task_id)
    pair = task.ride.return_of if task.ride is not None else None
    pair = pair or next((t.id for t in problem.tasks
                         if t.ride is not None and t.ride.return_of == task_id), None)
    if pair is None:
        return (task_id,)
    ids = (task_id, pair)
    return tuple(sorted(ids, key=lambda t: problem.task(t).ride.return_of is not None))  # type: ignore[union-attr]


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(days_with_trips())
def test_a_request_taken_out_of_a_plan_is_offered_again(problem: Problem) -> None:
    plan = solve(problem, params=SolveParams(time_limit_s=60, max_solutions=30))
    served = {s.task_id for r in plan.routes for s in r.stops}
    asked: set[str] = set()
    for task_id in sorted(served):
        request = request_of(problem, task_id)
        if asked & set(request) or not set(request) <= served:
            continue
        asked |= set(request)
        basis = plan_without(problem, plan, set(request))
        offers = find_offers(problem, basis, request, OfferSettings(count=2, window_s=1800))
        assert offers, f"{request} was served, but gets no offer"
        for offer in offers:
            windows = dict(offer.promises)
            assert set(windows) == set(request)
            made = dataclasses.replace(problem, tasks=tuple(
                promised(t, windows[t.id]) if t.id in windows else t for t in problem.tasks))
            assert check(made, offer.plan) == []
            now = {(s.task_id, s.action): s.start_s for r in offer.plan.routes for s in r.stops}
            for r in basis.routes:
                for s in r.stops:
                    assert now[(s.task_id, s.action)] >= s.start_s  # never earlier
