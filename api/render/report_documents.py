"""Reading plan documents (`trasa-plan/1`) for the monthly report (`api.render.report`):
the fields it needs, typed, every error a `ReportError` naming the file and the field.
A route's service intervals are its passenger-hours (`optimiser.rules.service_intervals`);
its day is its `day` (`api.convert.plan_document.document_route_day`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from api.convert.moments import aware_moment
from api.convert.plan_document import PLAN_FORMAT, SERVICES, document_route_day
from optimiser.model import ProviderKind, Reason
from optimiser.rules import PASSENGER_HOURS, Served, service_intervals

PROVIDER_KINDS = tuple(k.value for k in ProviderKind)
REASONS = tuple(r.value for r in Reason)


class ReportError(ValueError):
    """Documents or a month that cannot make a report; the message names the file and field."""


@dataclass(frozen=True)
class Interval:
    service: str
    client: str | None
    start: datetime
    end: datetime
    task: str = ""  # the stop's task id (a trip's: both its stops'), "" if it names none

    @property
    def seconds(self) -> int:
        return round(self.end.timestamp() - self.start.timestamp())


@dataclass(frozen=True)
class DocumentRoute:
    day: date
    provider: str
    provider_kind: str
    distance_m: int
    intervals: tuple[Interval, ...]


@dataclass(frozen=True)
class DocumentPlan:
    file: str
    first_day: date
    days: int
    timezone: str
    pes_share_target: float | None
    routes: tuple[DocumentRoute, ...]
    unassigned: tuple[str, ...]  # reason codes

    def covered(self) -> Iterable[date]:
        return (self.first_day + timedelta(days=i) for i in range(self.days))


class _Fields:
    """Typed reads from one document; every error names the file and the field."""

    def __init__(self, file: str) -> None:
        self.file = file

    def error(self, where: str, message: str) -> ReportError:
        return ReportError(f"{self.file}: {where}: {message}")

    def mapping(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(where or "document", f"expected an object, got "
                                                  f"{type(value).__name__}")
        return value

    def value(self, item: dict[str, Any], key: str, where: str) -> object:
        if key not in item:
            raise self.error(_path(where, key), "missing")
        return item[key]

    def text(self, item: dict[str, Any], key: str, where: str,
             choices: Sequence[str] = ()) -> str:
        value = self.value(item, key, where)
        if not isinstance(value, str) or not value:
            raise self.error(_path(where, key), f"expected a non-empty string, got {value!r}")
        if choices and value not in choices:
            raise self.error(_path(where, key), f"{value!r} is not one of {', '.join(choices)}")
        return value

    def integer(self, item: dict[str, Any], key: str, where: str) -> int:
        value = self.value(item, key, where)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.error(_path(where, key), f"expected an integer ≥ 0, got {value!r}")
        return value

    def items(self, item: dict[str, Any], key: str, where: str) -> list[Any]:
        value = self.value(item, key, where)
        if not isinstance(value, list):
            raise self.error(_path(where, key), f"expected a list, got {type(value).__name__}")
        return value

    def moment(self, item: dict[str, Any], key: str, where: str) -> datetime:
        return aware_moment(self.text(item, key, where), f"{self.file}: {_path(where, key)}",
                            ReportError)

    def day(self, item: dict[str, Any], key: str, where: str) -> date:
        text = self.text(item, key, where)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self.error(_path(where, key), f"{text!r} is not YYYY-MM-DD") from None

    def zone(self, item: dict[str, Any], key: str, where: str) -> ZoneInfo:
        text = self.text(item, key, where)
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.error(_path(where, key), f"{text!r} is not an IANA time zone") from None


def _path(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def read_plan(file: str, document: object) -> DocumentPlan:
    fields = _Fields(file)
    root = fields.mapping(document, "")
    if root.get("format") != PLAN_FORMAT:
        raise fields.error("format", f"expected {PLAN_FORMAT!r}, got {root.get('format')!r}")
    days = fields.integer(root, "days", "")
    zone = fields.zone(root, "timezone", "")
    routes = tuple(_read_route(fields, raw, f"routes[{i}]")
                   for i, raw in enumerate(fields.items(root, "routes", "")))
    reasons = tuple(fields.text(fields.mapping(raw, f"unassigned[{i}]"), "reason",
                                f"unassigned[{i}]", REASONS)
                    for i, raw in enumerate(fields.items(root, "unassigned", "")))
    return DocumentPlan(file=file, first_day=fields.day(root, "date", ""), days=days,
                 timezone=zone.key, pes_share_target=_document_target(fields, root),
                 routes=routes, unassigned=reasons)


def _document_target(fields: _Fields, root: dict[str, Any]) -> float | None:
    kpi = root.get("kpis")
    target = fields.mapping(kpi, "kpis").get("pes_share_target") if kpi is not None else None
    if target is None:
        return None
    if not isinstance(target, int | float) or isinstance(target, bool) or not 0 <= target <= 1:
        raise fields.error("kpis.pes_share_target", f"expected a number 0–1, got {target!r}")
    return float(target)


def _read_route(fields: _Fields, raw: object, where: str) -> DocumentRoute:
    item = fields.mapping(raw, where)
    stops = [fields.mapping(s, f"{where}.stops[{k}]")
             for k, s in enumerate(fields.items(item, "stops", where))]
    fields.moment(item, "start", where)  # a time with an offset, as any route's
    return DocumentRoute(
        day=_route_day(fields, item, where),
        provider=fields.text(item, "provider", where),
        provider_kind=fields.text(item, "provider_kind", where, PROVIDER_KINDS),
        distance_m=fields.integer(item, "distance_m", where),
        intervals=_service_intervals(fields, stops, where))


def _route_day(fields: _Fields, item: dict[str, Any], where: str) -> date:
    """`day` (the day the route's shift starts), or its start's local date in a document
    written before `day` existed (`api.convert.plan_document.document_route_day`)."""
    if "day" in item:
        fields.day(item, "day", where)  # names the field when it is not a date
    return document_route_day(item)


def _service_intervals(fields: _Fields, stops: list[dict[str, Any]],
                       where: str) -> tuple[Interval, ...]:
    """The route's passenger-hours (`optimiser.rules.service_intervals`): visits and jobs
    their time on site, trips from the pickup's start to the drop-off's end."""
    served: list[Served] = []
    about: list[tuple[str, str | None]] = []  # each stop's service and client
    tasks: list[str] = []  # each stop's task id
    boarded: dict[str, str] = {}  # trip task -> its pickup's field
    for k, stop in enumerate(stops):
        at = f"{where}.stops[{k}]"
        service = fields.text(stop, "service", at, SERVICES)
        about.append((service, _client(fields, stop, at)))
        start, end = fields.moment(stop, "start", at), fields.moment(stop, "end", at)
        if end < start:
            raise fields.error(f"{at}.end", f"{end.isoformat()} is before start")
        task, action = _task(stop), "serve"
        if service == "transport":
            task = fields.text(stop, "task", at)
            action = fields.text(stop, "action", at, ("pickup", "dropoff"))
            if action == "pickup":
                boarded[task] = at
            elif boarded.pop(task, None) is None:
                raise fields.error(at, f"trip {task!r} is dropped off before it is picked up")
        tasks.append(task)
        served.append(Served(task, action, start.timestamp(), end.timestamp()))
    for task, at in boarded.items():
        raise fields.error(at, f"trip {task!r} is picked up but never dropped off")
    moment = datetime.fromtimestamp
    return tuple(Interval(*about[k], moment(a, UTC), moment(b, UTC), tasks[k])
                 for a, b, k in service_intervals(served, PASSENGER_HOURS))


def _task(stop: dict[str, Any]) -> str:
    task = stop.get("task")
    return task if isinstance(task, str) else ""


def _client(fields: _Fields, stop: dict[str, Any], where: str) -> str | None:
    client = fields.value(stop, "client", where)
    if client is not None and (not isinstance(client, str) or not client):
        raise fields.error(f"{where}.client", f"expected a string or null, got {client!r}")
    return client
