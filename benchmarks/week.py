"""The generated Starachowice week, planned end to end as a coordinator would plan it.

Builds the scenario in memory (`data/generate_week.py`: `build_towns`, fixed
seeds), plans it through `api.services.planning.plan_scenario` (road network → matrices
→ one solve), re-checks the plan with `optimiser.check.check` and prints the
machine, the network used, a table of key figures and one summary line:

    week: tasks=N served_pct=X violations=V time_s=T pes_share_pct=Y peak_mib=M

With several generator seeds (`--scenario-seeds 2022,2023,...`) it prints one
row per seed and the summary

    week: seeds=N tasks_median=T served_pct_min=X served_pct_median=Y
          urgent_high_lost=U empty_services=E violations=V

`--scale K` plans K towns' worth of clients, workers and buses in one scenario.
`time_s` is the solve (the search, with its time limit); loading the network
and building the matrices are shown separately. Without the internet and
without --graph the Starachowice road graph cannot be downloaded and a
synthetic street grid is used: the output says so.

    python -m benchmarks.week [--time-limit 110] [--seed 0] [--days 7] [--graph FILE]
                              [--scenario-seed 2021 | --scenario-seeds 2022,2023]
                              [--scale 1] [--jobs 1] [--start 2026-11-23]
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import time
from collections import Counter
from datetime import date
from typing import Any

from api.convert.scenario import parse_scenario
from api.services.planning import PlannedScenario, plan_scenario
from benchmarks.common import REPO, machine_line, run_side_by_side
from data.generate_week import SEED, START, build_towns
from optimiser.check import check
from optimiser.kpi import kpis
from optimiser.model import Continuity, Plan, Priority, Problem, ProviderKind
from optimiser.params import SolveParams


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=110.0,
                        help="search seconds; model building adds a few seconds")
    parser.add_argument("--seed", type=int, default=0, help="solver seed")
    parser.add_argument("--days", type=int, default=7, choices=range(1, 8),
                        help="horizon (the demand scales with it)")
    parser.add_argument("--graph", default=None,
                        help="road network: GraphML/OSM file or place name (default: the "
                             "scenario's, 'Starachowice, Poland', or a synthetic grid offline)")
    parser.add_argument("--scenario-seed", type=int, default=SEED, help="generator seed")
    parser.add_argument("--scenario-seeds", default="",
                        help="several generator seeds, comma-separated: one row each")
    parser.add_argument("--scale", type=int, default=1, help="towns' worth in one scenario")
    parser.add_argument("--searches", type=int, default=1,
                        help="searches side by side per plan (SolveParams.searches)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="seeds planned at the same time (one process each)")
    parser.add_argument("--start", type=date.fromisoformat, default=START,
                        help="first day (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    seeds = [int(x) for x in args.scenario_seeds.split(",") if x.strip()]
    print(machine_line(time_limit_s=args.time_limit, seed=args.seed, days=args.days,
                       scale=args.scale, start=args.start.isoformat(), jobs=args.jobs,
                       searches=args.searches,
                       scenario_seeds=",".join(map(str, seeds)) or args.scenario_seed))
    if seeds:
        return _many(args, seeds)
    started = time.perf_counter()
    day = _plan(args, args.scenario_seed)
    _detail(day, time.perf_counter() - started)
    return 0


def _plan(args: argparse.Namespace, scenario_seed: int) -> PlannedScenario:
    scenario = parse_scenario(build_towns(scenario_seed, args.days, args.start, args.scale),
                              source="generated week")
    return plan_scenario(scenario, base_dir=REPO / "data" / "scenarios",
                         params=SolveParams(time_limit_s=args.time_limit, seed=args.seed,
                                            searches=args.searches),
                         graph=args.graph)


def _row(scenario_seed: int, args: argparse.Namespace) -> dict[str, Any]:
    """One seed's figures (run in a worker process with --jobs)."""
    logging.basicConfig(level=logging.ERROR)
    day = _plan(args, scenario_seed)
    problem, plan = day.problem, day.plan
    served = {s.task_id for r in plan.routes for s in r.stops}
    lost = [t for t in problem.tasks if t.id not in served and t.priority >= Priority.HIGH]
    reasons = {u.task_id: u.reason.value for u in plan.unassigned}
    by_service = _served_by_service(problem, plan)
    return {"seed": scenario_seed, "tasks": len(problem.tasks), "served": len(served),
            "urgent_high_lost": len(lost),
            "lost_reasons": ", ".join(f"{r} {n}" for r, n in
                                      Counter(reasons[t.id] for t in lost).most_common()),
            "empty": [s for s, (done, total) in by_service.items() if total and not done],
            "violations": len(check(problem, plan)), "time_s": plan.stats.time_s,
            "synthetic": day.network.synthetic, "peak_mib": _peak_mib()}


