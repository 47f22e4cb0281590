"""The live day's judgement, pure: each route's stops planned against what the phones
said, how far along the route is, and the alerts a coordinator must see now.

Inputs are plain values (the published plan's stops, each task's `optimiser.actuals`
actual, the time of each task's last accepted press, "now" and the slack); nothing here
reads a database or knows a web framework, so each alert can be shown by hand-built
cases (tests/api/test_live_alerts.py).

A stop's state: `done`, `under_way` (a visit arrived at, not finished), `absent`,
`not_done` or `pending` (nothing pressed yet; a drop-off is pending while its rider is
on board). Alerts, in route and stop order:

- `late`: a pending stop whose planned start is more than `slack_min` ago, its planned
  end not yet passed: nobody has arrived;
- `missed`: a pending stop whose planned end has passed (no press at all);
- `absent`: the client was not there; `not_done`: the worker could not do it;
- `arrive_by`: a drop-off with an arrive-by time that the route's current lateness,
  carried forward along its pending stops (waiting planned before a stop absorbs it),
  makes late. The lateness is that of the route's last confirmed stop against its plan,
  or, when the next stop's planned start has passed with nobody there, now against it.

Each alert names the route (worker), the stop (number on the route, task, action) and
minutes (late, overdue, or past the arrive-by). Where a re-plan can take the alert
as it is, it carries the ready events body of `POST /plans/{id}/events`
(docs/replanning.md): what the route's phones confirmed before now (`started` and
`finished` reports of its other stops, at the pressed times), then a `late` event of the
stop (for `arrive_by`: of the stop the route is heading for, by the route's lateness)
for `late`, `missed` and `arrive_by`, or a `no_show` event at the press's time for
`absent`. `now` is the live day's now, so nothing is typed again."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from optimiser.actuals import Actual, Outcome

MAX_LATE_MIN = 720  # the events format's bound on `late.minutes`


class AlertKind(StrEnum):
    LATE = "late"
    MISSED = "missed"
    ABSENT = "absent"
    NOT_DONE = "not_done"
    ARRIVE_BY = "arrive_by"


@dataclass(frozen=True)
class LiveStop:
    """A stop of the published plan: `action` is `serve`, `pickup` or `dropoff`; `due`
    a drop-off's arrive-by (the end of its window), else None."""

    task_id: str
    kind: str
    action: str
    client: str | None
    arrival: datetime
    start: datetime
    end: datetime
    due: datetime | None = None


@dataclass(frozen=True)
class LiveRoute:
    worker: str
    worker_name: str
    stops: tuple[LiveStop, ...]
    vehicle: str | None = None


@dataclass(frozen=True)
class StopState:
    stop: LiveStop
    number: int  # on the route, from 1, as on the route sheet
    state: str  # done, under_way, absent, not_done, pending
    actual_start: datetime | None
    actual_end: datetime | None

    @property
    def late_min(self) -> int | None:
        """Minutes the stop began after (negative: before) its planned start."""
        if self.actual_start is None:
            return None
        return math.floor((self.actual_start - self.stop.start).total_seconds() / 60)


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    worker: str
    number: int
    task_id: str
    action: str
    minutes: int
    replan: dict[str, Any] | None = None  # the events body of POST /plans/{id}/events


@dataclass(frozen=True)
class RouteState:
    route: LiveRoute
    stops: list[StopState]
    lateness_min: int  # the route's current lateness (0 when on time or early)
    alerts: list[Alert] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return sum(s.state in ("done", "absent", "not_done") for s in self.stops)


def judge(routes: Sequence[LiveRoute], actuals: Mapping[str, Actual],
          pressed: Mapping[str, datetime], now: datetime, slack_min: int) -> list[RouteState]:
    """Each route as it stands at `now`. `pressed`: each task's last accepted press (its
    phone time), for the moment of an absence."""
    return [_route(route, actuals, pressed, now, slack_min) for route in routes]


def _route(route: LiveRoute, actuals: Mapping[str, Actual], pressed: Mapping[str, datetime],
           now: datetime, slack_min: int) -> RouteState:
    states = [_state(stop, k, actuals.get(stop.task_id)) for k, stop in
              enumerate(route.stops, start=1)]
    lateness_s, heading = _lateness(states, now)
    alerts: list[Alert] = []
    for s in states:
        alerts += _stop_alerts(route, s, pressed, now, slack_min)
    alerts += _arrive_by(route, states, lateness_s, heading, now)
    alerts = [replace(a, replan={"now": a.replan["now"], "events": [
        *_facts(states, a.task_id, now), *a.replan["events"]]}) if a.replan else a
        for a in alerts]
    return RouteState(route, states, max(0, math.ceil(lateness_s / 60)) if lateness_s > 0
                      else 0, alerts)


