"""A stored plan document back in the domain: the problem it was checked against (its
scenario snapshot, the requests re-planning added and the facts it recorded) and the
plan, over travel times given from elsewhere (a stored reading, or the road graph)."""

from __future__ import annotations

import dataclasses
from typing import Any

from api.convert.events import problem_as_happened
from api.convert.plan_document import read_plan
from api.convert.scenario import parse_scenario, to_problem
from api.schemas.scenario import ScenarioIn
from optimiser.model import Plan, Problem, TravelMatrix
from optimiser.people import NetworkIdentity


def scenario_of(scenario_document: object, plan_id: str) -> ScenarioIn:
    """The job's scenario snapshot of plan `plan_id` (`ScenarioError` naming the field)."""
    return parse_scenario(scenario_document, source=f"plans/{plan_id} scenario")


def problem_over(scenario: ScenarioIn, matrix: TravelMatrix, network: NetworkIdentity
                 ) -> Problem:
    """The scenario's problem over a stored matrix (indexed like its locations)."""
    return dataclasses.replace(to_problem(scenario, matrix), network=network)


def as_stored(scenario: ScenarioIn, problem: Problem, document: dict[str, Any]
              ) -> tuple[Problem, Plan]:
    """The problem `document` was checked against (`problem` is the scenario's, over its
    travel times) and the plan it holds (`PlanDocumentError` naming the field)."""
    _, happened = problem_as_happened(scenario, problem, document)
    happened = dataclasses.replace(happened, network=problem.network)
    return happened, read_plan(happened, document)
