"""The scenario file: the input schema (pydantic) and its conversion into the domain.

Validation happens here once, at the edge. Durations are in minutes
(`_min`), clock times are `HH:MM` local time on the scenario date or ISO 8601
date-times with an offset; inside the program everything becomes integer
seconds from local midnight of the plan date.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from optimiser import model as m

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


class ScenarioError(ValueError):
    """A scenario that cannot be read; the message names the field and the value."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Id = Annotated[str, Field(min_length=1, max_length=100)]
Minutes = Annotated[int, Field(ge=0, le=7 * 24 * 60)]


class WindowIn(_Strict):
    start: str = Field(description="HH:MM local, or ISO 8601 date-time with offset")
    end: str


class LocationIn(_Strict):
    id: Id
    name: str = ""
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class ProviderIn(_Strict):
    id: Id
    name: str
    kind: Literal["cus", "pes"]


class ClientIn(_Strict):
    id: Id
    name: str = ""
    location: Id


class WorkerIn(_Strict):
    id: Id
    name: str = ""
    provider: Id
    skills: list[Id] = []
    shifts: list[WindowIn] = []
    start_location: Id
    end_location: Id | None = None  # default: back to the start
    max_work_min: Annotated[int, Field(gt=0, le=7 * 24 * 60)] | None = None
    capacity: int | None = Field(default=None, ge=0)


class TaskIn(_Strict):
    id: Id
    kind: Literal["visit", "job"]
    client: Id | None = None
    location: Id | None = None  # default: the client's home
    duration_min: Minutes
    windows: list[WindowIn] = Field(min_length=1)
    skills: list[Id] = []
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    mandatory: bool = False
    demand: int = Field(default=0, ge=0)


class RulesIn(_Strict):
    break_after_min: Annotated[int, Field(gt=0, le=24 * 60)] | None = 360
    break_min: Annotated[int, Field(gt=0, le=240)] = 15


class NetworkIn(_Strict):
    source: str | None = Field(
        default=None, description="GraphML/OSM file (relative to the scenario) or a place name")
    fallback_grid: bool = Field(
        default=False, description="use a generated street grid if the source cannot be loaded")
    access_speed_kph: float = Field(default=20.0, gt=0, le=130)


