"""Answers as their reader may see them: each role's view of personal data, in one home.

- A **planner** sees no one: every route a planner may call passes its answer through
  `for_reader` (the one walk of `api.services.pseudonyms.planner_view`), with what to hide
  read from the stored client records and, for a plan, its job's scenario snapshot; a
  planner reads no worker's day (`reads_worker`) and sees no names (`sees_names`).
- A **worker** reads their own day, sheet and calendar only (`reads_worker`,
  `check_reads_worker`) and lists their own calendar links (`reads_everyones`).
- A **coordinator** reads everyone's, and lists everyone's jobs and links.
- Every read of clients' personal data by a coordinator, a worker or a calendar link is
  audited here (`audited`, `audit_reads`); a planner's reads name no one and are not.

Which routes a role may call at all is `api.app.deps.require`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.app.errors import ApiError
from api.security import secret_key
from api.services.pseudonyms import Privacy, client_values, planner_view
from api.settings import Settings, get_settings
from api.store import audit, tables
from api.store.users import Role

__all__ = ["audit_reads", "audited", "check_reads_worker", "client_values", "field_words_out",
           "for_reader", "is_planner", "privacy", "pseudonym_filter", "reads_everyones",
           "reads_worker", "scenario_of_plan", "sees_names"]


def is_planner(user: tables.User) -> bool:
    return user.role == Role.PLANNER


def sees_names(user: tables.User) -> bool:
    """Whether `user` sees clients' names, addresses and phones (all but a planner)."""
    return not is_planner(user)


def reads_everyones(user: tables.User) -> bool:
    """Whether `user` reads and lists everyone's jobs and calendar links (a coordinator),
    or only their own."""
    return user.role == Role.COORDINATOR


def reads_worker(user: tables.User, worker_id: str) -> bool:
    """Whether `user` reads worker `worker_id`'s day, sheet and calendar: a coordinator
    anyone's, a worker their own, a planner no one's (client details)."""
    if user.role == Role.WORKER:
        return user.worker_id == worker_id
    return user.role == Role.COORDINATOR


def check_reads_worker(user: tables.User, worker_id: str, what: str) -> None:
    """403 unless `user` reads worker `worker_id`'s `what` ("day", "calendar")."""
    if reads_worker(user, worker_id):
        return
    if is_planner(user):
        raise ApiError(403, "a planner reads plans, not a worker's day with client details")
    raise ApiError(403, f"workers/{worker_id}: a worker reads only their own {what}")


def privacy(session: Session, settings: Settings,
            scenario: Mapping[str, Any] | None = None) -> Privacy:
    """What a planner must not see: every stored client's, and `scenario`'s clients'."""
    clients: list[Mapping[str, Any]] = list(session.scalars(select(tables.Client.body)))
    if scenario is not None:
        clients += [c for c in scenario.get("clients", []) if isinstance(c, Mapping)]
    return Privacy.of(secret_key(settings), clients)


def field_words_out(answer: dict[str, Any]) -> dict[str, Any]:
    """A field day's answer (`GET /field/actuals`, `GET /field/live`) without what a
    planner does not read before `for_reader`: the workers' names, the presses' notes and
    reasons, who closed the day, and the ready re-plans (a planner does not re-plan)."""
    for row in answer.get("tasks", []):
        row["worker_name"], row["actual"]["reason"] = "", ""
        for action in row["actions"]:
            action["note"], action["reason"] = "", ""
    for route in answer.get("routes", []):
        route["worker_name"] = ""
    for alert in answer.get("alerts", []):
        alert["worker_name"], alert["replan"] = "", None
    for row in answer.get("rejected", []):
        row["note"], row["reason"] = "", ""
    answer["closed_by"] = None
    return answer


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
    audit_reads(session, user.username, clients)


def audit_reads(session: Session, reader: str, clients: Iterable[str | None]) -> None:
    """`reader` (a user name, or `calendar:<worker>` for a calendar link) read these
    clients' personal data: logged and committed."""
    names = sorted({c for c in clients if c})
    if names:
        audit.record_reads(session, reader, [f"clients/{c}" for c in names],
                           repeat_s=get_settings().audit_repeat_s)
        session.commit()



def scenario_of_plan(session: Session, plan_id: str) -> Mapping[str, Any] | None:
    """The scenario snapshot of the job that made plan `plan_id` (None: none kept)."""
    plan = session.get(tables.PlanVersion, plan_id)
    job = session.get(tables.Job, plan.job_id) if plan is not None and plan.job_id else None
    scenario = job.request.get("scenario") if job is not None else None
    return scenario if isinstance(scenario, Mapping) else None
