"""`trasa check SCENARIO PLAN`: the independent check of a plan document; exit 1 when it
breaks a rule, each violation on standard error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from api.cli.common import graph_option, scenario_and_plan
from api.render.words import cli_gettext, cli_ngettext
from optimiser.check import check


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="check a plan document against its scenario; exit 1 if it "
                                  "breaks a rule")
    p.add_argument("scenario", type=Path)
    p.add_argument("plan", type=Path, help="a plan.json written by `trasa plan`")
    graph_option(p, of_plan=True)
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    _, prepared, plan = scenario_and_plan(console, args)
    violations = check(prepared.problem, plan)
    stops = sum(len(r.stops) for r in plan.routes)
    if not violations:
        console.print(cli_gettext("{plan}: passes the independent check ({routes} routes, "
                                  "{stops} stops, {left} tasks not served)").format(
            plan=args.plan, routes=len(plan.routes), stops=stops, left=len(plan.unassigned)))
        return 0
    print(cli_ngettext("{plan}: {n} violation", "{plan}: {n} violations", len(violations))
          .format(plan=args.plan, n=len(violations)), file=sys.stderr)
    for v in violations:
        print(f"  {v}", file=sys.stderr)
    return 1
