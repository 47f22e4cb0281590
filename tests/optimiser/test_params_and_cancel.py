"""SolveParams are plain and validated; a solve runs in a child process and can be cancelled."""

from __future__ import annotations

import multiprocessing
import pickle
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from optimiser.check import check
from optimiser.model import LabourRules, Plan, Problem, Series
from optimiser.params import FirstSolution, Metaheuristic, Progress, SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import H, bus, problem, task, trip, worker

COUNTED = SolveParams(time_limit_s=60, seed=2, max_solutions=150,
                      first_solution="LOCAL_CHEAPEST_INSERTION", metaheuristic="TABU_SEARCH")


def small_day() -> Problem:
    tasks = [task(f"t{i}", 1 + i % 5, service_s=(20 + 5 * i) * 60) for i in range(10)]
    return problem([worker("a"), worker("b", base="p5")], tasks)


def busy_day(*, plain: bool) -> Problem:
    """60 visits over 6 workers: a first plan in well under a second, then a long search.

    Plain (one window a visit): GLS, then SISR. Otherwise (a second window in the evening
    for every third visit): GLS alone on the full model."""
    tasks = [task(f"t{i}", 1 + i % 9, service_s=(15 + 5 * (i % 7)) * 60,
                  windows=((7 * H + (i % 5) * H, 12 * H + (i % 6) * H),
                           *(() if plain or i % 3 else ((18 * H, 19 * H),))))
             for i in range(60)]
    workers = [worker(f"w{k}", shifts=((7 * H, 19 * H),), base=f"p{k}") for k in range(6)]
    return problem(workers, tasks, places=10, rules=LabourRules(break_after_s=None))


def solve_in_child(payload: bytes) -> Plan:
    problem_, params = pickle.loads(payload)
    return solve(problem_, params=params)


def test_strategy_names_become_enum_members() -> None:
    assert COUNTED.first_solution is FirstSolution.LOCAL_CHEAPEST_INSERTION
    assert COUNTED.metaheuristic is Metaheuristic.TABU_SEARCH


@pytest.mark.parametrize(("field", "value"), [("first_solution", "CHEAPEST_INSERTON"),
                                              ("metaheuristic", "GUIDED")])
def test_unknown_strategy_is_rejected_at_once_naming_field_and_value(field: str,
                                                                      value: str) -> None:
    with pytest.raises(ValueError, match=rf"{field}='{value}' is not one of"):
        SolveParams(**{field: value})  # type: ignore[arg-type]


def test_params_survive_pickling_unchanged() -> None:
    assert pickle.loads(pickle.dumps(COUNTED)) == COUNTED


def test_a_solve_in_a_spawned_child_process_gives_the_same_plan_as_here() -> None:
    day = small_day()
    here = solve(day, params=COUNTED)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        there = pool.submit(solve_in_child, pickle.dumps((day, COUNTED))).result(timeout=300)
    assert there == here
    assert here.stats.solutions > 0


def test_progress_counts_served_tasks_against_all_tasks_of_the_problem() -> None:
    """Trips and series sessions count as tasks on both sides (the old line said 40/35)."""
    tasks = [task("v1", 1), task("s#1", 2), task("s#2", 3),
             trip("r1", 1, 4, pickup_windows=((9 * H, 10 * H),))]
    day = problem([worker("d", skills=("driving",), vehicle="bus")], tasks, vehicles=(bus(),),
                  series=(Series("s", ("s#1", "s#2"), min_gap_days=0),))
    seen: list[Progress] = []
    plan = solve(day, params=SolveParams(max_solutions=50), on_progress=seen.append)
    assert seen, "at least one improvement is reported"
    assert all(p.tasks == len(day.tasks) == 4 and 0 <= p.served <= p.tasks for p in seen)
    served = {s.task_id for r in plan.routes for s in r.stops}
    assert seen[-1].served == len(served)
    assert seen[-1].priority == sum(int(day.task(t).priority) for t in served)
    assert [p.objective for p in seen] == sorted((p.objective for p in seen), reverse=True)


@pytest.mark.parametrize("plain", [True, False])
def test_a_cancelled_solve_returns_its_best_checked_plan_within_two_seconds(
        plain: bool) -> None:
    day = busy_day(plain=plain)
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    started = time.monotonic()
    plan = solve(day, params=SolveParams(time_limit_s=120), cancel=cancel)
    after_cancel_s = time.monotonic() - started - 1.0
    assert after_cancel_s < 2.0, f"the plan came back {after_cancel_s:.2f} s after cancel"
    assert plan.stats.cancelled is True
    assert check(day, plan) == []
    assert sum(len(r.stops) for r in plan.routes) > 0, "the best plan so far is kept"


def test_the_search_steps_report_their_better_plans_too(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On a plain day most of the time goes to SISR, whose new best routes are reported
    between its compiled chunks, each as a progress report."""
    from optimiser import sisr

    told: list[float] = []
    improve = sisr.improve

    def counted(*args: Any, on_best: Any, **kwargs: Any) -> Any:
        def tell(routes: list[list[int]], cost: float) -> None:
            told.append(cost)
            on_best(routes, cost)
        return improve(*args, on_best=tell, **kwargs)

    monkeypatch.setattr(sisr, "improve", counted)
    day = busy_day(plain=True)
    seen: list[Progress] = []
    plan = solve(day, params=SolveParams(max_solutions=200), on_progress=seen.append)
    assert told, "SISR found better routes"
    assert set(told) <= {p.objective for p in seen}
    assert len(seen) == len(plan.stats.improvements)
    assert all(0 < p.served <= p.tasks and p.served <= p.priority <= 4 * p.served
               for p in seen)
    assert seen[-1].served == sum(len(r.stops) for r in plan.routes)


def test_a_solve_that_is_never_cancelled_says_so() -> None:
    plan = solve(small_day(), params=SolveParams(max_solutions=20), cancel=threading.Event())
    assert plan.stats.cancelled is False
    assert plan.stats.improvements and plan.stats.improvements[-1][1] >= plan.objective




def test_a_search_that_stops_improving_ends_long_before_its_time_limit() -> None:
    # The stall limit is a count of solutions: the search ends at the same point anywhere
    # (with a solution budget, and not the clock, pacing the search).
    p = busy_day(plain=False)
    params = SolveParams(time_limit_s=600, max_solutions=100_000, stall_solutions=30)
    plan = solve(p, params=params)
    assert plan.stats.time_s < 300 and not plan.stats.cancelled  # of 600 s
    assert check(p, plan) == []
    again = solve(p, params=params)
    assert again.routes == plan.routes  # no clock involved: the same plan


def test_searches_and_stall_solutions_are_validated_naming_the_field() -> None:
    with pytest.raises(ValueError, match="searches=0"):
        SolveParams(searches=0)
    with pytest.raises(ValueError, match="stall_solutions=0"):
        SolveParams(stall_solutions=0)
