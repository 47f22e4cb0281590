"""The offer engine on tiny hand-built days: offers keep every served task and every
promise (the independent checker passes), a full day gets none, a trip's return comes
after the appointment, a series gets distinct days, ranking by added travel and by the
caller's preferences, and offers against the promises alone."""

from __future__ import annotations

import dataclasses

import pytest

from optimiser.calendar import Calendar
from optimiser.check import check
from optimiser.model import (
    DAY_S,
    Client,
    Plan,
    Problem,
    ProblemError,
    Reason,
    Series,
    StopAction,
    TimeWindow,
)
from optimiser.offers import Offer, OfferSettings, find_offers, why_no_offer
from optimiser.params import SolveParams
from optimiser.promises import kept, promised
from optimiser.solve import solve
from tests.optimiser.tiny import H, bus, problem, task, trip, worker


def solved(p: Problem) -> Plan:
    return solve(p, params=SolveParams(time_limit_s=60, max_solutions=50))


def with_promises(p: Problem, offer: Offer) -> Problem:
    windows = dict(offer.promises)
    return dataclasses.replace(p, tasks=tuple(
        promised(t, windows[t.id]) if t.id in windows else t for t in p.tasks))


def first_starts(plan: Plan) -> dict[str, int]:
    return {s.task_id: s.start_s for r in plan.routes for s in r.stops
            if s.action in (StopAction.SERVE, StopAction.PICKUP)}


def assert_sound(p: Problem, basis: Plan | None, offer: Offer) -> None:
    """The offer's plan passes the checker with its promises made, serves every task the
    basis serves (none earlier than before), keeps every promise, and starts each new
    task inside its promised window."""
    assert check(with_promises(p, offer), offer.plan) == []
    starts = first_starts(offer.plan)
    for task_id, start in (first_starts(basis) if basis else {}).items():
        assert starts[task_id] >= start
    for t in p.tasks:
        if t.id in starts:
            assert kept(t, starts[t.id])
        else:
            assert t.promise is None
    for task_id, window in offer.promises:
        assert window.start_s <= starts[task_id] <= window.end_s


def test_offers_keep_every_served_task_and_every_promise() -> None:
    old = [task(f"t{i}", i % 6, windows=((8 * H + i * 1800, 11 * H + i * 1800),))
           for i in range(6)]
    old[2] = promised(old[2], TimeWindow(9 * H, 10 * H))
    old[4] = promised(old[4], TimeWindow(10 * H, 11 * H))
    workers = [worker("w1"), worker("w2", base="p5")]
    basis = solved(problem(workers, old))
    assert not basis.unassigned
    full = problem(workers, [*old, task("new", 3, windows=((9 * H, 15 * H),))])
    offers = find_offers(full, basis, ("new",), OfferSettings(count=3))
    assert len(offers) == 3
    for offer in offers:
        assert_sound(full, basis, offer)
        (task_id, window), = offer.promises
        assert task_id == "new" and window.length_s == 3600
        assert offer.worker_id in {"w1", "w2"} and offer.vehicle_id is None
    windows = [o.promises[0][1] for o in offers]
    assert all(a.overlap_s(b) == 0 for i, a in enumerate(windows) for b in windows[i + 1:])


def test_a_full_day_gets_no_offer_and_says_why() -> None:
    # Two 55-minute visits fill the only shift of 2 h; the new one fits only if one goes.
    old = [task("a", 0, service_s=55 * 60, windows=((8 * H, 10 * H),)),
           task("b", 0, service_s=55 * 60, windows=((8 * H, 10 * H),))]
    workers = [worker("w1", shifts=((8 * H, 10 * H),))]
    basis = solved(problem(workers, old))
    assert not basis.unassigned
    full = problem(workers, [*old, task("new", 0, windows=((8 * H, 10 * H),))])
    assert find_offers(full, basis, ("new",)) == ()
    assert why_no_offer(full, basis, ("new",)) is Reason.CAPACITY_EXHAUSTED
    nobody = problem(workers, [*old, task("new", 0, windows=((8 * H, 10 * H),),
                                          skills=("physio",))])
    assert why_no_offer(nobody, basis, ("new",)) is Reason.NO_SKILLED_WORKER


