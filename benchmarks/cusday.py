"""Trasa against VROOM on generated home-care days over the real Chełm road network.

Each day (`data/generate_cusday.py`: sizes x seeds) is read and given one shared
integer travel-time matrix from the road graph. Trasa plans it through
`optimiser.solve.solve` (time limit, seed 0, without the PES-share goal, which VROOM
does not know: travel is the one cost for both; its plan must pass the independent
checker); VROOM (pyvroom, the `bench` extra) gets the same matrix, the same
windows (as windows on the service start), skills, priorities (low 1, normal 4,
high 16, urgent 64: VROOM maximises their sum before cost) and, on every shift
longer than the break rule's stretch, one 15-minute break placed so that no
stretch of work is longer (the labour-code rule Trasa keeps). Travel is counted
the same way for both, from the matrix, start to end of every route, and both
plans go through Trasa's independent checker (column "checked"). Column "to V s" is
`time_to_vroom_s`: the first moment of Trasa's solve (from its progress reports, SISR's
new best routes included) when its best plan so far serves at least VROOM's tasks and
priority levels; `never` within the limit.

Prints the machine, one row per day and the summary (Trasa minus VROOM):

    cusday: days=N served_delta=X prio_delta=Y travel_delta_pct=Z time_ratio=R \
        equal_service_travel_delta_pct=E reach_vroom=K/N time_to_vroom_s_max=T

where `served_delta` and `prio_delta` (served priority levels, 1-4 per task) are
the worst day's, `travel_delta_pct` is the worst day's travel per served task in
per cent, and `time_ratio` the median over days of Trasa's time / VROOM's.

Where Trasa serves more of some priority class than VROOM, travel per task compares
unlike plans: the extra tasks are the ones dearest to reach. Column "T at V" is then
Trasa at VROOM's service: Trasa (same settings) plans again the tasks it served less
its extra ones, taken out class by class, one at a time, each time the one of up to
8 (those whose removal from its plan saves most) whose trial plan without it (a
quarter of the time limit) travels least: as VROOM's, the set is Trasa's own choice.
"-": Trasa serves no more, or fewer of some class. Column "+% T/V" is Trasa's travel
per task above VROOM's, at VROOM's service where there is a "T at V"; the summary
line gives the worst day's of it, `equal_service_travel_delta_pct`, then on how many days
Trasa reached VROOM's service and the latest `time_to_vroom_s` (`never` if any did not).

    python -m benchmarks.cusday [--time-limit 10] [--sizes 40,80,150] [--seeds 1,2]
                                [--graph FILE] [--exploration 5] [--threads 1] [--searches 1]
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from api.convert.scenario import parse_scenario
from api.services.planning import prepare
from benchmarks.common import SHARED_DATA, machine_line
from data.generate_cusday import build_cusday
from optimiser.check import check
from optimiser.model import (
    Break,
    Plan,
    Priority,
    Problem,
    Reason,
    Route,
    Stop,
    Task,
    TimeWindow,
    Unassigned,
    Worker,
)
from optimiser.params import Progress, SolveParams
from optimiser.solve import solve

CHELM = SHARED_DATA / "osm" / "Chelm_map.graphml"
TRIALS = 8  # extra tasks tried for taking out, those whose removal saves most travel first
TRIAL_SHARE = 0.25  # of the time limit, for each trial plan
VROOM_PRIORITY = {Priority.LOW: 1, Priority.NORMAL: 4, Priority.HIGH: 16, Priority.URGENT: 64}


@dataclass(frozen=True)
class Result:
    served: int
    priority: int  # sum of served priority levels (1-4)
    by_priority: str  # served urgent/high/normal/low
    travel_s: int
    time_s: float
    to_vroom_s: float | None = None  # Trasa only: when it first served as VROOM (None: never)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0, help="Trasa's seconds")
    parser.add_argument("--sizes", default="40,80,150", help="tasks per day")
    parser.add_argument("--seeds", default="1,2", help="generator seeds per size")
    parser.add_argument("--graph", type=Path, default=CHELM)
    parser.add_argument("--exploration", type=int, default=5, help="VROOM's level, 0-5")
    parser.add_argument("--threads", type=int, default=1, help="VROOM's threads")
    parser.add_argument("--searches", type=int, default=1,
                        help="Trasa's searches side by side (compare with --threads)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if not args.graph.exists():
        raise SystemExit(f"--graph: {args.graph} does not exist (the Chełm graph lives in "
                         "../shared/data/osm)")
    sizes = [int(x) for x in args.sizes.split(",")]
    seeds = [int(x) for x in args.seeds.split(",")]
    print(machine_line(time_limit_s=args.time_limit, sizes=args.sizes, seeds=args.seeds,
                       vroom_exploration=args.exploration, vroom_threads=args.threads,
                       trasa_searches=args.searches))
    print(f"{'day':>10} {'tasks':>5} | {'served T/V':>10} {'prio T/V':>9} "
          f"{'travel/task s T/V':>17} {'T at V':>6} {'+% T/V':>6} {'time s T/V':>12} | "
          f"{'to V s':>6} | {'checked T/V/T at V':>24} | served urgent/high/normal/low T ; V")
    rows = []
    for size in sizes:
        for seed in seeds:
            problem = _problem(args.graph, size, seed)
            params = SolveParams(time_limit_s=args.time_limit, seed=0, searches=args.searches)
            vroom, vroom_violations = _vroom(problem, args.exploration, args.threads)
            trasa, plan, violations = _trasa(problem, params, reach=vroom)
            equal = _at_service(problem, plan, _counts(vroom.by_priority), params)
            rows.append((trasa, vroom, equal))
            print(f"{f'{size}/{seed}':>10} {len(problem.tasks):>5} | "
                  f"{trasa.served:>4}/{vroom.served:<5} {trasa.priority:>4}/{vroom.priority:<4} "
                  f"{_per_task(trasa):>8.0f}/{_per_task(vroom):<8.0f} "
                  f"{'-' if equal is None else f'{_per_task(equal[0]):.0f}':>6} "
                  f"{_delta_pct(trasa if equal is None else equal[0], vroom):>+6.1f} "
                  f"{trasa.time_s:>5.1f}/{vroom.time_s:<6.1f} {_when(trasa.to_vroom_s):>6} | "
                  f"{_verdict(violations):>7}/{_verdict(vroom_violations):<7}/"
                  f"{'-' if equal is None else _verdict(equal[1]):<7} | "
                  f"{trasa.by_priority} ; {vroom.by_priority}"
                  f"{'' if equal is None else f' ; T at V {equal[0].by_priority}'}")
    served = min(t.served - v.served for t, v, _ in rows)
    prio = min(t.priority - v.priority for t, v, _ in rows)
    travel = max(_delta_pct(t, v) for t, v, _ in rows)
    equal_travel = max(_delta_pct(t if e is None else e[0], v) for t, v, e in rows)
    ratio = statistics.median(t.time_s / max(v.time_s, 1e-3) for t, v, _ in rows)
    reached = [t.to_vroom_s for t, _, _ in rows if t.to_vroom_s is not None]
    latest = _when(max(reached)) if len(reached) == len(rows) else "never"
    print(f"cusday: days={len(rows)} served_delta={served} prio_delta={prio} "
          f"travel_delta_pct={travel:.1f} time_ratio={ratio:.2f} "
          f"equal_service_travel_delta_pct={equal_travel:.1f} "
          f"reach_vroom={len(reached)}/{len(rows)} time_to_vroom_s_max={latest}")
    return 0


def _when(seconds: float | None) -> str:
    return "never" if seconds is None else f"{seconds:.2f}"


def _verdict(violations: int) -> str:
    return "passed" if not violations else f"{violations} viol."


def _problem(graph: Path, size: int, seed: int) -> Problem:
    # One objective for both planners: VROOM knows no PES-share goal, so Trasa plans
    # without it here (with it, CUS routes also pay for their service time).
    day = {**build_cusday(graph, size, seed), "goals": {"pes_share_target": None,
                                                        "pes_weight": 0}}
    scenario = parse_scenario(day, source=f"cusday {size}/{seed}")
    return prepare(scenario, base_dir=graph.parent).problem


def _per_task(result: Result) -> float:
    return result.travel_s / max(1, result.served)


def _delta_pct(trasa: Result, vroom: Result) -> float:
    """Trasa's travel per served task over VROOM's, in per cent above."""
    return 100 * (_per_task(trasa) / _per_task(vroom) - 1)


def _travel(problem: Problem, places: Sequence[Sequence[int]]) -> int:
    duration = problem.matrix.duration_s
    return int(sum(duration[a, b] for route in places for a, b in zip(route, route[1:],
                                                                         strict=False)))


def _trasa(problem: Problem, params: SolveParams, reach: Result | None = None
           ) -> tuple[Result, Plan, int]:
    """Trasa's plan; with `reach`, also when its best plan so far first served as many
    tasks and priority levels (from the solve's progress reports, else its end)."""
    reached: list[float] = []

    def heard(p: Progress) -> None:
        if reach is not None and not reached and p.served >= reach.served \
                and p.priority >= reach.priority:
            reached.append(p.elapsed_s)

    started = time.perf_counter()
    plan = solve(problem, params=params, on_progress=heard)
    elapsed = time.perf_counter() - started
    served = [problem.task(s.task_id) for r in plan.routes for s in r.stops]
    priority = sum(int(t.priority) for t in served)
    if reach is not None and not reached and len(served) >= reach.served \
            and priority >= reach.priority:
        reached.append(elapsed)
    return Result(len(served), priority, _by_priority(served),
                  _travel(problem, _places(problem, plan)), elapsed,
                  reached[0] if reached else None), plan, len(check(problem, plan))


def _places(problem: Problem, plan: Plan) -> list[list[int]]:
    index = problem.location_index
    return [[index(problem.worker(r.worker_id).start_location_id),
             *(index(s.location_id) for s in r.stops),
             index(problem.worker(r.worker_id).end_location_id)] for r in plan.routes]


def _at_service(problem: Problem, plan: Plan, counts: dict[Priority, int],
                params: SolveParams) -> tuple[Result, int] | None:
    """Trasa's served tasks planned again without those beyond `counts` (served per
    priority class), chosen as the docstring above says; with the checker's violations.
    None if the plan serves no more, or fewer of some class."""
    kept = [problem.task(s.task_id) for r in plan.routes for s in r.stops]
    extra = {p: n - counts[p] for p, n in _counts(_by_priority(kept)).items()}
    if min(extra.values()) < 0 or not any(extra.values()):
        return None
    saving = _savings(problem, plan)
    trial = dataclasses.replace(params, time_limit_s=params.time_limit_s * TRIAL_SHARE)
    for priority, surplus in extra.items():
        for _ in range(surplus):
            candidates = sorted((t for t in kept if t.priority is priority),
                                key=lambda t: -saving[t.id])[:TRIALS]
            out = min(candidates, key=lambda c: _trasa(_only(problem, kept, c), trial)[0].travel_s)
            kept.remove(out)
    result, _, violations = _trasa(_only(problem, kept), params)
    return result, violations


def _savings(problem: Problem, plan: Plan) -> dict[str, int]:
    """Per served task, the travel its plan saves without it (its neighbours joined)."""
    duration = problem.matrix.duration_s
    out = {}
    for route, places in zip(plan.routes, _places(problem, plan), strict=True):
        for k, stop in enumerate(route.stops):
            a, b, c = places[k:k + 3]
            out[stop.task_id] = int(duration[a, b] + duration[b, c] - duration[a, c])
    return out


def _only(problem: Problem, tasks: Sequence[Task], but: Task | None = None) -> Problem:
    ids = {t.id for t in tasks if t is not but}
    return dataclasses.replace(problem, tasks=tuple(t for t in problem.tasks if t.id in ids))


def _vroom(problem: Problem, exploration: int, threads: int) -> tuple[Result, int]:
    import vroom  # the bench extra

    skills = {s: k for k, s in enumerate(sorted({s for w in problem.workers for s in w.skills}))}
    index = problem.location_index
    vrp = vroom.Input()
    vrp.set_durations_matrix(profile="car",
                             matrix_input=problem.matrix.duration_s.astype(np.uint32))
    rules = problem.rules
    shifts = [(w, s) for w in problem.workers for s in w.shifts]
    for v, (worker, shift) in enumerate(shifts):
        breaks = []
        if rules.break_after_s is not None and shift.length_s > rules.break_after_s:
            # One break so that neither stretch of the shift is longer than the rule allows.
            breaks = [vroom.Break(v, time_windows=[vroom.TimeWindow(
                shift.end_s - rules.break_after_s, shift.start_s + rules.break_after_s
                - rules.break_s)], service=rules.break_s)]
        vrp.add_vehicle(vroom.Vehicle(
            v, start=index(worker.start_location_id), end=index(worker.end_location_id),
            skills={skills[s] for s in worker.skills},
            time_window=vroom.TimeWindow(shift.start_s, shift.end_s), breaks=breaks))
    for j, task in enumerate(problem.tasks):
        vrp.add_job(vroom.Job(
            j, location=index(task.location_id), default_service=task.service_s,
            skills={skills[s] for s in task.required_skills},
            priority=VROOM_PRIORITY[task.priority],
            time_windows=[vroom.TimeWindow(w.start_s, w.end_s - task.service_s)
                          for w in task.windows]))
    started = time.perf_counter()
    solution = vrp.solve(exploration_level=exploration, nb_threads=threads)
    elapsed = time.perf_counter() - started
    routes = solution.routes
    checked = check(problem, _vroom_plan(problem, shifts, routes))
    steps = routes[routes["type"].isin(["start", "job", "end"])]
    places = [[int(x) for x in group["location_index"]]
              for _, group in steps.groupby("vehicle_id")]
    jobs = routes[routes["type"] == "job"]["id"]
    served = [problem.tasks[int(j)] for j in jobs]
    return Result(len(served), sum(int(t.priority) for t in served), _by_priority(served),
                  _travel(problem, places), elapsed), len(checked)


def _vroom_plan(problem: Problem, shifts: list[tuple[Worker, TimeWindow]], routes: Any) -> Plan:
    """VROOM's routes as a Trasa plan, for the independent checker: same rules for both."""
    out = []
    for v, steps in routes.groupby("vehicle_id"):
        worker, shift = shifts[int(v)]
        stops, breaks = [], []
        for step in steps.itertuples():
            start = int(step.arrival) + int(step.waiting_time)
            if step.type == "job":
                task = problem.tasks[int(step.id)]
                stops.append(Stop(task.id, task.location_id, int(step.arrival), start,
                                  start + task.service_s))
            elif step.type == "break":
                breaks.append(Break(start, start + int(step.service)))
        first, last = steps.iloc[0], steps.iloc[-1]
        out.append(Route(worker.id, worker.shifts.index(shift), int(first.arrival),
                         int(last.arrival), tuple(stops), tuple(breaks)))
    served = {s.task_id for r in out for s in r.stops}
    return Plan(tuple(out), tuple(Unassigned(t.id, Reason.CAPACITY_EXHAUSTED)
                                  for t in problem.tasks if t.id not in served))


def _by_priority(tasks: Sequence[Task]) -> str:
    return "/".join(str(sum(t.priority is p for t in tasks)) for p in reversed(Priority))


def _counts(by_priority: str) -> dict[Priority, int]:
    return dict(zip(reversed(Priority), map(int, by_priority.split("/")), strict=True))


if __name__ == "__main__":
    raise SystemExit(main())
