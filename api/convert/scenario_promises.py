"""A scenario's promises (`tasks[i].promise`, `trips[i].promise`) into the domain: the
promise read as a time window on its day (`PromiseIn`), then the task made the one the
model plans (`optimiser.promises.promised`: windows narrowed to starts inside the
promise, mandatory). Every error names the field and the promise as written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from api.convert.scenario_errors import ScenarioError
from api.schemas.scenario import WEEKDAYS, PromiseIn
from optimiser.model import ProblemError, Task, TimeWindow
from optimiser.promises import promised

# (calendar-aware) seconds of an HH:MM or ISO time on a date, naming the field on error
Clock = Callable[[str, str, date], int]


def written(promise: PromiseIn) -> str:
    """The promise as the scenario wrote it, for messages."""
    day = "" if promise.day is None else f", day {promise.day}"
    return f"{{start {promise.start!r}, end {promise.end!r}{day}}}"


def promise_day(promise: PromiseIn, field: str, dates: list[date], default: date,
                *, trip: bool) -> date:
    """The date a promise's HH:MM times are read on: its `day` (one date of the horizon),
    else `default` (the first day; a trip's own day, which a trip's promise may not
    contradict)."""
    if promise.day is None:
        return default
    if trip:
        raise ScenarioError(f"{field}.day: a trip's promise is on the trip's day; give it "
                            f"as the trip's day instead (got {promise.day!r})")
    if isinstance(promise.day, date):
        if promise.day not in dates:
            raise ScenarioError(f"{field}.day: {promise.day} is outside the planned days "
                                f"({dates[0]} to {dates[-1]})")
        return promise.day
    days = [d for d in dates if WEEKDAYS[d.weekday()] == promise.day]
    if len(days) != 1:
        raise ScenarioError(f"{field}.day: {promise.day!r} falls on {len(days)} days of the "
                            "horizon; a promise is for one day of it")
    return days[0]


def with_promise(task: Task, promise: PromiseIn | None, field: str, clock: Clock,
                 dates: list[date], default: date, *, trip: bool = False) -> Task:
    """`task` as the model plans it under `promise` (unchanged without one); a
    `ScenarioError` naming `field` and the promise when it is not a window of one day or
    leaves no start inside the task's windows."""
    if promise is None:
        return task
    on = promise_day(promise, field, dates, default, trip=trip)
    start = clock(promise.start, f"{field}.start", on)
    end = clock(promise.end, f"{field}.end", on)
    if end <= start:
        raise ScenarioError(f"{field}: {written(promise)}: end is not after start")
    try:
        return promised(task, TimeWindow(start, end))
    except ProblemError:
        raise ScenarioError(
            f"{field}: {written(promise)} fits none of the windows of {task.id!r}: no start "
            f"inside it leaves the {task.service_s // 60} min of its first stop inside a "
            "window") from None