def test_a_trip_with_its_return_gets_both_windows_the_return_after_the_appointment() -> None:
    driver = worker("d1", skills=("driving",), vehicle="bus", shifts=((7 * H, 17 * H),))
    there = trip("out", 1, 4, pickup_windows=((8 * H, 12 * H),),
                 dropoff_windows=((8 * H, 13 * H),))
    back = trip("ret", 4, 1, pickup_windows=((8 * H, 16 * H),), return_of="out",
                appointment_s=2 * H)
    p = problem([driver], [there, back], vehicles=(bus(),))
    offers = find_offers(p, None, ("out", "ret"))
    assert offers
    for offer in offers:
        assert_sound(p, None, offer)
        assert [t for t, _ in offer.promises] == ["out", "ret"]
        assert offer.vehicle_id == "bus"
        stops = {(s.task_id, s.action): s for r in offer.plan.routes for s in r.stops}
        drop_end = stops[("out", StopAction.DROPOFF)].end_s
        assert stops[("ret", StopAction.PICKUP)].start_s >= drop_end + 2 * H
        out_window, ret_window = (w for _, w in offer.promises)
        assert ret_window.end_s >= drop_end + 2 * H
        assert ret_window.start_s > out_window.start_s


def test_a_series_gets_distinct_days() -> None:
    days = 3
    shifts = tuple((d * DAY_S + 8 * H, d * DAY_S + 16 * H) for d in range(days))
    wishes = tuple((d * DAY_S + 8 * H, d * DAY_S + 16 * H) for d in range(days))
    sessions = [task(f"s{k}", 2, windows=wishes) for k in range(2)]
    p = problem([worker("w1", shifts=shifts)], sessions, calendar=Calendar(days=days),
                series=(Series("physio", ("s0", "s1"), min_gap_days=1),))
    offers = find_offers(p, None, ("s0", "s1"), OfferSettings(count=3))
    assert len(offers) == 3
    for offer in offers:
        assert_sound(p, None, offer)
        first, second = (p.day_of(w.start_s) for _, w in offer.promises)
        assert first != second
    assert len({p.day_of(o.promises[0][1].start_s) for o in offers}) == 3  # spread over days


def test_ranking_prefers_less_added_travel() -> None:
    # w1 is at p5 in the morning and back at base p0 at noon: a new visit at p5 costs
    # nothing in the morning and two drives of 50 minutes after noon.
    old = [task("a", 5, windows=((8 * H, 9 * H),)),
           task("b", 0, windows=((12 * H, 13 * H),))]
    workers = [worker("w1", shifts=((7 * H, 18 * H),))]
    basis = solved(problem(workers, old))
    full = problem(workers, [*old, task("new", 5, windows=((8 * H, 17 * H),))])
    offers = find_offers(full, basis, ("new",), OfferSettings(count=5))
    assert len(offers) == 5
    travel = [o.added_travel_s for o in offers]
    assert travel == sorted(travel)
    assert travel[0] == 0 and offers[0].promises[0][1].end_s <= 12 * H
    assert travel[-1] == 2 * 3000
    for offer in offers:
        assert_sound(full, basis, offer)


@pytest.mark.parametrize("preferred", ["w1", "w2"])
def test_the_preferred_worker_and_time_win_when_travel_is_equal(preferred: str) -> None:
    workers = [worker("w1"), worker("w2")]
    p = problem(workers, [task("new", 0, windows=((8 * H, 16 * H),))])
    offers = find_offers(p, None, ("new",), OfferSettings(count=3),
                         preferred_worker=preferred, preferred_start_s=14 * H)
    assert len(offers) == 3
    assert {o.worker_id for o in offers} == {preferred}
    best = offers[0].promises[0][1]
    assert best.start_s <= 14 * H <= best.end_s
    for offer in offers:
        assert_sound(p, None, offer)
    later = find_offers(p, None, ("new",), OfferSettings(count=1), preferred_start_s=9 * H)
    assert later[0].promises[0][1].start_s <= 9 * H <= later[0].promises[0][1].end_s


def test_against_the_promises_alone() -> None:
    # No plan yet: the promised tasks are placed by insertion, the others left for later.
    kept_a = promised(task("a", 2, windows=((8 * H, 16 * H),)), TimeWindow(9 * H, 10 * H))
    kept_b = promised(task("b", 4, windows=((8 * H, 16 * H),)), TimeWindow(13 * H, 14 * H))
    loose = task("c", 1, windows=((8 * H, 16 * H),))
    new = task("new", 3, windows=((8 * H, 16 * H),))
    p = problem([worker("w1")], [kept_a, kept_b, loose, new])
    offers = find_offers(p, None, ("new",), OfferSettings(count=3))
    assert len(offers) == 3
    for offer in offers:
        assert_sound(p, None, offer)
        served = {s.task_id for r in offer.plan.routes for s in r.stops}
        assert served == {"a", "b", "new"}
        assert [u.task_id for u in offer.plan.unassigned] == ["c"]


