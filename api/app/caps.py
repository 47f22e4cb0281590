"""The server's caps on how much one request may ask (`TRASA_MAX_TASKS`,
`TRASA_MAX_IMPORT_ROWS`, `TRASA_MAX_EVENTS`; the body's bytes are capped by
`api.app.body_cap`). Each is checked before the work it bounds (a solve, an import), and
refused with 422 naming the field, the count and the cap: a 5,000-task scenario ran
51 s in 2.8 GB before this. The command line has no caps: its user spends their own
machine."""

from __future__ import annotations

from typing import Any

from api.app.errors import ApiError, FieldError
from api.schemas.scenario import ScenarioIn
from api.settings import Settings


def over_cap(field: str, count: int, cap: int, what: str, setting: str) -> ApiError:
    """The 422 of `count` `what` at `field` over the server's `cap` (`setting`)."""
    message = f"{count} {what} is over the server's cap of {cap} ({setting})"
    return ApiError(422, f"{field}: {message}",
                    errors=[FieldError(field=field, value=count, message=message)])


def refuse_over_cap(field: str, count: int, cap: int, what: str, setting: str) -> None:
    if count > cap:
        raise over_cap(field, count, cap, what, setting)


def tasks_in_document(scenario: Any) -> int:
    """The tasks and trips a scenario document (not yet parsed) asks to plan, a series
    counted once per session; parts of the wrong shape count one (parsing refuses them)."""
    if not isinstance(scenario, dict):
        return 0
    tasks, trips = scenario.get("tasks"), scenario.get("trips")
    count = len(trips) if isinstance(trips, list) else 0
    for task in tasks if isinstance(tasks, list) else []:
        series = task.get("series") if isinstance(task, dict) else None
        sessions = series.get("sessions") if isinstance(series, dict) else None
        count += sessions if isinstance(sessions, int) and 1 <= sessions <= 7 else 1
    return count


def tasks_in(scenario: ScenarioIn) -> int:
    """The tasks and trips a parsed scenario asks to plan, a series once per session."""
    return sum(t.series.sessions if t.series else 1 for t in scenario.tasks) + len(
        scenario.trips)


def refuse_too_many_tasks(count: int, settings: Settings, field: str) -> None:
    refuse_over_cap(field, count, settings.max_tasks, "tasks and trips (a series counts "
                    "each session)", "TRASA_MAX_TASKS")
