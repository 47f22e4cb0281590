"""Balanced days (issue 31): with `Goals.balance`, the busiest route carries less, the
work stays served, and the plan's KPIs show the spread."""

from __future__ import annotations

import dataclasses

from optimiser.check import check
from optimiser.kpi import kpis
from optimiser.model import DEFAULT_BALANCE_WEIGHT, Goals
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import H, problem, task, worker

PARAMS = SolveParams(time_limit_s=60, max_solutions=200)


def _day() -> object:
    # two workers at one base; eight visits side by side: the cheapest plan sends one
    # worker to all of them (one trip out), a balanced plan shares them
    workers = [worker("w1", base="p0"), worker("w2", base="p0")]
    visits = [task(f"t{i}", 1, service_s=30 * 60, windows=((8 * H, 16 * H),)) for i in range(8)]
    return problem(workers, visits)


def test_the_busiest_route_carries_less_and_everything_stays_served() -> None:
    plain = _day()
    before = kpis(plain, solve(plain, params=PARAMS))  # type: ignore[arg-type]
    assert before.served == 8
    for balance in ("visits", "work"):
        goals = Goals(balance=balance, balance_weight=DEFAULT_BALANCE_WEIGHT[balance])
        p = dataclasses.replace(plain, goals=goals)  # type: ignore[type-var]
        plan = solve(p, params=PARAMS)
        assert check(p, plan) == []
        after = kpis(p, plan)
        assert after.served == 8 and after.routes == 2, (balance, after)
        assert after.visits_spread is not None and after.visits_spread <= 2, (balance, after)
        assert before.visits_spread is not None and before.visits_spread > after.visits_spread