def test_a_long_day_takes_its_break() -> None:
    # Promises at 8:00 and 15:00 make a route over 6 h: the labour rule needs a break.
    early = promised(task("a", 1, windows=((8 * H, 9 * H),)), TimeWindow(8 * H, 9 * H))
    late = promised(task("b", 1, windows=((15 * H, 16 * H),)), TimeWindow(15 * H, 16 * H))
    new = task("new", 2, windows=((10 * H, 14 * H),))
    p = problem([worker("w1", shifts=((7 * H, 17 * H),))], [early, late, new])
    offers = find_offers(p, None, ("new",), OfferSettings(count=2))
    assert offers
    for offer in offers:
        assert_sound(p, None, offer)
        assert offer.plan.routes[0].breaks


def test_a_visit_is_not_offered_while_its_client_is_away_on_a_trip() -> None:
    # The client rides to p4 at 9:00 and back after a 2 h appointment: not at home then.
    there = trip("out", 2, 4, pickup_windows=((9 * H, 9 * H + 600),))
    back = trip("ret", 4, 2, pickup_windows=((9 * H, 16 * H),), return_of="out",
                appointment_s=2 * H)
    visit = task("new", 2, windows=((8 * H, 16 * H),))
    there, back, visit = (dataclasses.replace(t, client_id="c1") for t in (there, back, visit))
    driver = worker("d1", skills=("driving",), vehicle="bus")
    p = problem([driver, worker("w1")], [there, back, visit], vehicles=(bus(),),
                clients=(Client("c1", "c1", "p2"),))
    basis = solved(problem([driver, worker("w1")], [there, back], vehicles=(bus(),),
                           clients=(Client("c1", "c1", "p2"),)))
    assert not basis.unassigned
    stops = {(s.task_id, s.action): s for r in basis.routes for s in r.stops}
    away = (stops[("out", StopAction.PICKUP)].start_s, stops[("ret", StopAction.DROPOFF)].end_s)
    offers = find_offers(p, basis, ("new",), OfferSettings(count=5, window_s=1800))
    assert len(offers) == 5
    for offer in offers:
        assert_sound(p, basis, offer)
        start = first_starts(offer.plan)["new"]
        assert start + 1800 <= away[0] or start >= away[1]


def test_a_request_naming_unknown_or_served_tasks_is_refused() -> None:
    workers = [worker("w1")]
    p = problem(workers, [task("a", 1), task("new", 2)])
    basis = find_offers(p, None, ("a",))[0].plan  # a plan that serves "a"
    with pytest.raises(ProblemError, match="unknown task ids \\['nope'\\]"):
        find_offers(p, basis, ("nope",))
    with pytest.raises(ProblemError, match="\\['a'\\] already served"):
        find_offers(p, basis, ("a",))
    with pytest.raises(ProblemError, match="count=9"):
        OfferSettings(count=9)
    with pytest.raises(ProblemError, match="window_s=600"):
        OfferSettings(window_s=600)


def test_a_return_asked_alone_comes_after_its_promised_outbound_and_the_appointment() -> None:
    there = promised(trip("out", 1, 4, pickup_windows=((8 * H, 12 * H),)),
                     TimeWindow(9 * H, 10 * H))
    back = trip("ret", 4, 1, pickup_windows=((8 * H, 16 * H),), return_of="out",
                appointment_s=3 * H)
    drivers = [worker("d1", skills=("driving",), vehicle="bus1"),
               worker("d2", skills=("driving",), vehicle="bus2")]
    p = problem(drivers, [there, back], vehicles=(bus("bus1"), bus("bus2")))
    offers = find_offers(p, None, ("ret",), OfferSettings(count=3))
    assert len(offers) == 3
    for offer in offers:
        assert_sound(p, None, offer)
        stops = {(s.task_id, s.action): s for r in offer.plan.routes for s in r.stops}
        after = stops[("out", StopAction.DROPOFF)].end_s + 3 * H
        assert stops[("ret", StopAction.PICKUP)].start_s >= after
        assert offer.promises[0][1].end_s >= after


def test_no_window_opens_long_before_anyone_can_come() -> None:
    """A wish from 6:00 on a day whose only worker starts at 8:00 (and must travel): no
    offered window opens more than a quarter hour before the first stop could start, so
    a caller is never told "between 7:15 and 8:15" for a visit that starts after 8."""
    p = problem([worker("w1")], [task("new", 3, windows=((6 * H, 14 * H),))])
    offers = find_offers(p, None, ("new",), OfferSettings(count=5))
    assert offers
    earliest = min(first_starts(o.plan)["new"] for o in offers)
    assert earliest > 8 * H  # the route leaves at 8:00 and travels first
    for offer in offers:
        assert_sound(p, None, offer)
        assert offer.promises[0][1].start_s >= earliest - 15 * 60, offer.promises


