"""The day view's data: left-out tasks with a reason and a remedy in Polish, the day's
figures, timeline rows numbered as the GeoJSON numbers stops, bases and far places, and
the streets under the map."""

from __future__ import annotations

import dataclasses

import networkx as nx
import pytest

from api.render.day_view import day_view
from api.render.left_out import left_out_on
from api.render.streets import streets_geojson, town_box
from api.services.replanning import change_json
from geo.graph import prepare_graph
from geo.network import road_network
from geo.synthetic import grid_graph
from optimiser.model import Priority, Reason
from optimiser.params import SolveParams
from optimiser.replan import Event, EventKind, ReplanParams, replan
from optimiser.solve import solve
from tests.optimiser.tiny import H, problem, task, worker

PHYSIO = ("physio",)


def _day() -> tuple:
    p = problem([worker("cus-1", skills=PHYSIO, shifts=((8 * H, 15 * H),)),
                 worker("pes-1", skills=PHYSIO, provider="pes", shifts=((17 * H, 21 * H),))],
                [task("morning", 1, skills=PHYSIO, priority=Priority.HIGH),
                 task("evening", 2, skills=PHYSIO, windows=((17 * H, 20 * H),)),
                 task("afternoon", 3, skills=PHYSIO, windows=((15 * H, 17 * H),)),
                 task("electric", 1, skills=("electrics",)),
                 task("far", 13, skills=PHYSIO, windows=((8 * H, 14 * H),))],
                places=15)
    plan = solve(p, params=SolveParams(time_limit_s=5, max_solutions=50))
    return p, plan, p.calendar.first_date


def test_each_left_out_task_has_its_reason_and_what_would_let_it_in_in_polish() -> None:
    p, plan, day = _day()
    reasons = {u.task_id: u.reason for u in plan.unassigned}
    assert reasons == {"afternoon": Reason.NO_AVAILABILITY,
                       "electric": Reason.NO_SKILLED_WORKER}
    rows = {r.task: r for r in left_out_on(p, plan, day)}
    afternoon = rows["afternoon"]
    assert afternoon.windows == "15:00–17:00"
    assert afternoon.reason.startswith("żaden uprawniony pracownik nie pracuje")
    assert afternoon.hint == ("żaden fizjoterapeuta nie pracuje w godz. 15:00–17:00; "
                              "dodatkowa zmiana PES (PES) w godz. 15:00–17:00 mogłaby je "
                              "objąć")
    assert "elektryk" in rows["electric"].hint and rows["electric"].priority == "zwykły"


def test_without_a_pes_worker_the_remedy_names_a_shift_of_anyone_skilled() -> None:
    p = problem([worker("cus-1", skills=PHYSIO, shifts=((8 * H, 15 * H),))],
                [task("afternoon", 1, skills=PHYSIO, windows=((15 * H, 17 * H),))])
    plan = solve(p, params=SolveParams(time_limit_s=5, max_solutions=10))
    (row,) = left_out_on(p, plan, p.calendar.first_date)
    assert "zmiana pracownika (fizjoterapeuta) w godz. 15:00–17:00" in row.hint
    assert "(PES)" not in row.hint


def test_the_day_view_has_the_days_figures_rows_stops_and_far_places() -> None:
    p, plan, day = _day()
    view = day_view(p, plan, day)
    figures = view["figures"]
    assert (figures["served"], figures["tasks"]) == (3, 5)
    assert {b["priority"]: (b["served"], b["tasks"]) for b in figures["by_priority"]} == {
        "high": (1, 1), "normal": (2, 4)}
    # A hand-built problem has no goal, so no target (the CUS project's 35 %: tests/api/
    # test_one_rule.py); the day view says what the plan's figures say.
    assert figures["pes_share_target"] is None and figures["pes_share_met"] is None
    assert 0 < figures["pes_share"] < 1
    rows = {r["worker"]: r for r in view["rows"]}
    assert set(rows) == {"cus-1", "pes-1"} and rows["pes-1"]["pes"]
    stops = [s for r in view["rows"] for s in r["stops"]]
    for s in stops:  # numbered within the route, as GET /plans/{id}/geojson numbers them
        route = plan.routes[s["route"]]
        assert route.stops[s["number"] - 1].task_id == s["task"]
    assert {s["task"]: s["far"] for s in stops} == {"morning": False, "evening": False,
                                                    "far": True}
    kinds = {seg["kind"] for r in view["rows"] for seg in r["segments"]}
    assert {"drive", "visit", "idle"} <= kinds
    assert all(seg["end_min"] > seg["start_min"] for r in view["rows"] for seg in r["segments"])
    assert [b["workers"] for b in view["bases"]] == [["cus-1", "pes-1"]]  # one place
    hours = view["hours"]  # whole hours around everything drawn
    assert all(hours["from"] * 60 <= seg["start_min"] and seg["end_min"] <= hours["to"] * 60
               for r in view["rows"] for seg in r["segments"])
    assert hours["from"] == 8 and hours["to"] >= 18
    assert {t["task"] for t in view["left_out"]} == {"afternoon", "electric"}


