"""The coordinator's day at a glance: a timeline of every worker and what was left out.

`day_timeline_png` draws one row per route (matplotlib, Agg): driving, waiting, time at
a client (by kind), breaks, and idle time at the base before and after; hours on the
x axis in local time. `overview_html` puts it on one A4 landscape page (Jinja2, PDF
through `sheet_html.html_pdf`) with the key figures and the unassigned tasks with
their reasons in Polish (and the detail the planner gives, e.g. who holds the slot).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 (the backend is chosen first)
from matplotlib.patches import Patch  # noqa: E402

from api.render.charts import decimal_commas  # noqa: E402
from api.render.numbers import short_date  # noqa: E402
from api.render.reasons import PRIORITIES, REASONS, detail_text  # noqa: E402
from api.render.sheet_html import template  # noqa: E402
from api.render.words import N_, Translated, warning_text  # noqa: E402
from api.render.words import gettext as _  # noqa: E402
from optimiser.kpi import kpis  # noqa: E402
from optimiser.model import Plan, Problem, Route, TaskKind  # noqa: E402
from optimiser.rules import routes_on, unserved_order  # noqa: E402

REASON_PL = Translated(REASONS)  # the reason, the priority, the detail as people read them
PRIORITY_PL = Translated(PRIORITIES)
detail_pl = detail_text
COLOURS = {"drive": "#e67e22", "wait": "#f4d03f", TaskKind.VISIT: "#2e86c1",
           TaskKind.JOB: "#27ae60", TaskKind.TRIP: "#8e44ad", "break": "#7f8c8d",
           "idle": "#e5e7e9"}
LABELS = Translated({"drive": N_("driving"), "wait": N_("waiting"), TaskKind.VISIT: N_("visit"),
                     TaskKind.JOB: N_("job"), TaskKind.TRIP: N_("ride (boarding, alighting)"),
                     "break": N_("break"), "idle": N_("at the base / free")})


@dataclass(frozen=True)
class LeftOut:
    task: str
    priority: str
    reason: str
    detail: str


def left_out(problem: Problem, plan: Plan) -> list[LeftOut]:
    """The plan's unassigned tasks, most important first (`optimiser.rules.unserved_order`)."""
    return [LeftOut(u.task_id, PRIORITY_PL[problem.task(u.task_id).priority.name.lower()],
                    REASON_PL[u.reason], detail_pl(u.detail))
            for u in unserved_order(problem, plan.unassigned)]


def route_segments(problem: Problem, route: Route) -> list[tuple[int, int, str]]:
    """(start_s, end_s, kind) pieces of a route: idle first (under everything), then the
    drives, waits, stops and breaks in time order (a wait is cut where a break sits in it)."""
    worker = problem.worker(route.worker_id)
    pieces: list[tuple[int, int, str]] = []
    breaks = sorted((b.start_s, b.end_s) for b in route.breaks)
    previous = worker.start_location_id
    for stop in route.stops:
        travel = problem.travel_s(previous, stop.location_id)
        pieces.append((stop.arrival_s - travel, stop.arrival_s, "drive"))
        pieces += [(a, b, "wait") for a, b in _outside(stop.arrival_s, stop.start_s, breaks)]
        pieces.append((stop.start_s, stop.end_s, problem.task(stop.task_id).kind))
        previous = stop.location_id
    if route.stops:
        last = route.stops[-1].end_s
        pieces.append((last, last + problem.travel_s(previous, worker.end_location_id),
                       "drive"))
    pieces += [(a, b, "break") for a, b in breaks]
    return [(route.start_s, route.end_s, "idle"), *sorted(pieces, key=lambda p: (p[0], p[1]))]


def _outside(start_s: int, end_s: int, breaks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [start_s, end_s] no break covers."""
    parts, cursor = [], start_s
    for a, b in breaks:
        if b <= cursor or a >= end_s:
            continue
        if a > cursor:
            parts.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end_s:
        parts.append((cursor, end_s))
    return parts


def day_timeline_png(problem: Problem, plan: Plan, day: date, *, dpi: int = 150) -> bytes:
    cal = problem.calendar
    routes = sorted((r for _, r in routes_on(problem, plan.routes, day)),
                    key=lambda r: (r.worker_id, r.start_s))
    rows = sorted({r.worker_id for r in routes})
    midnight = cal.at(day, 0)
    fig, ax = plt.subplots(figsize=(27.7 / 2.54, max(4.0, 1.0 + 0.55 * len(rows)) / 2.54 * 2.2),
                           dpi=dpi)
    for route in routes:
        y = rows.index(route.worker_id)
        for start, end, kind in route_segments(problem, route):
            if end > start:
                height = 0.7 if kind != "idle" else 0.35
                ax.barh(y, (end - start) / 3600, left=(start - midnight) / 3600, height=height,
                        color=COLOURS[kind], edgecolor="none")
    first = min((r.start_s for r in routes), default=midnight + 7 * 3600)
    last = max((r.end_s for r in routes), default=midnight + 17 * 3600)
    ax.set_xlim(max(0, (first - midnight) // 3600), min(24, -(-(last - midnight) // 3600)))
    ax.set_yticks(range(len(rows)), [problem.worker(w).name for w in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(_("hour (local time)"))
    ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(1))
    ax.grid(axis="x", color="#cccccc", lw=0.5)
    ax.set_axisbelow(True)
    ax.legend(handles=[Patch(color=COLOURS[k], label=LABELS[k]) for k in COLOURS],
              loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=7, fontsize=7,
              frameon=False)
    ax.set_title(_("Day plan {day}: who, what and when").format(day=short_date(day)), fontsize=10,
                 loc="left")
    fig.tight_layout()
    out = io.BytesIO()
    decimal_commas(fig).savefig(out, format="png", dpi=dpi)
    plt.close(fig)
    return out.getvalue()


def overview_html(problem: Problem, plan: Plan, day: date, *, warning: str = "") -> str:
    figures = kpis(problem, plan)
    return template("day_overview.html.j2").render(
        day=day, warning=warning_text(warning), name=problem.name, figures=figures,
        priority=PRIORITY_PL, left_out=left_out(problem, plan),
        timeline=base64.b64encode(day_timeline_png(problem, plan, day)).decode())
