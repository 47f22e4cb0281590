"""Every path gives the solver the same day: a scenario file, and the same file stored as
records (as `trasa import` and `trasa serve --demo` store it) and built back for a
planning job, give problems with equal fingerprints (optimiser.fingerprint), matrices
over one street network (a generated Starachowice grid) included."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.convert.records_scenario import scenario_from_records
from api.convert.scenario import read_scenario
from api.schemas.records import (
    PlanningRequest,
    Resource,
    records_from_scenario,
)
from api.schemas.scenario import ScenarioIn
from api.services.planning import prepare
from optimiser.fingerprint import canonical_problem, problem_fingerprint
from optimiser.model import Problem

SCENARIOS = Path(__file__).resolve().parents[2] / "data" / "scenarios"
DAYS = {"weekday": "starachowice_day.json", "saturday": "starachowice_saturday.json",
        "week": "starachowice_week.json"}


def request_for(scenario: ScenarioIn) -> PlanningRequest:
    """The planning request of a scenario's days, with its rules (what a job is sent)."""
    return PlanningRequest(first_day=scenario.date, days=scenario.days,
                           timezone=scenario.timezone, goals=scenario.goals,
                           rules=scenario.rules, trip_rules=scenario.trip_rules)


def stored(records: dict[str, list[Resource]]) -> dict[str, list[Resource]]:
    """The records as the store gives them back: JSON bodies, in id order."""
    return {kind: sorted((type(r).model_validate(r.model_dump(mode="json")) for r in items),
                         key=lambda r: r.id)  # type: ignore[attr-defined]
            for kind, items in records.items()}


def problems(day: str, graph: Path) -> tuple[Problem, Problem]:
    path = SCENARIOS / DAYS[day]
    scenario = read_scenario(path)
    # Records keep no history: who served a client before comes from the days stored
    # (`api.services.familiar`); here it is the history the file states.
    history = {c.id: set(c.familiar_workers) for c in scenario.clients if c.familiar_workers}
    from_records = scenario_from_records(request_for(scenario),
                                         network=scenario.network.model_dump(),
                                         familiar=history,
                                         **stored(records_from_scenario(scenario)))
    return (prepare(scenario, base_dir=path.parent, graph=str(graph)).problem,
            prepare(from_records, base_dir=path.parent, graph=str(graph)).problem)


@pytest.mark.parametrize("day", DAYS)
def test_the_file_and_its_records_give_the_solver_the_same_problem(
        day: str, starachowice_grid: Path) -> None:
    from_file, from_records = problems(day, starachowice_grid)
    a, b = canonical_problem(from_file), canonical_problem(from_records)
    assert [k for k in a if a[k] != b[k]] == []  # names the part that differs
    assert problem_fingerprint(from_file) == problem_fingerprint(from_records)
    assert len(a["tasks"]) == len(from_file.tasks) > 10


def test_every_return_is_picked_up_where_its_outbound_dropped_off_in_both() -> None:
    scenario = read_scenario(SCENARIOS / DAYS["weekday"])
    built = scenario_from_records(request_for(scenario), network={},
                                  **stored(records_from_scenario(scenario)))
    for source in (scenario, built):
        trips = {r.id: r for r in source.trips}
        returns = [r for r in trips.values() if r.return_of is not None]
        assert len(returns) == 3
        assert all(r.pickup == trips[str(r.return_of)].dropoff for r in returns)
    # the Kielce clinic is one location for the ride there and the ride back
    assert {r.pickup for r in built.trips if r.return_of} == {
        "hospital-kielce", "clinic-local", "clinic-skarzysko"}
