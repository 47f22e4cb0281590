"""Events against a published plan (`trasa replan PLAN EVENTS --now`, `POST
/plans/{id}/events`), and the `replanning` block a re-planned plan document carries.

An events file is `{"now": "10:05", "events": [...]}` (see docs/replanning.md). Clock
times are `HH:MM` on the day of `now` (itself `HH:MM` on the plan's first day), or ISO
8601 with an offset. A new request is a scenario task or trip (without a series) for a
client or place the scenario knows, so the road matrices stay as they are.

A re-planned plan document records what happened (`replanning.facts`, accumulated over
every re-planning) and the requests added (`replanning.added`), so the plan reads back
against its scenario: `problem_as_happened` rebuilds the problem it was checked against.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from api.convert.scenario import ScenarioError, calendar_of, clock_seconds, to_problem
from api.schemas.scenario import Id, ScenarioIn, Strict, TaskIn, TripIn
from optimiser.calendar import Calendar
from optimiser.model import Problem, StopAction
from optimiser.replan import Actual, Event, EventKind, Facts, Unavailable, apply_facts

Action = Literal["serve", "pickup", "dropoff"]


class NewRequestIn(Strict):
    kind: Literal["new_request"]
    task: TaskIn | None = None
    trip: TripIn | None = None

    @model_validator(mode="after")
    def _one(self) -> NewRequestIn:
        if (self.task is None) == (self.trip is None):
            raise ValueError("give either `task` (a visit or job) or `trip`")
        if self.task is not None and self.task.series is not None:
            raise ValueError("a new request cannot be a series; add the series and plan again")
        return self


class CancelledIn(Strict):
    kind: Literal["cancelled"]
    task: Id


class WorkerUnavailableIn(Strict):
    kind: Literal["worker_unavailable"]
    worker: Id
    from_: str | None = Field(default=None, alias="from")  # default: now
    to: str | None = None  # default: the end of the plan


class VehicleUnavailableIn(Strict):
    kind: Literal["vehicle_unavailable"]
    vehicle: Id
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None


class StopReportIn(Strict):
    kind: Literal["started", "finished", "no_show"]
    task: Id
    action: Action = "serve"
    at: str | None = None  # default: now


class LateIn(Strict):
    kind: Literal["late"]
    task: Id
    action: Action = "serve"
    minutes: int = Field(ge=1, le=720)


EventIn = Annotated[NewRequestIn | CancelledIn | WorkerUnavailableIn | VehicleUnavailableIn
                    | StopReportIn | LateIn, Field(discriminator="kind")]


MAX_EVENTS = 1000  # what the format allows; a server allows TRASA_MAX_EVENTS (default 200)


class EventsIn(Strict):
    now: str = Field(description="HH:MM on the plan's first day, or ISO 8601 with offset")
    events: list[EventIn] = Field(max_length=MAX_EVENTS)
    scenario: str | None = None  # the CLI: the scenario file, relative to the events file
    stability: int = Field(default=1, ge=0, le=100)
    tolerance_min: int = Field(default=15, ge=0, le=240)
    move_cost_min: int = Field(default=30, ge=0, le=600)


def parse_events(raw: object, *, source: str = "events") -> EventsIn:
    try:
        return EventsIn.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if not str(p).endswith("In"))
        message = first["msg"].removeprefix("Value error, ")
        raise ScenarioError(f"{source}: {where}: {message} (got {first.get('input')!r})"
                            ) from None


@dataclasses.dataclass(frozen=True)
class Situation:
    """Events read against a plan's scenario: the domain events, now, and the scenario
    with the new requests added."""

    now_s: int
    events: tuple[Event, ...]
    scenario: ScenarioIn
    added: tuple[dict[str, Any], ...]  # {"task": ...} or {"trip": ...} as given


def read_situation(events_in: EventsIn, scenario: ScenarioIn, *,
                   added_before: tuple[dict[str, Any], ...] = ()) -> Situation:
    """Times in seconds, new requests added to `scenario` (after `added_before`, the
    requests earlier re-plannings added)."""
    calendar = calendar_of(scenario)
    now_s = clock_seconds(calendar, events_in.now, "now")
    today = calendar.date_of(now_s)
    added = [dict(a) for a in added_before]
    taken = {t.id for t in scenario.tasks} | {t.id for t in scenario.trips} | {
        str((a.get("task") or a.get("trip") or {}).get("id")) for a in added_before}
    events: list[Event] = []
    for i, e in enumerate(events_in.events):
        where = f"events[{i}]"

        def at(text: str | None, name: str, where: str = where) -> int | None:
            return None if text is None else _clock(calendar, text, f"{where}.{name}", today)

        if isinstance(e, NewRequestIn):
            item = e.task if e.task is not None else e.trip
            assert item is not None
            key = "task" if e.task is not None else "trip"
            if item.id in taken:  # one id twice in these events, or one the plan has
                raise ScenarioError(f"{where}.{key}.id: {item.id!r} is already taken by "
                                    "a task or trip of the plan or an earlier event")
            taken.add(item.id)
            added.append({key: item.model_dump(mode="json", exclude_defaults=True)})
            events.append(Event(EventKind.NEW_REQUEST, item.id))
        elif isinstance(e, CancelledIn):
            events.append(Event(EventKind.CANCELLED, e.task))
        elif isinstance(e, WorkerUnavailableIn | VehicleUnavailableIn):
            kind = (EventKind.WORKER_UNAVAILABLE if isinstance(e, WorkerUnavailableIn)
                    else EventKind.VEHICLE_UNAVAILABLE)
            target = e.worker if isinstance(e, WorkerUnavailableIn) else e.vehicle
            events.append(Event(kind, target, at_s=at(e.from_, "from"), until_s=at(e.to, "to")))
        elif isinstance(e, LateIn):
            events.append(Event(EventKind.LATE, e.task, StopAction(e.action),
                                late_s=60 * e.minutes))
        else:
            events.append(Event(EventKind(e.kind), e.task, StopAction(e.action),
                                at_s=at(e.at, "at")))
    return Situation(now_s, tuple(events), with_added(scenario, tuple(added)),
                     tuple(added[len(added_before):]))


def with_added(scenario: ScenarioIn, added: tuple[dict[str, Any], ...]) -> ScenarioIn:
    """The scenario with the requests re-planning added (their ids must be new)."""
    tasks = [*scenario.tasks, *(TaskIn.model_validate(a["task"]) for a in added if "task" in a)]
    trips = [*scenario.trips, *(TripIn.model_validate(a["trip"]) for a in added if "trip" in a)]
    taken = {t.id for t in scenario.tasks} | {t.id for t in scenario.trips}
    for a in added:
        item_id = str((a.get("task") or a.get("trip") or {}).get("id"))
        if item_id in taken:
            raise ScenarioError(f"events: new request {item_id!r}: the id is already taken")
        taken.add(item_id)
    return scenario.model_copy(update={"tasks": tasks, "trips": trips})


def _clock(calendar: Calendar, text: str, field: str, day: date) -> int:
    return clock_seconds(calendar, text, field, on=day)


# ------------------------------------------------------- the plan document's block


def replanning_block(calendar: Calendar, now_s: int, facts: Facts,
                     added: tuple[dict[str, Any], ...], changes: list[dict[str, Any]],
                     based_on: str | None, changed_workers: list[str]) -> dict[str, Any]:
    iso = calendar.iso
    return {
        "now": iso(now_s),
        "based_on": based_on,
        "added": list(added),
        "facts": {
            "cancelled": list(facts.cancelled),
            "unavailable": [{u.kind: u.id, "from": iso(u.from_s), "to": iso(u.to_s)}
                            for u in facts.unavailable],
            "actual": [{"task": a.task_id, "action": a.action.value, "start": iso(a.start_s),
                        "end": iso(a.end_s), "no_show": a.no_show, "worker": a.worker_id}
                       for a in facts.actuals],
        },
        "changes": changes,
        "changed_workers": changed_workers,
    }


def facts_of(document: dict[str, Any], calendar: Calendar) -> tuple[Facts, tuple[dict, ...]]:
    """The facts and added requests a plan document records (none for a first plan)."""
    block = document.get("replanning")
    if not block:
        return Facts(), ()
    raw = block["facts"]

    def t(text: str, where: str) -> int:
        return clock_seconds(calendar, text, f"replanning.facts.{where}")

    off = []
    for i, u in enumerate(raw.get("unavailable", [])):
        kind = "worker" if "worker" in u else "vehicle"
        off.append(Unavailable(kind, u[kind], t(u["from"], f"unavailable[{i}].from"),
                               t(u["to"], f"unavailable[{i}].to")))
    actual = [Actual(a["task"], StopAction(a["action"]), t(a["start"], f"actual[{i}].start"),
                     t(a["end"], f"actual[{i}].end"), bool(a.get("no_show")),
                     str(a.get("worker", "")))
              for i, a in enumerate(raw.get("actual", []))]
    return Facts(tuple(raw.get("cancelled", [])), tuple(off), tuple(actual)), tuple(
        block.get("added", []))


def problem_as_happened(scenario: ScenarioIn, problem: Problem, document: dict[str, Any]
                        ) -> tuple[ScenarioIn, Problem]:
    """The scenario (with added requests) and the problem a plan document was checked
    against: `problem` (the scenario's, over its matrices) for a first plan."""
    facts, added = facts_of(document, problem.calendar)
    if not added and facts == Facts():
        return scenario, problem
    extended = with_added(scenario, added)
    return extended, apply_facts(to_problem(extended, problem.matrix), facts)
