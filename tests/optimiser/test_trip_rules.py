"""Senior-bus trips: one small scenario per rule; each fails if the rule is not modelled."""

from __future__ import annotations

from optimiser.check import check
from optimiser.kpi import kpis
from optimiser.model import Plan, Reason, Stop, StopAction
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import STEP_S, H, bus, problem, task, trip, worker

FAST = SolveParams(time_limit_s=2, max_solutions=200)


def driver(id: str = "driver", vehicle: str = "bus", **kw):  # type: ignore[no-untyped-def]
    return worker(id, skills=("driving",), vehicle=vehicle, **kw)


def stops_of(plan: Plan, task_id: str) -> dict[StopAction, Stop]:
    return {s.action: s for r in plan.routes for s in r.stops if s.task_id == task_id}


def reasons(plan: Plan) -> dict[str, Reason]:
    return {u.task_id: u.reason for u in plan.unassigned}


def test_pickup_comes_before_drop_off_on_the_same_route():
    p = problem([driver()], [trip("t", 4, 1)], vehicles=(bus(),))
    plan = solve(p, params=FAST)
    (route,) = plan.routes
    actions = [(s.task_id, s.action) for s in route.stops]
    assert actions == [("t", StopAction.PICKUP), ("t", StopAction.DROPOFF)]
    assert [s.location_id for s in route.stops] == ["p4", "p1"]


def test_seats_limit_how_many_ride_at_once():
    trips = [trip(f"t{i}", 1, 5, pickup_windows=((8 * H, 8 * H + 600),), max_ride_s=2 * H)
             for i in range(3)]
    p = problem([driver(shifts=((7 * H, 16 * H),))], trips, vehicles=(bus(seats=2),))
    plan = solve(p, params=FAST)
    assert len(plan.unassigned) == 1 and len(plan.routes[0].stops) == 4


def test_wheelchair_user_rides_in_the_bus_with_a_wheelchair_place():
    p = problem(
        [driver("near", vehicle="car", base="p1"), driver("far", vehicle="bus", base="p5")],
        [trip("w", 1, 2, wheelchair=1, seated=0)],
        vehicles=(bus("car", seats=4, wheelchair_places=0), bus("bus", wheelchair_places=1)),
    )
    plan = solve(p, params=FAST)
    assert [r.worker_id for r in plan.routes] == ["far"]


def test_wheelchair_trip_without_any_wheelchair_place_is_reported():
    p = problem([driver()], [trip("w", 1, 2, wheelchair=1, seated=0)],
                vehicles=(bus(wheelchair_places=0),))
    assert reasons(solve(p, params=FAST)) == {"w": Reason.NO_VEHICLE_SPACE}


def test_more_passengers_than_any_vehicle_holds_is_reported():
    p = problem([driver()], [trip("group", 1, 2, seated=5, escort=3)],
                vehicles=(bus(seats=6),))
    assert reasons(solve(p, params=FAST)) == {"group": Reason.NO_VEHICLE_SPACE}


def test_a_driver_without_a_vehicle_cannot_take_trips():
    p = problem([worker("walker", skills=("driving",))], [trip("t", 1, 2)], vehicles=(bus(),))
    assert reasons(solve(p, params=FAST)) == {"t": Reason.NO_VEHICLE_SPACE}


def test_maximum_ride_time_forbids_the_cheaper_shared_ride():
    # Sharing (pick a at p1, b at p2, drop both at p3) costs 6 steps but gives a a 25 min ride.
    a = trip("a", 1, 3, board_s=5 * 60, max_ride_s=24 * 60)
    b = trip("b", 2, 3, board_s=5 * 60)
    p = problem([driver()], [a, b], vehicles=(bus(),))
    plan = solve(p, params=FAST)
    stops = stops_of(plan, "a")
    ride = stops[StopAction.DROPOFF].start_s - stops[StopAction.PICKUP].end_s
    assert ride <= 24 * 60
    assert len(plan.unassigned) == 0 and kpis(p, plan).travel_s == 8 * STEP_S


def test_direct_ride_longer_than_the_maximum_is_reported():
    p = problem([driver()], [trip("far", 0, 5, max_ride_s=30 * 60)], vehicles=(bus(),))
    assert reasons(solve(p, params=FAST)) == {"far": Reason.RIDE_TOO_LONG}


def test_arrive_by_drop_off_window_is_met():
    p = problem([driver()], [trip("clinic", 1, 4, dropoff_windows=((9 * H + 1800, 10 * H),))],
                vehicles=(bus(),))
    drop = stops_of(solve(p, params=FAST), "clinic")[StopAction.DROPOFF]
    assert drop.start_s >= 9 * H + 1800 and drop.end_s <= 10 * H


def test_return_trip_waits_for_the_appointment_to_end():
    there = trip("there", 1, 4, dropoff_windows=((9 * H, 10 * H),))
    back = trip("back", 4, 1, return_of="there", appointment_s=H)
    p = problem([driver()], [there, back], vehicles=(bus(),))
    plan = solve(p, params=FAST)
    dropped = stops_of(plan, "there")[StopAction.DROPOFF]
    picked = stops_of(plan, "back")[StopAction.PICKUP]
    assert picked.start_s >= dropped.end_s + H


def test_trips_and_home_visits_are_planned_together_in_one_plan():
    p = problem(
        [driver(), worker("physio", skills=("physio",))],
        [trip("t", 1, 3), task("v", 2, skills=("physio",))],
        vehicles=(bus(),),
    )
    plan = solve(p, params=FAST)
    assert {r.worker_id for r in plan.routes} == {"driver", "physio"}
    assert plan.unassigned == () and check(p, plan) == []


def test_one_bus_is_driven_by_one_driver_at_a_time():
    trips = [trip(f"t{i}", 1, 5, seated=2, pickup_windows=((8 * H, 8 * H + 600),),
                  max_ride_s=2 * H) for i in range(2)]
    p = problem([driver("a", shifts=((7 * H, 16 * H),)), driver("b", shifts=((7 * H, 16 * H),))],
                trips, vehicles=(bus(seats=2),))
    plan = solve(p, params=FAST)
    assert len(plan.routes) == 1 and len(plan.unassigned) == 1
