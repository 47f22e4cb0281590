"""A stored plan, read once: the one way every output of a plan is drawn.

A plan's reading (`api.services.reading.PlanReading`: the problem it was checked
against, the plan, each leg's path and the streets of its town) is made from what the
database holds: the job's scenario snapshot, the plan document, and the plan's stored
`reading` (the travel matrix, legs, streets) and `verdict` (the independent checker's
result). Neither the road graph nor the matrices' builder, the solver or the checker
runs on a read, so the first read after a server starts is as fast as the next
(`read`; a small cache in the process keeps the readings of the days read most).

The verdict is given once, when a plan version is kept (`keep`: the checker on the
plan as it will be read, over the job's stored material). A plan stored before
migration 0007, or whose job wrote no material, gets its reading from the road graph
once, when it is published (`make_sure`) or first read, and stores it. A plan whose
verdict did not pass is never drawn (`PlanNotReadable`, 409)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.convert.plan_document import PlanDocumentError
from api.convert.scenario import ScenarioError
from api.convert.stored_plan import as_stored, problem_over, scenario_of
from api.schemas.scenario import ScenarioIn
from api.services.planning import prepare
from api.services.reading import (
    PlanReading,
    material_of,
    matrix_of,
    network_of,
    reading_of,
    verdict_of,
)
from api.store import plans as store
from api.store.tables import Job, PlanVersion
from geo.graph import GraphLoadError
from optimiser.check import check
from optimiser.model import Plan, Problem

log = logging.getLogger(__name__)

# (plan id, redactions) -> reading: a version changes only when a client's data is
# erased from it, which counts its `redactions`
_READ: dict[tuple[str, int], PlanReading] = {}
_READ_KEPT = 32  # a subscribed calendar reads up to 22 days' plans


class PlanNotReadable(ValueError):
    """A stored plan nothing may be drawn from: its check failed, or it does not read
    back (its job is gone, a client's data was erased from its scenario, ...)."""


def read(session: Session, plan_id: str, *, graph: str | None) -> PlanReading:
    """Plan `plan_id` as its outputs read it (`RecordNotFound`, `PlanNotReadable`).
    `graph`: the server's road network, for a plan without a stored reading."""
    key = (plan_id, store.redactions_of(session, plan_id))
    found = _READ.get(key)
    if found is not None:
        return found
    row = session.execute(select(PlanVersion.job_id, PlanVersion.verdict, PlanVersion.reading)
                          .where(PlanVersion.id == plan_id)).one()
    document = store.document_of(session, plan_id)
    try:
        snapshot = _snapshot(session, plan_id, row.job_id)
        if row.reading is None or row.verdict is None:
            made = made_from_graph(plan_id, snapshot, document, graph=graph)
            session.execute(update(PlanVersion).where(
                PlanVersion.id == plan_id, PlanVersion.redactions == key[1]).values(
                reading=made.material, verdict=made.verdict))
            session.commit()
            log.info("plans/%s: its reading was made from the road graph and stored", plan_id)
            found, verdict = made.reading, made.verdict
        else:
            scenario = scenario_of(snapshot, plan_id)
            problem, plan = _over_material(scenario, row.reading, document)
            found = reading_of(plan_id, problem, plan, row.reading, document)
            verdict = row.verdict
    except (ScenarioError, PlanDocumentError, GraphLoadError) as exc:
        raise PlanNotReadable(f"plans/{plan_id}: cannot be read back against its scenario: "
                              f"{exc}") from None
    _require_passed(plan_id, verdict)
    if len(_READ) >= _READ_KEPT:
        _READ.clear()
    _READ[key] = found
    return found


def keep(session: Session, plan: PlanVersion, job: Job) -> None:
    """A new plan version's reading and verdict: the job's stored material, and the
    checker run once on the plan as it will be read. Without material (a job from before
    migration 0007), or when the plan does not read back, both stay empty for
    `make_sure` or the first read, which make them or say why not."""
    material = job.reading
    if material is None:
        return
    try:
        scenario = scenario_of(job.request.get("scenario"), plan.id)
        problem, domain_plan = _over_material(scenario, material, plan.document)
    except (ScenarioError, PlanDocumentError) as exc:
        log.warning("plans/%s: not read back from its job's material: %s", plan.id, exc)
        return
    plan.verdict = verdict_of(check(problem, domain_plan))
    plan.reading = material


def make_sure(session: Session, plan: PlanVersion, *, graph: str | None) -> None:
    """The reading of a plan about to be published, made from the road graph if it has
    none (an older plan): so that its first sheet is read as fast as any. A plan that
    cannot be read back is published still; its reads say why (409)."""
    if plan.reading is not None and plan.verdict is not None:
        return
    try:
        made = made_from_graph(plan.id, _snapshot(session, plan.id, plan.job_id),
                               plan.document, graph=graph)
    except (PlanNotReadable, ScenarioError, PlanDocumentError, GraphLoadError) as exc:
        log.warning("plans/%s: published without a reading: %s", plan.id, exc)
        return
    plan.verdict, plan.reading = made.verdict, made.material


def _snapshot(session: Session, plan_id: str, job_id: str | None) -> Any:
    request = session.scalar(select(Job.request).where(Job.id == job_id)) if job_id else None
    if request is None:
        raise PlanNotReadable(f"plans/{plan_id}: its job (and scenario) is gone")
    return request.get("scenario")


def _over_material(scenario: ScenarioIn, material: dict[str, Any], document: dict[str, Any]
                   ) -> tuple[Problem, Plan]:
    matrix = matrix_of(material, [x.id for x in scenario.locations])
    return as_stored(scenario, problem_over(scenario, matrix, network_of(material)), document)


@dataclass(frozen=True, eq=False)
class Made:
    """A reading made from the road graph, with what is stored of it."""

    reading: PlanReading
    verdict: dict[str, Any]
    material: dict[str, Any]


def made_from_graph(plan_id: str, snapshot: object, document: dict[str, Any], *,
                    graph: str | None) -> Made:
    """The slow way, once per plan: the road graph `graph` loaded (it must be the one the
    plan records: `api.services.planning.NetworkMismatch`), the matrices built, the plan checked."""
    scenario = scenario_of(snapshot, plan_id)
    network = document.get("network")
    recorded = network.get("content_hash") if isinstance(network, dict) else None
    prepared = prepare(scenario, base_dir=Path.cwd(), graph=graph, plan_network=None
                       if not isinstance(recorded, str) else (recorded, "the server's "
                                                              "road network"))
    problem, plan = as_stored(scenario, prepared.problem, document)
    material = material_of(problem, plan, prepared.matrices)
    return Made(reading_of(plan_id, problem, plan, material, document),
                verdict_of(check(problem, plan)), material)


def _require_passed(plan_id: str, verdict: dict[str, Any]) -> None:
    if not verdict.get("passed"):
        broken = "; ".join(str(v) for v in verdict.get("violations", [])[:5])
        raise PlanNotReadable(f"plans/{plan_id}: the plan fails the independent check, so "
                              f"nothing is drawn from it: {broken}")
