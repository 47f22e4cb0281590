"""The generated Starachowice week, planned end to end as a coordinator would plan it.

Builds the scenario in memory (`data/generate_week.py`, fixed seed), plans it
through `api.service.plan_scenario` (road network → matrices → one solve),
re-checks the plan with `optimiser.check.check` and prints the machine, the
network used, a table of key figures and one summary line:

    week: tasks=N served_pct=X violations=V time_s=T pes_share_pct=Y

`time_s` is the solve (the search, with its time limit); loading the network
and building the matrices are shown separately. Without the internet and
without --graph the Starachowice road graph cannot be downloaded and a
synthetic street grid is used: the output says so.

    python -m benchmarks.week [--time-limit 110] [--seed 0] [--days 7] [--graph FILE]
                              [--scenario-seed 2021] [--start 2026-11-23] [--first-solution S]
"""

from __future__ import annotations

import argparse
import logging
import time
from collections import Counter
from datetime import date

from api.formats.scenario import parse_scenario
from api.service import plan_scenario
from benchmarks.common import REPO, machine_line
from data.generate_week import SEED, START, build_week
from optimiser.check import check
from optimiser.kpi import kpis
from optimiser.model import Continuity, Plan, Problem, ProviderKind
from optimiser.params import SolveParams


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=110.0,
                        help="search seconds; model building and the two continuity phases "
                             "add ~4 s, so the whole solve stays within 120 s")
    parser.add_argument("--seed", type=int, default=0, help="solver seed")
    parser.add_argument("--days", type=int, default=7, choices=range(1, 8),
                        help="horizon (the demand scales with it)")
    parser.add_argument("--graph", default=None,
                        help="road network: GraphML/OSM file or place name (default: the "
                             "scenario's, 'Starachowice, Poland', or a synthetic grid offline)")
    parser.add_argument("--scenario-seed", type=int, default=SEED, help="generator seed")
    parser.add_argument("--start", type=date.fromisoformat, default=START,
                        help="first day (YYYY-MM-DD)")
    parser.add_argument("--first-solution", default=SolveParams.first_solution,
                        help="OR-Tools first-solution strategy (default: what users get)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")

    print(machine_line(time_limit_s=args.time_limit, seed=args.seed, days=args.days,
                       scenario_seed=args.scenario_seed, start=args.start.isoformat(),
                       first_solution=args.first_solution))
    started = time.perf_counter()
    scenario = parse_scenario(build_week(args.scenario_seed, args.days, args.start),
                              source="generated week")
    day = plan_scenario(scenario, base_dir=REPO / "data" / "scenarios",
                        params=SolveParams(time_limit_s=args.time_limit, seed=args.seed,
                                           first_solution=args.first_solution),
                        graph=args.graph)
    wall_s = time.perf_counter() - started
    problem, plan = day.problem, day.plan
    violations = check(problem, plan)
    k = kpis(problem, plan)

    net = day.network
    print(f"# network: {net.source} ({net.nodes} nodes, {net.edges} edges)"
          + ("  SYNTHETIC GRID: no real road network was available, travel times are "
             "not real" if net.synthetic else ""))
    print(f"# scenario: {scenario.name}: {len(scenario.clients)} clients, "
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
    rows.append(("solve s / total wall s", f"{day.plan.stats.time_s:.1f} / {wall_s:.1f}"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for v in violations[:10]:
        print(f"  violation: {v}")
    served_pct = 100 * k.served / k.tasks if k.tasks else 0.0
    print(f"week: tasks={k.tasks} served_pct={served_pct:.1f} violations={len(violations)} "
          f"time_s={day.plan.stats.time_s:.1f} pes_share_pct={pes_pct:.1f}")
    return 0


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
