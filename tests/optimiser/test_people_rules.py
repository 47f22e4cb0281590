"""People's rules: a client is in one place at a time, a trip pair is served both or
neither, a return starts where its outbound ended. In the model (the search keeps them),
in the checker (its own rule, catching doctored plans) and in the reasons."""

from __future__ import annotations

import dataclasses

import pytest

from optimiser.check import check
from optimiser.model import (
    Client,
    Plan,
    Priority,
    Problem,
    ProblemError,
    Reason,
    Stop,
    StopAction,
    Task,
    Unassigned,
)
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import H, bus, problem, task, trip, worker

BUDGET = SolveParams(time_limit_s=60, max_solutions=60)
CLIENTS = (Client("c1", "Zofia", "p1"), Client("c2", "Henryk", "p2"))


def _of(client: str, t: Task) -> Task:
    return dataclasses.replace(t, client_id=client)


def _day(*tasks: Task) -> Problem:
    workers = [worker("physio", skills=("physio",)),
               worker("driver", skills=("driving",), vehicle="bus", shifts=((6 * H, 18 * H),))]
    return problem(workers, list(tasks), places=6, vehicles=(bus(),), clients=CLIENTS)


def _visit(id: str = "v", windows: tuple[tuple[int, int], ...] = ((8 * H, 16 * H),),
           priority: Priority = Priority.NORMAL) -> Task:
    return _of("c1", dataclasses.replace(task(id, 1, service_s=H, windows=windows,
                                              priority=priority),
                                         required_skills=frozenset({"physio"})))


def _clinic_pair(priority: Priority = Priority.NORMAL) -> tuple[Task, Task]:
    """c1 from home (p1) to the clinic (p5) by 10:00 and back after a 2 h appointment."""
    out = _of("c1", trip("out", 1, 5, pickup_windows=((8 * H, 10 * H),),
                         dropoff_windows=((9 * H, 10 * H),), priority=priority))
    back = _of("c1", trip("back", 5, 1, pickup_windows=((10 * H, 16 * H),), return_of="out",
                          appointment_s=2 * H, priority=priority))
    return out, back


def _stops(plan: Plan) -> dict[tuple[str, StopAction], Stop]:
    return {(s.task_id, s.action): s for r in plan.routes for s in r.stops}


def test_a_home_visit_is_planned_outside_the_clients_trip() -> None:
    p = _day(_visit(), *_clinic_pair())
    plan = solve(p, params=BUDGET)
    assert not check(p, plan)
    stops = _stops(plan)
    assert {("v", StopAction.SERVE), ("out", StopAction.PICKUP), ("back", StopAction.DROPOFF)
            } <= set(stops), "all three fit: the visit before or after the clinic"
    visit, away = stops[("v", StopAction.SERVE)], (stops[("out", StopAction.PICKUP)].start_s,
                                                    stops[("back", StopAction.DROPOFF)].end_s)
    assert visit.end_s <= away[0] or visit.start_s >= away[1]


def test_a_visit_that_can_only_be_during_the_trip_is_left_out_with_the_trip_named() -> None:
    p = _day(_visit(windows=((10 * H, 12 * H),), priority=Priority.LOW),
             *_clinic_pair(Priority.HIGH))
    plan = solve(p, params=BUDGET)
    assert not check(p, plan)
    reasons = {u.task_id: u for u in plan.unassigned}
    assert set(reasons) == {"v"}
    assert reasons["v"].reason is Reason.CLIENT_ELSEWHERE and "out" in reasons["v"].detail


def test_two_visits_of_one_client_do_not_overlap() -> None:
    # Two workers could each start at 9:00; the client can have one of them at a time.
    p = _day(_visit("v1", windows=((9 * H, 11 * H),)),
             dataclasses.replace(_visit("v2", windows=((9 * H, 11 * H),)),
                                 required_skills=frozenset({"driving"})))
    plan = solve(p, params=BUDGET)
    assert not check(p, plan)
    a, b = (_stops(plan)[(t, StopAction.SERVE)] for t in ("v1", "v2"))
    assert a.end_s <= b.start_s or b.end_s <= a.start_s


def test_a_trip_without_return_keeps_the_client_away_for_the_rest_of_the_day() -> None:
    one_way = _of("c1", trip("one-way", 1, 5, pickup_windows=((9 * H, 10 * H),),
                             priority=Priority.HIGH))
    p = _day(_visit(windows=((12 * H, 16 * H),)), one_way)
    plan = solve(p, params=BUDGET)
    assert not check(p, plan)
    assert [u.task_id for u in plan.unassigned] == ["v"]


def test_the_checker_catches_a_client_at_home_while_on_the_bus() -> None:
    out, back = _clinic_pair()
    p = _day(_visit(), out, back)
    plan = solve(p, params=BUDGET)
    stops = _stops(plan)
    start = stops[("out", StopAction.PICKUP)].end_s  # doctored: the visit while on the bus
    doctored = dataclasses.replace(plan, routes=tuple(
        dataclasses.replace(r, stops=tuple(
            dataclasses.replace(s, arrival_s=start, start_s=start, end_s=start + H)
            if s.task_id == "v" else s for s in r.stops)) for r in plan.routes))
    found = [v for v in check(p, doctored) if v.rule == "client_elsewhere"]
    assert found and "'c1'" in found[0].message and set(found[0].tasks) == {"v", "out"}


