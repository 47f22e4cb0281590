"""The `trasa` command line: plan a scenario file, or the embedded Starachowice demo.

Exit codes: 0 planned, 2 bad input (scenario or road network), 1 internal error
(e.g. a plan that failed the independent check: a bug, reported, never written).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from api.plan_io import plan_to_json, print_roster, print_summary
from api.scenario import ScenarioError, read_scenario
from api.service import REPO, plan_scenario
from geo.graph import GraphLoadError
from optimiser.check import PlanRejected, check
from optimiser.params import SolveParams

DEMO_SCENARIOS = {
    "weekday": REPO / "data" / "scenarios" / "starachowice_day.json",
    "saturday": REPO / "data" / "scenarios" / "starachowice_saturday.json",
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    console = Console()
    scenario_path = DEMO_SCENARIOS[args.day] if args.command == "demo" else args.scenario
    try:
        return _plan(console, scenario_path, args)
    except (ScenarioError, GraphLoadError) as exc:
        print(f"error: {exc}", file=sys.stderr)  # plain text: one greppable line per problem
        return 2
    except PlanRejected as exc:
        print(f"internal error, no plan written: {exc}", file=sys.stderr)
        return 1


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be positive")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trasa", description="Route and schedule planner "
                                     "for mobile social services.")
    sub = parser.add_subparsers(dest="command", required=True)
    plan = sub.add_parser("plan", help="plan the day described by a scenario JSON file")
    plan.add_argument("scenario", type=Path)
    demo = sub.add_parser("demo", help="plan the embedded Starachowice demo day")
    demo.add_argument("--day", choices=sorted(DEMO_SCENARIOS), default="weekday",
                      help="weekday: CUS staff, PES evenings, CUS driver; saturday: PES only")
    for p in (plan, demo):
        p.add_argument("--out", type=Path, default=Path("out"), help="folder for plan.json")
        p.add_argument("--graph", default=None,
                       help="road network: GraphML/OSM file or place name (overrides scenario)")
        p.add_argument("--time-limit", type=_positive(float), default=10.0,
                       help="solver seconds")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--max-solutions", type=_positive(int), default=None,
                       help="stop after this many solutions (reproducible on any machine)")
        p.add_argument("--quiet", action="store_true", help="no roster in the terminal")
    return parser


def _plan(console: Console, scenario_path: Path, args: argparse.Namespace) -> int:
    scenario = read_scenario(scenario_path)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True, disable=args.quiet) as progress:
        bar = progress.add_task(f"planning {scenario.name or scenario_path.name}", total=None)

        def on_progress(elapsed_s: float, objective: int, served: int) -> None:
            progress.update(bar, description=f"planning: {served}/{len(scenario.tasks)} tasks "
                                             f"placed, objective {objective}")

        params = SolveParams(time_limit_s=args.time_limit, seed=args.seed,
                             max_solutions=args.max_solutions, on_progress=on_progress)
        day = plan_scenario(scenario, base_dir=scenario_path.parent, params=params,
                            graph=args.graph)
    if day.network.synthetic:
        console.print(f"[bold white on red] WARNING [/] {day.network.warning}")
    if scenario.note:
        console.print(f"[dim]{scenario.note}[/]")
    if not args.quiet:
        print_roster(console, day.problem, day.plan, day.clock)
    print_summary(console, day.problem, day.plan)
    violations = check(day.problem, day.plan)
    document = plan_to_json(day.problem, day.plan, day.clock, violations=violations,
                            meta={"date": scenario.date.isoformat(),
                                  "timezone": scenario.timezone, **day.meta()})
    args.out.mkdir(parents=True, exist_ok=True)
    out_file = args.out / "plan.json"
    out_file.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    console.print(f"plan written to {out_file} (independent check: "
                  f"{'passed' if not violations else 'FAILED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
