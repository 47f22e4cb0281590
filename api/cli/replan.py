"""`trasa replan PLAN EVENTS`: the day changes (a new request, a sick worker, a late
visit...): the plan re-planned after the events, checked, written with its sheets.

The search is the re-planning one of every path (`api.services.parameters`,
`Kind.REPLAN`): `POST /plans/{id}/events` and the page ask the same.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console

from api.cli.common import (
    UsageError,
    graph_option,
    mapping,
    no_pdf_option,
    positive,
    read_json,
    read_plan_file,
    scenario_and_plan,
    write_outputs,
)
from api.cli.roster import print_changes, print_summary
from api.convert.scenario import read_scenario
from api.render.words import cli_gettext
from api.services.parameters import Kind, default, solve_params


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="the day changes: re-plan a plan after events (a new "
                                  "request, a sick worker, a late visit...)")
    p.add_argument("plan", type=Path, help="the plan.json to change")
    p.add_argument("events", type=Path, help="an events file (docs/replanning.md)")
    p.add_argument("--now", default=None, help="HH:MM (the plan's first day) or ISO 8601; "
                   "default: the events file's `now`")
    p.add_argument("--scenario", type=Path, default=None,
                   help="the plan's scenario (default: the events file's `scenario`)")
    p.add_argument("--out", type=Path, default=None,
                   help="folder for the new plan.json (default: PLAN_FOLDER/replanned)")
    p.add_argument("--max-solutions", type=positive(int), default=None,
                   help="the search budget (default "
                        f"{default(Kind.REPLAN, 'max_solutions')} solutions)")
    p.add_argument("--time-limit", type=positive(float), default=None,
                   help="solver seconds at most (default "
                        f"{default(Kind.REPLAN, 'time_limit_s'):g}, as over HTTP)")
    graph_option(p, of_plan=True)
    no_pdf_option(p)
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    from api.convert.events import parse_events
    from api.services.replanning import replan_document

    raw = read_json(args.events, "events file")
    if isinstance(raw, dict) and args.now is not None:
        raw = {**raw, "now": args.now}
    events = parse_events(raw, source=str(args.events))
    scenario_path = args.scenario or (args.events.parent / events.scenario
                                      if events.scenario else None)
    if scenario_path is None:
        raise UsageError("--scenario: give the plan's scenario, or \"scenario\" in the "
                         "events file")
    args.scenario = scenario_path
    scenario, prepared, _ = scenario_and_plan(console, args)
    document = mapping(read_plan_file(args.plan))
    solve = solve_params(Kind.REPLAN, time_limit_s=args.time_limit,
                         max_solutions=args.max_solutions)
    with console.status("re-planning"):
        done = replan_document(read_scenario(scenario_path), prepared, document, events,
                               solve=solve, based_on=str(args.plan))
    out = done.replanned
    console.print(f"re-planned at {out.problem.calendar.hhmm(done.now_s)}: days "
                  f"{', '.join(out.problem.calendar.dates[d].isoformat() for d in out.days)}; "
                  f"{out.untouched_routes} of {out.routes_before} routes untouched; "
                  f"{len(out.changes)} change(s) for {len(out.changed_workers)} worker(s)")
    print_changes(console, out.problem, out.changes)
    for warning in out.warnings:
        console.print(f"[bold yellow]note:[/] {warning}")
    folder = args.out or args.plan.parent / "replanned"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "plan.json").write_text(json.dumps(done.document, indent=2,
                                                     ensure_ascii=False) + "\n", "utf-8")
    except OSError as exc:
        raise UsageError(f"--out: cannot write plan.json into {str(folder)!r}: "
                         f"{exc.strerror or exc}") from None
    print_summary(console, out.problem, out.plan)
    console.print(cli_gettext("new plan written to {file} (independent check: passed)").format(
        file=folder / "plan.json"))
    write_outputs(console, out.problem, out.plan, prepared.matrices, folder,
                  warning=prepared.network.warning, pdf=not args.no_pdf,
                  workers=set(out.changed_workers))
    return 0
