"""`trasa sheets SCENARIO PLAN`: route sheets (HTML, PDF), phone calendars (ICS) and
GeoJSON of a checked plan."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from api.cli.common import graph_option, no_pdf_option, scenario_and_plan, write_outputs


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="route sheets (HTML, PDF), phone calendars (ICS) and "
                                  "GeoJSON of a checked plan")
    p.add_argument("scenario", type=Path)
    p.add_argument("plan", type=Path, help="a plan.json written by `trasa plan`")
    p.add_argument("--out", type=Path, default=None,
                   help="folder to write into (default: the plan's folder)")
    graph_option(p, of_plan=True)
    no_pdf_option(p)
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    scenario, prepared, plan = scenario_and_plan(console, args)
    write_outputs(console, prepared.problem, plan, prepared.matrices,
                  args.out or args.plan.parent, warning=prepared.network.warning,
                  pdf=not args.no_pdf)
    return 0
