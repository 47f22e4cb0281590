"""Every output names each stop's own place and time, and lists stops and breaks in time
order: the demo day (data/scenarios/starachowice_day.json) planned once, each output
rendered and read back (the sheet's PDF with pypdf, its CSV, the phone calendar with
icalendar, the GeoJSON, the phone page's JSON, the day view's timeline data) and compared
stop by stop with the plan. The senior bus takes clients to clinics and a day centre:
a drop-off or pickup there must name the clinic, never the client's home."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from api.convert.plan_document import name_places, plan_document
from api.convert.scenario import parse_scenario
from api.render.day_view import day_view
from api.render.geojson import plan_geojson
from api.render.ics import worker_calendar
from api.render.sheet_csv import sheet_csv
from api.render.sheet_html import html_pdf, sheet_html
from api.schemas.scenario import ScenarioIn
from api.services.deliver import sheets_for
from api.services.planning import PlannedScenario, plan_scenario
from api.services.reading import leg_paths
from api.store.plans import routes_of
from optimiser.breaks import with_breaks_placed
from optimiser.check import check
from optimiser.model import Plan, Problem, Route, StopAction, TaskKind
from optimiser.params import SolveParams
from tests.optimiser.break_checks import assert_not_needlessly_early


def legs_of(planned: PlannedScenario, plan: Plan) -> dict[tuple[str, str],
                                                        list[tuple[float, float]]]:
    return leg_paths(planned.problem, plan, planned.matrices)


DEMO = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "starachowice_day.json"

Demo = tuple[dict[str, Any], ScenarioIn, PlannedScenario, Plan]


@pytest.fixture(scope="module")
def demo() -> Demo:
    raw = json.loads(DEMO.read_text(encoding="utf-8"))
    # The outputs are under test, not the road network: the demo's own generated grid,
    # without first trying to download Starachowice.
    raw["network"] = {k: v for k, v in raw["network"].items() if k != "source"}
    scenario = parse_scenario(raw)
    planned = plan_scenario(scenario, base_dir=DEMO.parent,
                            params=SolveParams(time_limit_s=120, max_solutions=30, seed=0))
    plan = with_breaks_placed(planned.problem, planned.plan)  # a no-op once solve places them
    assert check(planned.problem, plan) == []
    return raw, scenario, planned, plan


def _place(problem: Problem, location_id: str) -> str:
    place = problem.locations[problem.location_index(location_id)]
    return place.name or place.id


def _expected(problem: Problem, route: Route) -> list[tuple[str, int, int, str]]:
    """("stop" or "break", start, end, place name or "") of a route, in time order."""
    items = [("stop", s.start_s, s.end_s, _place(problem, s.location_id)) for s in route.stops]
    items += [("break", b.start_s, b.end_s, "") for b in route.breaks]
    return sorted(items, key=lambda item: item[1])


def _words(text: str) -> str:
    """Text with its line breaks gone (a narrow column wraps "Skarżysko-Kamienna")."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def _routes_of(problem: Problem, plan: Plan, worker_id: str) -> list[Route]:
    return sorted((r for r in plan.routes if r.worker_id == worker_id), key=lambda r: r.start_s)


def test_the_demo_bus_stops_at_clinics_and_the_day_has_breaks(demo: Demo) -> None:
    _, _, planned, plan = demo
    problem = planned.problem
    homes = {c.location_id for c in problem.clients}
    away = [s for r in plan.routes for s in r.stops
            if problem.task(s.task_id).kind is TaskKind.TRIP and s.location_id not in homes]
    assert len(away) >= 4  # clinics, the day centre, Kielce: the places the outputs must name
    assert sum(len(r.breaks) for r in plan.routes) >= 1


def test_breaks_on_the_demo_day_are_not_needlessly_at_the_start(demo: Demo) -> None:
    _, _, planned, plan = demo
    for route in plan.routes:
        for pause in route.breaks:
            assert_not_needlessly_early(planned.problem, plan, route, pause)


def test_the_sheet_pdf_names_each_stops_place_and_time_in_time_order(demo: Demo) -> None:
    _, _, planned, plan = demo
    problem, cal = planned.problem, planned.problem.calendar
    sheets = sheets_for(problem, plan, legs_of(planned, plan))
    assert len(sheets) == len({r.worker_id for r in plan.routes})  # one a worker's day
    for sheet in sheets:
        pdf = html_pdf(sheet_html(sheet))
        text = _words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
        position = 0
        for route in _routes_of(problem, plan, sheet.worker_id):
            for what, start, end, place in _expected(problem, route):
                for expected in (f"{cal.hhmm(start)}–{cal.hhmm(end)}",
                                 _words(place) if place else "przerwa"):
                    found = text.find(expected, position)
                    assert found >= 0, (sheet.worker_id, what, expected, text[position:][:300])
                    position = found


def test_the_sheet_csv_has_one_row_a_stop_or_break_with_its_place_in_time_order(
        demo: Demo) -> None:
    _, _, planned, plan = demo
    problem, cal = planned.problem, planned.problem.calendar
    for sheet in sheets_for(problem, plan, legs_of(planned, plan)):
        rows = list(csv.DictReader(io.StringIO(sheet_csv(sheet).decode("utf-8-sig")),
                                   delimiter=";"))
        expected = [item for r in _routes_of(problem, plan, sheet.worker_id)
                    for item in _expected(problem, r)]
        assert [(r["co"] == "przerwa", r["od"], r["do"], r["miejsce"]) for r in rows] == [
            (what == "break", cal.hhmm(start), cal.hhmm(end), place)
            for what, start, end, place in expected]


