"""A plan's reading: the plain object every output of a stored plan is drawn from, and
the stored part of it that otherwise takes the road graph.

`material_of` is written once, where the graph is loaded anyway (the job's process, the
command line, or once for a plan stored before migration 0007): the travel matrix of
the problem's places, each leg's path along the streets ((lat, lon) points, for the
sheet's map and the GeoJSON), the streets of the plan's town ([lon, lat] lines, for the
page's map and the sheet's), and the network's identity. It is JSON (the matrices as
base64 of little-endian integers). A `PlanReading` is a checked problem and plan with
that material: route sheets, calendars, the overview, the GeoJSON and the day view are
drawn from it without the graph, the matrices' builder, the solver or the checker.

The streets are kept per plan (those of its town, simplified as the page draws them:
tens of kilobytes) rather than the network's node and edge arrays per network: a
regional graph's arrays are megabytes, and every read would still cut the town out."""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np

from api.convert.plan_document import PlanDocumentError
from api.render.route_map import route_map_png
from api.render.route_sheet import (
    LatLon,
    Legs,
    RouteSheet,
    SheetRow,
    Streets,
    route_sheets,
)
from api.render.sheet_html import sheet_html
from api.render.streets import plan_town_box, street_lines, streets_document
from api.render.words import language
from geo.matrix import Matrices
from optimiser.check import Violation
from optimiser.kpi import route_legs
from optimiser.model import Plan, Problem, TravelMatrix
from optimiser.people import NetworkIdentity

log = logging.getLogger(__name__)
READING_FORMAT = "trasa-reading/1"
DECIMALS = 6  # of a leg's points: about 0.1 m
STREETS_WIDER = 0.3  # the town's streets kept this much of its width further east and west


@dataclass(frozen=True, eq=False)
class PlanReading:
    """A stored plan as its outputs read it: checked (`verdict` passed), with its legs
    and streets; `document` is the stored plan document itself."""

    plan_id: str
    problem: Problem
    plan: Plan
    legs: Legs | None
    streets: Streets
    document: dict[str, Any]
    _sheets: dict[str, list[RouteSheet]] = field(default_factory=dict, repr=False)

    @property
    def warning(self) -> str:
        return self.problem.network.warning

    @property
    def sheets(self) -> list[RouteSheet]:
        """Every route sheet of the plan in the current language (a sheet's words are
        its reader's: `api.render.words.use_language`), made once per language."""
        lang = language()
        made = self._sheets.get(lang)
        if made is None:
            made = route_sheets(self.problem, self.plan, self.legs, warning=self.warning)
            self._sheets[lang] = made
        return made

    @cached_property
    def streets_json(self) -> str:
        """The streets of the plan's town as the page's GeoJSON."""
        return json.dumps(streets_document(list(self.streets)), separators=(",", ":"))


def warm_up() -> None:
    """Draw a made-up sheet once (its page template compiled, the map's fonts loaded),
    so that the first sheet a started server serves is as fast as the next."""
    row = SheetRow(1, "wizyta", "t", "09:00–10:00", "09:00", "09:00", "09:30", "", "", "",
                   "", "", "", "", 51.0, 23.0)
    sheet = RouteSheet(date(2026, 1, 1), "w", "", "", "", "", "07:00", "", "15:00", 0.0, 0,
                       (row,), (((51.0, 23.0), (51.001, 23.001)),), ((51.0, 23.0),) * 2)
    sheet_html(sheet, map_png=route_map_png(sheet, [[[23.0, 51.0], [23.001, 51.001]]]))


def verdict_of(violations: list[Violation]) -> dict[str, Any]:
    """The checker's result as stored with a plan."""
    return {"passed": not violations, "violations": [str(v) for v in violations]}


