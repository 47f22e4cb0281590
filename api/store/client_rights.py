"""A client's rights over their data (RODO): everything held about them (art. 15), and
its erasure on request (art. 17).

The export gathers the client record, their tasks and trips, every stop of a stored
plan that serves them, the planning jobs whose requests name them, the phones' presses
on their tasks, and the audit log's entries about them. Erasure takes their personal
data (name, address, phone, health note, task notes, home coordinates, the notes of the
phones' presses on their tasks) out of the client record, their tasks, the field's
actions and corrections, every plan document and every job's request and results
(`api.services.erasure`), and drops the stored readings of those plans and jobs (their
legs end at the home), in one transaction; the rows, ids, times and kinds stay, so
counts and reports do not change, and the audit log is kept whole. Erasing twice
changes nothing more. A client with open tasks from today on, or named by an unfinished
job, is refused (cancel those first): their route sheets are still needed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services.erasure import ERASED, Personal, erase, mentions
from api.store import actuals, audit, packings, records, tables
from api.store.jobs import FINISHED
from api.store.records import RecordInUse
from optimiser.calendar import DEFAULT_TIMEZONE

ERASED_PLACE = (0.0, 0.0)  # a stored trip's place must have numbers: "nowhere"


def _client(session: Session, client_id: str) -> tables.Client:
    row: tables.Client = records.get_record(session, records.KINDS["clients"], client_id)
    return row


def _tasks(session: Session, client_id: str) -> list[tables.Task]:
    return list(session.scalars(select(tables.Task).where(tables.Task.client_id == client_id)
                                .order_by(tables.Task.id)))


def _jobs(session: Session, client_id: str) -> list[tables.Job]:
    return [job for job in session.scalars(select(tables.Job).order_by(tables.Job.created_at))
            if mentions(job.request, client_id) or mentions(job.plan, client_id)]


def _plans(session: Session, client_id: str) -> list[tables.PlanVersion]:
    return [plan for plan in session.scalars(select(tables.PlanVersion).order_by(
        tables.PlanVersion.created_at)) if mentions(plan.document, client_id)]


def export_client(session: Session, client_id: str, actor: str) -> dict[str, Any]:
    """Everything held about the client, as JSON; the export is audited."""
    client = _client(session, client_id)
    stops = [{"plan_id": plan.id, "status": plan.status, "worker": route.get("worker"),
              **stop}
             for plan in _plans(session, client_id)
             for route in plan.document.get("routes", [])
             for stop in route.get("stops", []) if stop.get("client") == client_id]
    jobs = [{"id": job.id, "status": job.status, "created_at": _iso(job.created_at)}
            for job in _jobs(session, client_id)]
    told = [{"day": calls.day.isoformat(), "issued_at": _iso(calls.issued_at),
             "issued_by": calls.issued_by, **calls.rows[client_id]}
            for calls in _call_lists(session, client_id)]
    resource = f"clients/{client_id}"
    audit.record(session, actor, "client export", resource)
    return {
        "format": "trasa-client-export/1",
        "client": client.body,
        "tasks": [task.body for task in _tasks(session, client_id)],
        "plan_stops": stops,
        "jobs": jobs,
        "call_lists": told,
        "field_actions": [{"task_id": a.task_id, "worker_id": a.worker_id, "kind": a.kind,
                           "phone_at": _iso(a.phone_at), "note": a.note, "reason": a.reason,
                           "status": a.status} for a in actuals.actions_of(
                               session, _task_ids(_tasks(session, client_id),
                                                  _plans(session, client_id), client_id))],
        "audit": [{"at": _iso(e.at), "username": e.username, "action": e.action,
                   "resource": e.resource} for e in audit.about(session, resource)],
    }


def _call_lists(session: Session, client_id: str) -> list[tables.CallList]:
    """The issued call lists that told the client something (`api.render.call_list`)."""
    return [calls for calls in session.scalars(select(tables.CallList).order_by(
        tables.CallList.issued_at)) if client_id in (calls.rows or {})]


def _task_ids(tasks: list[tables.Task], plans: list[tables.PlanVersion], client_id: str
              ) -> list[str]:
    """The client's task ids: their records' and their stops' in plans (a scenario's)."""
    return sorted({t.id for t in tasks} | {
        stop["task"] for plan in plans for route in plan.document.get("routes", [])
        for stop in route.get("stops", []) if stop.get("client") == client_id})


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def erase_client(session: Session, client_id: str, actor: str,
                 today: date | None = None) -> dict[str, Any]:
    """Erase the client's personal data everywhere; what was changed (counts)."""
    client = _client(session, client_id)
    tasks = _tasks(session, client_id)
    today = today or datetime.now(ZoneInfo(DEFAULT_TIMEZONE)).date()
    ahead = [t.id for t in tasks if t.status == "open" and t.day >= today]
    if ahead:
        raise RecordInUse(f"clients/{client_id}: open tasks from today on ({', '.join(ahead)});"
                          " cancel or delete them first, then erase")
    jobs = _jobs(session, client_id)
    running = [j.id for j in jobs if j.status not in FINISHED]
    if running:
        raise RecordInUse(f"clients/{client_id}: planning jobs still running ("
                          f"{', '.join(running)}); wait for them or stop them, then erase")
    job_ids = {job.id for job in jobs}
    plans = [plan for plan in session.scalars(select(tables.PlanVersion))
             if plan.job_id in job_ids or mentions(plan.document, client_id)]
    person = _person(client, tasks, jobs)

    body = dict(client.body)
    body.update(name=ERASED, address="", phone="", health_note="", lat=None, lon=None)
    if body != client.body:
        client.body = body
    for task in tasks:
        erased = erase(task.body, person, point=ERASED_PLACE)
        if erased != task.body:
            task.body = erased
    changed_jobs = set()
    for job in jobs:
        for column in ("request", "plan", "progress"):
            value = getattr(job, column)
            erased = erase(value, person)
            if erased != value:
                setattr(job, column, erased)
                changed_jobs.add(job.id)
        if job.reading is not None:  # its legs end at the home: dropped (see below)
            job.reading = None
            changed_jobs.add(job.id)
    changed_plans = 0
    for plan in plans:  # its document, or its job's scenario, changes: a new redaction
        erased = erase(plan.document, person)
        if erased != plan.document or plan.job_id in changed_jobs:
            plan.document = erased
            plan.redactions += 1
            changed_plans += 1
            # the stored reading (legs to the home, the verdict on the plan as it was)
            # goes too: the erased scenario no longer reads back, so nothing is drawn
            plan.reading, plan.verdict = None, None
    for calls in _call_lists(session, client_id):  # what they were told: theirs alone
        calls.rows = {k: v for k, v in calls.rows.items() if k != client_id}
    actuals.erase_texts(session, _task_ids(tasks, plans, client_id), ERASED)
    packings.forget(session)  # plans the promises fit, which name clients: a cache
    session.flush()
    audit.record(session, actor, "client erase", f"clients/{client_id}")
    return {"client": client_id, "tasks": len(tasks), "plans": len(plans), "jobs": len(jobs),
            "plans_changed": changed_plans}


def _person(client: tables.Client, tasks: list[tables.Task],
            jobs: list[tables.Job]) -> Personal:
    body = client.body
    person = Personal(client.id)
    person.homes.add(body.get("home_location") or f"home:{client.id}")
    person.add_text(body.get("name"), body.get("address"), body.get("phone"),
                    body.get("health_note"))
    person.add_point(body.get("lat"), body.get("lon"))
    for task in tasks:
        person.add_text(task.body.get("note"))
    for job in jobs:
        person.learn_from_scenario(job.request.get("scenario"))
    return person
