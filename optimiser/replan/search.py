"""Re-planning: each day to plan again is searched with the full model of the day
(`optimiser.ortools`), frozen stops pinned, starting from the published routes and paying
for every change (`Stability`); a plan made anew is tried when the descent from the old
routes leaves out a task that outranks a served one. The plan is checked before it is
answered."""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Sequence

from optimiser.check import PlanRejected, check
from optimiser.kpi import rank_of
from optimiser.model import Continuity, Plan, Problem, Reason, Route, RunStats, Task, Unassigned
from optimiser.ortools import daywise
from optimiser.ortools.model import RoutingProblem
from optimiser.ortools.model_search import NoFeasibleStart, search_fresh, search_from
from optimiser.ortools.raw import RawRoute, RawSolution
from optimiser.ortools.watch import Watch
from optimiser.params import CancelSignal, ProgressCallback, SolveParams
from optimiser.reasons import diagnose_alone, lost_to_others
from optimiser.replan.answer import Replanned, changes_between, same_route
from optimiser.replan.events import Event, ReplanError
from optimiser.replan.facts import apply_facts
from optimiser.replan.frozen import PlanAtNow
from optimiser.replan.params import ReplanParams
from optimiser.rules import gives_way
from optimiser.solve import REPAIRABLE, repaired, route_of, tightened

MIN_ANEW_S = 0.5  # a plan made anew in less time rarely serves more
MAX_ANEW_S = 1.0  # ... and given more, it did not serve more than the descent on the demo
# day's sick-worker events, while a re-planning at the phone waited for it