def leg_paths(problem: Problem, plan: Plan, matrices: Matrices) -> dict[tuple[str, str],
                                                                        list[LatLon]]:
    """Each leg of the plan's routes along the streets (empty without road paths)."""
    legs: dict[tuple[str, str], list[LatLon]] = {}
    if matrices.paths is None:
        return legs
    for route in plan.routes:
        for a, b in route_legs(problem, route):
            if (a, b) not in legs:
                legs[a, b] = matrices.leg_path(problem.location_index(a),
                                               problem.location_index(b))
    return legs


def town_streets(problem: Problem, matrices: Matrices) -> list[list[list[float]]]:
    """The streets of the plan's town from the matrices' road network ([] without one)."""
    box = plan_town_box(problem)
    if matrices.paths is None or box is None:
        return []
    south, west, north, east = box
    wide = (east - west) * STREETS_WIDER  # a sheet's map is wider than it is tall
    return street_lines(matrices.paths.network, (south, west - wide, north, east + wide))


def material_of(problem: Problem, plan: Plan, matrices: Matrices) -> dict[str, Any]:
    """What the plan's outputs need from the road graph, as JSON (see the module's note)."""
    legs = leg_paths(problem, plan, matrices)
    return {
        "format": READING_FORMAT,
        "locations": [x.id for x in problem.locations],
        "duration_s": _pack(problem.matrix.duration_s),
        "distance_m": _pack(problem.matrix.distance_m),
        "legs": None if matrices.paths is None else [
            [a, b, [[round(lat, DECIMALS), round(lon, DECIMALS)] for lat, lon in path]]
            for (a, b), path in legs.items()],
        "streets": town_streets(problem, matrices),
        "network": dataclasses.asdict(problem.network),
    }


def material_or_none(problem: Problem, plan: Plan, matrices: Matrices
                     ) -> dict[str, Any] | None:
    """`material_of`, or None (logged) should it fail: a job's plan is never lost for
    its reading, which is then made from the graph on the plan's first read."""
    try:
        return material_of(problem, plan, matrices)
    except Exception:  # a bug here must not cost the plan
        log.exception("the plan's reading could not be made; it is made on its first read")
        return None


def matrix_of(material: dict[str, Any], location_ids: list[str]) -> TravelMatrix:
    """The stored travel matrix, for places `location_ids` (which must be the stored ones,
    in their order)."""
    _require_format(material)
    if material.get("locations") != location_ids:
        raise PlanDocumentError("reading.locations: the stored matrix is not of the "
                                "scenario's places")
    return TravelMatrix(_unpack(material["duration_s"]), _unpack(material["distance_m"]))


def network_of(material: dict[str, Any]) -> NetworkIdentity:
    return NetworkIdentity(**material.get("network", {}))


def legs_of(material: dict[str, Any]) -> dict[tuple[str, str], list[LatLon]] | None:
    if material.get("legs") is None:
        return None
    return {(a, b): [(p[0], p[1]) for p in path] for a, b, path in material["legs"]}


def reading_of(plan_id: str, problem: Problem, plan: Plan, material: dict[str, Any],
               document: dict[str, Any]) -> PlanReading:
    return PlanReading(plan_id, problem, plan, legs_of(material),
                       material.get("streets", []), document)


def _require_format(material: dict[str, Any]) -> None:
    if material.get("format") != READING_FORMAT:
        raise PlanDocumentError(f"reading.format: expected {READING_FORMAT!r}, got "
                                f"{material.get('format')!r}")


def _pack(array: np.ndarray) -> dict[str, Any]:
    dtype = "<i4" if array.size == 0 or int(np.abs(array).max()) < 2**31 else "<i8"
    data = np.ascontiguousarray(array, dtype=dtype).tobytes()
    return {"dtype": dtype, "n": int(array.shape[0]),
            "data": base64.b64encode(data).decode("ascii")}


def _unpack(packed: dict[str, Any]) -> np.ndarray:
    n = int(packed["n"])
    flat = np.frombuffer(base64.b64decode(packed["data"]), dtype=packed["dtype"])
    return flat.astype(np.int64).reshape(n, n)