def _many(args: argparse.Namespace, seeds: list[int]) -> int:
    rows = list(run_side_by_side(_row, seeds, args.jobs, args))
    if any(r["synthetic"] for r in rows):
        print("# network: SYNTHETIC GRID: no real road network was available, travel times "
              "are not real")
    print(f"{'seed':>6} {'tasks':>6} {'served':>7} {'pct':>6} {'urg+high lost':>13} "
          f"{'empty services':>15} {'viol':>4} {'solve s':>8} {'peak MiB':>8}  reasons lost")
    for r in rows:
        print(f"{r['seed']:>6} {r['tasks']:>6} {r['served']:>7} "
              f"{100 * r['served'] / r['tasks']:>6.1f} {r['urgent_high_lost']:>13} "
              f"{','.join(r['empty']) or '-':>15} {r['violations']:>4} {r['time_s']:>8.1f} "
              f"{r['peak_mib']:>8.0f}  {r['lost_reasons'] or '-'}")
    pct = [100 * r["served"] / r["tasks"] for r in rows]
    print(f"week: seeds={len(rows)} tasks_median={statistics.median(r['tasks'] for r in rows):.0f} "
          f"served_pct_min={min(pct):.1f} served_pct_median={statistics.median(pct):.1f} "
          f"urgent_high_lost={sum(r['urgent_high_lost'] for r in rows)} "
          f"empty_services={sum(len(r['empty']) for r in rows)} "
          f"violations={sum(r['violations'] for r in rows)}")
    return 0


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _detail(day: PlannedScenario, wall_s: float) -> None:
    problem, plan = day.problem, day.plan
    violations = check(problem, plan)
    k = kpis(problem, plan)
    net = day.network
    print(f"# network: {net.source} ({net.nodes} nodes, {net.edges} edges)"
          + ("  SYNTHETIC GRID: no real road network was available, travel times are "
             "not real" if net.synthetic else ""))
    print(f"# scenario: {problem.name}: {len(problem.clients)} clients, "
          f"{len(problem.workers)} workers, {len(problem.tasks)} tasks "
          f"({len(problem.series)} series)")

    rows: list[tuple[str, str]] = []
    for provider in problem.providers:
        hours = k.service_s_by_provider.get(provider.id, 0) / 3600
        share = 100 * hours * 3600 / k.service_s if k.service_s else 0.0
        rows.append((f"service h {provider.id} ({provider.kind.value})",
                     f"{hours:.1f}  ({share:.1f} %)"))
    pes_pct = 100 * (k.pes_share or 0.0)
    target = "none" if k.pes_share_target is None else f"{100 * k.pes_share_target:.0f} %"
    rows.append(("PES share (target, met)", f"{pes_pct:.1f} %  ({target}, "
                 f"{'met' if k.pes_share_met else 'not met'})"))
    rows.append(("served", f"{k.served}/{k.tasks}  ({100 * k.served / k.tasks:.1f} %)"))
    for priority in ("urgent", "high", "normal", "low"):
        if priority in k.served_by_priority:
            rows.append((f"served {priority}", k.served_by_priority[priority]))
    for kind, (served, total) in sorted(_served_by_kind(problem, plan).items()):
        rows.append((f"served {kind}", f"{served}/{total}"))
    for service, (served, total) in sorted(_served_by_service(problem, plan).items()):
        rows.append((f"served service {service}", f"{served}/{total}"))
    reasons = Counter(u.reason.value for u in plan.unassigned)
    rows.append(("unassigned reasons", ", ".join(f"{r} {n}" for r, n in reasons.most_common())
                 or "-"))
    one = "-" if k.series_one_worker_pct is None else f"{k.series_one_worker_pct:.1f} %"
    rows.append(("series with one therapist", f"{one}  (of series with 2+ sessions served)"))
    rows.append(("required continuity kept", _required_kept(problem, plan)))
    rows.append(("distance km", f"{k.distance_m / 1000:.1f}"))
    rows.append(("travel h / work h", f"{k.travel_s / 3600:.1f} / {k.work_s / 3600:.1f}"))
    rows.append(("routes", str(k.routes)))
    rows.append(("PES share of work by kind", _pes_by_kind(problem, plan)))
    rows.append(("violations", str(len(violations))))
    rows.append(("solver status", plan.solver_status))
    rows.append(("solve s / total wall s", f"{plan.stats.time_s:.1f} / {wall_s:.1f}"))
    rows.append(("peak memory MiB", f"{_peak_mib():.0f}"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for v in violations[:10]:
        print(f"  violation: {v}")
    served_pct = 100 * k.served / k.tasks if k.tasks else 0.0
    print(f"week: tasks={k.tasks} served_pct={served_pct:.1f} violations={len(violations)} "
          f"time_s={plan.stats.time_s:.1f} pes_share_pct={pes_pct:.1f} "
          f"peak_mib={_peak_mib():.0f}")


def _served_by_service(problem: Problem, plan: Plan) -> dict[str, tuple[int, int]]:
    """Served/total per service: a task's kind with its skills (physio, care, plumbing...)."""
    served = {s.task_id for r in plan.routes for s in r.stops}
    out: dict[str, tuple[int, int]] = {}
    for task in problem.tasks:
        service = "+".join(sorted(task.required_skills)) or task.kind.value
        done, total = out.get(service, (0, 0))
        out[service] = (done + (task.id in served), total + 1)
    return out


def _served_by_kind(problem: Problem, plan: Plan) -> dict[str, tuple[int, int]]:
    served = {s.task_id for r in plan.routes for s in r.stops}
    in_series = {t for s in problem.series for t in s.task_ids}
    out: dict[str, tuple[int, int]] = {}
    for task in problem.tasks:
        kind = "series session" if task.id in in_series else task.kind.value
        done, total = out.get(kind, (0, 0))
        out[kind] = (done + (task.id in served), total + 1)
    return out


def _required_kept(problem: Problem, plan: Plan) -> str:
    worker_of = {s.task_id: r.worker_id for r in plan.routes for s in r.stops}
    required = [s for s in problem.series if s.continuity is Continuity.REQUIRED]
    kept = sum(len({worker_of[t] for t in s.task_ids if t in worker_of}) <= 1 for s in required)
    complete = sum(all(t in worker_of for t in s.task_ids) for s in required)
    return f"{kept}/{len(required)}  ({complete} with every session served)"


def _pes_by_kind(problem: Problem, plan: Plan) -> str:
    pes = {w.id for w in problem.workers
           if problem.provider(w.provider_id).kind is ProviderKind.PES}
    done: Counter[str] = Counter()
    by_pes: Counter[str] = Counter()
    for route in plan.routes:
        for stop in route.stops:
            kind = problem.task(stop.task_id).kind.value
            done[kind] += stop.end_s - stop.start_s
            by_pes[kind] += (stop.end_s - stop.start_s) * (route.worker_id in pes)
    return ", ".join(f"{kind} {100 * by_pes[kind] / done[kind]:.0f} %"
                     for kind in sorted(done) if done[kind])


if __name__ == "__main__":
    raise SystemExit(main())
