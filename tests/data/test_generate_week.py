"""The Starachowice week generator: deterministic, CUS-sized, and a valid scenario."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import date
from typing import Any

import numpy as np
import pytest

from api.convert.scenario import parse_scenario, to_problem
from data.generate_week import N_CLIENTS, build_week
from optimiser.model import Continuity, Problem, ProviderKind, TravelMatrix


@pytest.fixture(scope="module")
def week() -> dict[str, Any]:
    return build_week()


@pytest.fixture(scope="module")
def problem(week: dict[str, Any]) -> Problem:
    scenario = parse_scenario(copy.deepcopy(week))
    n = len(scenario.locations)
    zero = np.zeros((n, n), dtype=np.int64)
    return to_problem(scenario, TravelMatrix(zero, zero.copy()))


def sessions(task: dict[str, Any]) -> int:
    return int(task["series"]["sessions"]) if task.get("series") else 1


def test_same_seed_gives_an_identical_scenario(week: dict[str, Any]):
    assert build_week() == week
    assert build_week(seed=2021, days=7, start=date(2026, 11, 23)) == week


def test_another_seed_gives_another_scenario(week: dict[str, Any]):
    assert build_week(seed=7) != week


def test_week_has_162_clients_and_350_to_450_tasks_counting_sessions(week: dict[str, Any]):
    assert len(week["clients"]) == N_CLIENTS == 162
    count = sum(sessions(t) for t in week["tasks"]) + len(week["trips"])
    assert 350 <= count <= 450, count


def test_week_parses_and_converts_with_every_session_and_trip_as_a_task(
        week: dict[str, Any], problem: Problem):
    assert len(problem.tasks) == sum(sessions(t) for t in week["tasks"]) + len(week["trips"])
    assert problem.day_starts_s[:2] == (0, 24 * 3600) and len(problem.day_starts_s) == 7


def test_week_has_the_mix_of_the_cus_project(week: dict[str, Any], problem: Problem):
    names = " ".join(loc.get("name", "") for loc in week["locations"])
    for estate in ("Łazy", "Wzgórze", "ul. Ostrowiecka"):
        assert estate in names
    assert "fictional" in week["note"] and "approximate" in week["note"]
    assert all("(fictional)" in c["name"] for c in week["clients"])
    continuity = Counter(s.continuity for s in problem.series)
    assert continuity[Continuity.SOFT] > continuity[Continuity.REQUIRED] > 0
    assert {len(s.task_ids) for s in problem.series} == {2, 3}
    jobs = [t for t in week["tasks"] if t["kind"] == "job"]
    assert all(t.get("release_date") and t.get("due_date") for t in jobs)
    assert {s for t in jobs for s in t["skills"]} == {"plumbing", "electrics", "carpentry"}
    assert {t["priority"] for t in jobs} >= {"high", "urgent"}
    assert 30 <= min(t["duration_min"] for t in jobs) <= max(t["duration_min"] for t in jobs) <= 360
    assert week["trips"] and week["goals"]["pes_share_target"] == 0.35
    assert week["network"] == {"source": "Starachowice, Poland", "fallback_grid": True}


def test_cus_works_weekday_days_and_pes_evenings_and_weekends(problem: Problem):
    pes = {p.id for p in problem.providers if p.kind is ProviderKind.PES}
    assert 10 <= len(problem.workers) <= 12
    starts = problem.day_starts_s
    for worker in problem.workers:
        days = {problem.day_of(s.start_s) for s in worker.shifts}
        if worker.provider_id in pes:
            assert days & {5, 6}, worker.id  # Saturday or Sunday
        else:
            assert days <= {0, 1, 2, 3, 4}, worker.id
            assert all(s.end_s - starts[problem.day_of(s.start_s)] <= 16 * 3600
                       for s in worker.shifts), worker.id
    on_leave = [w for w in problem.workers if w.provider_id not in pes and len(w.shifts) == 3]
    assert len(on_leave) == 1  # a CUS physiotherapist on leave two days


def test_each_skill_has_spare_capacity_so_a_high_served_share_is_possible(problem: Problem):
    for skills in ({"physio"}, {"care"}, {"plumbing"}, {"electrics"}, {"carpentry"}):
        need = sum(t.service_s for t in problem.tasks if t.required_skills == skills)
        have = sum(min(sum(s.length_s for s in w.shifts), w.max_week_s or 10**9)
                   for w in problem.workers if skills <= w.skills)
        assert have >= 1.15 * need, (skills, need, have)


@pytest.mark.parametrize("days", [1, 3])
def test_a_shorter_horizon_is_a_valid_smaller_scenario(days: int):
    raw = build_week(days=days)
    scenario = parse_scenario(raw)
    n = len(scenario.locations)
    zero = np.zeros((n, n), dtype=np.int64)
    problem = to_problem(scenario, TravelMatrix(zero, zero.copy()))
    assert len(problem.day_starts_s) == days
    assert len(raw["clients"]) == 162
    assert 0 < len(problem.tasks) < 400 * days / 7 + 30


def test_k_towns_are_k_times_the_people_and_work_sharing_sites_and_providers():
    from data.generate_week import build_towns

    one, three = build_week(), build_towns(scale=3)
    for key in ("clients", "workers", "vehicles"):
        assert len(three[key]) == 3 * len(one[key]), key
    assert len(three["providers"]) == len(one["providers"])
    scenario = parse_scenario(copy.deepcopy(three))  # every reference resolves
    n = len(scenario.locations)
    zero = np.zeros((n, n), dtype=np.int64)
    p = to_problem(scenario, TravelMatrix(zero, zero.copy()))
    assert 2.7 * 350 <= len(p.tasks) <= 3 * 450
    third = {w.id for w in p.workers if w.id.startswith("t3-")}
    assert len(third) == len(one["workers"])
    assert {w.vehicle_id for w in p.workers if w.id in third} - {None} == {"t3-bus"}
    assert build_towns(scale=3) == three  # deterministic
