"""Plan a scenario in stages: network → matrices → problem → solve → check → document.

Used by the command line and (later) the HTTP app, so neither composes these
steps itself. Each stage is a function of its own; `plan_scenario` runs them
all and `PlannedScenario.document()` gives the one plan document.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from api.formats.plan_document import plan_document
from api.formats.scenario import ScenarioError, to_problem
from api.formats.scenario_schema import ScenarioIn
from api.settings import get_settings
from geo.graph import GraphLoadError, load_graph, prepare_graph
from geo.matrix import Matrices, UnreachableError, travel_matrices
from geo.regional import RegionalModel
from geo.synthetic import grid_graph
from optimiser.check import Violation, check
from optimiser.model import Plan, Problem, TravelMatrix
from optimiser.params import CancelSignal, ProgressCallback, SolveParams
from optimiser.solve import solve

log = logging.getLogger(__name__)

SYNTHETIC_WARNING = (
    "NOT A REAL ROAD NETWORK: the road source could not be loaded, so travel times come from "
    "a generated street grid around the scenario's locations. Do not hand these routes to "
    "drivers."
)


@dataclass(frozen=True)
class NetworkInfo:
    source: str
    synthetic: bool
    nodes: int
    edges: int
    warning: str = ""


@dataclass(frozen=True, eq=False)
class PreparedScenario:
    """A scenario turned into a domain problem over its road network."""

    problem: Problem
    network: NetworkInfo
    matrices: Matrices


@dataclass(frozen=True, eq=False)
class PlannedScenario:
    problem: Problem
    plan: Plan
    violations: list[Violation]
    network: NetworkInfo
    params: SolveParams
    matrices: Matrices

    def document(self) -> dict[str, Any]:
        """The plan document (`trasa-plan/1`, see docs/plan.md)."""
        return plan_document(
            self.problem, self.plan, violations=self.violations,
            network=dataclasses.asdict(self.network),
            solver={"time_limit_s": self.params.time_limit_s,
                    "max_solutions": self.params.max_solutions,
                    "stall_solutions": self.params.stall_solutions,
                    "searches": self.params.searches, "seed": self.params.seed})


def load_network(scenario: ScenarioIn, *, base_dir: Path, graph: str | None = None
                 ) -> tuple[nx.MultiDiGraph, NetworkInfo]:
    """The road graph named by `graph` or the scenario, or a loudly-labelled synthetic grid."""
    source = graph or scenario.network.source
    if source is not None:
        # A scenario names its file relative to itself; --graph is relative to the shell.
        beside_scenario = base_dir / source
        if graph is None and beside_scenario.exists():
            source = str(beside_scenario)
        try:
            g = load_graph(source, cache_dir=get_settings().cache_dir)
            return g, NetworkInfo(str(source), False, g.number_of_nodes(), g.number_of_edges())
        except GraphLoadError as exc:
            if not scenario.network.fallback_grid or graph is not None:
                raise
            log.warning("%s", exc)
    elif not scenario.network.fallback_grid:
        raise ScenarioError("network.source: no road network given (set network.source, pass "
                            "--graph, or allow network.fallback_grid)")
    # The median keeps a few out-of-town destinations from pulling the grid away from town.
    lat = float(np.median([x.lat for x in scenario.locations]))
    lon = float(np.median([x.lon for x in scenario.locations]))
    g = prepare_graph(grid_graph(lat, lon))
    log.warning(SYNTHETIC_WARNING)
    return g, NetworkInfo(f"synthetic grid around {lat:.4f},{lon:.4f}", True,
                          g.number_of_nodes(), g.number_of_edges(), SYNTHETIC_WARNING)


def build_matrices(scenario: ScenarioIn, g: nx.MultiDiGraph) -> Matrices:
    """Travel times and distances between the scenario's locations over `g`."""
    regional = scenario.network.regional
    try:
        return travel_matrices(
            g, [(x.lat, x.lon) for x in scenario.locations],
            names=[x.id for x in scenario.locations],
            access_speed_kph=scenario.network.access_speed_kph,
            regional=RegionalModel(speed_kph=regional.speed_kph,
                                   detour_factor=regional.detour_factor,
                                   outside_m=regional.outside_m) if regional.enabled else None)
    except UnreachableError as exc:
        raise ScenarioError(f"locations: {exc}") from None


def prepare(scenario: ScenarioIn, *, base_dir: Path, graph: str | None = None
            ) -> PreparedScenario:
    """Every input error first (cheap), then the network and the matrices (heavy)."""
    n = len(scenario.locations)
    zero = np.zeros((n, n), dtype=np.int64)
    problem = to_problem(scenario, TravelMatrix(zero, zero))
    g, network = load_network(scenario, base_dir=base_dir, graph=graph)
    matrices = build_matrices(scenario, g)
    problem = dataclasses.replace(
        problem, matrix=TravelMatrix(matrices.duration_s, matrices.distance_m))
    return PreparedScenario(problem, network, matrices)


def plan_prepared(prepared: PreparedScenario, *, params: SolveParams,
                  on_progress: ProgressCallback | None = None,
                  cancel: CancelSignal | None = None) -> PlannedScenario:
    plan = solve(prepared.problem, params=params, on_progress=on_progress, cancel=cancel)
    violations = check(prepared.problem, plan)  # solve checked it too: this is the record
    return PlannedScenario(prepared.problem, plan, violations, prepared.network, params,
                           prepared.matrices)


def plan_scenario(scenario: ScenarioIn, *, base_dir: Path, params: SolveParams,
                  graph: str | None = None, on_progress: ProgressCallback | None = None,
                  cancel: CancelSignal | None = None) -> PlannedScenario:
    prepared = prepare(scenario, base_dir=base_dir, graph=graph)
    return plan_prepared(prepared, params=params, on_progress=on_progress, cancel=cancel)
