"""Cordeau (2006) dial-a-ride benchmark through the same solver and checker users get.

Each request is a trip (pickup i, drop-off n+i) with the file's service times,
windows on the service start, vehicle capacity Q, maximum ride time L and
maximum route duration T. Travel time equals the Euclidean distance; the
matrix holds it in thousandths of a minute, rounded up so that a plan the
checker accepts is also feasible in exact arithmetic. The reported cost is the
exact (unrounded) Euclidean length of the routes.

    python -m benchmarks.darp --time-limit 30 [--instances a2-16,path/to/file.txt] [--out DIR]
"""

from __future__ import annotations

import argparse
import math
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import SHARED_DATA, machine_line, run_side_by_side, write_vrplib_solution
from optimiser.check import check
from optimiser.model import (
    LabourRules,
    Location,
    Passengers,
    Plan,
    Problem,
    Provider,
    ProviderKind,
    Ride,
    StopAction,
    Task,
    TaskKind,
    TimeWindow,
    TravelMatrix,
    Vehicle,
    Worker,
)
from optimiser.params import FirstSolution, SolveParams
from optimiser.solve import solve

DARP_DIR = SHARED_DATA / "darp" / "cordeau2006"
SCALE = 1000  # thousandths of a minute


@dataclass(frozen=True)
class Instance:
    problem: Problem
    euclid: np.ndarray  # exact distances between nodes (file order)
    requests: int


def read_instance(path: Path) -> Instance:
    """Parse a Cordeau (2006) file: header `K n T Q L`, then 2n+2 node rows."""
    rows = [ln.split() for ln in path.read_text().splitlines() if ln.strip()]
    vehicles, n, max_duration, capacity, max_ride = (float(x) for x in rows[0][:5])
    k, n = int(vehicles), int(n)
    nodes = np.array([[float(x) for x in r[:7]] for r in rows[1:2 * n + 3]])
    if nodes.shape != (2 * n + 2, 7):
        raise ValueError(f"{path}: expected {2 * n + 2} node rows of 7 numbers, "
                         f"got {nodes.shape}")
    xy = nodes[:, 1:3]
    euclid = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    ticks = np.ceil(euclid * SCALE - 1e-9).astype(np.int64)

    def window(i: int) -> tuple[TimeWindow, ...]:
        service = int(nodes[i, 3] * SCALE)
        return (TimeWindow(int(nodes[i, 5] * SCALE), int(nodes[i, 6] * SCALE) + service),)

    tasks = tuple(
        Task(
            id=str(i), kind=TaskKind.TRIP, location_id=str(i), service_s=int(nodes[i, 3] * SCALE),
            windows=window(i), required_skills=frozenset(), mandatory=True,
            ride=Ride(dropoff_location_id=str(n + i), dropoff_windows=window(n + i),
                      alight_s=int(nodes[n + i, 3] * SCALE),
                      passengers=Passengers(seated=int(nodes[i, 4])),
                      max_ride_s=int(max_ride * SCALE)),
        )
        for i in range(1, n + 1)
    )
    shift = TimeWindow(int(nodes[0, 5] * SCALE), int(nodes[2 * n + 1, 6] * SCALE))
    workers = tuple(
        Worker(id=f"v{j + 1}", name=f"vehicle {j + 1}", provider_id="fleet", skills=frozenset(),
               shifts=(shift,), start_location_id="0", end_location_id=str(2 * n + 1),
               max_work_s=int(max_duration * SCALE), vehicle_id=f"bus{j + 1}")
        for j in range(k)
    )
    problem = Problem(
        locations=tuple(Location(str(i), 0.0, 0.0) for i in range(2 * n + 2)),
        providers=(Provider("fleet", "fleet", ProviderKind.CUS),), workers=workers, tasks=tasks,
        matrix=TravelMatrix(ticks, ticks), rules=LabourRules(break_after_s=None),
        vehicles=tuple(Vehicle(f"bus{j + 1}", f"bus {j + 1}", seats=int(capacity))
                       for j in range(k)), name=path.stem,
    )
    return Instance(problem, euclid, n)


