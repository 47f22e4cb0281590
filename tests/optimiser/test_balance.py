"""Balanced days (issue 31): with `Goals.balance`, the busiest route carries less, the
work stays served, and the plan's KPIs show the spread."""

from __future__ import annotations

import dataclasses

import pytest

from optimiser.check import check
from optimiser.kpi import kpis
from optimiser.model import DEFAULT_BALANCE_WEIGHT, Goals, Problem
from optimiser.ortools.soft_costs import kinds
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import H, problem, task, worker

PARAMS = SolveParams(time_limit_s=60, max_solutions=200)


def _day() -> Problem:
    # two workers at one base; eight visits side by side: the cheapest plan sends one
    # worker to all of them (one trip out), a balanced plan shares them
    workers = [worker("w1", base="p0"), worker("w2", base="p0")]
    visits = [task(f"t{i}", 1, service_s=30 * 60, windows=((8 * H, 16 * H),)) for i in range(8)]
    return problem(workers, visits)


def test_the_busiest_route_carries_less_and_everything_stays_served() -> None:
    plain = _day()
    before = kpis(plain, solve(plain, params=PARAMS))
    assert before.served == 8
    for balance in ("visits", "work"):
        goals = Goals(balance=balance, balance_weight=DEFAULT_BALANCE_WEIGHT[balance])
        p = dataclasses.replace(plain, goals=goals)
        plan = solve(p, params=PARAMS)
        assert check(p, plan) == []
        after = kpis(p, plan)
        assert after.served == 8 and after.routes == 2, (balance, after)
        assert after.visits_spread is not None and after.visits_spread <= 2, (balance, after)
        assert before.visits_spread is not None and before.visits_spread > after.visits_spread


def test_workers_are_of_one_kind_when_they_share_a_skill_even_through_a_third() -> None:
    skills = [frozenset({"physio"}), frozenset({"plumbing", "electrics"}),
              frozenset({"driving"}), frozenset({"physio"}),
              frozenset({"carpentry", "plumbing", "gas"}), frozenset(), frozenset()]
    assert kinds(skills) == [{0, 3}, {1, 4}, {2}, {5, 6}]


@pytest.mark.parametrize("balance", ["work", "visits"])
def test_a_long_day_of_another_kind_does_not_hide_an_uneven_one(balance: str) -> None:
    """A handyman's five-hour job is the busiest route of the day; the two
    physiotherapists still share their eight visits (the goal is per kind of worker)."""
    physios = [worker("w1", skills=("physio",)), worker("w2", skills=("physio",))]
    visits = [task(f"t{i}", 1, skills=("physio",)) for i in range(8)]
    repair = task("r", 2, service_s=5 * H, skills=("repair",))
    day = problem([*physios, worker("h", skills=("repair",))], [*visits, repair],
                  goals=Goals(balance=balance, balance_weight=DEFAULT_BALANCE_WEIGHT[balance]))
    plan = solve(day, params=PARAMS)
    assert check(day, plan) == []
    visits_of = {r.worker_id: len(r.stops) for r in plan.routes}
    assert sum(visits_of.values()) == 9
    assert abs(visits_of.get("w1", 0) - visits_of.get("w2", 0)) <= 2, visits_of