def replan(problem: Problem, published: Plan, events: Sequence[Event], now_s: int,
           params: ReplanParams | None = None, *, on_progress: ProgressCallback | None = None,
           cancel: CancelSignal | None = None) -> Replanned:
    """Plan again from `now_s` after `events`. `problem` is the problem `published` was
    planned for (the plan's earlier facts applied) with any new requests added."""
    params = params or ReplanParams()
    state = PlanAtNow(problem, published, events, now_s)
    full = dataclasses.replace(apply_facts(problem, state.facts),
                               begun=frozenset(t for t, _ in state.frozen))
    if not events:
        plan = dataclasses.replace(published, stats=RunStats())
        return Replanned(full, plan, state.facts, (), (), frozenset(state.frozen),
                         len(published.routes), len(published.routes))
    strict = state.strict_problem(full)
    days = state.days_to_plan(full)
    watch = Watch(len(strict.tasks), on_progress, cancel, params.solve.stall_solutions)
    raw_routes = [kept for r in published.routes
                  if (kept := _raw(r, state.shift_in(full, r))) is not None]
    held = frozenset(s.id for s in full.series if s.continuity is not Continuity.NONE)
    offered: set[str] = set()
    deadline = time.monotonic() + params.solve.time_limit_s  # for every day planned again
    for n, day in enumerate(days):
        if watch.stop_requested():
            break
        others = [r for r in raw_routes if daywise.day_of_route(full, r) != day]
        mine = [r for r in raw_routes if daywise.day_of_route(full, r) == day]
        elsewhere = {t for r in others for t, _, _ in r.visits}
        candidates = [t for t in strict.tasks if t.id not in elsewhere]
        part = daywise.day_problem(strict, day, candidates, others, held)
        if not part.shift_of:
            continue
        ids = {t.id for t in part.tasks}
        offered |= ids
        pinned = dict(part.pinned) | {t: w for (t, _), w in state.frozen.items() if t in ids}
        model = functools.partial(RoutingProblem, part.problem, part.tasks, part.same_worker,
                                  pinned, stability=state.stability(params))
        budget = dataclasses.replace(
            params.solve, time_limit_s=max(0.1, (deadline - time.monotonic()) / (len(days) - n)),
            max_solutions=None if params.solve.max_solutions is None
            else max(1, params.solve.max_solutions // (len(days) - n)))
        if params.warm_start:
            rp = model()
            try:
                raw = search_from(rp, _start_routes(rp, part, mine, state), budget, watch,
                                  first=frozenset(t for t, _ in state.frozen))
            except NoFeasibleStart as exc:
                raise ReplanError(f"events: {exc}: {state.reported_stops()}") from None
            # A descent from the old routes trades one task for one; an urgent request
            # that needs two stops out, or a moved task that outranks a served one, may
            # need a plan made anew (a descent too), in the time left: the one serving
            # more by priority is kept.
            left = (deadline - time.monotonic()) / (len(days) - n)
            if left > MIN_ANEW_S and _outranked(part.problem, part.tasks, raw, state) and not (
                    watch.stop_requested()):
                anew = search_fresh(model(), dataclasses.replace(
                    budget, time_limit_s=min(left, MAX_ANEW_S)), watch)
                if _served_rank(part.problem, anew) > _served_rank(part.problem, raw):
                    raw = anew
        else:
            raw = search_fresh(model(), dataclasses.replace(
                budget, metaheuristic=SolveParams().metaheuristic), watch)
        raw_routes = others + [part.to_week(r) for r in raw.routes]
    plan = _finished(full, strict, state, raw_routes, offered, watch)
    stops = {(s.task_id, s.action) for r in plan.routes for s in r.stops}
    if lost := [k for k in state.frozen if k not in stops]:  # the past never goes silently
        why = {u.task_id: u.detail or u.reason.value for u in plan.unassigned}
        hhmm = full.calendar.hhmm
        told = "; ".join(f"{t} {a.value} at {hhmm(start)} ({why.get(t, 'no place')})"
                         for t, a in lost for start in [state.times_of(t, a)[0]])
        raise ReplanError(f"events: what happened cannot be kept with every rule of the "
                          f"day: {told}; check the reported stops")
    violations = check(full, plan, promises=False)
    if violations:
        raise PlanRejected(violations)
    changes = tuple(changes_between(full, published, plan, state, params.tolerance_s))
    untouched = sum(1 for r in published.routes if same_route(r, plan, params.tolerance_s))
    return Replanned(full, plan, state.facts, changes, tuple(days), frozenset(state.frozen),
                     untouched, len(published.routes), tuple(state.warnings))


def _served_rank(problem: Problem, raw: RawSolution) -> tuple[int, ...]:
    """`optimiser.kpi.rank_of` the tasks served, travel aside."""
    served = {t for r in raw.routes for t, _, _ in r.visits}  # a trip once, not per stop
    return rank_of((problem.task(t) for t in served), 0)


def _outranked(problem: Problem, offered: Sequence[Task], raw: RawSolution, state: PlanAtNow
               ) -> bool:
    """Whether an offered task the events touched (a new request, or one served before)
    is left out while a worker with its skills, or its client, has one of lower rank."""
    served = {t for r in raw.routes for t, _, _ in r.visits}
    served_before = {task_id for task_id, _ in state.stop_of}
    rank = {t.id: gives_way(t) for t in offered}
    for task in offered:
        if task.id in served or not (task.id in state.new_requests
                                     or task.id in served_before):
            continue
        if task.client_id is not None and any(
                t.client_id == task.client_id and t.id in served and rank[t.id] < rank[task.id]
                for t in offered):
            return True  # the client's time may be held by the lower one
        for route in raw.routes:
            if task.required_skills <= problem.worker(route.worker_id).skills and any(
                    rank.get(t, rank[task.id]) < rank[task.id] for t, _, _ in route.visits):
                return True
    return False


def _raw(route: Route, shift: int | None) -> RawRoute | None:
    if shift is None:
        return None
    return RawRoute(route.worker_id, shift, route.start_s, route.end_s,
                    tuple((s.task_id, s.action, s.start_s) for s in route.stops),
                    tuple((b.start_s, b.end_s) for b in route.breaks))


def _start_routes(rp: RoutingProblem, part: daywise.DayProblem, mine: list[RawRoute],
                  state: PlanAtNow) -> list[list[int]]:
    """The published routes of the day as routing indices per vehicle of `rp`, each in
    the order its stops happen now (a reported stop at its real time: a bus may have
    fetched its second passenger first)."""
    vehicle = {}
    for (worker_id, k), week_k in part.shift_of.items():
        vehicle[(worker_id, week_k)] = next(v for v, (w, kk) in enumerate(rp.shifts)
                                            if w.id == worker_id and kk == k)
    routes: list[list[int]] = [[] for _ in rp.shifts]
    for raw in mine:
        v = vehicle.get((raw.worker_id, raw.shift_index))
        if v is None:
            continue
        at = {(t, a): state.actuals[(t, a)].start_s if (t, a) in state.actuals else start
              for t, a, start in raw.visits}
        stops = sorted(((t, a) for t, a, _ in raw.visits if (t, a) in rp.node_of),
                       key=lambda k: at[k])
        # A trip whose pickup or drop-off is not offered any more goes with both.
        whole = {t for t, _ in stops
                 if all((t, a) in stops for a in rp.problem.task(t).actions)}
        routes[v] = [rp.index(t, a) for t, a in stops if t in whole]
    return routes


def _finished(full: Problem, strict: Problem, state: PlanAtNow, raw_routes: list[RawRoute],
              offered: set[str], watch: Watch) -> Plan:
    routes = tuple(route_of(strict, r) for r in raw_routes)
    served = {s.task_id for r in routes for s in r.stops}
    # Reasons come below; the checker needs every task accounted for.
    plan = Plan(routes=routes, unassigned=tuple(Unassigned(t.id, Reason.CAPACITY_EXHAUSTED)
                                                for t in strict.tasks if t.id not in served))
    tight = dataclasses.replace(plan, routes=tuple(tightened(strict, r) for r in routes))
    for candidate in (tight, plan):
        if all(v.rule in REPAIRABLE and v.tasks
               for v in check(strict, candidate, promises=False)):
            plan = repaired(strict, candidate)
            break
    else:
        raise PlanRejected(check(strict, plan, promises=False))
    served = {s.task_id for r in plan.routes for s in r.stops}
    planned_for = {t.id for t in strict.tasks}
    unassigned = []
    for task in full.tasks:
        if task.id in served:
            continue
        if task.id in state.no_show:
            unassigned.append(Unassigned(task.id, Reason.NO_SHOW))
        elif task.id in offered and task.id in planned_for:
            mine = strict.task(task.id)
            reason = diagnose_alone(strict, mine)
            unassigned.append(Unassigned(task.id, reason) if reason else lost_to_others(
                strict, plan, mine))
        elif task.id in state.unserved:
            unassigned.append(state.unserved[task.id])
        elif task.id in planned_for:
            # A task of a day not planned again, that lost its place there (a rule
            # spanning days, e.g. weekly hours, after a change today).
            unassigned.append(Unassigned(task.id, Reason.CAPACITY_EXHAUSTED,
                                         "removed when another day was planned again"))
        else:
            unassigned.append(Unassigned(task.id, Reason.WINDOW_PASSED))
    stats = RunStats(time_s=round(watch.elapsed_s(), 3), solutions=watch.solutions,
                     improvements=tuple(watch.improvements), cancelled=watch.cancelled,
                     warnings=tuple(state.warnings))
    return Plan(routes=plan.routes, unassigned=tuple(unassigned), objective=0,
                solver_status="REPLANNED", stats=stats)
