"""The problem an offer is found in: the stored records of its days (the basis plan's
tasks and every promise, not the rest of the open work: an offer must not drop what is
served nor break a promise, and the engine plans nothing else), the request's tasks,
travel over the server's road network, and the basis plan.

The road graph is loaded and hashed once per process (`_network`); travel between the
places offers meet is kept per process too (`_Atlas`: one matrix grown when a new place
comes), so an offer query after the first builds nothing but its problem."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.convert.offer_request import days_of
from api.convert.plan_document import plan_over
from api.convert.records_scenario import scenario_from_records
from api.schemas.records import (
    PlanningRequest,
    RecordsError,
    TaskResource,
    TripResource,
    WorkerResource,
)
from api.schemas.scenario import LocationIn, ScenarioIn
from api.services.planning import (
    NetworkInfo,
    build_matrices,
    identity_of,
    load_network,
    problem_without_travel,
)
from api.settings import Settings
from api.store import plans, records
from api.store.promises import promised_between
from optimiser.model import Plan, Problem, TravelMatrix
from optimiser.offers.repack import REPACK_PARAMS
from optimiser.solve import solve

_LOCK = threading.Lock()


@dataclass(frozen=True, eq=False)
class Basis:
    """What an offer works against: `kind` published, draft or promises (no plan)."""

    kind: str
    plan_id: str | None
    document: dict[str, Any] | None


def basis_of(session: Session, first_day: date, days: int) -> Basis:
    kind, plan = plans.basis_of(session, *days_of(first_day, days))
    if plan is None:
        return Basis(kind, None, None)
    return Basis(kind, plan.id, plans.document_of(session, plan.id))


def record_of(task_id: str) -> str:
    """The record a problem's task comes from (a series session `ID#2`: `ID`; a task a
    move put back into its plan's re-plan, `ID~moved1`: `ID`)."""
    task_id = task_id.rpartition("#")[0] or task_id
    return task_id.split("~moved")[0]


