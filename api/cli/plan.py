"""`trasa plan SCENARIO` and `trasa demo`: plan a scenario file (or the embedded demo
day), print the roster, write plan.json (the demo also its sheets and monthly report).

The flags' defaults are the plan's (`api.services.parameters`), as a job over HTTP and
the page have them: the same file, budget and seed give the same plan on every path.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from api.cli.common import (
    UsageError,
    graph_option,
    no_pdf_option,
    positive,
    warn_synthetic,
    write_outputs,
)
from api.cli.roster import print_roster, print_summary
from api.convert.scenario import read_scenario
from api.render.report import monthly_report
from api.render.words import cli_gettext
from api.services.parameters import Kind, default, solve_params
from api.services.planning import plan_prepared, prepare
from data import DEMO_SCENARIOS, demo_scenario_path
from optimiser import params as solve_progress
from optimiser.sisr.warm_up import compiled_aside


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    if name == "plan":
        p = sub.add_parser("plan", help="plan the day or week described by a scenario JSON "
                                        "file")
        p.add_argument("scenario", type=Path)
    else:
        p = sub.add_parser("demo", help="plan the embedded Starachowice demo day")
        p.add_argument("--day", choices=sorted(DEMO_SCENARIOS), default="weekday",
                       help="weekday: CUS staff, PES evenings, CUS driver; saturday: PES only")
    graph_option(p, of_plan=False)
    p.add_argument("--out", type=Path, default=Path("out"), help="folder for plan.json")
    p.add_argument("--time-limit", type=positive(float),
                   default=default(Kind.PLAN, "time_limit_s"), help="solver seconds")
    p.add_argument("--seed", type=int, default=default(Kind.PLAN, "seed"))
    p.add_argument("--max-solutions", type=positive(int),
                   default=default(Kind.PLAN, "max_solutions"),
                   help="stop after this many solutions (reproducible on any machine)")
    p.add_argument("--stall-solutions", type=int,
                   default=default(Kind.PLAN, "stall_solutions"),
                   help="stop a search that went this many solutions, and as many as it "
                        "took to find its best, without improving (0: never)")
    p.add_argument("--searches", type=positive(int), default=default(Kind.PLAN, "searches"),
                   help="searches side by side from seeds seed, seed+1, ... (one core "
                        "each); the best plan wins (default: 2 where there are 2 cores)")
    p.add_argument("--balance", choices=("work", "visits"), default=None,
                   help="even out the workers' days: the busiest route's working time "
                        "(travel and service) or visits weigh against travel (the "
                        "scenario's goals.balance; docs/scenario.md)")
    p.add_argument("--quiet", action="store_true", help="no roster in the terminal")
    if name == "plan":
        p.add_argument("--sheets", action="store_true",
                       help="also write route sheets, calendars and GeoJSON beside plan.json "
                            "(the demo always does)")
    no_pdf_option(p)
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    scenario_path = demo_scenario_path(args.day) if args.command == "demo" else args.scenario
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out: {str(args.out)!r} is a file, not a folder for plan.json")
    scenario = read_scenario(scenario_path)
    if args.balance:
        scenario = scenario.model_copy(update={"goals": scenario.goals.model_copy(
            update={"balance": args.balance})})
    params = solve_params(Kind.PLAN, time_limit_s=args.time_limit, seed=args.seed,
                          max_solutions=args.max_solutions,
                          stall_solutions=args.stall_solutions, searches=args.searches)
    started = time.perf_counter()
    with compiled_aside():  # the searches' compiled steps, while the road network loads
        prepared = prepare(scenario, base_dir=scenario_path.parent, graph=args.graph)
    setup_s = time.perf_counter() - started
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True, disable=args.quiet) as progress:
        bar = progress.add_task(f"planning {scenario.name or scenario_path.name}", total=None)

        def on_progress(p: solve_progress.Progress) -> None:
            progress.update(bar, description=f"planning: {p.served}/{p.tasks} tasks placed, "
                                             f"objective {p.objective}")

        planned = plan_prepared(prepared, params=params, on_progress=on_progress)
    warn_synthetic(console, planned.network)
    if scenario.note:
        console.print(f"[dim]{scenario.note}[/]")
    if not args.quiet:
        print_roster(console, planned.problem, planned.plan)
    print_summary(console, planned.problem, planned.plan)
    console.print(cli_gettext("set-up {setup} s (road network and matrices), search {search} s")
                  .format(setup=f"{setup_s:.1f}", search=f"{planned.plan.stats.time_s:.1f}"))
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        out_file = args.out / "plan.json"
        document = planned.document()
        out_file.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--out: cannot write plan.json into {str(args.out)!r}: "
                         f"{exc.strerror or exc}") from None
    for warning in planned.plan.stats.warnings:
        console.print(f"[bold white on red] WARNING [/] {warning}")
    console.print((cli_gettext("plan written to {file} (independent check: passed{but})")
                   if not planned.violations else
                   cli_gettext("plan written to {file} (independent check: FAILED{but})")).format(
        file=out_file, but=cli_gettext(", but see the warning above")
        if planned.plan.stats.warnings else ""))
    if args.command == "demo" or args.sheets:
        write_outputs(console, planned.problem, planned.plan, planned.matrices,
                      args.out, warning=planned.network.warning, pdf=not args.no_pdf)
    if args.command == "demo":
        from api.render.report_files import write_report

        report = monthly_report([(str(out_file), document)], scenario.date.strftime("%Y-%m"))
        written = write_report(report, args.out)
        console.print(f"monthly report of the demo day written to {written[0].parent} "
                      f"({', '.join(p.name for p in written)})")
    return 0
