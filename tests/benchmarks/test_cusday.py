"""The Chełm home-care day generator and the cusday benchmark's two planners."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.cusday import _at_service, _counts, _problem, _trasa, _vroom
from data.generate_cusday import build_cusday
from optimiser.model import Priority
from optimiser.params import SolveParams

CHELM = "osm/Chelm_map.graphml"


def test_a_generated_day_has_the_tasks_asked_for_and_is_the_same_every_time(
        shared_file: Callable[[str], Path]) -> None:
    graph = shared_file(CHELM)
    day = build_cusday(graph, 40, seed=3)
    assert len(day["tasks"]) == 40 and day == build_cusday(graph, 40, seed=3)
    assert day != build_cusday(graph, 40, seed=4)
    assert {t["priority"] for t in day["tasks"]} >= {"low", "normal", "high"}
    with pytest.raises(ValueError, match="tasks=2"):
        build_cusday(graph, 2)


def test_both_planners_plan_a_small_day_on_one_matrix(shared_file: Callable[[str], Path]
                                                       ) -> None:
    problem = _problem(shared_file(CHELM), 12, 1)
    trasa, _, violations = _trasa(problem, SolveParams(time_limit_s=60, max_solutions=100))
    vroom, vroom_violations = _vroom(problem, 5, 1)
    assert violations == 0 and vroom_violations == 0  # both plans keep Trasa's rules
    assert 0 < trasa.served <= 12 and 0 < vroom.served <= 12
    assert trasa.travel_s > 0 and vroom.travel_s > 0
    assert trasa.by_priority.count("/") == len(Priority) - 1


def test_trasa_at_a_lower_service_serves_exactly_that_many_of_each_class(
        shared_file: Callable[[str], Path]) -> None:
    problem = _problem(shared_file(CHELM), 12, 1)
    params = SolveParams(time_limit_s=60, max_solutions=50)
    trasa, plan, _ = _trasa(problem, params)
    counts = _counts(trasa.by_priority)
    assert _at_service(problem, plan, counts, params) is None  # nothing to take out
    lowest = min(p for p, n in counts.items() if n)
    fewer = {**counts, lowest: counts[lowest] - 1}
    found = _at_service(problem, plan, fewer, params)
    assert found is not None
    result, violations = found
    assert violations == 0 and _counts(result.by_priority) == fewer
