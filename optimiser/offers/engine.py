"""`find_offers`: the best few windows in which a new request can be served without
breaking a promise or dropping served work; `why_no_offer`: why none, when none.

A request is one task (a visit, a job, a trip), a series (several tasks, offered on
different days, as far apart as their `Series` asks), or a trip with its return (the
return picked up no earlier than the appointment after the outbound's drop-off). The
first new task's candidate windows (`optimiser.offers.search.candidates`) are ranked by
the cheapest insertion each has: added travel plus scarce time (`search.scarcity`) in
whole minutes, then the preferred worker, then closeness to the preferred start, then the
earlier window. Offers are taken down that list, first at most one a day (spread over
the horizon), then any window that does not overlap one taken on its day; each is made:
the first task inserted, the others inserted after it into the plan that holds it (each
at its cheapest window, a return at its earliest), and the whole plan passes the
independent checker (`optimiser.check`) with the new tasks promised their windows, or
the offer is not made (after `MAX_REFUSED` such refusals per new task the query ends with
the offers it has). A return's last pickup bounds the outbound's candidate windows.
Against the promises alone (`movable`), a task of the request that fits nowhere gets room
made (`making_room`, then the day planned again by a `Repacker`) before it is given up.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from optimiser.breaks import placed_breaks
from optimiser.check import check
from optimiser.model import (
    Continuity,
    Plan,
    Problem,
    ProblemError,
    Reason,
    StopAction,
    Task,
    TimeWindow,
)
from optimiser.offers.basis_plan import ORDERS, basis_plan
from optimiser.offers.contract import Offer, OfferSettings
from optimiser.offers.making_room import making_room
from optimiser.offers.repack import Planner, Repacker
from optimiser.offers.search import Option, candidates, client_busy, options
from optimiser.offers.slots import Basis
from optimiser.offers.timing import Leg
from optimiser.problem_parts import require
from optimiser.promises import promised
from optimiser.reasons import diagnose_alone

DEFAULT_SETTINGS = OfferSettings()
# Makes room for a task that fits nowhere in a basis (`making_room`, a `Repacker`).
RoomMaker = Callable[[Basis, Task], Basis | None]
# Offers the checker may refuse before the query gives up (each refusal costs a check).
MAX_REFUSED = 12


def find_offers(problem: Problem, basis: Plan | None, new_ids: tuple[str, ...],
                settings: OfferSettings = DEFAULT_SETTINGS, *,
                preferred_worker: str | None = None,
                preferred_start_s: int | None = None,
                movable: bool = False, planner: Planner | None = None) -> tuple[Offer, ...]:
    """Up to `settings.count` offers for the request `new_ids` (tasks of `problem`, their
    windows the caller's wishes) against `basis` (see the module's notes); () if none.
    `movable`: `basis` is only a packing of the promises (no plan was published or
    drafted), so its promised stops may move inside their promises. `planner`: a search
    (`optimiser.offers.repack`) tried there when one moved stop makes no room."""
    tasks = _ordered(problem, new_ids)
    if not tasks:
        return ()
    if basis is not None:
        served = {s.task_id for r in basis.routes for s in r.stops}
        twice = sorted(served & set(new_ids))
        require(not twice, f"new_ids: {twice} already served by the basis plan")
    dur: list[list[int]] = problem.matrix.duration_s.tolist()
    first = tasks[0]
    latest = _latest_first_start(problem, tasks)
    cands = [c for c in candidates(problem, first, settings.window_s, settings.step_s)
             if c.window.start_s <= latest]
    # Against the promises alone, the plan they are packed in is ours to choose: when the
    # first packing leaves the request no room, the others (`ORDERS`) are tried.
    movable = movable or basis is None
    tried: list[Plan] = []
    for orders in (ORDERS,) if basis is not None else (ORDERS, *((o,) for o in ORDERS)):
        plan = basis_plan(problem, basis, new_ids, dur, orders)
        if plan in tried or (tried and _leaves_promise_out(problem, plan)):
            continue
        tried.append(plan)
        start = Basis(problem, plan, dur)
        found = options(start, first, cands, not_before=_not_before(problem, plan, first),
                        excluded_days=_series_days(problem, plan, first, []),
                        preferred_worker=preferred_worker,
                        only_worker=_series_worker(problem, plan, first),
                        step_s=settings.step_s)
        if found:
            break
    # Against the promises alone: one promised stop moved, else (given a planner) the
    # wish's day planned again, for the first task here and for each later one in `_made`.
    makers: list[RoomMaker] = []
    if movable:
        makers = [making_room, *([Repacker(planner)] if planner else [])]
    for make_room in makers:
        if found:
            break
        room = make_room(start, first)
        if room is not None:
            start, plan = room, room.plan
            found = options(start, first, cands, not_before=_not_before(problem, plan, first),
                            excluded_days=_series_days(problem, plan, first, []),
                            preferred_worker=preferred_worker,
                            only_worker=_series_worker(problem, plan, first),
                            step_s=settings.step_s)

    def order(option: Option) -> tuple[int, int, int, int]:
        window = option.candidate.window
        return (*option.rank, _distance(window, preferred_start_s), window.start_s)

    ranked = sorted(found.values(), key=order)
    offers: list[tuple[tuple[int, int, int, int], Offer]] = []
    taken: list[Option] = []
    failed: set[int] = set()
    for spread in (True, False):
        for k, option in enumerate(ranked):
            if len(offers) >= settings.count or len(failed) >= MAX_REFUSED * len(tasks):
                break
            c = option.candidate
            if k in failed or any(t.candidate.day == c.day and (
                    spread or t.candidate.window.overlap_s(c.window) > 0
                    or t.candidate.window == c.window) for t in taken):
                continue
            offer = next((made for way in option.ways() if (made := _made(
                problem, start, tasks, way, settings, preferred_worker,
                preferred_start_s, makers)) is not None), None)
            if offer is None:
                failed.add(k)
                continue
            taken.append(option)
            offers.append((order(option), offer))
    return tuple(offer for _, offer in sorted(offers, key=lambda x: x[0]))


def _leaves_promise_out(problem: Problem, plan: Plan) -> bool:
    out = {u.task_id for u in plan.unassigned}
    return any(t.promise is not None and t.id in out for t in problem.tasks)


def why_no_offer(problem: Problem, basis: Plan | None, new_ids: tuple[str, ...]) -> Reason:
    """Why a request gets no offer: the first new task no worker could serve even alone
    (the reason `optimiser.reasons.diagnose_alone` names), a series with fewer wish days
    than sessions, else the qualified workers' time is taken (`CAPACITY_EXHAUSTED`)."""
    tasks = _ordered(problem, new_ids)
    for task in tasks:
        reason = diagnose_alone(problem, task)
        if reason is not None:
            return reason
    singles = [t for t in tasks if t.ride is None]
    if len(singles) > 1 and len({problem.day_of(w.start_s) for t in singles
                                 for w in t.windows}) < len(singles):
        return Reason.SERIES_SPACING
    return Reason.CAPACITY_EXHAUSTED


