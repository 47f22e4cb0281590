"""Route sheets, phone calendars and GeoJSON of a checked plan on the real Chełm roads.

One small day on 2026-03-29 (the spring DST change in Poland) with Polish names and
addresses, a wheelchair user and a health note that must appear nowhere."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from shapely import Point, STRtree

from api.convert.scenario import parse_scenario
from api.render.geojson import plan_geojson
from api.render.ics import worker_calendar
from api.render.overview import REASON_PL, overview_html, route_segments
from api.render.sheet_html import html_pdf, sheet_html
from api.schemas.scenario import ScenarioIn
from api.services.deliver import UncheckedPlan, sheets_for, write_outputs
from api.services.planning import PlannedScenario, plan_scenario
from api.services.reading import leg_paths
from optimiser.model import Reason, Route, Stop
from optimiser.params import SolveParams

SECRET = "TAJNE: choroba Łukasza 7731"
PLACES = [("baza", "CUS Chełm, ul. Lubelska 1", 51.1335, 23.4712),
          ("dom-1", "ul. Śląska 4, Chełm", 51.1398, 23.4851),
          ("dom-2", "ul. Żółkiewskiego 12, Chełm", 51.1282, 23.4896),
          ("dom-3", "ul. Łąkowa 9, Chełm", 51.1361, 23.4603)]
NAMES = ["Zofia Wąsowska", "Łucja Gęś", "Jerzy Źdźbło"]


def _scenario() -> dict[str, Any]:
    return {
        "name": "Chełm — karty tras", "date": "2026-03-29",
        "locations": [{"id": i, "name": n, "lat": lat, "lon": lon} for i, n, lat, lon in PLACES],
        "providers": [{"id": "cus", "name": "CUS Chełm", "kind": "cus"}],
        "clients": [{"id": f"k{k}", "name": NAMES[k], "location": f"dom-{k + 1}",
                     "phone": f"+48 82 000 00{k}", "mobility": "wheelchair" if k == 1 else "walks",
                     "escort": k == 1, "health_note": SECRET} for k in range(3)],
        "workers": [{"id": "ewa", "name": "Ewa Żak", "provider": "cus", "skills": ["physio"],
                     "shifts": [{"start": "00:30", "end": "12:00"}], "start_location": "baza"}],
        "tasks": [{"id": f"v{k}", "kind": "visit", "client": f"k{k}", "duration_min": 45,
                   "skills": ["physio"], "note": "stół rehabilitacyjny",
                   "windows": [{"start": start, "end": end}]}
                  for k, (start, end) in enumerate([("01:00", "02:00"), ("03:00", "05:00"),
                                                    ("08:00", "10:00")])]
        + [{"id": "gaz", "kind": "job", "client": "k0", "duration_min": 30,
            "windows": [{"start": "14:00", "end": "16:00"}]}],  # after Ewa's shift: left out
    }


@pytest.fixture(scope="module")
def day(shared_file: Callable[[str], Path]) -> tuple[ScenarioIn, PlannedScenario]:
    graph = shared_file("osm/Chelm_map.graphml")
    scenario = parse_scenario(_scenario())
    planned = plan_scenario(scenario, base_dir=graph.parent, graph=str(graph),
                            params=SolveParams(time_limit_s=60, max_solutions=50, seed=0))
    assert not planned.violations
    assert sum(len(r.stops) for r in planned.plan.routes) == 3, planned.plan.unassigned
    return scenario, planned


def _legs(planned: PlannedScenario) -> dict[tuple[str, str], list[tuple[float, float]]]:
    return leg_paths(planned.problem, planned.plan, planned.matrices)


def test_the_pdf_sheet_lists_each_stop_in_order_with_polish_letters_intact(
        day: tuple[ScenarioIn, PlannedScenario]) -> None:
    _, planned = day
    [sheet] = sheets_for(planned.problem, planned.plan, _legs(planned))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        html_pdf(sheet_html(sheet)))).pages)
    text = " ".join(text.split())
    cal = planned.problem.calendar
    places = {i: n for i, n, _, _ in PLACES}
    position = 0
    for stop in planned.plan.routes[0].stops:
        client = planned.problem.task(stop.task_id).client_id
        k = int(str(client)[1:])
        for expected in (f"{cal.hhmm(stop.start_s)}–{cal.hhmm(stop.end_s)}", NAMES[k],
                         places[stop.location_id]):
            found = text.find(expected, position)
            assert found >= 0, f"{expected!r} missing after position {position}: {text}"
            position = found
    assert "Ewa Żak" in text and "wózek inwalidzki" in text and "z opiekunem" in text
    assert SECRET not in text and "7731" not in text


def test_nothing_written_carries_the_health_note(
        day: tuple[ScenarioIn, PlannedScenario], tmp_path: Path) -> None:
    _, planned = day
    written = write_outputs(planned.problem, planned.plan, planned.matrices, tmp_path)
    assert {p.suffix for p in written} == {".html", ".pdf", ".csv", ".ics", ".geojson"}
    for path in written:
        text = (" ".join(p.extract_text() for p in PdfReader(path).pages)
                if path.suffix == ".pdf" else path.read_text(encoding="utf-8"))
        assert "7731" not in text and "choroba" not in text, path
    planner = (tmp_path / "plan-planner.geojson").read_text(encoding="utf-8")
    for name in NAMES + ["Ewa Żak"]:
        assert name not in planner
    assert '"client"' not in planner
    stops = [f for f in json.loads(planner)["features"] if f["properties"]["type"] == "stop"]
    assert len(stops) == 3  # the stops and their times are there, but no client's home:
    assert all(f["geometry"] is None for f in stops)  # every stop here is at one


def test_the_phone_calendar_gives_the_plans_local_times_across_the_dst_change(
        day: tuple[ScenarioIn, PlannedScenario]) -> None:
    _, planned = day
    sheets = sheets_for(planned.problem, planned.plan, _legs(planned))
    events = [e for e in Calendar.from_ical(worker_calendar(sheets)).walk("VEVENT")
              if not str(e["summary"]).startswith("przerwa")]
    cal = planned.problem.calendar
    stops: list[Stop] = [s for r in planned.plan.routes for s in r.stops]
    assert len(events) == len(stops)
    offsets = set()
    for event, stop in zip(sorted(events, key=lambda e: e["dtstart"].dt), stops, strict=True):
        start: datetime = event["dtstart"].dt
        assert start.tzinfo is not None
        assert start.astimezone(cal.zone).isoformat() == cal.iso(stop.start_s)
        assert event["dtend"].dt.astimezone(cal.zone).isoformat() == cal.iso(stop.end_s)
        offsets.add(start.astimezone(cal.zone).utcoffset())
    assert len(offsets) == 2  # stops on both sides of 02:00 → 03:00


def test_each_geojson_route_follows_the_roads_from_stop_to_stop(
        day: tuple[ScenarioIn, PlannedScenario]) -> None:
    _, planned = day
    problem, matrices = planned.problem, planned.matrices
    document = json.loads(json.dumps(plan_geojson(problem, planned.plan, _legs(planned))))
    assert document["type"] == "FeatureCollection"
    lines = [f for f in document["features"] if f["geometry"]["type"] == "LineString"]
    points = [f for f in document["features"] if f["properties"]["type"] == "stop"]
    route: Route = planned.plan.routes[0]
    assert len(lines) == 1 and len(points) == len(route.stops)
    coords = lines[0]["geometry"]["coordinates"]
    base = problem.locations[problem.location_index("baza")]
    assert coords[0] == [base.lon, base.lat] and coords[-1] == [base.lon, base.lat]
    for point in points:
        assert point["geometry"]["coordinates"] in coords  # the line passes each stop
    assert matrices.paths is not None
    network = matrices.paths.network
    road = {(round(float(lo), 7), round(float(la), 7))
            for la, lo in zip(network.lat, network.lon, strict=True)}
    stops = {(round(c[0], 7), round(c[1], 7)) for c in
             [p["geometry"]["coordinates"] for p in points] + [coords[0]]}
    inner = [(round(c[0], 7), round(c[1], 7)) for c in coords]
    off_road = [c for c in inner if c not in road and c not in stops]
    assert len(inner) - len(off_road) >= 10, "too few road nodes to follow the streets"
    # Between road nodes the line follows a street's shape (osmnx edge geometry): each
    # other vertex lies on one of the graph's edge lines.
    streets = STRtree([g for g in network.edge_geometry if g is not None])
    for lon, lat in off_road:
        nearest = streets.geometries[streets.nearest(Point(lon, lat))]
        assert nearest.distance(Point(lon, lat)) < 1e-7, (lon, lat)


def test_a_plan_that_breaks_a_rule_is_never_rendered(
        day: tuple[ScenarioIn, PlannedScenario], tmp_path: Path) -> None:
    _, planned = day
    route = planned.plan.routes[0]
    late = route.stops[0]
    broken_stop = Stop(late.task_id, late.location_id, late.arrival_s, late.start_s + 7200,
                       late.end_s + 7200, late.action)  # out of its window
    broken = type(planned.plan)(routes=(type(route)(
        route.worker_id, route.shift_index, route.start_s, route.end_s,
        (broken_stop, *route.stops[1:]), route.breaks),), unassigned=planned.plan.unassigned)
    with pytest.raises(UncheckedPlan, match="independent check"):
        write_outputs(planned.problem, broken, planned.matrices, tmp_path)
    assert not any(tmp_path.iterdir())


def test_the_day_overview_lists_what_was_left_out_with_its_reason_in_polish(
        day: tuple[ScenarioIn, PlannedScenario]) -> None:
    _, planned = day
    [left] = planned.plan.unassigned
    assert left.reason is Reason.NO_AVAILABILITY
    html = overview_html(planned.problem, planned.plan, planned.problem.calendar.dates[0])
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        html_pdf(html))).pages).split())
    assert "Nieobsłużone (1)" in text and "gaz" in text
    assert " ".join(REASON_PL[Reason.NO_AVAILABILITY].split()) in text
    assert "Obsłużone: 3/4" in text


def test_the_timeline_shows_each_stop_once_inside_its_route(
        day: tuple[ScenarioIn, PlannedScenario]) -> None:
    _, planned = day
    for route in planned.plan.routes:
        pieces = route_segments(planned.problem, route)
        assert all(route.start_s <= a <= b <= route.end_s for a, b, _ in pieces)
        served = [(a, b) for a, b, kind in pieces if kind == "visit"]
        assert served == [(s.start_s, s.end_s) for s in route.stops]
        drives = sum(b - a for a, b, kind in pieces if kind == "drive")
        assert drives == sum(planned.problem.travel_s(x, y) for x, y in zip(
            ["baza"] + [s.location_id for s in route.stops],
            [s.location_id for s in route.stops] + ["baza"], strict=True))
