"""A month's report and settlement from what is stored: the actuals of the tasks of the
month's published plans (`api.store.actuals.actuals`: the phones' accepted actions
folded, or the coordinators' corrections) and the buses' odometer readings beside the
kilometres planned for their drivers. The report's and settlement's routes, and
`trasa report --from-store` / `trasa settlement` without `--actuals`, read them here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.convert.plan_document import document_route_day
from api.render.delivered import BusKm
from api.render.report import MonthlyReport, month_days, monthly_report
from api.store import actuals as store
from api.store import plans as plan_store
from api.store.tables import ActualCorrection, FieldAction, OdometerReading, Worker
from optimiser.actuals import Actual

Documents = Sequence[tuple[str, Any]]


def published_in(session: Session, month: str) -> list[tuple[str, Any]]:
    """(`plans/<id>`, document) of the plans published for the days of `month`
    ("YYYY-MM"; `api.render.report.ReportError` otherwise), each once."""
    first, last = month_days(month)
    plan_ids: list[str] = []
    for k in range((last - first).days + 1):  # no day after the last: 9999-12 has none
        plan_id = plan_store.published_on(session, first + timedelta(days=k))
        if plan_id is not None and plan_id not in plan_ids:
            plan_ids.append(plan_id)
    return [(f"plans/{p}", plan_store.document_of(session, p)) for p in plan_ids]


def task_ids(documents: Documents) -> list[str]:
    """Every task on a route of the documents, once."""
    return list(dict.fromkeys(stop["task"] for _, document in documents
                              for route in document.get("routes", [])
                              for stop in route.get("stops", []) if stop.get("task")))


def stored_actuals(session: Session, documents: Documents) -> dict[str, Actual]:
    """The stored actual of each task of the documents that has one (a task with none
    is unconfirmed)."""
    return store.actuals(session, task_ids(documents))


def anything_stored(session: Session, documents: Documents) -> bool:
    """Whether any task of the documents has a stored action or correction."""
    wanted = task_ids(documents)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for table in (FieldAction, ActualCorrection):
            if session.scalar(select(table.id).where(table.task_id.in_(chunk)).limit(1)):
                return True
    return False


def bus_km(session: Session, documents: Documents, month: str) -> BusKm | None:
    """The month's odometer kilometres (readings with both ends) beside the distance
    planned on those days for each bus's drivers (workers whose record names it); None
    without readings."""
    first, last = month_days(month)
    readings = session.scalars(select(OdometerReading).where(
        OdometerReading.day >= first, OdometerReading.day <= last,
        OdometerReading.end_km.is_not(None))).all()
    if not readings:
        return None
    drivers: dict[str, set[str]] = {}
    for worker in session.scalars(select(Worker)):
        vehicle = worker.body.get("vehicle") if isinstance(worker.body, dict) else None
        if vehicle:
            drivers.setdefault(str(vehicle), set()).add(worker.id)
    planned_m = _distance_by_worker_day(documents)
    planned = sum(planned_m.get((w, r.day), 0) for r in readings
                  for w in drivers.get(r.vehicle_id, set()))
    return BusKm(bus_days=len(readings), planned_km=round(planned / 1000, 1),
                 odometer_km=sum(r.end_km - r.start_km for r in readings
                                 if r.end_km is not None))


def _distance_by_worker_day(documents: Documents) -> Mapping[tuple[str, date], int]:
    out: dict[tuple[str, date], int] = {}
    for _, document in documents:
        for route in document.get("routes", []):
            key = (route["worker"], document_route_day(route))
            out[key] = out.get(key, 0) + int(route.get("distance_m") or 0)
    return out


def report_of(session: Session, documents: Documents, month: str,
              given: Mapping[str, Actual] | None, *, from_store: bool) -> MonthlyReport:
    """The report of `month`: with the `given` actuals; else with the stored actuals and
    the buses' kilometres when `from_store`; else the plans only."""
    if given is not None:
        return monthly_report(documents, month, given)
    if not from_store:
        return monthly_report(documents, month, None)
    report = monthly_report(documents, month, stored_actuals(session, documents))
    km = bus_km(session, documents, month)
    if km is None or report.delivered is None:
        return report
    return replace(report, delivered=replace(report.delivered, km=km))
