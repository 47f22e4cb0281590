"""Key figures of a plan, re-derived from the matrices (never from the solver's objective)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from optimiser.model import Plan, Priority, Problem, ProviderKind, Route, Task
from optimiser.rules import WORKER_HOURS, Basis, PesShare, Served, pes_share


@dataclass(frozen=True)
class RouteFigures:
    travel_s: int
    distance_m: int
    service_s: int
    work_s: int


@dataclass(frozen=True)
class Kpis:
    tasks: int
    served: int
    unassigned: int
    mandatory_unassigned: int
    routes: int
    travel_s: int
    distance_m: int
    service_s: int
    work_s: int
    served_by_priority: dict[str, str] = field(default_factory=dict)  # "high": "3/4"
    service_s_by_provider: dict[str, int] = field(default_factory=dict)
    pes_share: float | None = None  # PES share of worker-hours (`optimiser.rules.pes_share`)
    pes_share_target: float | None = None
    pes_share_met: bool | None = None
    series_one_worker_pct: float | None = None  # series with 2+ sessions served by one worker
    # balanced days (`Goals.balance`): the busiest worker less the least busy of those with
    # a shift, in busy time (travel and service) and in visits; None with fewer than two
    busy_spread_s: int | None = None
    visits_spread: int | None = None
    # continuity of care: of the served tasks of clients with familiar workers
    # (`Client.familiar`), the percentage served by one of them; None when there are none
    familiar_pct: float | None = None


def route_legs(problem: Problem, route: Route) -> list[tuple[str, str]]:
    """The (from, to) location ids a route drives: base, each stop, back to the end."""
    worker = problem.worker(route.worker_id)
    places = [worker.start_location_id, *(s.location_id for s in route.stops),
              worker.end_location_id]
    return list(zip(places, places[1:], strict=False))


def route_figures(problem: Problem, route: Route) -> RouteFigures:
    legs = route_legs(problem, route)
    return RouteFigures(
        travel_s=sum(problem.travel_s(a, b) for a, b in legs),
        distance_m=sum(problem.distance_m(a, b) for a, b in legs),
        service_s=sum(s.end_s - s.start_s for s in route.stops),
        work_s=route.work_s,
    )


def plan_pes_share(problem: Problem, routes: Iterable[Route],
                   basis: Basis = WORKER_HOURS) -> PesShare:
    """The PES share of `routes` on `basis` against the problem's goal
    (`optimiser.rules.pes_share`: the one rule; the plan's figures use worker-hours)."""
    return pes_share(((problem.provider(problem.worker(r.worker_id).provider_id).kind
                       is ProviderKind.PES,
                       [Served(s.task_id, s.action.value, s.start_s, s.end_s) for s in r.stops])
                      for r in routes), basis, problem.goals.pes_share_target)


def kpis(problem: Problem, plan: Plan) -> Kpis:
    figures = [route_figures(problem, r) for r in plan.routes]
    served_ids = {s.task_id for r in plan.routes for s in r.stops}
    total = Counter(t.priority.name.lower() for t in problem.tasks)
    served = Counter(t.priority.name.lower() for t in problem.tasks if t.id in served_ids)
    by_provider: Counter[str] = Counter({p.id: 0 for p in problem.providers})
    for route, fig in zip(plan.routes, figures, strict=True):
        by_provider[problem.worker(route.worker_id).provider_id] += fig.service_s
    pes = plan_pes_share(problem, plan.routes)
    worker_of = {s.task_id: r.worker_id for r in plan.routes for s in r.stops}
    multi = [{worker_of[t] for t in s.task_ids if t in worker_of} for s in problem.series
             if sum(t in worker_of for t in s.task_ids) >= 2]
    return Kpis(
        pes_share=None if pes.share is None else round(pes.share, 4),
        pes_share_target=pes.target, pes_share_met=pes.met,
        series_one_worker_pct=round(100 * sum(len(w) == 1 for w in multi) / len(multi), 1)
        if multi else None,
        tasks=len(problem.tasks),
        served=len(served_ids),
        unassigned=len(plan.unassigned),
        mandatory_unassigned=sum(1 for u in plan.unassigned if problem.task(u.task_id).mandatory),
        routes=len(plan.routes),
        travel_s=sum(f.travel_s for f in figures),
        distance_m=sum(f.distance_m for f in figures),
        service_s=sum(f.service_s for f in figures),
        work_s=sum(f.work_s for f in figures),
        served_by_priority={p: f"{served[p]}/{n}" for p, n in sorted(total.items())},
        service_s_by_provider=dict(by_provider),
        **spreads(zip(plan.routes, figures, strict=True),
                  [w.id for w in problem.workers if w.shifts]),
        familiar_pct=familiar_pct(problem, plan.routes),
    )


def familiar_pct(problem: Problem, routes: Iterable[Route]) -> float | None:
    """`Kpis.familiar_pct` of `routes`."""
    familiar = {c.id: c.familiar for c in problem.clients if c.familiar}
    by = [r.worker_id in familiar[c] for r in routes for s in r.stops
          if s.action is problem.task(s.task_id).actions[0]
          and (c := problem.task(s.task_id).client_id) in familiar]
    return round(100 * sum(by) / len(by), 1) if by else None


def spreads(figured: Iterable[tuple[Route, RouteFigures]], workers: Iterable[str]
            ) -> dict[str, int | None]:
    """`busy_spread_s` and `visits_spread` of the routes (with their `route_figures`)
    between `workers` (one without a route: 0; None with fewer than two workers)."""
    busy: Counter[str] = Counter(dict.fromkeys(workers, 0))
    visits: Counter[str] = Counter(dict.fromkeys(busy, 0))
    for route, fig in figured:
        busy[route.worker_id] += fig.travel_s + fig.service_s
        visits[route.worker_id] += len({s.task_id for s in route.stops})
    if len(busy) < 2:
        return {"busy_spread_s": None, "visits_spread": None}
    return {"busy_spread_s": max(busy.values()) - min(busy.values()),
            "visits_spread": max(visits.values()) - min(visits.values())}


def rank(problem: Problem, plan: Plan) -> tuple[int, ...]:
    """`rank_of` a plan's served tasks and travel."""
    served = [problem.task(task_id) for task_id in
              {s.task_id for r in plan.routes for s in r.stops}]
    return rank_of(served, sum(route_figures(problem, r).travel_s for r in plan.routes))


def rank_of(served: Iterable[Task], travel_s: int) -> tuple[int, ...]:
    """How good a plan is, as the planner ranks plans (larger is better), compared in order:
    promised tasks served, then mandatory ones, then tasks served by priority from urgent
    down, then less travel."""
    tasks = list(served)
    by_priority = Counter(t.priority for t in tasks)
    return (sum(t.promise is not None for t in tasks), sum(t.mandatory for t in tasks),
            *(by_priority[p] for p in sorted(Priority, reverse=True)), -travel_s)
