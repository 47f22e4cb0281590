"""Balanced days on the demo week: how even the physiotherapists' days are with the goal
off, on working time and on visits, and what it costs in travel and served tasks.

Plans the shipped demo week (`data/scenarios/starachowice_week.json`) through
`api.services.planning.plan_scenario` once per variant and solver seed, each plan
checked. Per plan: served tasks, travel, and over the days the spread of the
physiotherapists' busy minutes (travel and service; the busiest one's less the least
busy one's among those with a shift that day, one without a route counting 0): the mean
over the days and the worst day; the same for their visits. Prints the machine, one
row per plan and one line per variant against "off" (medians over the seeds):

    balance: variant=V seeds=N spread_min_median=S (off O) worst_day_min_median=W \
        travel_pct_median=+T served_delta_median=D

    python -m benchmarks.balance [--time-limit 30] [--seeds 0,1,2] [--graph FILE]
"""

from __future__ import annotations

import argparse
import logging
import statistics
from collections import defaultdict
from typing import Any

from api.convert.scenario import read_scenario
from api.services.planning import plan_scenario
from benchmarks.common import REPO, machine_line
from optimiser.check import check
from optimiser.kpi import route_figures
from optimiser.model import DEFAULT_BALANCE_WEIGHT, Plan, Problem
from optimiser.params import SolveParams

WEEK = REPO / "data" / "scenarios" / "starachowice_week.json"
VARIANTS = ("off", "work", "visits")
SKILL = "physio"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0, help="search seconds")
    parser.add_argument("--seeds", default="0,1,2", help="solver seeds")
    parser.add_argument("--graph", default=None,
                        help="road network (default: the scenario's; a synthetic grid "
                             "offline)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    seeds = [int(x) for x in args.seeds.split(",")]
    print(machine_line(time_limit_s=args.time_limit, seeds=args.seeds, scenario="demo week"))
    print(f"{'variant':>7} {'seed':>4} | {'served':>6} {'travel h':>8} | "
          f"{'busy spread min: mean':>21} {'worst':>5} | {'visits spread: mean':>19} "
          f"{'worst':>5} | checked")
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    synthetic = False
    for variant in VARIANTS:
        for seed in seeds:
            row = _plan(variant, seed, args)
            synthetic |= row.pop("synthetic")
            rows[variant].append(row)
            print(f"{variant:>7} {seed:>4} | {row['served']:>6} {row['travel_h']:>8.1f} | "
                  f"{row['busy_mean']:>21.0f} {row['busy_worst']:>5.0f} | "
                  f"{row['visits_mean']:>19.1f} {row['visits_worst']:>5} | "
                  f"{'passed' if not row['violations'] else str(row['violations']) + ' viol.'}")
    if synthetic:
        print("# network: SYNTHETIC GRID: no real road network was available, travel times "
              "are not real")
    off = rows["off"]
    for variant in VARIANTS[1:]:
        on = rows[variant]
        travel = statistics.median(100 * (a["travel_h"] / b["travel_h"] - 1)
                                   for a, b in zip(on, off, strict=True))
        served = statistics.median(a["served"] - b["served"] for a, b in zip(on, off, strict=True))
        print(f"balance: variant={variant} seeds={len(on)} "
              f"spread_min_median={_median(on, 'busy_mean'):.0f} "
              f"(off {_median(off, 'busy_mean'):.0f}) "
              f"worst_day_min_median={_median(on, 'busy_worst'):.0f} "
              f"(off {_median(off, 'busy_worst'):.0f}) "
              f"travel_pct_median={travel:+.1f} served_delta_median={served:+.0f}")
    return 0


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def _plan(variant: str, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    path = WEEK
    scenario = read_scenario(path)
    if variant != "off":
        goals = scenario.goals.model_copy(update={
            "balance": variant, "balance_weight": DEFAULT_BALANCE_WEIGHT[variant]})
        scenario = scenario.model_copy(update={"goals": goals})
    planned = plan_scenario(scenario, base_dir=path.parent,
                            params=SolveParams(time_limit_s=args.time_limit, seed=seed),
                            graph=args.graph)
    problem, plan = planned.problem, planned.plan
    busy, visits = _spreads_by_day(problem, plan)
    return {"served": len({s.task_id for r in plan.routes for s in r.stops}),
            "travel_h": sum(route_figures(problem, r).travel_s for r in plan.routes) / 3600,
            "busy_mean": statistics.mean(busy) / 60, "busy_worst": max(busy) / 60,
            "visits_mean": statistics.mean(visits), "visits_worst": max(visits),
            "violations": len(check(problem, plan)), "synthetic": planned.network.synthetic}


def _spreads_by_day(problem: Problem, plan: Plan) -> tuple[list[int], list[int]]:
    """Per day with two physiotherapists on shift or more: the spread of their busy
    seconds and of their visits."""
    busy: dict[int, dict[str, int]] = defaultdict(dict)
    visits: dict[int, dict[str, int]] = defaultdict(dict)
    for worker in problem.workers:
        if SKILL in worker.skills:
            for shift in worker.shifts:
                day = problem.day_of(shift.start_s)
                busy[day][worker.id] = visits[day][worker.id] = 0
    for route in plan.routes:
        day = problem.day_of(route.start_s)
        if route.worker_id in busy[day]:
            figures = route_figures(problem, route)
            busy[day][route.worker_id] += figures.travel_s + figures.service_s
            visits[day][route.worker_id] += len({s.task_id for s in route.stops})
    days = [d for d in sorted(busy) if len(busy[d]) > 1]
    return ([max(busy[d].values()) - min(busy[d].values()) for d in days],
            [max(visits[d].values()) - min(visits[d].values()) for d in days])


if __name__ == "__main__":
    raise SystemExit(main())