def test_the_checker_catches_an_outbound_served_without_its_return() -> None:
    out, back = _clinic_pair()
    p = _day(out, back)
    plan = solve(p, params=BUDGET)
    assert not check(p, plan) and "back" in {s.task_id for r in plan.routes for s in r.stops}
    half = dataclasses.replace(plan, routes=tuple(
        dataclasses.replace(r, stops=tuple(s for s in r.stops if s.task_id != "back"),
                            end_s=r.end_s) for r in plan.routes),
        unassigned=(*plan.unassigned, Unassigned("back", Reason.CAPACITY_EXHAUSTED)))
    found = [v for v in check(p, half) if v.rule == "trip_pair"]
    assert found and found[0].tasks == ("out",)


def test_a_return_must_pick_up_where_its_outbound_dropped_off() -> None:
    out = _of("c1", trip("out", 1, 5))
    back = _of("c1", trip("back", 1, 2, return_of="out"))
    with pytest.raises(ProblemError, match="'back'.*where its outbound 'out' dropped off"):
        _day(out, back)


def test_a_pair_whose_return_cannot_be_served_is_left_out_whole() -> None:
    out = _of("c1", trip("out", 1, 5, pickup_windows=((8 * H, 10 * H),)))
    back = _of("c1", trip("back", 5, 1, pickup_windows=((20 * H, 22 * H),), return_of="out"))
    p = _day(out, back)
    plan = solve(p, params=BUDGET)
    assert not plan.routes or not any(s.task_id == "out" for r in plan.routes for s in r.stops)
    reasons = {u.task_id: u.reason for u in plan.unassigned}
    assert reasons["out"] is Reason.TRIP_PAIR and reasons["back"] is Reason.NO_AVAILABILITY


def test_a_high_priority_pair_beats_two_normal_rides_that_hold_the_bus() -> None:
    """The pair keeps the bus busy from 7 to 12; two normal rides want it at 8 and 10."""
    far_out = _of("c1", trip("far", 1, 5, pickup_windows=((7 * H, 8 * H),),
                             priority=Priority.HIGH))
    far_back = _of("c1", trip("far-back", 5, 1, pickup_windows=((10 * H, 11 * H),),
                              return_of="far", appointment_s=H, priority=Priority.HIGH))
    rides = [_of("c2", trip(f"ride{i}", 2, 3, pickup_windows=((h * H, h * H + 600),)))
             for i, h in enumerate((8, 10))]
    p = _day(far_out, far_back, *rides)
    for seed in range(3):
        plan = solve(p, params=dataclasses.replace(BUDGET, seed=seed))
        served = {s.task_id for r in plan.routes for s in r.stops}
        assert {"far", "far-back"} <= served, seed
        assert not check(p, plan)


def test_a_high_visit_wins_over_a_normal_one_way_ride_of_the_same_client() -> None:
    """The ride would keep the client away for the rest of the day: one of the two goes."""
    one_way = _of("c1", trip("one-way", 1, 5, pickup_windows=((9 * H, 10 * H),)))
    p = _day(_visit(windows=((12 * H, 16 * H),), priority=Priority.HIGH), one_way)
    plan = solve(p, params=BUDGET)
    assert not check(p, plan)
    assert "v" in {s.task_id for r in plan.routes for s in r.stops}
    assert [(u.task_id, u.reason) for u in plan.unassigned] == [
        ("one-way", Reason.CLIENT_ELSEWHERE)]


def test_a_way_home_entered_as_a_trip_of_its_own_ends_the_day_centre_stay() -> None:
    """Out to the day centre in the morning and home in the afternoon, two unlinked trips:
    both are served, and a home visit fits only before or after, never in between."""
    there = _of("c1", trip("centre", 1, 4, pickup_windows=((8 * H, 9 * H),)))
    home = _of("c1", trip("centre-home", 4, 1, pickup_windows=((13 * H, 14 * H),)))
    p = _day(there, home, _visit(windows=((10 * H, 16 * H),)))
    plan = solve(p, params=BUDGET)
    assert not check(p, plan)
    stops = _stops(plan)
    assert {("centre", StopAction.PICKUP), ("centre-home", StopAction.DROPOFF),
            ("v", StopAction.SERVE)} <= set(stops)
    assert stops[("v", StopAction.SERVE)].start_s >= stops[("centre-home",
                                                            StopAction.DROPOFF)].end_s
    start = stops[("centre", StopAction.DROPOFF)].end_s + H  # doctored: during the stay
    doctored = dataclasses.replace(plan, routes=tuple(
        dataclasses.replace(r, stops=tuple(
            dataclasses.replace(s, arrival_s=start, start_s=start, end_s=start + H)
            if s.task_id == "v" else s for s in r.stops)) for r in plan.routes))
    assert any(v.rule == "client_elsewhere" and set(v.tasks) == {"v", "centre"}
               for v in check(p, doctored))