def _ordered(problem: Problem, new_ids: tuple[str, ...]) -> list[Task]:
    """The new tasks, each outbound before its return."""
    known = {t.id for t in problem.tasks}
    unknown = [i for i in new_ids if i not in known]
    require(not unknown, f"new_ids: unknown task ids {unknown}")
    tasks = [problem.task(i) for i in dict.fromkeys(new_ids)]
    ids = {t.id for t in tasks}
    return sorted(tasks, key=lambda t: t.ride is not None and t.ride.return_of in ids)


def _latest_first_start(problem: Problem, tasks: list[Task]) -> int:
    """The latest the first task may start for the request's returns to fit after it:
    each return's last pickup less the appointment, the drop-off and the direct ride."""
    first = tasks[0]
    latest = 1 << 60
    for task in tasks[1:]:
        if task.ride is None or task.ride.return_of != first.id or first.ride is None:
            continue
        ride = problem.travel_s(first.location_id, first.ride.dropoff_location_id)
        latest = min(latest, max(w.end_s for w in task.windows) - task.service_s
                     - task.ride.appointment_s - first.ride.alight_s - ride - first.service_s)
    return latest


def _distance(window: TimeWindow, preferred_s: int | None) -> int:
    if preferred_s is None:
        return 0
    return max(window.start_s - preferred_s, preferred_s - window.end_s, 0)


def _not_before(problem: Problem, plan: Plan, task: Task) -> int:
    """A return's earliest pickup: its outbound's drop-off end plus the appointment."""
    if task.ride is None or task.ride.return_of is None:
        return 0
    drop = next((s for r in plan.routes for s in r.stops if s.task_id == task.ride.return_of
                 and s.action is StopAction.DROPOFF), None)
    return 0 if drop is None else drop.end_s + task.ride.appointment_s


def _series_days(problem: Problem, plan: Plan, task: Task, days: list[int]) -> frozenset[int]:
    """Days `task` may not be on: too near another served session of its series, or a
    day of the request's earlier sessions (`days`)."""
    series = next((s for s in problem.series if task.id in s.task_ids), None)
    gap = max(1, series.min_gap_days) if series is not None else 1
    taken = list(days)
    if series is not None:
        served = {s.task_id: s.start_s for r in plan.routes for s in r.stops}
        taken += [problem.day_of(served[t]) for t in series.task_ids
                  if t in served and t != task.id]
    return frozenset(d + k for d in taken for k in range(1 - gap, gap))


