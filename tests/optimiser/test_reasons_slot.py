"""A task left out for capacity names the tasks that hold its slot, the workers by name,
and offers for taking out only what can be: work of lower rank (mandatory first, then
priority) whose removal leaves room for the whole task (a trip: its drop-off too)."""

from __future__ import annotations

from dataclasses import replace

from optimiser.model import (
    Plan,
    Priority,
    Problem,
    Reason,
    Route,
    Stop,
    StopAction,
    Unassigned,
    Worker,
)
from optimiser.params import SolveParams
from optimiser.reasons import slot_holders
from optimiser.solve import solve
from tests.optimiser.tiny import STEP_S, H, bus, problem, task, trip, worker

FAST = SolveParams(time_limit_s=5, max_solutions=100)


def _ewa(shifts: tuple[tuple[int, int], ...]) -> Worker:
    return replace(worker("w1", shifts=shifts), name="Ewa Nowak")


def test_a_slot_held_by_higher_priority_names_the_worker_and_offers_nothing_to_take_out():
    # One hour of shift, two one-hour visits next door wanting the same hour.
    p = problem([_ewa(shifts=((8 * H, 9 * H + 1200),))],
                [task("keep", 1, service_s=H, windows=((8 * H, 9 * H + 600),),
                      priority=Priority.HIGH),
                 task("out", 1, service_s=H, windows=((8 * H, 9 * H + 600),))])
    plan = solve(p, params=FAST)
    (out,) = plan.unassigned
    assert (out.task_id, out.reason) == ("out", Reason.CAPACITY_EXHAUSTED)
    assert "the slot is held by Ewa Nowak: keep 08:" in out.detail
    assert "w1" not in out.detail
    assert "taking out" not in out.detail
    assert out.detail.endswith("every task holding it has equal or higher priority")


def test_the_detail_says_when_no_single_removal_of_lower_priority_makes_room():
    # Two half-hour visits fill the hour; the two-hour visit does not fit without both.
    p = problem([worker(shifts=((8 * H, 10 * H + 1200),))],
                [task("a", 1, windows=((8 * H, 10 * H),), priority=Priority.LOW),
                 task("b", 1, windows=((8 * H, 10 * H),), priority=Priority.LOW),
                 task("long", 1, service_s=2 * H, windows=((8 * H, 10 * H + 600),),
                      priority=Priority.NORMAL)])
    plan = _held(p, "long", [("a", "p1", 8 * H + 600), ("b", "p1", 9 * H + 600)])
    detail = slot_holders(p, plan, p.task("long"))
    assert detail.startswith("the slot is held by w1: a 08:10-08:40, b 09:10-09:40")
    assert detail.endswith("no single task of lower priority taken out would make room")


def _held(p: Problem, left_out: str, visits: list[tuple[str, str, int]]) -> Plan:
    """A plan of worker w1 doing `visits` (task, place, start) and leaving out `left_out`."""
    stops = tuple(Stop(t, place, start, start, start + p.task(t).service_s)
                  for t, place, start in visits)
    route = Route("w1", 0, stops[0].start_s - STEP_S, stops[-1].end_s + STEP_S, stops)
    return Plan((route,), (Unassigned(left_out, Reason.CAPACITY_EXHAUSTED),))


def test_only_lower_ranked_work_is_offered_mandatory_first_then_priority():
    p = problem([_ewa(shifts=((8 * H, 12 * H),))],
                [task("low", 1, service_s=H, windows=((9 * H, 10 * H),),
                      priority=Priority.LOW),
                 task("urgent", 1, service_s=H, windows=((10 * H, 11 * H),),
                      priority=Priority.URGENT),
                 task("must", 1, service_s=H, windows=((11 * H - 1200, 12 * H - 1200),),
                      priority=Priority.LOW, mandatory=True),
                 task("high", 1, service_s=H, windows=((9 * H, 12 * H - 1200),),
                      priority=Priority.HIGH)])
    plan = _held(p, "high", [("low", "p1", 9 * H), ("urgent", "p1", 10 * H),
                             ("must", "p1", 11 * H - 1200)])
    detail = slot_holders(p, plan, p.task("high"))
    assert "low 09:00-10:00, urgent 10:00-11:00, must 10:40-11:40" in detail
    assert detail.endswith("taking out low (low) on Ewa Nowak alone would make room")
    # A mandatory task left out may take the place of any task that is not mandatory; and
    # work already started, which re-planning pins as mandatory and urgent, never gives way.
    started = replace(p, tasks=tuple(replace(t, mandatory=True, priority=Priority.URGENT)
                                     if t.id == "urgent" else t for t in p.tasks))
    pressing = replace(started.task("high"), mandatory=True)
    assert "taking out low (low) on Ewa Nowak" in slot_holders(started, plan, pressing)
    assert "urgent (urgent)" not in slot_holders(started, plan, pressing)


def test_a_trip_is_offered_a_slot_only_if_its_drop_off_fits_too():
    # The bus takes "short" (p1 -> p2) at 09:00 and must pick up "next" at p1 at 09:30.
    # Taking "short" out leaves time for the far trip's pickup at p1, but not for its ride
    # to p5 (40 min) and back by 09:30: no room. With the afternoon free, there is.
    driver = replace(worker("jan", skills=("driving",), vehicle="bus",
                            shifts=((8 * H, 14 * H),)), name="Jan Kierowca")
    p = problem([driver], [
        trip("short", 1, 2, pickup_windows=((9 * H, 9 * H + 60),), priority=Priority.LOW),
        trip("next", 1, 3, pickup_windows=((9 * H + 1800, 9 * H + 1860),),
             priority=Priority.HIGH),
        trip("far", 1, 5, pickup_windows=((9 * H, 9 * H + 300),), priority=Priority.NORMAL)],
        vehicles=(bus(),))
    stops = (Stop("short", "p1", 9 * H, 9 * H, 9 * H + 60, StopAction.PICKUP),
             Stop("short", "p2", 9 * H + 660, 9 * H + 660, 9 * H + 720, StopAction.DROPOFF),
             Stop("next", "p1", 9 * H + 1320, 9 * H + 1800, 9 * H + 1860, StopAction.PICKUP),
             Stop("next", "p3", 9 * H + 3060, 9 * H + 3060, 9 * H + 3120, StopAction.DROPOFF))
    plan = Plan((Route("jan", 0, 9 * H - STEP_S, 9 * H + 3120 + 3 * STEP_S, stops),),
                (Unassigned("far", Reason.CAPACITY_EXHAUSTED),))
    detail = slot_holders(p, plan, p.task("far"))
    assert "the slot is held by Jan Kierowca (bus): short 09:00-09:01" in detail
    assert detail.endswith("no single task of lower priority taken out would make room")
    later = replace(p, tasks=tuple(replace(t, windows=tuple(replace(
        w, start_s=w.start_s + 3 * H, end_s=w.end_s + 3 * H) for w in t.windows))
        if t.id == "next" else t for t in p.tasks))
    moved = (*stops[:2], *(replace(s, arrival_s=s.arrival_s + 3 * H, start_s=s.start_s + 3 * H,
                                   end_s=s.end_s + 3 * H) for s in stops[2:]))
    free = replace(plan, routes=(replace(plan.routes[0], stops=moved,
                                         end_s=moved[-1].end_s + 3 * STEP_S),))
    assert slot_holders(later, free, later.task("far")).endswith(
        "taking out short (low) on Jan Kierowca (bus) alone would make room")
