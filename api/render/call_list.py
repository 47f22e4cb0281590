"""A day's call list: one row per client with work that day, to ring or text the day before.

Each row names the client and their phone, and each of their tasks that day (`CallItem`):
what it is (a visit's service, a job, a ride and where to), the window to tell them,
and who comes (a worker's first name only, or the bus driver's). The window is the one
promised (`Task.promise`, or a stop's `promise` in the plan document where a plan
carries it), else the planned start widened to a window of `window_min` minutes around
it on a quarter hour ("planned"). `message` is a short text (under `MESSAGE_MAX`
characters) to read out or send by SMS, in the catalog's words.

`mark` compares a list with the last one issued for the day (`Issued`: per client, the
tasks' windows and workers, as stored by `api.store.call_lists`): a row is "new", or
"changed" (`changes`: "time", "worker", "what"), or "cancelled" (a client with work on
the issued list and none now; their name and phone looked up by the caller).
Built from a plan's reading (`api.services.reading.PlanReading`), free of any format."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from api.convert.plan_document import service_of
from api.render.numbers import day_month, weekday
from api.render.route_sheet import window_text
from api.render.words import N_, Translated, ngettext
from api.render.words import gettext as _
from optimiser.model import Plan, Problem, StopAction, TaskKind, TimeWindow
from optimiser.rules import routes_on

QUARTER_S = 15 * 60
MESSAGE_MAX = 299  # characters: under 300, two SMS at most
SERVICE = Translated({"physiotherapy": N_("physiotherapy"), "care": N_("care"),
                      "handyman": N_("handyman"), "transport": N_("transport")})
CHANGES = Translated({"time": N_("time"), "worker": N_("worker"), "what": N_("what")})
MARKS = Translated({"new": N_("new"), "changed": N_("changed"), "cancelled": N_("cancelled"),
                    "": ""})
Issued = Mapping[str, Mapping[str, Any]]  # client id -> {"fingerprint", "tasks": {...}}


@dataclass(frozen=True)
class CallItem:
    """One task of a client's day, as they are told it."""

    task: str
    kind: str  # visit, job, trip
    what: str  # "fizjoterapia", "przewóz do: Przychodnia …"
    start: str  # "10:00"
    end: str  # "11:00"
    window: str  # "10:00–11:00"
    promised: bool  # the promised window; False: the planned start widened
    worker_id: str
    who: str  # the worker's (or driver's) first name


@dataclass(frozen=True)
class CallRow:
    client_id: str
    client: str
    phone: str
    items: tuple[CallItem, ...]
    message: str
    mark: str = ""  # "", "new", "changed", "cancelled"
    changes: tuple[str, ...] = ()  # of a changed row: "time", "worker", "what"

    @property
    def fingerprint(self) -> str:
        """What the client was told, as a short digest (tasks, windows, workers)."""
        told = [[i.task, i.window, i.worker_id] for i in self.items]
        return hashlib.sha256(json.dumps(told).encode()).hexdigest()[:16]

    def issued(self) -> dict[str, Any]:
        """What is stored of the row when its list is issued (ids and times, no names)."""
        return {"fingerprint": self.fingerprint,
                "tasks": {i.task: {"window": i.window, "worker": i.worker_id, "what": i.what}
                          for i in self.items}}


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else ""


def call_rows(problem: Problem, plan: Plan, document: Mapping[str, Any], day: date, *,
              today: date, window_min: int) -> list[CallRow]:
    """The clients with work on `day` in `plan`, by name, each with their tasks in time
    order; `today` says whether `day` is "tomorrow" in the messages."""
    promises = document_promises(problem, document)
    items: dict[str, list[tuple[int, CallItem]]] = {}
    for _k, route in routes_on(problem, plan.routes, day):
        worker = problem.worker(route.worker_id)
        for stop in route.stops:
            task = problem.task(stop.task_id)
            if task.client_id is None or stop.action is StopAction.DROPOFF:
                continue
            promise = task.promise or promises.get(task.id)
            if promise is not None:
                start_s, end_s = promise.start_s, promise.end_s
            else:
                half = window_min * 30
                start_s = (stop.start_s - half) // QUARTER_S * QUARTER_S
                end_s = start_s + window_min * 60
            cal = problem.calendar
            item = CallItem(task=task.id, kind=task.kind.value, what=_what(problem, task.id),
                            start=cal.hhmm(start_s), end=cal.hhmm(end_s),
                            window=window_text(problem, start_s, end_s),
                            promised=promise is not None, worker_id=worker.id,
                            who=first_name(worker.name))
            items.setdefault(task.client_id, []).append((stop.start_s, item))
    rows = []
    for client_id, found in items.items():
        client = problem.client(client_id)
        ordered = tuple(i for _s, i in sorted(found, key=lambda x: x[0]))
        rows.append(CallRow(client_id, client.name, client.contact.phone, ordered,
                            message(ordered, day, today)))
    return sorted(rows, key=lambda r: (r.client.casefold(), r.client_id))


