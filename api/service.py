"""Scenario → road network → matrices → solve → checked plan. Used by the CLI (and later HTTP)."""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from api.scenario import Clock, ScenarioError, ScenarioIn, to_problem
from geo.graph import GraphLoadError, load_graph, prepare_graph
from geo.matrix import UnreachableError, travel_matrices
from geo.regional import RegionalModel
from geo.synthetic import grid_graph
from optimiser.model import Plan, Problem, TravelMatrix
from optimiser.params import SolveParams
from optimiser.solve import solve

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[1]
CACHE_DIR = REPO / "data" / "cache"

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


@dataclass(frozen=True)
class PlannedDay:
    problem: Problem
    plan: Plan
    clock: Clock
    network: NetworkInfo
    solve_time_s: float
    params: SolveParams

    def meta(self) -> dict[str, Any]:
        return {
            "scenario": self.problem.name,
            "network": dataclasses.asdict(self.network),
            "solver": {
                "status": self.plan.solver_status,
                "objective": self.plan.objective,
                "time_limit_s": self.params.time_limit_s,
                "max_solutions": self.params.max_solutions,
                "seed": self.params.seed,
                "solve_time_s": round(self.solve_time_s, 3),
            },
        }


def load_network(scenario: ScenarioIn, *, base_dir: Path, graph: str | None = None) -> tuple[
        Any, NetworkInfo]:
    """The road graph named by `graph` or the scenario, or a loudly-labelled synthetic grid."""
    source = graph or scenario.network.source
    if source is not None:
        # A scenario names its file relative to itself; --graph is relative to the shell.
        beside_scenario = base_dir / source
        if graph is None and beside_scenario.exists():
            source = str(beside_scenario)
        try:
            g = load_graph(source, cache_dir=CACHE_DIR)
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


def plan_scenario(
    scenario: ScenarioIn, *, base_dir: Path, params: SolveParams, graph: str | None = None
) -> PlannedDay:
    n = len(scenario.locations)
    zero = np.zeros((n, n), dtype=np.int64)
    problem = to_problem(scenario, TravelMatrix(zero, zero))  # all input errors before heavy work
    g, network = load_network(scenario, base_dir=base_dir, graph=graph)
    try:
        regional = scenario.network.regional
        matrices = travel_matrices(
            g, [(x.lat, x.lon) for x in scenario.locations],
            names=[x.id for x in scenario.locations],
            access_speed_kph=scenario.network.access_speed_kph,
            regional=RegionalModel(speed_kph=regional.speed_kph,
                                   detour_factor=regional.detour_factor,
                                   outside_m=regional.outside_m) if regional.enabled else None)
    except UnreachableError as exc:
        raise ScenarioError(f"locations: {exc}") from None
    problem = dataclasses.replace(
        problem, matrix=TravelMatrix(matrices.duration_s, matrices.distance_m))
    started = time.perf_counter()
    plan = solve(problem, params=params)
    elapsed = time.perf_counter() - started
    return PlannedDay(problem, plan, Clock(scenario.date, scenario.timezone), network, elapsed,
                      params)