def routes_of(plan: Plan) -> list[list[int]]:
    """Node ids in visiting order (pickup i, drop-off n+i), as in the instance file."""
    return [[int(s.location_id) for s in r.stops] for r in plan.routes]


def exact_cost(instance: Instance, plan: Plan) -> float:
    end = 2 * instance.requests + 1
    return float(sum(
        sum(instance.euclid[a, b] for a, b in zip([0, *nodes], [*nodes, end], strict=True))
        for nodes in routes_of(plan)))


def best_known() -> dict[str, float]:
    """Literature costs, read from the data folder's PROVENANCE.md table."""
    text = (DARP_DIR.parent / "PROVENANCE.md").read_text()
    row = re.compile(r"\|\s*(a\d-\d+)\s*\|\s*([\d.]+)\s*(?=\|)")  # three pairs a line
    return {m[1]: float(m[2]) for m in row.finditer(text)}


@dataclass(frozen=True)
class Result:
    instance: str
    routes: int
    cost: float
    bks: float
    served: int
    requests: int
    violations: int
    time_s: float

    @property
    def feasible(self) -> bool:
        return self.violations == 0 and self.served == self.requests

    @property
    def gap_pct(self) -> float:
        return 100.0 * (self.cost - self.bks) / self.bks if self.bks else math.nan


def run_one(source: str, time_limit_s: float, seed: int, out: Path | None) -> Result:
    path = Path(source) if source.endswith(".txt") else DARP_DIR / f"{source}.txt"
    instance = read_instance(path)
    started = time.perf_counter()
    params = SolveParams(time_limit_s=time_limit_s, seed=seed, stall_solutions=None,
                         first_solution=FirstSolution.LOCAL_CHEAPEST_INSERTION)
    plan = solve(instance.problem, params=params)
    elapsed = time.perf_counter() - started
    cost = exact_cost(instance, plan)
    if out is not None:
        write_vrplib_solution(out / f"{path.stem}.sol",
                              [[str(x) for x in r] for r in routes_of(plan)], cost)
    served = sum(1 for r in plan.routes for s in r.stops if s.action is StopAction.PICKUP)
    return Result(path.stem, len(plan.routes), cost, best_known().get(path.stem, math.nan),
                  served, instance.requests, len(check(instance.problem, plan)), elapsed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per instance")
    parser.add_argument("--instances", default="",
                        help="comma-separated names (a2-16) or paths to Cordeau-format files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="instances solved side by side")
    parser.add_argument("--out", type=Path, default=None, help="write VRPLIB .sol files here")
    args = parser.parse_args(argv)
    names = [x.strip() for x in args.instances.split(",") if x.strip()] or sorted(
        best_known(), key=lambda s: (int(s[1]), int(s.split("-")[1])))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    print(machine_line(time_limit_s=args.time_limit, seed=args.seed, jobs=args.jobs))
    print(f"{'instance':<8} {'routes':>6} {'cost':>9} {'bks':>8} {'gap%':>6} {'served':>7} "
          f"{'viol':>4} {'time_s':>6}")
    results: list[Result] = []
    for r in run_side_by_side(run_one, names, args.jobs, args.time_limit, args.seed, args.out):
        results.append(r)
        print(f"{r.instance:<8} {r.routes:>6} {r.cost:>9.2f} {r.bks:>8.2f} {r.gap_pct:>6.2f} "
              f"{r.served:>3}/{r.requests:<3} {r.violations:>4} {r.time_s:>6.1f}", flush=True)
    feasible = [r for r in results if r.feasible and not math.isnan(r.gap_pct)]
    mean_gap = sum(r.gap_pct for r in feasible) / len(feasible) if feasible else math.nan
    print(f"darp: mean_gap_pct={mean_gap:.2f} feasible={sum(r.feasible for r in results)}/"
          f"{len(results)} time_limit_s={args.time_limit:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
