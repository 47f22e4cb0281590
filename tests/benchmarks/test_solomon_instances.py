"""The Solomon reader and our checker agree with the published best-known solutions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.solomon import SCALE, plan_distance, read_instance
from optimiser.check import check
from optimiser.model import Plan, Problem, Route, Stop
from optimiser.params import SolveParams
from optimiser.solve import solve


def earliest_plan(problem: Problem, routes: list[list[str]]) -> Plan:
    """Schedule given customer sequences as early as their windows allow."""
    out = []
    for k, sequence in enumerate(routes):
        place, free_from, stops = "0", 0, []
        for task_id in sequence:
            task = problem.task(task_id)
            arrival = free_from + problem.travel_s(place, task.location_id)
            start = max(arrival, task.windows[0].start_s)
            stops.append(Stop(task_id, task.location_id, arrival, start, start + task.service_s))
            place, free_from = task.location_id, start + task.service_s
        out.append(Route(f"v{k + 1}", 0, 0, free_from + problem.travel_s(place, "0"), tuple(stops)))
    return Plan(tuple(out), ())


def read_solution(path: Path) -> tuple[list[list[str]], float]:
    lines = path.read_text().splitlines()
    routes = [ln.split(":", 1)[1].split() for ln in lines if ln.startswith("Route")]
    cost = next(float(ln.split()[1]) for ln in lines if ln.startswith("Cost"))
    return routes, cost


@pytest.mark.parametrize("name", ["C101", "R101", "RC105", "R211"])
def test_best_known_solution_passes_our_checker_at_its_published_cost(
    name: str, shared_file: Callable[[str], Path]
):
    problem = read_instance(shared_file(f"solomon/{name}.txt"))
    routes, cost = read_solution(shared_file(f"solomon/bks_dimacs/{name}.sol"))
    plan = earliest_plan(problem, routes)
    assert check(problem, plan) == []
    assert plan_distance(problem, plan) == pytest.approx(cost, abs=0.05)


def test_checker_rejects_a_best_known_solution_with_two_customers_swapped(
    shared_file: Callable[[str], Path]
):
    problem = read_instance(shared_file("solomon/R101.txt"))
    routes, _ = read_solution(shared_file("solomon/bks_dimacs/R101.sol"))
    routes[0][0], routes[1][0] = routes[1][0], routes[0][0]
    assert {v.rule for v in check(problem, earliest_plan(problem, routes))} == {"time_window"}


def test_reader_uses_truncated_tenths_and_window_end_after_service(
    shared_file: Callable[[str], Path]
):
    problem = read_instance(shared_file("solomon/C101.txt"))
    assert len(problem.tasks) == 100 and len(problem.workers) == 25
    # customer 1: (45, 68), depot (40, 50): sqrt(25 + 324) = 18.68 -> 186 tenths
    assert problem.travel_s("0", "1") == 186
    first = problem.task("1")
    assert (first.windows[0].start_s, first.windows[0].end_s) == (912 * SCALE, (967 + 90) * SCALE)


def test_the_solver_serves_every_customer_of_an_easy_instance(
    shared_file: Callable[[str], Path]
):
    problem = read_instance(shared_file("solomon/C101.txt"))
    plan = solve(problem, params=SolveParams(time_limit_s=120, max_solutions=60))
    assert plan.unassigned == ()
    # C101's best known: 10 vehicles, 827.3 in the DIMACS convention (distances x10 truncated)
    assert len(plan.routes) == 10
    assert plan_distance(problem, plan) <= 827.3 * 1.01