def test_the_streets_are_each_street_once_inside_the_town() -> None:
    network = road_network(nx.freeze(prepare_graph(grid_graph(50.0, 20.0, half_size_m=2000,
                                                              spacing_m=200))))
    box = town_box([(50.0, 20.0), (50.002, 20.003), (51.0, 21.0)], [(50.0, 20.0)])
    assert box[2] < 50.01  # the far place does not stretch the town
    (feature,) = streets_geojson(network, box)["features"]
    lines = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "MultiLineString" and lines
    points = [pt for line in lines for pt in line]
    south, west, north, east = box
    assert all(west - 0.004 <= x <= east + 0.004 and south - 0.004 <= y <= north + 0.004
               for x, y in points)
    # straight grid streets merge and simplify to few points (not one per edge)
    edges_inside = sum(1 for _ in lines)
    assert len(points) < 4 * edges_inside
    with pytest.raises(ValueError, match="bases"):
        town_box([(50.0, 20.0)], [])


def test_a_replanned_day_marks_the_stops_that_changed_and_says_why_in_polish() -> None:
    p = problem([worker("cus-1", skills=PHYSIO, shifts=((8 * H, 15 * H),)),
                 worker("cus-2", skills=PHYSIO, shifts=((8 * H, 15 * H),))],
                [task(f"t{k}", k, skills=PHYSIO, windows=((9 * H, 14 * H),))
                 for k in range(1, 5)], places=6)
    published = solve(p, params=SolveParams(time_limit_s=5, max_solutions=50))
    sick = next(r.worker_id for r in published.routes if r.stops)
    now = 8 * H + 1800
    out = replan(p, published, [Event(EventKind.WORKER_UNAVAILABLE, sick, at_s=now)], now,
                 ReplanParams(solve=SolveParams(time_limit_s=5, max_solutions=50)))
    block = {"now": p.calendar.iso(now), "based_on": "plan-1",
             "changes": [change_json(p.calendar, c) for c in out.changes]}
    view = day_view(p, out.plan, p.calendar.first_date, block)
    changes = view["changes"]
    assert changes["now"] == "08:30" and changes["now_min"] == 8 * 60 + 30
    removed = [i for i in changes["items"] if i["change"] == "removed"]
    moved = {s.task_id for r in published.routes if r.worker_id == sick for s in r.stops}
    assert {i["task"] for i in removed} == moved and all(i["before"] for i in removed)
    other = next(w.name for w in p.workers if w.id != sick)
    assert all(i["reason"] == f"przekazany do: {other}" for i in removed)
    marked = {s["task"]: s["change"] for r in view["rows"] for s in r["stops"]}
    assert {t for t, c in marked.items() if c == "added"} == moved
    assert day_view(p, published, p.calendar.first_date)["changes"] is None


def test_a_task_left_out_because_its_client_is_on_a_trip_says_so_in_polish() -> None:
    from optimiser.model import Client
    from tests.optimiser.tiny import bus, trip

    visit = dataclasses.replace(task("v", 1, skills=PHYSIO, windows=((10 * H, 12 * H),)),
                                client_id="c1")
    ride = dataclasses.replace(trip("ride", 1, 5, pickup_windows=((9 * H, 10 * H),),
                                    priority=Priority.HIGH), client_id="c1")
    p = problem([worker("cus-1", skills=PHYSIO),
                 worker("driver", skills=("driving",), vehicle="bus")], [visit, ride],
                vehicles=(bus(),), clients=(Client("c1", "Zofia", "p1"),))
    plan = solve(p, params=SolveParams(time_limit_s=5, max_solutions=30))
    (row,) = left_out_on(p, plan, p.calendar.first_date)
    assert row.task == "v" and row.reason.startswith("klient jest wtedy gdzie indziej")
    assert row.hint.startswith("klient jest wtedy gdzie indziej (ride ")
