"""The stored plan an offer of days with no plan starts from (`api.store.packings`).

Days with no plan (the basis is the promises alone) start from the plan of their last
accepted offer, stored with a digest of the promises it keeps (`api.store.packings`),
while the promises are the same, instead of placing every promise again. An accept also
carries its new promises into the stored plans of the other horizons holding its days
(`carry_over`: a ride asked for its own day is put into the week's plan). The plans read
are kept per process by horizon and digest (`_READ`)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy.orm import Session

from api.convert.offer_request import days_of
from api.convert.plan_document import packing_document, plan_over
from api.services.offer_problem import (
    basis_of,
    horizon_scenario,
    prepared_problem,
    stored_homes,
)
from api.settings import Settings
from api.store import packings
from api.store.tables import PromisePacking
from optimiser.check import check
from optimiser.model import Plan, Problem
from optimiser.offers.basis_plan import basis_plan as place_promises

_READ: dict[tuple[date, int, str, str], Plan] = {}
_READ_KEPT = 64


def _digest(problem: Problem, leave: frozenset[str] = frozenset()) -> str:
    promises = sorted((t.id, t.promise.start_s, t.promise.end_s) for t in problem.tasks
                      if t.promise is not None and t.id not in leave)
    return hashlib.sha256(json.dumps(promises).encode()).hexdigest()


def last_plan(session: Session, problem: Problem, first_day: date, days: int,
               leave: frozenset[str] = frozenset()) -> Plan | None:
    network, digest = problem.network.content_hash, _digest(problem, leave)
    key = (first_day, days, network, digest)
    if key not in _READ:
        row = packings.packing(session, first_day, days)
        if row is None or (row.network, row.promises) != (network, digest):
            return None
        _keep_read(key, plan_over(problem, row.document))
    return _READ[key]


def _keep_read(key: tuple[date, int, str, str], plan: Plan) -> None:
    if len(_READ) >= _READ_KEPT:
        _READ.clear()
    _READ[key] = plan


def remember(session: Session, problem: Problem, first_day: date, days: int,
              plan: Plan) -> None:
    network, digest = problem.network.content_hash, _digest(problem)
    packings.keep(session, first_day, days, network, digest, packing_document(problem, plan))
    _keep_read((first_day, days, network, digest), plan)


def carry_over(session: Session, settings: Settings, first_day: date, days: int) -> None:
    """The stored plans of the other horizons sharing a day with `first_day`..`days` given
    the promises they miss (cheap insertion, `optimiser.offers.basis_plan`); one that
    cannot keep them all, or whose days have a plan now, is forgotten."""
    for row in packings.packings_of(session, *days_of(first_day, days)):
        if (row.first_day, row.days) == (first_day, days):
            continue
        placed = _with_new_promises(session, settings, row)
        if placed is None:
            packings.forget(session, row)
        else:
            remember(session, placed[0], row.first_day, row.days, placed[1])


def _with_new_promises(session: Session, settings: Settings, row: PromisePacking
                       ) -> tuple[Problem, Plan] | None:
    basis = basis_of(session, row.first_day, row.days)
    if basis.document is not None:
        return None
    problem = prepared_problem(horizon_scenario(session, settings, row.first_day, row.days,
                                                basis), settings.graph, stored_homes(session))
    if problem.network.content_hash != row.network:
        return None
    placed = place_promises(problem, plan_over(problem, row.document), ())
    return None if check(problem, placed) else (problem, placed)


