"""Offers against the promises alone may move a promised stop inside its promise to make
room (`optimiser.offers.making_room`), and a wish's tail gets windows of its own
(`optimiser.offers.search.candidates`): a stop that can only come late in a wish is
offered a window that opens near when it can come."""

from __future__ import annotations

import dataclasses

from optimiser.check import check
from optimiser.model import Plan, TimeWindow
from optimiser.offers import OfferSettings, find_offers
from optimiser.offers.basis_plan import basis_plan
from optimiser.offers.search import MIN_TAIL_S, OPEN_BEFORE_S, candidates
from optimiser.promises import kept, promised
from tests.optimiser.tiny import H, problem, task, worker


def test_a_promised_visit_moves_to_another_worker_to_make_room() -> None:
    # Only w1 may do the new visit, and w1's 9-10 holds a promised visit anyone could do.
    held = promised(task("held", 1, service_s=H, windows=((9 * H, 10 * H),)),
                    TimeWindow(9 * H, 9 * H))
    new = task("new", 1, service_s=H, windows=((9 * H, 10 * H),), skills=("x",))
    p = problem([worker("w1", skills=("x",)), worker("w2", base="p5")], [held, new])
    basis = basis_plan(p, None, ("new",))
    assert [r.worker_id for r in basis.routes if r.stops] == ["w1"]
    settings = OfferSettings(count=2, window_s=1800)
    assert find_offers(p, basis, ("new",), settings) == ()  # a published plan stays put
    offers = find_offers(p, basis, ("new",), settings, movable=True)
    assert offers
    for offer in offers:
        made = dataclasses.replace(p, tasks=tuple(
            promised(t, dict(offer.promises)[t.id]) if t.id == "new" else t for t in p.tasks))
        assert check(made, offer.plan) == []
        starts = {s.task_id: (r.worker_id, s.start_s) for r in offer.plan.routes
                  for s in r.stops}
        assert starts["new"][0] == "w1" and starts["held"][0] == "w2"
        assert kept(held, starts["held"][1])


def test_a_late_only_stop_gets_a_window_from_the_wish_tail() -> None:
    # w1 is busy with a promised visit until 10:00; the new visit wishes 9:00-11:00.
    busy = promised(task("busy", 1, service_s=H, windows=((9 * H, 10 * H),)),
                    TimeWindow(9 * H, 9 * H))
    new = task("new", 1, service_s=30 * 60, windows=((9 * H, 11 * H),))
    p = problem([worker("w1")], [busy, new])
    windows = [c.window for c in candidates(p, new, 2 * H, 900)]
    assert TimeWindow(9 * H, 10 * H + 1800) in windows
    assert all(w.end_s == 10 * H + 1800 and w.length_s >= MIN_TAIL_S for w in windows[1:])
    offers = find_offers(p, Plan((), ()), ("new",), OfferSettings(count=1, window_s=2 * H))
    (_, window), = offers[0].promises
    start = next(s.start_s for r in offers[0].plan.routes for s in r.stops
                 if s.task_id == "new")
    assert 0 <= start - window.start_s <= OPEN_BEFORE_S and window.start_s >= 10 * H - 900
