"""Actuals given as a file or a request body (until they are stored as records): one row a
task, `task_id,outcome,start,end[,reason]`, as CSV (a header row; `,` or `;`) or JSON (a
list of objects, or `{"actuals": [...]}`), read into `optimiser.actuals.Actual`.

`outcome` is one of done, started, absent, not_done, unconfirmed; `start` and `end` are
ISO 8601 date-times with a UTC offset, or empty. A `done` row may lack a time (it counts
as done with no hours); `end` before `start`, more than `MAX_ACTUAL_S` (a day) after
it, a time outside the years 2000–2999, an `end` on a row not done, or a task given twice
is an error naming the row and the field.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from api.convert.moments import aware_moment
from optimiser.actuals import Actual, Outcome

OUTCOMES = tuple(o.value for o in Outcome)
FIELDS = ("task_id", "outcome", "start", "end", "reason")
MAX_ACTUAL_S = 24 * 3600  # no visit or ride lasts longer: longer is a mistyped date
YEARS = (2000, 2999)


class ActualsError(ValueError):
    """Actuals that cannot be read; the message names the row and the field."""


def read_actuals(text: str, name: str) -> dict[str, Actual]:
    """The actuals of a file's `text` (JSON if it starts with `[` or `{`, else CSV)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("[", "{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ActualsError(f"{name}: not valid JSON ({exc})") from None
        rows = data.get("actuals") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise ActualsError(f"{name}: expected a list of actuals or {{\"actuals\": [...]}}")
        return actuals_from_rows(rows, name)
    dialect = csv.Sniffer().sniff(stripped[:2000], delimiters=",;") if stripped else "excel"
    reader = csv.DictReader(io.StringIO(stripped), dialect=dialect)
    missing = [f for f in FIELDS[:2] if f not in (reader.fieldnames or ())]
    if missing:
        raise ActualsError(f"{name}: the header lacks {', '.join(missing)} "
                           f"(columns: {','.join(FIELDS)})")
    return actuals_from_rows(list(reader), name)


def actuals_from_rows(rows: Iterable[object], name: str) -> dict[str, Actual]:
    actuals: dict[str, Actual] = {}
    for k, row in enumerate(rows):
        where = f"{name}: actuals[{k}]"
        if not isinstance(row, Mapping):
            raise ActualsError(f"{where}: expected an object, got {type(row).__name__}")
        actual = _actual(row, where)
        if actual.task_id in actuals:
            raise ActualsError(f"{where}.task_id: {actual.task_id!r} is given twice")
        actuals[actual.task_id] = actual
    return actuals


def _actual(row: Mapping[str, Any], where: str) -> Actual:
    task_id = row.get("task_id")
    if not isinstance(task_id, str) or not task_id.strip():
        raise ActualsError(f"{where}.task_id: expected a task id, got {task_id!r}")
    outcome = row.get("outcome")
    if outcome not in OUTCOMES:
        raise ActualsError(f"{where}.outcome: {outcome!r} is not one of {', '.join(OUTCOMES)}")
    start, end = _moment(row, "start", where), _moment(row, "end", where)
    if start is not None and end is not None and end < start:
        raise ActualsError(f"{where}.end: {end.isoformat()} is before start")
    if start is not None and end is not None and (end - start).total_seconds() > MAX_ACTUAL_S:
        raise ActualsError(f"{where}.end: {end.isoformat()} is more than a day after start")
    if end is not None and outcome not in (Outcome.DONE.value,):
        raise ActualsError(f"{where}.end: a {outcome} task has no end")
    reason = row.get("reason") or ""
    if not isinstance(reason, str):
        raise ActualsError(f"{where}.reason: expected text, got {reason!r}")
    return Actual(task_id.strip(), Outcome(outcome), start, end, reason)


def _moment(row: Mapping[str, Any], key: str, where: str) -> datetime | None:
    value = row.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ActualsError(f"{where}.{key}: expected an ISO 8601 date-time, got {value!r}")
    moment = aware_moment(value, f"{where}.{key}", ActualsError)
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise ActualsError(f"{where}.{key}: {value!r} is not in the years "
                           f"{YEARS[0]}–{YEARS[1]}")
    return moment
