"""Solomon VRPTW benchmark through the same solver and checker users get.

DIMACS convention: every arc is its Euclidean length truncated to one decimal
(the matrix holds tenths as integers), travel time equals distance, the
objective is total distance only. A customer's due date bounds the service
start, so its task window ends at due + service.

    python -m benchmarks.solomon --time-limit 10 [--instances C101,R101] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import (
    SHARED_DATA,
    machine_line,
    parse_instances,
    run_side_by_side,
    write_vrplib_solution,
)
from optimiser.check import check
from optimiser.kpi import route_figures
from optimiser.model import (
    LabourRules,
    Location,
    Plan,
    Problem,
    Provider,
    ProviderKind,
    Task,
    TaskKind,
    TimeWindow,
    TravelMatrix,
    Worker,
)
from optimiser.params import SolveParams
from optimiser.solve import solve

SOLOMON_DIR = SHARED_DATA / "solomon"
SCALE = 10  # tenths


def read_instance(path: Path) -> Problem:
    """Parse a Solomon text file into a Problem (depot = location 0)."""
    lines = [ln.split() for ln in path.read_text().splitlines()]
    vehicle_row = next(i for i, ln in enumerate(lines) if ln[:1] == ["NUMBER"]) + 1
    fleet, capacity = int(lines[vehicle_row][0]), int(lines[vehicle_row][1])
    rows = [ln for ln in lines[vehicle_row + 1:] if len(ln) == 7 and ln[0].isdigit()]
    data = np.array([[float(x) for x in r] for r in rows])
    xy = data[:, 1:3]
    euclid = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    tenths = np.floor(euclid * SCALE + 1e-9).astype(np.int64)
    locations = tuple(Location(str(int(r[0])), 0.0, 0.0) for r in data)
    depot_due = int(data[0, 5]) * SCALE
    workers = tuple(
        Worker(id=f"v{k + 1}", name=f"vehicle {k + 1}", provider_id="fleet", skills=frozenset(),
               shifts=(TimeWindow(0, depot_due),), start_location_id="0", end_location_id="0",
               capacity=capacity)
        for k in range(fleet)
    )
    tasks = tuple(
        Task(id=str(int(r[0])), kind=TaskKind.VISIT, location_id=str(int(r[0])),
             service_s=int(r[6]) * SCALE, demand=int(r[3]), mandatory=True,
             windows=(TimeWindow(int(r[4]) * SCALE, (int(r[5]) + int(r[6])) * SCALE),))
        for r in data[1:]
    )
    return Problem(
        locations=locations, providers=(Provider("fleet", "fleet", ProviderKind.CUS),),
        workers=workers, tasks=tasks, matrix=TravelMatrix(tenths, tenths),
        rules=LabourRules(break_after_s=None), name=path.stem,
    )


def plan_distance(problem: Problem, plan: Plan) -> float:
    return sum(route_figures(problem, r).distance_m for r in plan.routes) / SCALE


@dataclass(frozen=True)
class Result:
    instance: str
    vehicles: int
    distance: float
    bks: float
    bks_vehicles: int
    served: int
    tasks: int
    violations: int
    time_s: float

    @property
    def feasible(self) -> bool:
        return self.violations == 0 and self.served == self.tasks

    @property
    def gap_pct(self) -> float:
        return 100.0 * (self.distance - self.bks) / self.bks


def run_one(name: str, time_limit_s: float, seed: int, out: Path | None) -> Result:
    problem = read_instance(SOLOMON_DIR / f"{name}.txt")
    bks = _bks()[name]
    started = time.perf_counter()
    plan = solve(problem, params=SolveParams(time_limit_s=time_limit_s, seed=seed,
                                             stall_solutions=None))
    elapsed = time.perf_counter() - started
    distance = plan_distance(problem, plan)
    if out is not None:
        write_vrplib_solution(out / f"{name}.sol",
                              [[s.task_id for s in r.stops] for r in plan.routes], distance)
    return Result(name, len(plan.routes), distance, bks[1], bks[0],
                  sum(len(r.stops) for r in plan.routes), len(problem.tasks),
                  len(check(problem, plan)), elapsed)


def _bks() -> dict[str, tuple[int, float]]:
    with (SOLOMON_DIR / "BKS_dimacs.csv").open() as f:
        return {r["instance"]: (int(r["vehicles"]), float(r["distance"]))
                for r in csv.DictReader(f)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--instances", type=str, default="", help="comma-separated; default all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="instances solved side by side")
    parser.add_argument("--out", type=Path, default=None, help="write VRPLIB .sol files here")
    args = parser.parse_args(argv)
    names = parse_instances(args.instances, sorted(_bks()))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    print(machine_line(time_limit_s=args.time_limit, seed=args.seed, jobs=args.jobs))
    print(f"{'instance':<8} {'veh':>4} {'bks_veh':>7} {'distance':>9} {'bks':>8} {'gap%':>6} "
          f"{'served':>7} {'viol':>4} {'time_s':>6}")
    results: list[Result] = []
    for r in run_side_by_side(run_one, names, args.jobs, args.time_limit, args.seed, args.out):
        results.append(r)
        print(f"{r.instance:<8} {r.vehicles:>4} {r.bks_vehicles:>7} {r.distance:>9.1f} "
              f"{r.bks:>8.1f} {r.gap_pct:>6.2f} {r.served:>3}/{r.tasks:<3} {r.violations:>4} "
              f"{r.time_s:>6.1f}", flush=True)
    feasible = [r for r in results if r.feasible]
    mean_gap = sum(r.gap_pct for r in feasible) / len(feasible) if feasible else math.nan
    print(f"solomon: mean_gap_pct={mean_gap:.2f} feasible={len(feasible)}/{len(results)} "
          f"time_limit_s={args.time_limit:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
