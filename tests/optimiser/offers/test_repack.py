"""`repacked`: when a new task fits nowhere among the promises as packed, the day planned
again by a search makes room for it, every promise kept; a series' later session gets
room made on its own day."""

from __future__ import annotations

import dataclasses

from optimiser.calendar import Calendar
from optimiser.check import check
from optimiser.model import DAY_S, Plan, Series, StopAction, TimeWindow
from optimiser.offers import OfferSettings, find_offers
from optimiser.offers.basis_plan import cheapest
from optimiser.offers.repack import REPACK_PARAMS, repacked
from optimiser.offers.slots import Basis
from optimiser.params import SolveParams
from optimiser.promises import promised
from optimiser.solve import solve
from tests.optimiser.tiny import H, problem, task, worker

M = 60


def day():
    # "a" is promised 8:00-8:15 and was packed on w1, the only worker with skill "x"; the
    # new visit needs "x" at 8:00, so w1's route must give "a" to w2 first.
    a = promised(task("a", 0, service_s=45 * M, windows=((8 * H, 9 * H),)),
                 TimeWindow(8 * H, 8 * H + 15 * M))
    new = task("new", 0, service_s=45 * M, windows=((8 * H, 8 * H + 45 * M),), skills=("x",))
    w1 = worker("w1", skills=("x",), shifts=((8 * H, 9 * H),))
    w2 = worker("w2", shifts=((8 * H, 9 * H),))
    packed = solve(problem([w1], [a]), params=SolveParams(max_solutions=5))
    assert [r.worker_id for r in packed.routes if r.stops] == ["w1"]
    return problem([w1, w2], [a, new]), packed


def planner(p):
    return solve(p, params=REPACK_PARAMS)


def test_the_day_planned_again_makes_room_and_keeps_the_promise() -> None:
    p, packed = day()
    basis = Basis(p, packed)
    new = p.task("new")
    assert cheapest(basis, new) is None
    room = repacked(basis, new, planner)
    assert room is not None
    a_start = next(s.start_s for r in room.plan.routes for s in r.stops if s.task_id == "a")
    assert 8 * H <= a_start <= 8 * H + 15 * M
    assert cheapest(room, new) is not None
    # the room's plan serves every task but the new one, which the offers will place
    assert [v.message for v in check(p, room.plan)] == [
        "task 'new' neither served nor reported unassigned"]


def test_offers_move_promised_stops_only_when_the_basis_may_move() -> None:
    p, packed = day()
    settings = OfferSettings(count=1, window_s=30 * M)
    assert find_offers(p, packed, ("new",), settings, planner=planner) == ()  # published
    offer, = find_offers(p, packed, ("new",), settings, movable=True, planner=planner)
    workers = {s.task_id: r.worker_id for r in offer.plan.routes for s in r.stops
               if s.action is StopAction.SERVE}
    assert workers == {"new": "w1", "a": "w2"}


def test_a_day_with_no_room_at_all_stays_without() -> None:
    p, packed = day()
    full = problem(list(p.workers), [*p.tasks, promised(
        task("b", 0, service_s=45 * M, windows=((8 * H, 9 * H),)),
        TimeWindow(8 * H, 8 * H + 15 * M))])
    basis = Basis(full, Plan(packed.routes, ()))
    assert repacked(basis, full.task("new"), planner) is None


def test_a_series_later_session_gets_room_made_on_its_day() -> None:
    # as `day()` on day 1, and a series of two sessions needing "x" at 8:00 on days 0 and
    # 1: the second session fits only once "a" went to w2
    one = DAY_S
    a = promised(task("a", 0, service_s=45 * M, windows=((one + 8 * H, one + 9 * H),)),
                 TimeWindow(one + 8 * H, one + 8 * H + 15 * M))
    wishes = tuple((d + 8 * H, d + 8 * H + 45 * M) for d in (0, one))
    sessions = [task(f"s{k}", 0, service_s=45 * M, windows=wishes, skills=("x",))
                for k in range(2)]
    w1 = worker("w1", skills=("x",), shifts=((8 * H, 9 * H), (one + 8 * H, one + 9 * H)))
    w2 = worker("w2", shifts=((one + 8 * H, one + 9 * H),))
    calendar = Calendar(days=2)
    packed = solve(problem([w1], [a], calendar=calendar), params=SolveParams(max_solutions=5))
    p = problem([w1, w2], [a, *sessions], calendar=calendar,
                series=(Series("physio", ("s0", "s1"), min_gap_days=1),))
    settings = OfferSettings(count=1, window_s=30 * M)
    assert find_offers(p, packed, ("s0", "s1"), settings, planner=planner) == ()
    offer, = find_offers(p, packed, ("s0", "s1"), settings, movable=True, planner=planner)
    assert sorted(p.day_of(w.start_s) for _, w in offer.promises) == [0, 1]
    made = dataclasses.replace(p, tasks=tuple(
        promised(t, dict(offer.promises)[t.id]) if t.id in dict(offer.promises) else t
        for t in p.tasks))
    assert check(made, offer.plan) == []
    assert {s.task_id: r.worker_id for r in offer.plan.routes for s in r.stops}["a"] == "w2"