def horizon_scenario(session: Session, settings: Settings, first_day: date, days: int,
                     basis: Basis, *, leave_out: frozenset[str] = frozenset()) -> ScenarioIn:
    """The stored records of the days: every worker, the tasks of the basis plan that are
    still open and every promised task (`leave_out`: a task being moved)."""
    first, last = days_of(first_day, days)
    wanted = {r.id for r in promised_between(session, first, last)}
    if basis.document is not None:
        wanted |= {record_of(s["task"]) for r in basis.document.get("routes", [])
                   for s in r.get("stops", [])}
    kinds = records.KINDS
    ids = sorted(wanted - leave_out)
    tasks = [TaskResource.model_validate(r.body)
             for r in records.get_records(session, kinds["tasks"], ids)]
    trips = [TripResource.model_validate(r.body)
             for r in records.get_records(session, kinds["trips"], ids)]
    open_ids = {t.id for t in tasks if t.status == "open" and t.day <= last
                and (t.due_date or t.day) >= first}
    open_ids |= {t.id for t in trips if t.status == "open" and first <= t.day <= last}
    chosen = sorted((wanted & open_ids) - leave_out)
    try:
        return scenario_from_records(
            PlanningRequest(first_day=first_day, days=days, task_ids=chosen),
            providers=records.all_resources(session, kinds["providers"]),
            clients=records.all_resources(session, kinds["clients"]),
            vehicles=records.all_resources(session, kinds["vehicles"]),
            workers=[_within(w, first, last)
                     for w in records.all_resources(session, kinds["workers"])],
            tasks=tasks, trips=trips, network={"fallback_grid": settings.graph is None})
    except ValidationError as exc:
        raise RecordsError("the stored records do not make a valid scenario: " + "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )) from None


def _within(worker: WorkerResource, first: date, last: date) -> WorkerResource:
    """`worker` with only the dated availability windows of these days (a window on
    another date is not theirs to plan, and a scenario refuses it)."""
    kept = [w for w in worker.availability
            if not isinstance(w.day, date) or first <= w.day <= last]
    if len(kept) == len(worker.availability):
        return worker
    return worker.model_copy(update={"availability": kept})


@dataclass(eq=False)
class _Atlas:
    """Travel between every place offers have met on one network (the places of the
    stored clients and workers, and new callers' homes): one matrix, grown when a new
    place comes, of which each offer's problem takes its places' rows and columns."""

    places: dict[tuple[str, float, float], int]
    duration_s: np.ndarray
    distance_m: np.ndarray


_NETWORKS: dict[tuple[str, str | None], tuple[Any, NetworkInfo]] = {}
_ATLASES: dict[tuple[Any, ...], _Atlas] = {}


def _network(scenario: ScenarioIn, graph: str | None) -> tuple[Any, NetworkInfo]:
    """The server's road network and its identity, loaded and hashed once per process
    (a synthetic grid, which depends on the places, is made each time)."""
    if graph is None:
        return load_network(scenario, base_dir=Path.cwd(), graph=None)
    key = (str(Path.cwd()), graph)
    with _LOCK:
        known = _NETWORKS.get(key)
    if known is None:
        known = load_network(scenario, base_dir=Path.cwd(), graph=graph)
        with _LOCK:
            _NETWORKS[key] = known
    return known


def prepared_problem(scenario: ScenarioIn, graph: str | None,
                     more_places: Callable[[], list[tuple[str, float, float]]] | None = None
                     ) -> Problem:
    """`scenario` as a problem over the road network, its travel taken from the
    process's atlas of places (`_Atlas`; `more_places`: others worth having in it, the
    stored clients' homes, so that a caller's home is usually there already)."""
    problem = problem_without_travel(scenario)
    g, network = _network(scenario, graph)
    regional = scenario.network.regional
    key = (network.content_hash, scenario.network.access_speed_kph, regional.model_dump_json())
    wanted = [(x.id, x.lat, x.lon) for x in scenario.locations]
    with _LOCK:
        atlas = _ATLASES.get(key)
    if atlas is None or any(p not in atlas.places for p in wanted):
        known = list(atlas.places) if atlas is not None else []
        more = more_places() if more_places is not None else []
        union = list(dict.fromkeys([*known, *wanted, *more]))
        union = [p for p in union if p[0] not in {q[0] for q in wanted} or p in wanted]
        grown = scenario.model_copy(update={"locations": [
            LocationIn(id=f"{k}:{p[0]}", lat=p[1], lon=p[2]) for k, p in enumerate(union)]})
        matrices = build_matrices(grown, g)
        atlas = _Atlas({p: k for k, p in enumerate(union)}, matrices.duration_s,
                       matrices.distance_m)
        with _LOCK:
            _ATLASES[key] = atlas
    rows = [atlas.places[p] for p in wanted]
    return dataclasses.replace(
        problem, matrix=TravelMatrix(atlas.duration_s[np.ix_(rows, rows)],
                                     atlas.distance_m[np.ix_(rows, rows)]),
        network=identity_of(network))


def stored_homes(session: Session) -> Callable[[], list[tuple[str, float, float]]]:
    """The stored clients' homes as places, read when asked (`prepared_problem`)."""
    def homes() -> list[tuple[str, float, float]]:
        return [(c.home_location or f"home:{c.id}", c.lat, c.lon)
                for c in records.all_resources(session, records.KINDS["clients"])
                if c.lat is not None and c.lon is not None]
    return homes


def basis_plan(problem: Problem, basis: Basis, *, without: frozenset[str] = frozenset()
               ) -> Plan | None:
    """The basis plan's routes over `problem` (`plan_over`: stops of tasks no longer in
    it or in `without`, the tasks being offered, left out)."""
    return None if basis.document is None else plan_over(problem, basis.document,
                                                         without=without)


def day_search(problem: Problem) -> Plan:
    """The search an offer query runs when a request fits nowhere among the promises
    alone (`optimiser.offers.repack`): stopped by a solution count."""
    return solve(problem, params=REPACK_PARAMS)