def test_a_visit_that_can_only_come_late_in_its_wish_still_gets_an_offer() -> None:
    # The only worker is busy until 17:40 with a promise; the new hour-long visit wished
    # 17:00-19:00 can start only from about 17:45 to 18:00. Every window that holds such
    # a start opens more than 15 minutes before it: the latest of them is offered.
    old = [promised(task("a", 0, service_s=100 * 60, windows=((16 * H, 18 * H),)),
                    TimeWindow(16 * H, 16 * H))]
    workers = [worker("w1", shifts=((16 * H, 20 * H),))]
    basis = solved(problem(workers, old))
    assert not basis.unassigned
    full = problem(workers, [*old, task("new", 1, service_s=H, windows=((17 * H, 19 * H),))])
    offers = find_offers(full, basis, ("new",), OfferSettings(count=3))
    assert len(offers) == 1
    assert_sound(full, basis, offers[0])
    (_, window), = offers[0].promises
    start = first_starts(offers[0].plan)["new"]
    assert window.start_s <= start <= window.end_s <= 18 * H
    assert start - window.start_s > 15 * 60


def test_an_hour_only_few_qualified_workers_work_costs_more_than_the_drive() -> None:
    # Three morning workers live one step (10 min) further from the client than the one
    # evening worker, so the morning adds 20 minutes of driving. But at 15:00 all four
    # are on shift, in the evening one: an hour there takes 45 scarce minutes, in the
    # morning 15 (20 + 15 < 0 + 45). The morning is offered first; ranked by driving
    # alone the evening would be, and the evening's only worker would be taken.
    workers = [*(worker(f"m{i}", base="p2", shifts=((8 * H, 16 * H),)) for i in (1, 2, 3)),
               worker("e1", base="p1", shifts=((15 * H, 20 * H),))]
    new = task("new", 1, service_s=H, windows=((9 * H, 11 * H), (17 * H, 19 * H)))
    p = problem(workers, [new])
    offers = find_offers(p, None, ("new",), OfferSettings(count=2))
    assert [o.worker_id for o in offers] == ["m1", "e1"]
    assert offers[0].added_travel_s > offers[1].added_travel_s
    for offer in offers:
        assert_sound(p, None, offer)


def test_a_weekend_hour_few_of_the_weeks_workers_work_costs_more_than_a_weekday() -> None:
    # Two workers on day 0, one other on day 1 (a Saturday): the Saturday hour has one of
    # the week's two on shift at once, so it takes 30 scarce minutes; day 0's none. The
    # day-0 workers live one step (10 min) further, so day 0 adds 20 minutes of driving,
    # and still comes first (20 + 0 < 0 + 30). Counted within the Saturday alone (its one
    # worker all it has), the Saturday would cost nothing and be offered first.
    sat = DAY_S
    workers = [*(worker(f"m{i}", base="p2", shifts=((8 * H, 16 * H),)) for i in (1, 2)),
               worker("e1", base="p1", shifts=((sat + 8 * H, sat + 16 * H),))]
    new = task("new", 1, service_s=H, windows=((9 * H, 11 * H), (sat + 9 * H, sat + 11 * H)))
    p = problem(workers, [new], calendar=Calendar(days=2))
    offers = find_offers(p, None, ("new",), OfferSettings(count=2))
    assert [p.day_of(o.promises[0][1].start_s) for o in offers] == [0, 1]
    assert offers[0].added_travel_s > offers[1].added_travel_s
    for offer in offers:
        assert_sound(p, None, offer)


def test_a_window_that_runs_into_the_evening_holds_its_scarce_time() -> None:
    # An hour's visit at the evening worker's home: e1 can start it at 15:00, when four
    # work (its middle, 15:30, too), adding no travel. But the promise 15:00-16:00 lets a
    # later plan start it at 16:00, when one of four works: averaged over its opening,
    # middle and close it holds 30 scarce minutes, more than the 20 minutes of driving
    # the morning costs (four at work then, m4 far away). The morning comes first;
    # counted at 15:00 alone the afternoon would (0 < 20).
    workers = [*(worker(f"m{i}", base="p2", shifts=((8 * H, 16 * H),)) for i in (1, 2, 3)),
               worker("m4", base="p5", shifts=((8 * H, 14 * H),)),
               worker("e1", base="p1", shifts=((15 * H, 20 * H),))]
    new = task("new", 1, service_s=H, windows=((9 * H, 11 * H), (15 * H, 17 * H)))
    p = problem(workers, [new])
    offers = find_offers(p, None, ("new",), OfferSettings(count=2))
    assert [o.worker_id for o in offers] == ["m1", "e1"]
    assert offers[1].promises[0][1] == TimeWindow(15 * H, 16 * H)
    assert offers[0].added_travel_s > offers[1].added_travel_s
    for offer in offers:
        assert_sound(p, None, offer)
