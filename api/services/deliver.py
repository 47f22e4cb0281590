"""What people receive, written beside plan.json: route sheets (HTML, PDF, CSV), phone
calendars (ICS), the coordinator's day overview (HTML, PDF) and the plan as GeoJSON
(with names, and the planner's without).

Only a plan that passes the independent checker is rendered (`UncheckedPlan`). The
server draws the same outputs from a stored plan's reading (api/services/published_plan.py);
here the command line draws them from the plan it has just made, over its matrices."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from api.render.geojson import plan_geojson
from api.render.ics import worker_calendar
from api.render.overview import overview_html
from api.render.route_map import route_map_png
from api.render.route_sheet import Legs, RouteSheet, route_sheets
from api.render.sheet_csv import sheet_csv
from api.render.sheet_html import html_pdf, sheet_html
from api.services.reading import leg_paths, town_streets
from geo.matrix import Matrices
from optimiser.check import check
from optimiser.model import Plan, Problem


class UncheckedPlan(ValueError):
    """A plan that breaks a rule: never rendered for people."""


def sheets_for(problem: Problem, plan: Plan, legs: Legs | None, *,
               warning: str = "") -> list[RouteSheet]:
    """The plan's route sheets, once the checker passes it."""
    violations = check(problem, plan)
    if violations:
        raise UncheckedPlan("the plan fails the independent check, so no sheet is made: "
                            + "; ".join(str(v) for v in violations[:5]))
    return route_sheets(problem, plan, legs, warning=warning)


def write_outputs(problem: Problem, plan: Plan, matrices: Matrices,
                  out_dir: Path, *, warning: str = "", pdf: bool = True,
                  workers: set[str] | None = None) -> list[Path]:
    """Write `sheets/<worker>-<day>.html` (and `.pdf`, `.csv`), `calendars/<worker>.ics`,
    `overview-<day>.html` (and `.pdf`), `plan.geojson` and `plan-planner.geojson` under
    `out_dir`; the paths written. `workers` limits sheets and calendars to those workers
    (a re-planned day: only those whose day changed)."""
    legs = leg_paths(problem, plan, matrices) if matrices.paths is not None else None
    sheets = [s for s in sheets_for(problem, plan, legs, warning=warning)
              if workers is None or s.worker_id in workers]
    streets = town_streets(problem, matrices)
    written: list[Path] = []
    (out_dir / "sheets").mkdir(parents=True, exist_ok=True)
    (out_dir / "calendars").mkdir(parents=True, exist_ok=True)
    by_worker: dict[str, list[RouteSheet]] = defaultdict(list)
    for sheet in sheets:
        by_worker[sheet.worker_id].append(sheet)
        html = sheet_html(sheet, map_png=route_map_png(sheet, streets),
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
        document = plan_geojson(problem, plan, legs or {}, names=names)
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