def _what(problem: Problem, task_id: str) -> str:
    task = problem.task(task_id)
    if task.ride is None:
        return SERVICE[service_of(task)]
    place = problem.locations[problem.location_index(task.ride.dropoff_location_id)]
    return _("ride to: {place}").format(place=place.name or place.id)


def document_promises(problem: Problem, document: Mapping[str, Any]) -> dict[str, TimeWindow]:
    """The promises a plan document's stops carry (`"promise": {"start", "end"}`, ISO
    times), read defensively: a document without them, or with one unreadable, gives none."""
    found: dict[str, TimeWindow] = {}
    for route in document.get("routes") or []:
        for stop in (route.get("stops") or []) if isinstance(route, Mapping) else []:
            promise = stop.get("promise") if isinstance(stop, Mapping) else None
            if not isinstance(promise, Mapping):
                continue
            try:
                start = problem.calendar.seconds_of(datetime.fromisoformat(promise["start"]))
                end = problem.calendar.seconds_of(datetime.fromisoformat(promise["end"]))
            except (KeyError, TypeError, ValueError):
                continue
            if start < end:
                found[str(stop.get("task"))] = TimeWindow(start, end)
    return found


def day_phrase(day: date, today: date) -> str:
    """"jutro (wtorek 8 grudnia)", "dziś (…)", or "dnia 8 grudnia (wtorek)"."""
    values = {"weekday": weekday(day), "date": day_month(day)}
    if (day - today).days == 1:
        return _("tomorrow ({weekday} {date})").format(**values)
    if day == today:
        return _("today ({weekday} {date})").format(**values)
    return _("on {date} ({weekday})").format(**values)


def _clause(item: CallItem) -> str:
    if item.kind == TaskKind.TRIP.value:
        return _("between {start} and {end} the bus will pick you up (driver {who}), "
                 "{what}").format(start=item.start, end=item.end, who=item.who, what=item.what)
    return _("between {start} and {end} {who} will come to you ({what})").format(
        start=item.start, end=item.end, who=item.who, what=item.what)


def _short(item: CallItem) -> str:
    """A clause of a day with several appointments, short: "10:00–11:00 Anna (fizjoterapia)"."""
    if item.kind == TaskKind.TRIP.value:
        return _("{start}–{end} the bus (driver {who}), {what}").format(
            start=item.start, end=item.end, who=item.who, what=item.what)
    return _("{start}–{end} {who} ({what})").format(start=item.start, end=item.end,
                                                    who=item.who, what=item.what)


def message(items: Sequence[CallItem], day: date, today: date) -> str:
    """The text for one client, under `MESSAGE_MAX` characters (a long day is cut short,
    ending "…")."""
    when = day_phrase(day, today)
    closing = " " + _("Please call us if the time does not suit you.")
    if not items:
        text = _("Good morning, {when} your visit or ride is cancelled.").format(when=when)
        return _fit(text + closing)
    if len(items) == 1:
        head = _("Good morning, {when} {clause}.").format(when=when, clause=_clause(items[0]))
    else:
        count = ngettext("{n} appointment", "{n} appointments", len(items)).format(
            n=len(items))
        head = _("Good morning, {when} you have {count}:").format(when=when, count=count)
        head += ";".join(" " + _short(i) for i in items) + "."
    return _fit(head + closing)


def _fit(text: str) -> str:
    return text if len(text) <= MESSAGE_MAX else text[:MESSAGE_MAX - 1].rstrip() + "…"


def mark(rows: Sequence[CallRow], last: Issued | None, day: date, today: date,
         person: Callable[[str], tuple[str, str]]) -> list[CallRow]:
    """`rows` marked against the `last` list issued for the day (None: none was, nothing
    is marked); a client of `last` with no row now gets a "cancelled" row (`person`:
    their name and phone)."""
    if last is None:
        return list(rows)
    marked = []
    for row in rows:
        before = last.get(row.client_id)
        if before is None:
            marked.append(dataclasses.replace(row, mark="new"))
        elif before.get("fingerprint") != row.fingerprint:
            marked.append(dataclasses.replace(row, mark="changed",
                                              changes=_changes(before, row)))
        else:
            marked.append(row)
    now = {r.client_id for r in rows}
    for client_id in sorted(set(last) - now):
        name, phone = person(client_id)
        marked.append(CallRow(client_id, name, phone, (), message((), day, today),
                              mark="cancelled"))
    return marked


def _changes(before: Mapping[str, Any], row: CallRow) -> tuple[str, ...]:
    tasks: Mapping[str, Any] = before.get("tasks") or {}
    was = [tasks[t] for t in sorted(tasks)]
    now = [{"window": i.window, "worker": i.worker_id, "what": i.what}
           for i in sorted(row.items, key=lambda i: i.task)]
    found = []
    if sorted(tasks) != sorted(i.task for i in row.items):
        found.append("what")
    if sorted(str(w.get("window")) for w in was) != sorted(n["window"] for n in now):
        found.append("time")
    if {str(w.get("worker")) for w in was} != {n["worker"] for n in now}:
        found.append("worker")
    return tuple(found)