class ScenarioIn(_Strict):
    name: str = ""
    date: date
    timezone: str = "Europe/Warsaw"
    note: str = ""
    network: NetworkIn = NetworkIn()
    rules: RulesIn = RulesIn()
    locations: list[LocationIn] = Field(min_length=1)
    providers: list[ProviderIn] = Field(min_length=1)
    clients: list[ClientIn] = []
    workers: list[WorkerIn]
    tasks: list[TaskIn]

    @model_validator(mode="after")
    def _references_resolve(self) -> ScenarioIn:
        """Check ids before any expensive work, naming the field that points nowhere."""
        for what, items in (("locations", self.locations), ("providers", self.providers),
                            ("clients", self.clients), ("workers", self.workers),
                            ("tasks", self.tasks)):
            ids = [x.id for x in items]
            for i, item_id in enumerate(ids):
                if item_id in ids[:i]:
                    raise ValueError(f"{what}[{i}].id: duplicate id {item_id!r}")
        locations = {x.id for x in self.locations}
        providers = {x.id for x in self.providers}
        clients = {x.id for x in self.clients}

        def need(ok: bool, where: str, value: object) -> None:
            if not ok:
                raise ValueError(f"{where}: unknown id {value!r}")

        for i, c in enumerate(self.clients):
            need(c.location in locations, f"clients[{i}].location", c.location)
        for i, w in enumerate(self.workers):
            need(w.provider in providers, f"workers[{i}].provider", w.provider)
            need(w.start_location in locations, f"workers[{i}].start_location", w.start_location)
            need(w.end_location is None or w.end_location in locations,
                 f"workers[{i}].end_location", w.end_location)
        for i, t in enumerate(self.tasks):
            need(t.client is None or t.client in clients, f"tasks[{i}].client", t.client)
            need(t.location is None or t.location in locations, f"tasks[{i}].location",
                 t.location)
            if t.location is None and t.client is None:
                raise ValueError(f"tasks[{i}] ({t.id!r}): give a location or a client")
        return self

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class Clock:
    """Converts between wall-clock text and seconds from local midnight of the plan date."""

    def __init__(self, day: date, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self.midnight = datetime.combine(day, time(0), tzinfo=self.zone)

    def seconds(self, text: str, field: str) -> int:
        match = _CLOCK.match(text)
        if match:
            hours, minutes = int(match[1]), int(match[2])
            if hours > 24 or minutes > 59 or (hours == 24 and minutes):
                raise ScenarioError(f"{field}: {text!r} is not a clock time (00:00-24:00)")
            local = self.midnight.replace(tzinfo=None) + timedelta(hours=hours, minutes=minutes)
            moment = local.replace(tzinfo=self.zone)
        else:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise ScenarioError(f"{field}: {text!r} is neither HH:MM nor an ISO 8601 "
                                    "date-time") from None
            if moment.tzinfo is None:
                raise ScenarioError(f"{field}: {text!r} has no UTC offset (write e.g. "
                                    "2026-11-24T09:00:00+01:00, or HH:MM for local time)")
        # In UTC: subtracting two datetimes that share a tzinfo would ignore a DST change.
        elapsed = moment.astimezone(UTC) - self.midnight.astimezone(UTC)
        if elapsed.total_seconds() < 0:
            raise ScenarioError(f"{field}: {text!r} is before the plan date")
        return int(elapsed.total_seconds())

    def iso(self, seconds: int) -> str:
        utc = self.midnight.astimezone(UTC) + timedelta(seconds=seconds)
        return utc.astimezone(self.zone).isoformat()

    def hhmm(self, seconds: int) -> str:
        return self.iso(seconds)[11:16]


def read_scenario(path: Path) -> ScenarioIn:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: not valid JSON ({exc})") from None
    return parse_scenario(raw, source=str(path))


def parse_scenario(raw: object, *, source: str = "scenario") -> ScenarioIn:
    try:
        return ScenarioIn.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{source}: {exc.error_count()} invalid field(s)"]
        for err in exc.errors()[:20]:
            where = _field_path(err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            got = repr(err.get("input"))
            lines.append(f"  {where}: {message}" if where else f"  {message}")
            lines[-1] += f" (got {got})" if where and len(got) <= 80 else ""
        raise ScenarioError("\n".join(lines)) from None


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def to_problem(scenario: ScenarioIn, matrix: m.TravelMatrix) -> m.Problem:
    """Build the domain problem; the matrix is indexed like `scenario.locations`."""
    try:
        return _to_problem(scenario, matrix)
    except m.ProblemError as exc:
        raise ScenarioError(str(exc)) from None


def _to_problem(scenario: ScenarioIn, matrix: m.TravelMatrix) -> m.Problem:
    clock = Clock(scenario.date, scenario.timezone)

    def windows(items: list[WindowIn], field: str, owner: str, *, min_s: int = 0) -> tuple[
            m.TimeWindow, ...]:
        out: list[tuple[m.TimeWindow, str]] = []
        for i, w in enumerate(items):
            where = f"{field}[{i}] of {owner!r}"
            start = clock.seconds(w.start, f"{field}[{i}].start of {owner!r}")
            end = clock.seconds(w.end, f"{field}[{i}].end of {owner!r}")
            if end <= start:
                raise ScenarioError(f"{where}: end {w.end!r} is not after start {w.start!r}")
            if end - start < min_s:
                raise ScenarioError(f"{where}: {w.start}-{w.end} is shorter than the task's "
                                    f"duration_min={min_s // 60}")
            for earlier, earlier_where in out:
                if earlier.overlap_s(m.TimeWindow(start, end)) or start == earlier.end_s:
                    raise ScenarioError(f"{where}: {w.start}-{w.end} overlaps {earlier_where}")
            out.append((m.TimeWindow(start, end), where))
        return tuple(window for window, _ in out)

    homes = {c.id: c.location for c in scenario.clients}
    workers = tuple(
        m.Worker(
            id=w.id, name=w.name or w.id, provider_id=w.provider, skills=frozenset(w.skills),
            shifts=windows(w.shifts, f"workers[{i}].shifts", w.id),
            start_location_id=w.start_location,
            end_location_id=w.end_location or w.start_location,
            max_work_s=None if w.max_work_min is None else w.max_work_min * 60,
            capacity=w.capacity,
        )
        for i, w in enumerate(scenario.workers)
    )
    tasks = []
    for i, t in enumerate(scenario.tasks):
        location = t.location or homes[str(t.client)]
        tasks.append(m.Task(
            id=t.id, kind=m.TaskKind(t.kind), location_id=location, service_s=t.duration_min * 60,
            windows=windows(t.windows, f"tasks[{i}].windows", t.id, min_s=t.duration_min * 60),
            client_id=t.client,
            required_skills=frozenset(t.skills), priority=m.Priority[t.priority.upper()],
            mandatory=t.mandatory, demand=t.demand,
        ))
    rules = scenario.rules
    return m.Problem(
            locations=tuple(m.Location(x.id, x.lat, x.lon, x.name) for x in scenario.locations),
            providers=tuple(m.Provider(p.id, p.name, m.ProviderKind(p.kind))
                            for p in scenario.providers),
            clients=tuple(m.Client(c.id, c.name or c.id, c.location) for c in scenario.clients),
            workers=workers, tasks=tuple(tasks), matrix=matrix,
            rules=m.LabourRules(
                break_after_s=None if rules.break_after_min is None
                else rules.break_after_min * 60,
                break_s=rules.break_min * 60),
            name=scenario.name,
        )