def test_the_phone_calendar_puts_each_stop_at_its_place_and_time_in_time_order(
        demo: Demo) -> None:
    _, _, planned, plan = demo
    problem, cal = planned.problem, planned.problem.calendar
    for sheet in sheets_for(problem, plan, legs_of(planned, plan)):
        events = Calendar.from_ical(worker_calendar([sheet])).walk("VEVENT")
        expected = [item for r in _routes_of(problem, plan, sheet.worker_id)
                    for item in _expected(problem, r)]
        got = [(str(e["summary"]) == "przerwa", e["dtstart"].dt.astimezone(cal.zone).isoformat(),
                e["dtend"].dt.astimezone(cal.zone).isoformat(), str(e.get("location", "")))
               for e in events]
        assert got == [(what == "break", cal.iso(start), cal.iso(end), place)
                       for what, start, end, place in expected]


def test_the_geojson_puts_each_stop_at_its_place_and_time_in_time_order(demo: Demo) -> None:
    _, _, planned, plan = demo
    problem, cal = planned.problem, planned.problem.calendar
    document = json.loads(json.dumps(plan_geojson(problem, plan, legs_of(planned, plan))))
    for k, route in enumerate(plan.routes):
        features = [f for f in document["features"]
                    if f["properties"]["route"] == k and f["properties"]["type"] != "route"]
        got = [(f["properties"]["type"], f["properties"]["start"], f["properties"]["end"],
                f["properties"].get("place", "")) for f in features]
        assert got == [(what, cal.iso(start), cal.iso(end), place)
                       for what, start, end, place in _expected(problem, route)]
        for feature, stop in zip([f for f in features if f["properties"]["type"] == "stop"],
                                 route.stops, strict=True):
            place = problem.locations[problem.location_index(stop.location_id)]
            assert feature["geometry"]["coordinates"] == [place.lon, place.lat]


def test_the_phone_page_json_names_each_stops_own_place(demo: Demo) -> None:
    raw, _, planned, plan = demo
    problem, cal = planned.problem, planned.problem.calendar
    document = plan_document(problem, plan, violations=[], network={}, solver={})
    day = cal.first_date
    for worker in problem.workers:
        routes = routes_of(document, worker.id, day)
        older = json.loads(json.dumps(routes))  # a document written before `place`
        for route in older:
            for stop in route["stops"]:
                del stop["place"]
        name_places(older, raw)
        for served, via_snapshot, route in zip(routes, older,
                                               _routes_of(problem, plan, worker.id),
                                               strict=True):
            want = [(cal.iso(s.start_s), _place(problem, s.location_id)) for s in route.stops]
            assert [(s["start"], s["place"]) for s in served["stops"]] == want
            assert [(s["start"], s["place"]) for s in via_snapshot["stops"]] == want
            assert [b["start"] for b in served["breaks"]] == [cal.iso(b.start_s)
                                                              for b in route.breaks]


def test_the_timeline_data_names_each_stops_place_and_draws_breaks_in_time_order(
        demo: Demo) -> None:
    _, _, planned, plan = demo
    problem, cal = planned.problem, planned.problem.calendar
    view = day_view(problem, plan, cal.first_date)
    for row in view["rows"]:
        routes = _routes_of(problem, plan, row["worker"])  # a split shift: two routes
        assert [(s["start"], s["end"], s["address"]) for s in row["stops"]] == [
            (cal.hhmm(s.start_s), cal.hhmm(s.end_s), _place(problem, s.location_id))
            for route in routes for s in route.stops]
        pieces = row["segments"]
        assert pieces[0]["kind"] == "idle"
        starts = [p["start_min"] for p in pieces[1:]]
        assert starts == sorted(starts)
        assert [(p["from"], p["to"]) for p in pieces if p["kind"] == "break"] == [
            (cal.hhmm(b.start_s), cal.hhmm(b.end_s)) for route in routes for b in route.breaks]
        # Each route's idle time at the base lies under its pieces (a split shift: two).
        drawn = [p for p in pieces if p["kind"] != "idle" and p["end_min"] > p["start_min"]]
        for a, b in zip(drawn, drawn[1:], strict=False):
            assert a["end_min"] <= b["start_min"] + 1e-9, (row["worker"], a, b)


def test_a_trip_stop_away_from_home_is_never_shown_at_the_clients_home(demo: Demo) -> None:
    _, _, planned, plan = demo
    problem = planned.problem
    homes = {c.id: c.location_id for c in problem.clients}
    rows = {(r.task, r.what): r for s in sheets_for(problem, plan, legs_of(planned, plan))
            for r in s.stops}
    what = {StopAction.PICKUP: "odbiór", StopAction.DROPOFF: "wysiadanie"}
    away = [(s, problem.task(s.task_id)) for r in plan.routes for s in r.stops
            if problem.task(s.task_id).kind is TaskKind.TRIP
            and s.location_id != homes.get(problem.task(s.task_id).client_id or "")]
    assert away
    for stop, task in away:
        row = rows[(task.id, what[stop.action])]
        assert row.address == _place(problem, stop.location_id)
        assert row.address != _place(problem, homes[task.client_id or ""])