def _series_worker(problem: Problem, plan: Plan, task: Task) -> str | None:
    """The worker of the served sessions of `task`'s series if it requires one worker."""
    series = next((s for s in problem.series if task.id in s.task_ids), None)
    if series is None or series.continuity is not Continuity.REQUIRED:
        return None
    ids = set(series.task_ids) - {task.id}
    return next((r.worker_id for r in plan.routes for s in r.stops if s.task_id in ids), None)


def _made(problem: Problem, start: Basis, tasks: list[Task], option: Option,
          settings: OfferSettings, preferred_worker: str | None,
          preferred_start_s: int | None, makers: list[RoomMaker]) -> Offer | None:
    """The offer of `option` for the first task, the others inserted after it (where one
    fits nowhere, `makers` tried to make room for it); None if one of them fits nowhere
    or the checker finds the plan wrong."""
    basis = start
    promises: list[tuple[str, TimeWindow]] = []
    added, days = 0, list[int]()
    who = option.slot.worker
    for n, task in enumerate(tasks):
        if n > 0:
            is_return = task.ride is not None and task.ride.return_of in {t.id for t in tasks}
            basis, found = _later(basis, task, is_return, days, who.id, settings,
                                  preferred_worker, makers)
            if not found:
                return None
            option = min(found.values(), key=lambda o: (
                (0, 0) if is_return else o.rank,
                0 if is_return else _distance(o.candidate.window, preferred_start_s),
                o.candidate.window.start_s))
        window = option.candidate.window
        try:
            promised_task = promised(task, window)
        except ProblemError:
            return None
        placed = basis.derived(basis.plan, {**basis.promised, task.id: promised_task})
        slot = placed.slot(option.slot.worker, option.slot.shift_index)
        timed, _ = placed.insert(slot, _legs_of(placed, promised_task), option.positions)
        if timed is None:
            return None
        basis = placed.derived(placed.with_route(slot, timed))
        promises.append((task.id, window))
        added += option.added_s
        days.append(option.candidate.day)
    new = {t.id for t in tasks}
    plan = dataclasses.replace(basis.plan, unassigned=tuple(
        u for u in basis.plan.unassigned if u.task_id not in new))
    made = _with_tasks(problem, basis.promised)
    old_routes = {id(r) for r in start.plan.routes}
    tidy = dataclasses.replace(plan, routes=tuple(
        r if id(r) in old_routes else placed_breaks(made, r, retime=False)
        for r in plan.routes))
    if tidy != plan and not check(made, tidy):
        plan = tidy
    elif check(made, plan):
        return None
    order = {t: k for k, t in enumerate(t.id for t in tasks)}
    return Offer(tuple(sorted(promises, key=lambda p: order[p[0]])), who.id, who.vehicle_id,
                 added, plan)


def _later(basis: Basis, task: Task, is_return: bool, days: list[int], who: str,
           settings: OfferSettings, preferred_worker: str | None, makers: list[RoomMaker]
           ) -> tuple[Basis, dict[int, Option]]:
    """The options of a request's later task (a session after the request's `days`, or a
    return) in `basis`, else in the first room a maker makes for it."""
    problem = basis.problem
    cands = candidates(problem, task, settings.window_s, settings.step_s)
    series = next((s for s in problem.series if task.id in s.task_ids), None)
    only = who if series is not None and series.continuity is Continuity.REQUIRED else None

    def excluded(b: Basis) -> frozenset[int]:
        return frozenset() if is_return else _series_days(problem, b.plan, task, days)

    def found_in(b: Basis) -> dict[int, Option]:
        return options(b, task, cands, not_before=_not_before(problem, b.plan, task),
                       excluded_days=excluded(b), preferred_worker=preferred_worker or who,
                       only_worker=only, step_s=settings.step_s)

    found = found_in(basis)
    for make_room in makers if not found else []:
        allowed = _on_days(problem, task, excluded(basis))
        room = None if allowed is None else make_room(basis, allowed)
        if room is not None and (found := found_in(room)):
            return room, found
    return basis, found


def _on_days(problem: Problem, task: Task, excluded: frozenset[int]) -> Task | None:
    """`task` with only its wishes on days not `excluded` (None if none is left)."""
    windows = tuple(w for w in task.windows if problem.day_of(w.start_s) not in excluded)
    return dataclasses.replace(task, windows=windows) if windows else None


def _legs_of(basis: Basis, task: Task) -> list[Leg]:
    legs = basis.task_legs(task)
    nb = _not_before(basis.problem, basis.plan, task)
    return [legs[0].bounded(max(legs[0].lb, nb), legs[0].ub, client_busy(basis, task)),
            *legs[1:]]


def _with_tasks(problem: Problem, tasks: dict[str, Task]) -> Problem:
    return dataclasses.replace(problem, tasks=tuple(tasks.get(t.id, t) for t in problem.tasks))
