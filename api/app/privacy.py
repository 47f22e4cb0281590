"""Answers as their reader may see them: the planner's view, and the audit of the others.

Every route a planner may call passes its answer through `for_reader` (the one walk of
`api.formats.pseudonyms.planner_view`), with what to hide read from the stored client
records and, for a plan, its job's scenario snapshot. A coordinator or a worker gets
the document as it is, and their read of the clients it names goes to the audit log
(`audited`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.formats.pseudonyms import Privacy, client_values, planner_view
from api.security import secret_key
from api.settings import Settings
from api.store import audit, tables
from api.store.users import Role

__all__ = ["audited", "client_values", "for_reader", "is_planner", "privacy",
           "pseudonym_filter", "scenario_of_plan"]


def is_planner(user: tables.User) -> bool:
    return user.role == Role.PLANNER


def privacy(session: Session, settings: Settings,
            scenario: Mapping[str, Any] | None = None) -> Privacy:
    """What a planner must not see: every stored client's, and `scenario`'s clients'."""
    clients: list[Mapping[str, Any]] = list(session.scalars(select(tables.Client.body)))
    if scenario is not None:
        clients += [c for c in scenario.get("clients", []) if isinstance(c, Mapping)]
    return Privacy.of(secret_key(settings), clients)


def for_reader(document: Any, user: tables.User, session: Session, settings: Settings, *,
               scenario: Mapping[str, Any] | None = None, plan_id: str | None = None) -> Any:
    """`document` as `user` may see it: a planner's view, or the document itself. The
    planner's view hides also the clients of `scenario`, or for a plan's document
    (`plan_id`) those of its job's scenario snapshot (read only for a planner: it is the
    largest row a plan has)."""
    if not is_planner(user):
        return document
    if scenario is None and plan_id is not None:
        scenario = scenario_of_plan(session, plan_id)
    return planner_view(document, privacy(session, settings, scenario))


def pseudonym_filter(value: str, session: Session, settings: Settings) -> str:
    """The client id a planner's `?client=` pseudonym stands for; a real id (or anything
    else) stands for no client: a filter must not turn an id into its pseudonym."""
    seen = privacy(session, settings)
    by_alias = {seen.pseudonym(c): c for c in seen.ids}
    return by_alias.get(value, "")  # no stored id is empty


def audited(session: Session, user: tables.User, clients: Iterable[str | None]) -> None:
    """A coordinator's or worker's read of these clients' personal data, logged."""
    if is_planner(user):
        return
    names = sorted({c for c in clients if c})
    if names:
        audit.record_reads(session, user.username, [f"clients/{c}" for c in names])
        session.commit()



def scenario_of_plan(session: Session, plan_id: str) -> Mapping[str, Any] | None:
    """The scenario snapshot of the job that made plan `plan_id` (None: none kept)."""
    plan = session.get(tables.PlanVersion, plan_id)
    job = session.get(tables.Job, plan.job_id) if plan is not None and plan.job_id else None
    scenario = job.request.get("scenario") if job is not None else None
    return scenario if isinstance(scenario, Mapping) else None