def _state(stop: LiveStop, number: int, actual: Actual | None) -> StopState:
    outcome = actual.outcome if actual else Outcome.UNCONFIRMED
    start = actual.start if actual else None
    end = actual.end if actual else None
    failed = outcome in (Outcome.ABSENT, Outcome.NOT_DONE)
    if stop.action == "pickup":
        if failed:
            return StopState(stop, number, outcome.value, None, None)
        if start is not None or outcome is Outcome.DONE:
            return StopState(stop, number, "done", start or end, None)  # boarding began
        return StopState(stop, number, "pending", None, None)
    if stop.action == "dropoff":
        if outcome is Outcome.DONE:
            return StopState(stop, number, "done", end, end)
        return StopState(stop, number, outcome.value if failed else "pending", None, None)
    if outcome is Outcome.DONE:
        return StopState(stop, number, "done", start, end)
    if outcome is Outcome.STARTED:
        return StopState(stop, number, "under_way", start, None)
    return StopState(stop, number, outcome.value if failed else "pending", start, None)


def _lateness(states: list[StopState], now: datetime) -> tuple[float, StopState | None]:
    """The route's lateness in seconds (its last confirmed stop against plan, or now
    against the planned start of the stop it is heading for, whichever is more), and
    that next stop (None when nothing is pending)."""
    lateness = 0.0
    for s in states:
        if s.actual_end is not None:
            lateness = (s.actual_end - s.stop.end).total_seconds()
        elif s.actual_start is not None:
            lateness = (s.actual_start - s.stop.start).total_seconds()
    heading = next((s for s in states if s.state in ("pending", "under_way")), None)
    if heading is not None and heading.state == "pending" and now > heading.stop.start:
        lateness = max(lateness, (now - heading.stop.start).total_seconds())
    return lateness, heading


def _stop_alerts(route: LiveRoute, s: StopState, pressed: Mapping[str, datetime],
                 now: datetime, slack_min: int) -> list[Alert]:
    stop = s.stop
    if s.state in ("absent", "not_done"):
        if stop.action == "dropoff":
            return []  # the rider's absence is the pickup's alert
        at = min(pressed.get(stop.task_id, now), now)
        kind = AlertKind.ABSENT if s.state == "absent" else AlertKind.NOT_DONE
        replan = _body(now, {"kind": "no_show", "task": stop.task_id, "action": stop.action,
                             "at": at.isoformat()}) if kind is AlertKind.ABSENT else None
        return [Alert(kind, route.worker, s.number, stop.task_id, stop.action,
                      max(0, s.late_min or 0), replan)]
    if s.state != "pending" or now <= stop.start:
        return []
    since_start = (now - stop.start).total_seconds() / 60
    if now > stop.end:
        return [Alert(AlertKind.MISSED, route.worker, s.number, stop.task_id, stop.action,
                      math.floor((now - stop.end).total_seconds() / 60),
                      _late_event(now, stop, since_start))]
    if since_start > slack_min:
        return [Alert(AlertKind.LATE, route.worker, s.number, stop.task_id, stop.action,
                      math.floor(since_start), _late_event(now, stop, since_start))]
    return []


def _arrive_by(route: LiveRoute, states: list[StopState], lateness_s: float,
               heading: StopState | None, now: datetime) -> list[Alert]:
    """Drop-offs the route's lateness, carried forward, makes miss their arrive-by."""
    if heading is None or lateness_s <= 0:
        return []
    alerts, carried = [], lateness_s
    for s in states[heading.number - 1:]:
        if s.state != "pending":
            continue
        wait = (s.stop.start - s.stop.arrival).total_seconds()
        carried = max(0.0, carried - wait)
        if s.stop.due is not None and carried > 0:
            over = (s.stop.end - s.stop.due).total_seconds() + carried
            if over > 0:
                alerts.append(Alert(AlertKind.ARRIVE_BY, route.worker, s.number,
                                    s.stop.task_id, s.stop.action, math.ceil(over / 60),
                                    _late_event(now, heading.stop, lateness_s / 60)))
    return alerts


def _facts(states: list[StopState], but: str, now: datetime) -> list[dict[str, Any]]:
    """The route's confirmed stops (all but task `but`'s) as re-planning reports: when
    each began and ended by the phone, as far as before now."""
    facts: list[dict[str, Any]] = []
    for s in states:
        if s.stop.task_id == but or s.state not in ("done", "under_way"):
            continue
        task, action = s.stop.task_id, s.stop.action
        if s.actual_start is not None and s.actual_start <= now and action != "dropoff":
            facts.append({"kind": "started", "task": task, "action": action,
                          "at": s.actual_start.isoformat()})
        if s.actual_end is not None and s.actual_end <= now and action != "pickup":
            facts.append({"kind": "finished", "task": task, "action": action,
                          "at": s.actual_end.isoformat()})
    return facts


def _late_event(now: datetime, stop: LiveStop, minutes: float) -> dict[str, Any] | None:
    whole = min(MAX_LATE_MIN, math.ceil(minutes))
    if whole < 1:
        return None
    return _body(now, {"kind": "late", "task": stop.task_id, "action": stop.action,
                       "minutes": whole})


def _body(now: datetime, event: dict[str, Any]) -> dict[str, Any]:
    return {"now": now.isoformat(timespec="seconds"), "events": [event]}
