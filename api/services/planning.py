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

from api.convert.plan_document import PlanDocumentError, plan_document, plan_over
from api.convert.scenario import (
    ScenarioError,
    refuse_far_places,
    refuse_unservable,
    to_problem,
)
from api.render.words import N_
from api.schemas.scenario import ScenarioIn
from api.services.parameters import solver_block
from api.services.promises import refuse_broken_promises
from api.settings import get_settings
from geo.graph import GraphLoadError, load_graph, names_a_file, prepare_graph
from geo.matrix import Matrices, UnreachableError, travel_matrices
from geo.network import network_hash, road_distance_m
from geo.regional import RegionalModel
from geo.synthetic import grid_graph
from optimiser.check import Violation, check
from optimiser.model import Plan, Problem, TravelMatrix
from optimiser.offers.rescue import keep_promises
from optimiser.params import CancelSignal, ProgressCallback, SolveParams
from optimiser.people import NetworkIdentity
from optimiser.solve import solve

log = logging.getLogger(__name__)

SYNTHETIC_WARNING = N_(  # stored in English; pages and sheets read it from the catalog
    "NOT A REAL ROAD NETWORK: the road source could not be loaded, so travel times come from "
    "a generated street grid around the scenario's locations. Do not hand these routes to "
    "drivers."
)


@dataclass(frozen=True)
class NetworkInfo:
    """The road network a plan is made on, as the plan document records it (`network`)."""

    source: str
    synthetic: bool
    nodes: int
    edges: int
    warning: str = ""
    content_hash: str = ""  # geo.network.network_hash: the same roads give the same hash


class NetworkMismatch(PlanDocumentError):
    """A plan read back on other roads than the ones it was made on."""


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
            solver=solver_block(self.params))


def load_network(scenario: ScenarioIn, *, base_dir: Path, graph: str | None = None,
                 grid: bool = False) -> tuple[nx.MultiDiGraph, NetworkInfo]:
    """The road graph named by `graph` or the scenario, or a loudly-labelled synthetic grid
    (`grid`: the grid whatever the scenario names, as a plan made on it is read back)."""
    source = None if grid else graph or scenario.network.source
    if source is not None:
        # A scenario names its file relative to itself; --graph is relative to the shell.
        beside_scenario = base_dir / source
        if graph is None and beside_scenario.exists():
            source = str(beside_scenario)
        try:
            g = load_graph(source, cache_dir=get_settings().cache_dir)
            return g, NetworkInfo(str(source), False, g.number_of_nodes(), g.number_of_edges(),
                                  content_hash=network_hash(g))
        except GraphLoadError as exc:
            if not scenario.network.fallback_grid or graph is not None:
                raise
            log.warning("%s", str(exc))  # about the network's file: no one's data
    elif not scenario.network.fallback_grid and not grid:
        raise ScenarioError("network.source: no road network given (set network.source, pass "
                            "--graph, or allow network.fallback_grid)")
    # The median keeps a few out-of-town destinations from pulling the grid away from town.
    lat = float(np.median([x.lat for x in scenario.locations]))
    lon = float(np.median([x.lon for x in scenario.locations]))
    g = prepare_graph(grid_graph(lat, lon))
    log.warning(SYNTHETIC_WARNING)
    return g, NetworkInfo(f"synthetic grid around {lat:.4f},{lon:.4f}", True,
                          g.number_of_nodes(), g.number_of_edges(), SYNTHETIC_WARNING,
                          content_hash=network_hash(g))


def refuse_far_from_roads(scenario: ScenarioIn, g: nx.MultiDiGraph) -> None:
    """`InputRefused` for a home, base or task place farther than the snapping distance
    from every road of `g`, or a trip's end beyond the regional radius
    (`api.convert.scenario.refuse_far_places`)."""
    refuse_far_places(scenario, road_distance_m(g, [(x.lat, x.lon)
                                                    for x in scenario.locations]).tolist())


def refuse_wrong_input(scenario: ScenarioIn, *, base_dir: Path, graph: str | None = None
                       ) -> NetworkInfo:
    """Every refusal before solving, without building matrices (for a server answering a
    job request at once): the scenario's own rules, then its places on the road network,
    which is loaded (once per process). Raises `ScenarioError` (its `InputRefused`) or
    `GraphLoadError`; returns the network it checked against."""
    problem_without_travel(scenario)
    g, network = load_network(scenario, base_dir=base_dir, graph=graph)
    refuse_far_from_roads(scenario, g)
    return network


def problem_without_travel(scenario: ScenarioIn) -> Problem:
    """The domain problem with zero travel: every error of the scenario on its own (field
    by field, then what no worker or vehicle could serve), before any network is loaded."""
    n = len(scenario.locations)
    zero = np.zeros((n, n), dtype=np.int64)
    problem = to_problem(scenario, TravelMatrix(zero, zero))
    refuse_unservable(scenario)
    return problem


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


def prepare(scenario: ScenarioIn, *, base_dir: Path, graph: str | None = None,
            grid: bool = False, plan_network: tuple[str, str] | None = None
            ) -> PreparedScenario:
    """Every input error first (cheap), then the network, the places on it, and the
    matrices (heavy). `grid`: on the synthetic grid whatever the scenario names;
    `plan_network`: (content hash, what it is called) of the network a plan was made on,
    which the loaded one must be (`require_same_network`)."""
    problem = problem_without_travel(scenario)
    g, network = load_network(scenario, base_dir=base_dir, graph=graph, grid=grid)
    if plan_network is not None:
        require_same_network(plan_network[0], network, named=plan_network[1])
    refuse_far_from_roads(scenario, g)
    matrices = build_matrices(scenario, g)
    problem = dataclasses.replace(
        problem, matrix=TravelMatrix(matrices.duration_s, matrices.distance_m),
        network=identity_of(network))
    return PreparedScenario(problem, network, matrices)


