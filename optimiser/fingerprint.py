"""A problem's fingerprint: a stable hash of what the solver is given.

Two paths that build the same day (the scenario file, the stored records) must hand the
solver the same problem; `problem_fingerprint` says whether they did in one string.
It is the SHA-256 of a canonical JSON (`canonical_problem`): workers, tasks, series,
providers, vehicles and clients field by field in the problem's own order (the order
the search meets them in), the rules, goals and calendar, and the locations by id with
their coordinates and names, with the travel-time and distance matrices' bytes between
them in that id order.

Locations and clients that no worker or task refers to are left out: no rule reads
them, so they cannot change a plan (a scenario file may list a clinic nobody rides to
that day; stored records name only the places their tasks use). The problem's name is
a label and is left out too. Nothing here knows pydantic, OR-Tools or the file formats.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from datetime import date
from typing import Any

import numpy as np

from optimiser.model import Problem


def problem_fingerprint(problem: Problem) -> str:
    """The hex SHA-256 of `canonical_problem(problem)` as compact, key-sorted JSON."""
    text = json.dumps(canonical_problem(problem), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_problem(problem: Problem) -> dict[str, Any]:
    """The problem as plain JSON values (see the module's note for what is in it)."""
    places = referenced_locations(problem)
    clients = {t.client_id for t in problem.tasks if t.client_id is not None}
    index = [problem.location_index(x) for x in places]
    by_id = {x.id: x for x in problem.locations}
    return {
        "locations": [_plain(by_id[x]) for x in places],
        "duration_s": _matrix_digest(problem.matrix.duration_s, index),
        "distance_m": _matrix_digest(problem.matrix.distance_m, index),
        "providers": _plain(problem.providers),
        "vehicles": _plain(problem.vehicles),
        "clients": _plain(tuple(c for c in problem.clients if c.id in clients)),
        "workers": _plain(problem.workers),
        "tasks": _plain(problem.tasks),
        "series": _plain(problem.series),
        "rules": _plain(problem.rules),
        "trip_rules": _plain(problem.trip_rules),
        "goals": _plain(problem.goals),
        "calendar": _plain(problem.calendar),
    }


def referenced_locations(problem: Problem) -> list[str]:
    """Ids of the locations a worker, a task (pickup or drop-off) or a served client
    refers to, sorted."""
    clients = {t.client_id for t in problem.tasks if t.client_id is not None}
    ids = {p for w in problem.workers for p in (w.start_location_id, w.end_location_id)}
    ids |= {t.location_id for t in problem.tasks}
    ids |= {t.ride.dropoff_location_id for t in problem.tasks if t.ride is not None}
    ids |= {c.location_id for c in problem.clients if c.id in clients}
    return sorted(ids)


def _matrix_digest(matrix: np.ndarray, index: list[int]) -> str:
    block = np.ascontiguousarray(matrix[np.ix_(index, index)], dtype="<i8")
    return hashlib.sha256(block.tobytes()).hexdigest()


def _plain(value: Any) -> Any:
    """`value` as JSON values: dataclasses field by field (those that take part in
    equality), enums by value, sets sorted, dates in ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.compare}
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(x) for x in value)
    if isinstance(value, (tuple, list)):
        return [_plain(x) for x in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"fingerprint: cannot read a {type(value).__name__} ({value!r})")
