"""Re-planning on the generated Starachowice week: 50 random events, one at a time, each
on the plan the previous one gave.

The week is planned once (fixed seed and solution budget); then the clock moves through
the working days and at each step one event happens: a new urgent or high request for a
known client, a cancellation, a worker off for the rest of the day, the bus off for three
hours, a visit that started late, ran late, finished, or found nobody at home. Each is
re-planned (`optimiser.replan`, its default budget: a solution count), checked, and the
same event is also planned "from scratch": the frozen part kept, the rest of the day
planned anew with the default first solutions and GLS of a new plan, the same solution
budget. Prints the machine and settings, one row per event, and

    replan: events=50 median_s=X p95_s=Y untouched_routes_pct=Z violations=N

where the untouched share counts the routes of the days planned again that came back
the same (same stops in the same order, each within the tolerance of its old start).

    python -m benchmarks.replan [--events 50] [--seed 0] [--plan-max-solutions 300]
                                [--stability 1] [--no-scratch]

`--http` times re-planning over HTTP on the demo day instead, as the page does it, and
compares its plan with `trasa replan`'s (`benchmarks.replan_http`).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import random
import statistics
import time

from api.convert.scenario import parse_scenario
from api.services.planning import plan_scenario
from benchmarks import replan_http
from benchmarks.common import REPO, machine_line
from data.generate_week import SEED, START, build_towns
from optimiser.check import check
from optimiser.model import Plan, Priority, Problem, StopAction, TaskKind, TimeWindow
from optimiser.params import SolveParams
from optimiser.replan import (
    ChangeKind,
    Event,
    EventKind,
    ReplanError,
    ReplanParams,
    replan,
    same_route,
)
from optimiser.rules import route_day_index

H = 3600


def _served(plan: Plan, problem: Problem, day: int) -> tuple[int, int]:
    """(served, tasks) among the tasks with a window on `day`."""
    mine = {t.id for t in problem.tasks if any(problem.day_of(w.start_s) == day
                                                for w in t.windows)}
    served = {s.task_id for r in plan.routes for s in r.stops} & mine
    return len(served), len(mine)


def _event(rng: random.Random, problem: Problem, plan: Plan, now: int, n: int
           ) -> tuple[Problem, Event] | None:
    stops = [(r, s) for r in plan.routes for s in r.stops]
    today = problem.day_of(now)
    end_of_day = problem.day_starts_s[today] + 20 * H
    kind = rng.choice(["new", "new", "cancel", "sick", "bus", "started", "late", "late",
                       "finished", "no_show"])
    if kind == "new":
        visits = [t for t in problem.tasks if t.kind is TaskKind.VISIT and t.client_id]
        model = rng.choice(visits)
        start = now + rng.randint(1, 3) * 1800
        task = dataclasses.replace(
            model, id=f"new-{n}", windows=(TimeWindow(start, start + 3 * H),),
            priority=rng.choice([Priority.URGENT, Priority.HIGH]), mandatory=False)
        return (dataclasses.replace(problem, tasks=(*problem.tasks, task), series=problem.series),
                Event(EventKind.NEW_REQUEST, task.id))
    if kind == "cancel":
        later = [s.task_id for _, s in stops if now < s.start_s < end_of_day
                 and s.action is not StopAction.DROPOFF]
        return (problem, Event(EventKind.CANCELLED, rng.choice(later))) if later else None
    if kind == "sick":
        busy = sorted({r.worker_id for r, s in stops if now < s.start_s < end_of_day})
        return (problem, Event(EventKind.WORKER_UNAVAILABLE, rng.choice(busy),
                               at_s=now + 1800, until_s=end_of_day)) if busy else None
    if kind == "bus":
        return problem, Event(EventKind.VEHICLE_UNAVAILABLE, rng.choice(problem.vehicles).id,
                              at_s=now + 1800, until_s=now + 4 * H)
    if kind == "late":  # under way, or about to begin
        soon = [s for _, s in stops if s.start_s - H <= now < s.end_s
                and s.action is not StopAction.DROPOFF]
        return (problem, Event(EventKind.LATE, (stop := rng.choice(soon)).task_id, stop.action,
                               late_s=rng.randint(1, 4) * 600)) if soon else None
    begun = [s for _, s in stops if s.start_s <= now < s.end_s + 1800
             and s.action is not StopAction.DROPOFF]
    if not begun:
        return None
    stop = rng.choice(begun)
    at = min(now, stop.start_s + rng.randint(0, 2) * 300)
    kinds = {"started": EventKind.STARTED, "finished": EventKind.FINISHED,
             "no_show": EventKind.NO_SHOW}
    if kind == "finished":
        at = min(now, max(at, stop.end_s - 600))
    return problem, Event(kinds[kind], stop.task_id, stop.action, at_s=at)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0, help="seed of the events")
    parser.add_argument("--plan-max-solutions", type=int, default=None,
                        help="budget of the first plan (default 300 for the week, 200 for "
                             "the demo day of --http)")
    parser.add_argument("--no-scratch", action="store_true",
                        help="skip the from-scratch comparison (half the time)")
    parser.add_argument("--stability", type=int, default=ReplanParams.stability,
                        help="cost of a second a stop moves beyond the tolerance (0: none)")
    replan_http.add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if args.http:
        args.plan_max_solutions = args.plan_max_solutions or 200
        return replan_http.main(args)
    args.plan_max_solutions = args.plan_max_solutions or 300
    params = ReplanParams(stability=args.stability)
    print(machine_line(events=args.events, seed=args.seed, stability=params.stability,
                       replan_max_solutions=params.solve.max_solutions,
                       plan_max_solutions=args.plan_max_solutions))
    scenario = parse_scenario(build_towns(SEED, 7, START))
    planned = plan_scenario(scenario, base_dir=REPO, params=SolveParams(
        time_limit_s=600, max_solutions=args.plan_max_solutions))
    problem, plan = planned.problem, planned.plan
    print(f"# network: {planned.network.source}; week planned: "
          f"{sum(1 for r in plan.routes for _ in r.stops)} stops, "
          f"{len(plan.unassigned)} of {len(problem.tasks)} tasks left out")
    rng = random.Random(args.seed)
    days = sorted({route_day_index(problem, r) for r in plan.routes})
    steps = [problem.day_starts_s[d] + 8 * H + k * (9 * H // 10) for d in days
             for k in range(10)]
    print(f"{'#':>3} {'now':<11} {'event':<22} {'s':>6} {'untouched':>9} {'moved':>5} "
          f"{'served':>9} {'scratch':>9} {'scratch s':>9}")
    times, untouched, before_all, moved, violations = [], 0, 0, [], 0
    served_re, served_scratch = 0, 0
    n = 0
    for now in steps:
        if n >= args.events:
            break
        picked = _event(rng, problem, plan, now, n)
        if picked is None:
            continue
        world, event = picked
        t0 = time.perf_counter()
        try:
            out = replan(world, plan, [event], now, params)
        except ReplanError as exc:
            print(f"    refused: {exc}")
            continue
        seconds = time.perf_counter() - t0
        n += 1
        violations += len(check(out.problem, out.plan))
        day = problem.day_of(now)
        on_days = [r for r in plan.routes if out.problem.day_of(r.start_s) in out.days]
        same = sum(1 for r in on_days if same_route(r, out.plan, params.tolerance_s))
        untouched, before_all = untouched + same, before_all + len(on_days)
        moved.append(sum(1 for c in out.changes if c.kind is ChangeKind.REMOVED
                         and c.reason.startswith("moved to")))
        served, tasks = _served(out.plan, out.problem, day)
        served_re += served
        scratch_text, scratch_s = "-", "-"
        if not args.no_scratch:
            t0 = time.perf_counter()
            fresh = replan(world, plan, [event], now,
                           dataclasses.replace(params, warm_start=False))
            scratch_s = f"{time.perf_counter() - t0:.2f}"
            violations += len(check(fresh.problem, fresh.plan))
            fresh_served, _ = _served(fresh.plan, fresh.problem, day)
            served_scratch += fresh_served
            scratch_text = f"{fresh_served}/{tasks}"
        times.append(seconds)
        print(f"{n:>3} {problem.calendar.iso(now)[5:16]:<11} "
              f"{event.kind.value + ' ' + event.target:<22.22} {seconds:>6.2f} "
              f"{same:>4}/{len(on_days):<4} {moved[-1]:>5} {served:>4}/{tasks:<4} "
              f"{scratch_text:>9} {scratch_s:>9}")
        problem, plan = out.problem, out.plan
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    share = 100 * untouched / max(1, before_all)
    print(f"# re-planning time: median {statistics.median(times):.2f} s, p95 {p95:.2f} s, "
          f"worst {times[-1]:.2f} s; tasks moved to another worker per event: median "
          f"{statistics.median(moved):.0f}, worst {max(moved)}")
    if not args.no_scratch:
        print(f"# served on the day of each event, summed: re-planned {served_re}, "
              f"from scratch {served_scratch} (same budget)")
    print(f"replan: events={n} median_s={statistics.median(times):.2f} p95_s={p95:.2f} "
          f"untouched_routes_pct={share:.1f} violations={violations}")
    return 0 if violations == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
