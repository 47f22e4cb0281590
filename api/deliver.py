"""What people receive, written beside plan.json: route sheets (HTML, PDF, CSV), phone
calendars (ICS), the coordinator's day overview (HTML, PDF) and the plan as GeoJSON
(with names, and the planner's without).

Only a plan that passes the independent checker is rendered (`UncheckedPlan`)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from api.formats.events import problem_as_happened
from api.formats.geojson import plan_geojson
from api.formats.ics import worker_calendar
from api.formats.overview import overview_html
from api.formats.plan_document import read_plan
from api.formats.route_map import route_map_png
from api.formats.route_sheet import (
    RouteSheet,
    contacts_from_scenario,
    notes_from_scenario,
    route_sheets,
)
from api.formats.scenario import parse_scenario
from api.formats.scenario_schema import ScenarioIn
from api.formats.sheet_csv import sheet_csv
from api.formats.sheet_html import html_pdf, sheet_html
from api.service import prepare
from geo.matrix import Matrices
from optimiser.check import check
from optimiser.model import Plan, Problem


class UncheckedPlan(ValueError):
    """A plan that breaks a rule: never rendered for people."""


def sheets_for(problem: Problem, plan: Plan, matrices: Matrices, scenario: ScenarioIn, *,
               warning: str = "") -> list[RouteSheet]:
    violations = check(problem, plan)
    if violations:
        raise UncheckedPlan("the plan fails the independent check, so no sheet is made: "
                            + "; ".join(str(v) for v in violations[:5]))
    return route_sheets(problem, plan, matrices, contacts_from_scenario(scenario),
                        notes_from_scenario(scenario), warning=warning)


def write_outputs(problem: Problem, plan: Plan, matrices: Matrices, scenario: ScenarioIn,
                  out_dir: Path, *, warning: str = "", pdf: bool = True,
                  workers: set[str] | None = None) -> list[Path]:
    """Write `sheets/<worker>-<day>.html` (and `.pdf`, `.csv`), `calendars/<worker>.ics`,
    `overview-<day>.html` (and `.pdf`), `plan.geojson` and `plan-planner.geojson` under
    `out_dir`; the paths written. `workers` limits sheets and calendars to those workers
    (a re-planned day: only those whose day changed)."""
    sheets = [s for s in sheets_for(problem, plan, matrices, scenario, warning=warning)
              if workers is None or s.worker_id in workers]
    network = matrices.paths.network if matrices.paths is not None else None
    written: list[Path] = []
    (out_dir / "sheets").mkdir(parents=True, exist_ok=True)
    (out_dir / "calendars").mkdir(parents=True, exist_ok=True)
    by_worker: dict[str, list[RouteSheet]] = defaultdict(list)
    for sheet in sheets:
        by_worker[sheet.worker_id].append(sheet)
        html = sheet_html(sheet, map_png=route_map_png(sheet, network),
                          timezone=problem.calendar.timezone)
        stem = f"sheets/{file_name(sheet.worker_id)}-{sheet.day.isoformat()}"
        written.append(_write(out_dir / f"{stem}.html", html.encode("utf-8")))
        written.append(_write(out_dir / f"{stem}.csv", sheet_csv(sheet)))
        if pdf:
            written.append(_write(out_dir / f"{stem}.pdf", html_pdf(html)))
    for worker_id, days in by_worker.items():
        written.append(_write(out_dir / "calendars" / f"{file_name(worker_id)}.ics",
                              worker_calendar(days, timezone=problem.calendar.timezone)))
    for day in problem.calendar.dates:
        html = overview_html(problem, plan, day, warning=warning)
        written.append(_write(out_dir / f"overview-{day.isoformat()}.html",
                              html.encode("utf-8")))
        if pdf:
            written.append(_write(out_dir / f"overview-{day.isoformat()}.pdf", html_pdf(html)))
    for name, names in (("plan.geojson", True), ("plan-planner.geojson", False)):
        document = plan_geojson(problem, plan, matrices, names=names)
        written.append(_write(out_dir / name, json.dumps(document, ensure_ascii=False,
                                                         indent=1).encode("utf-8")))
    return written


def file_name(text: str) -> str:
    """`text` as a file name or header value: letters, digits, `.`, `_`, `-` only
    (ids are free text; `jan.kowalski` stays, `a/b` becomes `a_b`, `..` cannot escape)."""
    safe = re.sub(r"[^\w.-]", "_", text, flags=re.ASCII).lstrip(".")
    return safe or "_"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@dataclass(frozen=True, eq=False)
class Rebuilt:
    """A stored plan read back against its scenario: what the outputs are drawn from."""

    scenario: ScenarioIn
    problem: Problem
    plan: Plan
    matrices: Matrices
    warning: str

    @cached_property
    def sheets(self) -> list[RouteSheet]:
        """Every route sheet of the plan, made (and the plan checked) once."""
        return sheets_for(self.problem, self.plan, self.matrices, self.scenario,
                          warning=self.warning)


# (plan version id, redactions) -> read back: a version changes only when a client's
# data is erased from it, which counts its `redactions`
_REBUILT: dict[tuple[str, int], Rebuilt] = {}
_REBUILT_KEPT = 32  # a subscribed calendar reads up to 22 days' plans


def rebuilt(plan_id: str, scenario_document: dict[str, Any], plan_document: dict[str, Any],
            *, graph: str | None, redactions: int = 0) -> Rebuilt:
    """A published plan version with its job's scenario snapshot, read back once per
    process (the road network and matrices take seconds) on the server's road network,
    which must be the one the plan records (`api.service.NetworkMismatch`)."""
    found = _REBUILT.get((plan_id, redactions))
    if found is None:
        scenario = parse_scenario(scenario_document, source=f"plans/{plan_id} scenario")
        network = plan_document.get("network")
        recorded = network.get("content_hash") if isinstance(network, dict) else None
        prepared = prepare(scenario, base_dir=Path.cwd(), graph=graph, plan_network=None
                           if not isinstance(recorded, str) else (recorded, "the server's "
                                                                  "road network"))
        scenario, problem = problem_as_happened(scenario, prepared.problem, plan_document)
        plan = read_plan(problem, plan_document)
        found = Rebuilt(scenario, problem, plan, prepared.matrices, prepared.network.warning)
        if len(_REBUILT) >= _REBUILT_KEPT:
            _REBUILT.clear()
        _REBUILT[(plan_id, redactions)] = found
    return found
