"""One rule, one answer: every output of the same plan agrees on a route's day (a night
shift included), on the PES share (on the same basis and target) and on the order of the
tasks left out (`optimiser.rules`)."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest

from api.convert.plan_document import plan_document
from api.render.day_view import day_figures, day_routes
from api.render.left_out import left_out_on
from api.render.overview import left_out
from api.render.report import monthly_report
from api.render.route_sheet import route_sheets
from api.store.plans import routes_of
from optimiser.calendar import Calendar
from optimiser.kpi import kpis, plan_pes_share
from optimiser.model import (
    CUS_PROJECT_GOALS,
    Plan,
    Priority,
    Problem,
    Reason,
    Route,
    Stop,
    StopAction,
    Unassigned,
)
from optimiser.rules import PASSENGER_HOURS, WORKER_HOURS, route_day, unserved_order
from tests.optimiser.tiny import STEP_S, H, bus, problem, task, trip, worker

FIRST = date(2026, 11, 2)  # a Monday; Warsaw is UTC+1 all week
CALENDAR = Calendar(FIRST, 2, "Europe/Warsaw")



def _document(p: Problem, plan: Plan) -> dict:
    return plan_document(p, plan, violations=[], network={}, solver={})


def _night() -> tuple[Problem, Plan]:
    """A night shift 22:00-06:00 from the first day; its one visit at 01:00 the next
    morning, so the worker leaves the base at 00:50, on the second date."""
    p = problem([worker("night", shifts=((22 * H, 30 * H),))],
                [task("late", 1, windows=((25 * H, 26 * H),))], calendar=CALENDAR)
    visit = Stop("late", "p1", 25 * H, 25 * H, 25 * H + 1800)
    route = Route("night", 0, 25 * H - STEP_S, 25 * H + 1800 + STEP_S, (visit,))
    return p, Plan(routes=(route,), unassigned=())


def test_a_night_shift_route_belongs_to_the_day_its_shift_starts_in_every_output() -> None:
    p, plan = _night()
    (route,) = plan.routes
    assert p.calendar.date_of(route.start_s) == FIRST.replace(day=3)  # leaves after midnight
    assert route_day(p, route) == FIRST
    assert day_routes(p, plan, FIRST) == [(0, route)]  # the day view
    (sheet,) = route_sheets(p, plan, None)
    assert sheet.day == FIRST  # the worker's sheet
    document = _document(p, plan)
    assert document["routes"][0]["day"] == FIRST.isoformat()
    assert len(routes_of(document, "night", FIRST)) == 1  # a worker's day from the store
    report = monthly_report([("night.json", document)], "2026-11")
    assert [d.routes for d in report.days[1:3]] == [1, 0]  # the EU report


def _pes_and_cus(goals: object = None) -> tuple[Problem, Plan]:
    """A CUS physiotherapist's visit (1 h) and a PES bus taking two passengers on one
    ride (boarding 2 min each, 20 min on board together, alighting 2 min each)."""
    extra = {} if goals is None else {"goals": goals}
    p = problem([worker("cus-1", shifts=((8 * H, 16 * H),)),
                 worker("pes-1", skills=("driving",), provider="pes", vehicle="bus",
                        shifts=((8 * H, 16 * H),))],
                [task("visit", 1, service_s=H),
                 trip("a", 2, 4, board_s=120, alight_s=120),
                 trip("b", 2, 4, board_s=120, alight_s=120)],
                vehicles=(bus(),), calendar=CALENDAR, **extra)
    visit = Route("cus-1", 0, 9 * H - STEP_S, 10 * H + STEP_S,
                  (Stop("visit", "p1", 9 * H, 9 * H, 10 * H),))
    t0 = 9 * H
    ride = (Stop("a", "p2", t0, t0, t0 + 120, StopAction.PICKUP),
            Stop("b", "p2", t0 + 120, t0 + 120, t0 + 240, StopAction.PICKUP),
            Stop("a", "p4", t0 + 1440, t0 + 1440, t0 + 1560, StopAction.DROPOFF),
            Stop("b", "p4", t0 + 1560, t0 + 1560, t0 + 1680, StopAction.DROPOFF))
    drive = Route("pes-1", 0, t0 - 2 * STEP_S, t0 + 1680 + 4 * STEP_S, ride)
    return p, Plan(routes=(visit, drive), unassigned=())


def test_the_pes_share_of_a_plan_is_one_figure_on_one_basis_and_target() -> None:
    p, plan = _pes_and_cus()
    worker_hours = plan_pes_share(p, plan.routes, WORKER_HOURS)
    assert worker_hours.share == pytest.approx(480 / (3600 + 480))
    figures = kpis(p, plan)
    day = day_figures(p, plan, FIRST)
    # A plan without a goal has no target, on the day view as in the plan's figures:
    assert day["pes_share_target"] is figures.pes_share_target is None
    assert day["pes_share_met"] is figures.pes_share_met is None
    assert worker_hours.share is not None
    assert day["pes_share"] == figures.pes_share == round(worker_hours.share, 4)
    # The EU report counts passenger-hours on purpose: the same plan on that basis.
    passengers = plan_pes_share(p, plan.routes, PASSENGER_HOURS)
    assert passengers.pes_s == 1560 + (1680 - 120)  # each from boarding to alighting
    report = monthly_report([("plan.json", _document(p, plan))], "2026-11")
    assert report.pes_share == pytest.approx(passengers.share)
    assert report.pes_service_s == passengers.pes_s


def test_a_plan_with_the_cus_projects_goal_shows_that_target_on_the_day_view() -> None:
    p, plan = _pes_and_cus(CUS_PROJECT_GOALS)
    day = day_figures(p, plan, FIRST)
    assert day["pes_share_target"] == kpis(p, plan).pes_share_target == pytest.approx(0.35)
    assert day["pes_share_met"] is False  # 480 s of 4080 s


def test_every_list_of_left_out_tasks_is_in_one_order() -> None:
    tasks = [task("low", 1, priority=Priority.LOW, windows=((8 * H, 9 * H),)),
             task("normal-late", 2, windows=((14 * H, 15 * H),)),
             task("must", 3, mandatory=True, priority=Priority.LOW, windows=((9 * H, 10 * H),)),
             task("urgent", 4, priority=Priority.URGENT, windows=((12 * H, 13 * H),)),
             task("normal-early", 5, windows=((10 * H, 11 * H),))]
    p = problem([worker()], tasks, calendar=CALENDAR)
    plan = Plan(routes=(), unassigned=tuple(
        Unassigned(t.id, Reason.CAPACITY_EXHAUSTED) for t in tasks))
    ranked = ["must", "urgent", "normal-early", "normal-late", "low"]
    assert [u.task_id for u in unserved_order(p, plan.unassigned)] == ranked
    assert [r.task for r in left_out(p, plan)] == ranked  # the overview
    assert [r.task for r in left_out_on(p, plan, FIRST)] == ranked  # the day view
    assert [u["task"] for u in _document(p, plan)["unassigned"]] == ranked  # the document


def test_a_passenger_hours_share_of_what_was_delivered_stops_at_the_moment() -> None:
    p, plan = _pes_and_cus()
    by = 9 * H + 600  # ten minutes into the visit and the ride
    delivered = plan_pes_share(p, plan.routes, dataclasses.replace(PASSENGER_HOURS,
                                                                   delivered_by=by))
    assert (delivered.pes_s, delivered.service_s) == (600 + 480, 600 + 480 + 600)
    assert np.isclose(delivered.share, 1080 / 1680)
