"""A route sheet counts passengers with Polish plural forms (it said "1 siedzących")."""

from __future__ import annotations

from api.render.route_sheet import route_sheets
from api.render.words import use_language
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import H, bus, problem, trip, worker


def test_a_sheet_counts_seated_passengers_and_escorts_in_polish() -> None:
    p = problem([worker("driver", skills=("driving",), vehicle="bus")],
                [trip("one", 1, 2, seated=1, pickup_windows=((8 * H, 9 * H),)),
                 trip("two", 3, 4, seated=2, escort=1, pickup_windows=((10 * H, 11 * H),)),
                 trip("five", 1, 5, seated=5, pickup_windows=((12 * H, 13 * H),))],
                vehicles=(bus(seats=8),))
    plan = solve(p, params=SolveParams(time_limit_s=5, max_solutions=50))
    assert plan.unassigned == ()
    (sheet,) = route_sheets(p, plan, None)
    needs = {r.task: r.needs for r in sheet.stops}
    assert needs["one"] == "1 siedzący"
    assert needs["two"] == "2 siedzące, 1 opiekun"
    assert needs["five"] == "5 siedzących"
    with use_language("en"):
        (english,) = route_sheets(p, plan, None)
    assert {r.task: r.needs for r in english.stops}["two"] == "2 seated, 1 escort"