def identity_of(network: NetworkInfo) -> NetworkIdentity:
    """What the domain keeps of the road network (`optimiser.people.NetworkIdentity`)."""
    return NetworkIdentity(source=network.source, content_hash=network.content_hash,
                           synthetic=network.synthetic, warning=network.warning)


@dataclass(frozen=True)
class PlanNetwork:
    """Where a plan document's road network is to be loaded from to read the plan back."""

    graph: str | None  # the source to load; None: the scenario's own
    grid: bool  # the plan was made on the synthetic grid
    content_hash: str | None  # the plan's record; None: an older plan without one
    named: str  # how to call it in a message


def network_of_plan(document: dict[str, Any], *, graph: str | None, plan_dir: Path
                    ) -> PlanNetwork:
    """The network to read `document` back on: `graph` when given, else the source the
    plan names (as given, or relative to the plan's folder `plan_dir`), else (an old plan
    naming none) the scenario's own. See `require_same_network`."""
    network = document.get("network")
    if not isinstance(network, dict):
        network = {}
    recorded = network.get("content_hash")
    if recorded is not None and not isinstance(recorded, str):
        raise PlanDocumentError(f"network.content_hash: expected a string, got {recorded!r}")
    if graph is not None:
        return PlanNetwork(graph, False, recorded, f"--graph {graph!r}")
    source = network.get("source")
    if network.get("synthetic") is True:
        return PlanNetwork(None, True, recorded, "the synthetic grid the plan was made on")
    if not isinstance(source, str) or not source:
        return PlanNetwork(None, False, recorded, "the scenario's network")
    if names_a_file(source) and not Path(source).exists():
        if not (plan_dir / source).exists():  # planned elsewhere: the hash tells
            return PlanNetwork(None, False, recorded, f"the scenario's network (the plan's "
                               f"network.source {source!r} is not found)")
        source = str(plan_dir / source)
    return PlanNetwork(source, False, recorded, f"the plan's network.source {source!r}")


def prepare_for_plan(scenario: ScenarioIn, document: dict[str, Any], *, base_dir: Path,
                     plan_dir: Path, graph: str | None = None
                     ) -> tuple[PreparedScenario, list[str]]:
    """`scenario` prepared on the road network `document` was made on (`network_of_plan`),
    refused (`NetworkMismatch`) when that network's content hash is not the plan's; the
    warnings to show (an older plan without a hash cannot be verified)."""
    wanted = network_of_plan(document, graph=graph, plan_dir=plan_dir)
    try:
        prepared = prepare(scenario, base_dir=base_dir, graph=wanted.graph, grid=wanted.grid,
                           plan_network=None if wanted.content_hash is None else (
                               wanted.content_hash, wanted.named))
    except GraphLoadError as exc:
        if graph is not None:
            raise
        raise GraphLoadError(f"{wanted.named}: {exc} (give the plan's road network with "
                             "--graph)") from None
    except NetworkMismatch as exc:
        raise NetworkMismatch(f"{exc}; give the plan's own network with --graph") from None
    warnings = []
    if wanted.content_hash is None:
        warnings.append(f"the plan records no content hash of its road network (an older "
                        f"plan): read back on {wanted.named} "
                        f"({prepared.network.source}), which cannot be verified")
    return prepared, warnings


def require_same_network(recorded: str, network: NetworkInfo, *, named: str) -> None:
    """`NetworkMismatch` unless `network` has the content hash a plan recorded."""
    if recorded != network.content_hash:
        which = named if network.source in named else f"{named} ({network.source})"
        raise NetworkMismatch(
            f"network.content_hash: the plan was made on a road network with hash "
            f"{recorded!r}, but {which} has {network.content_hash!r}: its travel times "
            "are not the plan's")


def plan_prepared(prepared: PreparedScenario, *, params: SolveParams,
                  on_progress: ProgressCallback | None = None,
                  cancel: CancelSignal | None = None,
                  packing: dict[str, Any] | None = None) -> PlannedScenario:
    """Solve, check, and refuse (`api.services.promises.PromiseNotKept`) a plan that does
    not keep every promise: such a plan never comes back to be written or stored.
    `packing`: the document of a plan the days' promises were made against
    (`api.store.packings`), fallen back on when the search left a promise out."""
    plan = solve(prepared.problem, params=params, on_progress=on_progress, cancel=cancel)
    if packing is not None:
        plan = keep_promises(prepared.problem, plan, _packing(prepared.problem, packing))
    refuse_broken_promises(prepared.problem, plan)
    violations = check(prepared.problem, plan)  # solve checked it too: this is the record
    return PlannedScenario(prepared.problem, plan, violations, prepared.network, params,
                           prepared.matrices)


def _packing(problem: Problem, document: dict[str, Any]) -> Plan | None:
    try:
        return plan_over(problem, document)
    except PlanDocumentError as exc:  # made for days that have changed since: not used
        log.warning("the stored packing of the promises is not used: %s", exc)
        return None


def plan_scenario(scenario: ScenarioIn, *, base_dir: Path, params: SolveParams,
                  graph: str | None = None, on_progress: ProgressCallback | None = None,
                  cancel: CancelSignal | None = None,
                  packing: dict[str, Any] | None = None) -> PlannedScenario:
    prepared = prepare(scenario, base_dir=base_dir, graph=graph)
    return plan_prepared(prepared, params=params, on_progress=on_progress, cancel=cancel,
                         packing=packing)
