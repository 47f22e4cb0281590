"""How fast the offer engine (`optimiser.offers.find_offers`) answers, in process.

For each generated CUS day (`data/generate_cusday.py` over the Chełm road network) and
generated week (`data/generate_week.py`), the problem is planned by `optimiser.solve`
stopped by a solution count; then requests are taken out of the plan one at a time (a
served visit or job, a whole series, an outbound trip with its return; or a task the
plan left out) and the engine is asked for offers for them against the plan without
them, the request's own windows as the caller's wishes. Each query is timed (the engine
alone: no HTTP, no storage) and every offer it returns has passed the independent
checker inside the engine. Prints one row per horizon and seed (requests taken out of
the plan and answered / asked, the same for tasks the plan left out) and one summary
line:

    offer_engine: day_p95_ms=… day_worst_ms=… week_p95_ms=… week_worst_ms=… answered_pct=…

    python -m benchmarks.offer_engine [--day-seeds 1,2,3] [--size 50] [--week-seeds 1]
                                      [--queries 20] [--max-solutions 300]
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import time
from pathlib import Path

from api.convert.scenario import parse_scenario
from api.services.planning import prepare
from benchmarks.common import REPO, SHARED_DATA, machine_line
from data.generate_cusday import build_cusday
from data.generate_week import build_week
from optimiser.model import Plan, Problem
from optimiser.offers import OfferSettings, find_offers
from optimiser.params import SolveParams
from optimiser.solve import plan_without, solve

CHELM = SHARED_DATA / "osm" / "Chelm_map.graphml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day-seeds", default="1,2,3")
    parser.add_argument("--size", type=int, default=50, help="tasks of a CUS day")
    parser.add_argument("--week-seeds", default="1", help="'' for none")
    parser.add_argument("--queries", type=int, default=20, help="requests per horizon and seed")
    parser.add_argument("--max-solutions", type=int, default=300)
    parser.add_argument("--graph", type=Path, default=CHELM)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    print(machine_line(size=args.size, queries=args.queries, max_solutions=args.max_solutions))
    print(f"{'horizon':>7} {'seed':>4} {'tasks':>5} {'routes':>6} {'queries':>7} | "
          f"{'ms median':>9} {'p95':>7} {'worst':>7} | {'answered: out':>13} {'left':>6} "
          f"{'offers':>6}")
    times: dict[str, list[float]] = {"day": [], "week": []}
    answered = asked = 0
    runs = [("day", int(s)) for s in args.day_seeds.split(",") if s]
    runs += [("week", int(s)) for s in args.week_seeds.split(",") if s]
    for horizon, seed in runs:
        problem = _day(args.graph, args.size, seed) if horizon == "day" else _week(seed)
        plan = solve(problem, params=SolveParams(time_limit_s=600, seed=0,
                                                 max_solutions=args.max_solutions))
        ms, got, offers = _queries(problem, plan, args.queries, seed)
        times[horizon] += ms
        answered += got[0] + got[2]
        asked += len(ms)
        print(f"{horizon:>7} {seed:>4} {len(problem.tasks):>5} {len(plan.routes):>6} "
              f"{len(ms):>7} | {statistics.median(ms):>9.1f} {_p95(ms):>7.1f} {max(ms):>7.1f} | "
              f"{f'{got[0]}/{got[1]}':>13} {f'{got[2]}/{got[3]}':>6} {offers:>6}")
    parts = [f"{h}_p95_ms={_p95(v):.0f} {h}_worst_ms={max(v):.0f}"
             for h, v in times.items() if v]
    print(f"offer_engine: {' '.join(parts)} answered_pct={100 * answered / max(asked, 1):.0f}")
    return 0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _day(graph: Path, size: int, seed: int) -> Problem:
    day = build_cusday(graph, size, seed)
    return prepare(parse_scenario(day, source=f"cusday {size}/{seed}"),
                   base_dir=graph.parent).problem


def _week(seed: int) -> Problem:
    return prepare(parse_scenario(build_week(seed), source=f"week {seed}"),
                   base_dir=REPO / "data" / "scenarios").problem


def _queries(problem: Problem, plan: Plan, count: int, seed: int
             ) -> tuple[list[float], tuple[int, int, int, int], int]:
    """(ms per query, (taken out and answered, taken out, left out and answered, left
    out), offers made) for `count` requests."""
    rng = random.Random(seed)
    served = sorted({s.task_id for r in plan.routes for s in r.stops})
    left = sorted(u.task_id for u in plan.unassigned)
    picks = rng.sample(served, min(len(served), count - count // 4))
    picks += rng.sample(left, min(len(left), count - len(picks)))
    ms: list[float] = []
    got = [0, 0, 0, 0]
    offers = 0
    settings = OfferSettings(count=3)
    for task_id in picks:
        request = _request(problem, task_id, set(served))
        basis = plan_without(problem, plan, request)
        started = time.perf_counter()
        found = find_offers(problem, basis, request, settings)
        ms.append(1000 * (time.perf_counter() - started))
        kind = 0 if task_id in served else 2
        got[kind] += bool(found)
        got[kind + 1] += 1
        offers += len(found)
    return ms, (got[0], got[1], got[2], got[3]), offers


def _request(problem: Problem, task_id: str, served: set[str]) -> tuple[str, ...]:
    """The request `task_id` belongs to: its served series, or its trip and return."""
    series = next((s for s in problem.series if task_id in s.task_ids), None)
    if series is not None and task_id in served:
        return tuple(t for t in series.task_ids if t in served)
    task = problem.task(task_id)
    if task.ride is not None:
        pair = task.ride.return_of or next(
            (t.id for t in problem.tasks if t.ride and t.ride.return_of == task_id), None)
        if pair is not None and (pair in served) == (task_id in served):
            return tuple(sorted((task_id, pair), key=lambda t: problem.task(t).ride is not None
                                and problem.task(t).ride.return_of is not None))  # type: ignore[union-attr]
    return (task_id,)


if __name__ == "__main__":
    raise SystemExit(main())
