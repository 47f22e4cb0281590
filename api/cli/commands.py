"""The `trasa` commands: plan a scenario file or the embedded demo, check a plan, and more.

Exit codes: 0 planned (or the plan passes the check), 2 bad input (scenario, road
network, plan document, output folder), 1 a plan that fails the independent
check (`trasa check`), or an internal error (a solver plan that failed it: a bug,
reported, never written).
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import logging
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from api.cli.roster import print_changes, print_roster, print_summary
from api.formats.events import problem_as_happened
from api.formats.plan_document import PlanDocumentError, read_plan
from api.formats.report import ReportError, monthly_report
from api.formats.resources import RecordsError
from api.formats.scenario import ScenarioError, read_scenario
from api.formats.scenario_schema import ScenarioIn
from api.render.words import cli_gettext, cli_ngettext
from api.service import (
    NetworkInfo,
    PreparedScenario,
    plan_prepared,
    prepare,
    prepare_for_plan,
)
from api.settings import get_settings
from api.sweep import SweepError
from data import DEMO_SCENARIOS, demo_scenario_path
from geo.graph import GraphLoadError
from geo.matrix import Matrices
from optimiser import params as solve_params
from optimiser.check import PlanRejected, check
from optimiser.model import Plan, Problem
from optimiser.replan import ReplanError, replan_solve


class UsageError(ValueError):
    """A command-line argument that cannot be used; the message names it and its value."""


ROLES = ("coordinator", "planner", "worker")  # api.store.users.Role, which loads the database
# Bad input found by modules imported only by the commands that use them (WeasyPrint,
# matplotlib, SQLAlchemy: seconds to import): an error of a module that is not loaded
# cannot have been raised.
LATE_ERRORS = (("api.deliver", "UncheckedPlan"), ("api.store.users", "UserError"),
               ("api.store.records", "RecordError"))


def _late_error(exc: Exception) -> bool:
    return any(isinstance(exc, getattr(sys.modules[module], name))
               for module, name in LATE_ERRORS if module in sys.modules)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=get_settings().log_level,
                        format="%(levelname)s %(name)s: %(message)s")
    console = Console()
    try:
        if args.command == "check":
            return _check(console, args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "import":
            return _import(console, args)
        if args.command == "users":
            return _users(console, args)
        if args.command == "links":
            return _links(console, args)
        if args.command == "clients":
            return _clients(console, args)
        if args.command == "sheets":
            return _sheets(console, args)
        if args.command == "report":
            return _report(console, args)
        if args.command == "sweep":
            return _sweep(console, args)
        if args.command == "replan":
            return _replan(console, args)
        scenario_path = demo_scenario_path(args.day) if args.command == "demo" else args.scenario
        return _plan(console, scenario_path, args)
    except (ScenarioError, GraphLoadError, PlanDocumentError, UsageError, ReportError,
            SweepError, ReplanError, RecordsError) as exc:
        print(cli_gettext("error: {problem}").format(problem=exc),  # one greppable line each
              file=sys.stderr)
        return 2
    except PlanRejected as exc:
        print(cli_gettext("internal error, no plan written: {problem}").format(problem=exc),
              file=sys.stderr)
        return 1
    except Exception as exc:
        if not _late_error(exc):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2


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
    plan = sub.add_parser("plan", help="plan the day or week described by a scenario JSON file")
    plan.add_argument("scenario", type=Path)
    demo = sub.add_parser("demo", help="plan the embedded Starachowice demo day")
    demo.add_argument("--day", choices=sorted(DEMO_SCENARIOS), default="weekday",
                      help="weekday: CUS staff, PES evenings, CUS driver; saturday: PES only")
    checker = sub.add_parser("check", help="check a plan document against its scenario; "
                             "exit 1 if it breaks a rule")
    checker.add_argument("scenario", type=Path)
    checker.add_argument("plan", type=Path, help="a plan.json written by `trasa plan`")
    sheets = sub.add_parser("sheets", help="route sheets (HTML, PDF), phone calendars (ICS) "
                                           "and GeoJSON of a checked plan")
    sheets.add_argument("scenario", type=Path)
    sheets.add_argument("plan", type=Path, help="a plan.json written by `trasa plan`")
    sheets.add_argument("--out", type=Path, default=None,
                        help="folder to write into (default: the plan's folder)")
    serve = sub.add_parser("serve", help="start the HTTP API (FastAPI on uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true",
                       help="load the Starachowice demo weekday's records into an empty "
                            "database and print how to log in (the Saturday and the "
                            "week: `trasa import`)")
    importer = sub.add_parser(
        "import", help="load a scenario file's records (providers, clients, vehicles, "
                       "workers, tasks, trips) into the database `trasa serve` uses "
                       "(DATABASE_URL, else TRASA_DATA_DIR/trasa.db): all or nothing")
    importer.add_argument("scenario", type=Path)
    users = sub.add_parser("users", help="accounts of the HTTP API (changes are audited)")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="add an account (e.g. the first coordinator)")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="coordinator")
    add.add_argument("--worker", default=None, help="the worker id of a worker's account "
                     "(a stored worker)")
    users_sub.add_parser("list", help="the accounts, their roles and whether disabled")
    for name, text in (("disable", "disable an account: its tokens and API keys stop "
                                   "working"),
                       ("enable", "enable a disabled account"),
                       ("delete", "delete an account (the audit log keeps its entries; "
                                  "the name is not reused)"),
                       ("revoke-tokens", "end every log-in token of an account at once")):
        users_sub.add_parser(name, help=text).add_argument("username")
    reset = users_sub.add_parser("password", help="set an account's password (its tokens "
                                                  "end)")
    reset.add_argument("username")
    for p in (add, reset):
        p.add_argument("--password-env", default="TRASA_PASSWORD",
                       help="environment variable holding the password (default "
                            "TRASA_PASSWORD); asked for when it is not set")
    links = sub.add_parser("links", help="calendar links: subscription URLs of workers' "
                                         "calendars")
    links_sub = links.add_subparsers(dest="links_command", required=True)
    link_add = links_sub.add_parser("add", help="make a link for a stored worker (the URL "
                                                "is shown once)")
    link_add.add_argument("worker")
    link_add.add_argument("--days", type=_positive(int), default=None,
                          help="how long it lasts (default TRASA_CALENDAR_LINK_DAYS, 90)")
    link_add.add_argument("--base-url", default="http://127.0.0.1:8000",
                          help="the server's address as calendar apps reach it")
    link_list = links_sub.add_parser("list", help="the links (never their secrets)")
    link_list.add_argument("--worker", default=None)
    links_sub.add_parser("revoke", help="revoke a link (its feed answers 401)"
                         ).add_argument("link_id")
    clients = sub.add_parser("clients", help="people's rights (RODO): export what is held "
                                             "about a client, erase a client")
    clients_sub = clients.add_subparsers(dest="clients_command", required=True)
    export = clients_sub.add_parser("export", help="everything held about a client, as "
                                                   "JSON (art. 15)")
    export.add_argument("client_id")
    export.add_argument("--out", type=Path, default=None, help="file to write (default: "
                                                               "print)")
    clients_sub.add_parser("erase", help="erase a client's personal data; statistics and "
                                         "the audit log stay (art. 17)"
                           ).add_argument("client_id")
    report = sub.add_parser("report", help="the CUS's monthly report (CSV, XLSX, PDF) from "
                                           "plan files")
    report.add_argument("plans", type=Path, nargs="+", help="plan.json files of the month")
    report.add_argument("--month", required=True, help="YYYY-MM")
    report.add_argument("--out", type=Path, default=Path("."), help="folder to write into")
    sweep = sub.add_parser("sweep", help="what-ifs: plan every fleet and staffing variant of a "
                                         "sweep file (JSON or TOML), rows, charts, report")
    sweep.add_argument("sweep_file", type=Path, help="a sweep file (.toml, .json), or a "
                       "scenario with --vary")
    sweep.add_argument("--vary", action="append", default=[], metavar="WHAT=A..B",
                       help="with a scenario: workers.ID=1..3, vehicles.ID=1..2 (with its "
                            "driver), shifts.WORKER@17:00-21:00=0..2 (extra daily shifts)")
    sweep.add_argument("--max-solutions", type=_positive(int), default=None,
                       help="with --vary: the search budget of each variant (default 200)")
    sweep.add_argument("--seed", type=int, default=None)
    sweep.add_argument("--time-limit", type=_positive(float), default=None,
                       help="solver seconds of each variant (default: the sweep file's "
                            "time_limit_s, else 3600); Ctrl-C stops the sweep at once, "
                            "keeping the rows done")
    sweep.add_argument("--out", type=Path, default=Path("sweep"), help="folder for the rows, "
                       "charts and report (a sweep stopped half-way resumes from it)")
    sweep.add_argument("--jobs", type=_positive(int), default=os.cpu_count() or 1,
                       help="variants solved side by side on this machine (default: all cores)")
    sweep.add_argument("--cluster", default=os.environ.get("TRASA_DASK_SCHEDULER"),
                       help="a Dask scheduler address (tcp://host:port) to run the variants on "
                            "(default: TRASA_DASK_SCHEDULER, else this machine)")
    replan = sub.add_parser("replan", help="the day changes: re-plan a plan after events (a "
                                           "new request, a sick worker, a late visit...)")
    replan.add_argument("plan", type=Path, help="the plan.json to change")
    replan.add_argument("events", type=Path, help="an events file (docs/replanning.md)")
    replan.add_argument("--now", default=None, help="HH:MM (the plan's first day) or ISO "
                        "8601; default: the events file's `now`")
    replan.add_argument("--scenario", type=Path, default=None,
                        help="the plan's scenario (default: the events file's `scenario`)")
    replan.add_argument("--out", type=Path, default=None,
                        help="folder for the new plan.json (default: PLAN_FOLDER/replanned)")
    replan.add_argument("--max-solutions", type=_positive(int), default=None,
                        help="the search budget (default 200 solutions)")
    for p in (plan, demo, sweep):
        p.add_argument("--graph", default=None,
                       help="road network: GraphML/OSM file or place name (overrides scenario)")
    for p in (checker, sheets, replan):
        p.add_argument("--graph", default=None,
                       help="road network: GraphML/OSM file or place name (default: the one "
                            "the plan names); refused unless it is the plan's (content hash)")
    for p in (plan, demo):
        p.add_argument("--out", type=Path, default=Path("out"), help="folder for plan.json")
        p.add_argument("--time-limit", type=_positive(float), default=10.0,
                       help="solver seconds")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--max-solutions", type=_positive(int), default=None,
                       help="stop after this many solutions (reproducible on any machine)")
        p.add_argument("--stall-solutions", type=int,
                       default=solve_params.SolveParams.stall_solutions,
                       help="stop a search that went this many solutions, and as many as it "
                            "took to find its best, without improving (0: never)")
        p.add_argument("--searches", type=_positive(int), default=min(2, os.cpu_count() or 1),
                       help="searches side by side from seeds seed, seed+1, ... (one core "
                            "each); the best plan wins (default: 2 where there are 2 cores)")
        p.add_argument("--quiet", action="store_true", help="no roster in the terminal")
    plan.add_argument("--sheets", action="store_true",
                      help="also write route sheets, calendars and GeoJSON beside plan.json "
                           "(the demo always does)")
    for p in (plan, demo, sheets, replan):
        p.add_argument("--no-pdf", action="store_true", help="sheets as HTML only (faster)")
    return parser


def _warn_synthetic(console: Console, network: NetworkInfo) -> None:
    if network.synthetic:
        console.print(f"[bold white on red] WARNING [/] {network.warning}")


def _plan(console: Console, scenario_path: Path, args: argparse.Namespace) -> int:
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out: {str(args.out)!r} is a file, not a folder for plan.json")
    scenario = read_scenario(scenario_path)
    params = solve_params.SolveParams(time_limit_s=args.time_limit, seed=args.seed,
                                      max_solutions=args.max_solutions,
                                      stall_solutions=args.stall_solutions or None,
                                      searches=args.searches)
    prepared = prepare(scenario, base_dir=scenario_path.parent, graph=args.graph)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True, disable=args.quiet) as progress:
        bar = progress.add_task(f"planning {scenario.name or scenario_path.name}", total=None)

        def on_progress(p: solve_params.Progress) -> None:
            progress.update(bar, description=f"planning: {p.served}/{p.tasks} tasks placed, "
                                             f"objective {p.objective}")

        planned = plan_prepared(prepared, params=params, on_progress=on_progress)
    _warn_synthetic(console, planned.network)
    if scenario.note:
        console.print(f"[dim]{scenario.note}[/]")
    if not args.quiet:
        print_roster(console, planned.problem, planned.plan)
    print_summary(console, planned.problem, planned.plan)
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
        _write_outputs(console, planned.problem, planned.plan, planned.matrices,
                       args.out, warning=planned.network.warning, pdf=not args.no_pdf)
    if args.command == "demo":
        from api.formats.report_files import write_report

        report = monthly_report([(str(out_file), document)], scenario.date.strftime("%Y-%m"))
        written = write_report(report, args.out)
        console.print(f"monthly report of the demo day written to {written[0].parent} "
                      f"({', '.join(p.name for p in written)})")
    return 0


def _report(console: Console, args: argparse.Namespace) -> int:
    from api.formats.report_files import write_report

    documents = [(str(path), _read_plan_file(path)) for path in args.plans]
    try:
        written = write_report(monthly_report(documents, args.month), args.out)
    except OSError as exc:
        raise UsageError(f"--out: cannot write the report into {str(args.out)!r}: "
                         f"{exc.strerror or exc}") from None
    console.print(cli_gettext("report for {month} written: {files}").format(
        month=args.month, files=", ".join(str(p) for p in written)))
    return 0


def _write_outputs(console: Console, problem: Problem, plan: Plan, matrices: Matrices,
                   out: Path, *, warning: str, pdf: bool,
                   workers: set[str] | None = None) -> None:
    from api.deliver import write_outputs

    try:
        written = write_outputs(problem, plan, matrices, out, warning=warning,
                                pdf=pdf, workers=workers)
    except OSError as exc:
        raise UsageError(f"--out: cannot write sheets into {str(out)!r}: "
                         f"{exc.strerror or exc}") from None
    kinds = sorted({p.suffix for p in written})
    console.print(f"route sheets, calendars and maps ({', '.join(kinds)}: {len(written)} "
                  f"files) written to {out}/sheets, {out}/calendars and {out}/plan.geojson")


def _scenario_and_plan(console: Console, args: argparse.Namespace
                       ) -> tuple[ScenarioIn, PreparedScenario, Plan]:
    """`args.scenario` over the road network `args.plan` was made on (`--graph`, else the
    one the plan names; refused when its content hash is not the plan's) and the plan read
    back against it."""
    scenario = read_scenario(args.scenario)
    document = _mapping(_read_plan_file(args.plan))
    prepared, warnings = prepare_for_plan(scenario, document, base_dir=args.scenario.parent,
                                          plan_dir=args.plan.parent, graph=args.graph)
    _warn_synthetic(console, prepared.network)
    for warning in warnings:
        console.print(f"[bold yellow]warning:[/] {warning}")
    scenario, problem = problem_as_happened(scenario, prepared.problem, document)
    return scenario, dataclasses.replace(prepared, problem=problem), read_plan(problem, document)


def _mapping(document: object) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise PlanDocumentError(f"document: expected an object, got {type(document).__name__}")
    return document


def _replan(console: Console, args: argparse.Namespace) -> int:
    from api.formats.events import parse_events
    from api.replanning import replan_document

    raw = _read_json(args.events, "events file")
    if isinstance(raw, dict) and args.now is not None:
        raw = {**raw, "now": args.now}
    events = parse_events(raw, source=str(args.events))
    scenario_path = args.scenario or (args.events.parent / events.scenario
                                      if events.scenario else None)
    if scenario_path is None:
        raise UsageError("--scenario: give the plan's scenario, or \"scenario\" in the "
                         "events file")
    args.scenario = scenario_path
    scenario, prepared, _ = _scenario_and_plan(console, args)
    document = _mapping(_read_plan_file(args.plan))
    solve = replan_solve(max_solutions=args.max_solutions)
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
    _write_outputs(console, out.problem, out.plan, prepared.matrices, folder,
                   warning=prepared.network.warning, pdf=not args.no_pdf,
                   workers=set(out.changed_workers))
    return 0


def _sheets(console: Console, args: argparse.Namespace) -> int:
    scenario, prepared, plan = _scenario_and_plan(console, args)
    _write_outputs(console, prepared.problem, plan, prepared.matrices,
                   args.out or args.plan.parent, warning=prepared.network.warning,
                   pdf=not args.no_pdf)
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn  # the server's libraries load only for `serve`

    from api.app.main import create_app

    if args.demo:
        _load_demo(args)
    uvicorn.run(create_app(get_settings()), host=args.host, port=args.port,
                log_level=get_settings().log_level.lower())
    return 0


DEMO_USER = "koordynator"


def _load_demo(args: argparse.Namespace) -> None:
    """The demo day's records and a coordinator account, unless the database has records."""
    from api.formats.resources import records_from_scenario
    from api.store import records
    from api.store.database import migrate, session_scope, shown
    from api.store.tables import User
    from api.store.users import Role, add_user

    url = get_settings().database()
    migrate(url)
    scenario = read_scenario(demo_scenario_path("weekday"))
    with session_scope(url) as session:
        if not records.all_resources(session, records.KINDS["providers"]):
            records.create_records(session, records_from_scenario(scenario))
        password = None
        if session.get(User, DEMO_USER) is None:
            password = secrets.token_urlsafe(9)
            add_user(session, DEMO_USER, password, Role.COORDINATOR)
    base = f"http://{args.host}:{args.port}"
    print(f"Trasa demo: {scenario.name} ({scenario.date}) loaded into {shown(url)}")
    if password is not None:
        print(f"log in as {DEMO_USER!r} with password {password!r} (shown once):")
        print(f"  curl -s -d 'username={DEMO_USER}&password={password}' {base}/auth/token")
    print(f"API documentation: {base}/docs", flush=True)


def _import(console: Console, args: argparse.Namespace) -> int:
    """`trasa import SCENARIO`: the file's records into the server's database, in one
    transaction; an id already stored refuses the whole file (exit 2)."""
    from api.formats.resources import records_from_scenario
    from api.store import records
    from api.store.database import migrate, session_scope, shown

    scenario = read_scenario(args.scenario)
    resources = records_from_scenario(scenario)
    url = get_settings().database()
    migrate(url)
    try:
        with session_scope(url) as session:
            count = records.create_records(session, resources)
    except records.RecordError as exc:
        raise UsageError(f"{args.scenario}: {exc}; nothing imported") from None
    where = shown(url)
    counts = ", ".join(f"{len(items)} {kind}" for kind, items in resources.items())
    console.print(f"imported {count} records from {args.scenario} into {where}: {counts} "
                  f"({scenario.days} day(s) from {scenario.date})")
    return 0


def _actor() -> str:
    """Who acts, for the audit log: the system user running the command."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _password(args: argparse.Namespace) -> str:
    return os.environ.get(args.password_env) or getpass.getpass(
        f"password for {args.username}: ")


def _users(console: Console, args: argparse.Namespace) -> int:
    from api.store import users
    from api.store.database import migrate, session_scope

    url = get_settings().database()
    migrate(url)
    command, actor = args.users_command, _actor()
    password = _password(args) if command in ("add", "password") else ""
    with session_scope(url) as session:
        if command == "add":
            users.add_user(session, args.username, password, users.Role(args.role),
                           args.worker, actor=actor)
            console.print(f"account {args.username!r} ({args.role}) added")
        elif command == "list":
            for user in users.list_users(session):
                state = " (disabled)" if user.disabled else ""
                worker = f" worker {user.worker_id}" if user.worker_id else ""
                print(f"{user.username}\t{user.role}{worker}{state}")
        elif command in ("disable", "enable"):
            users.set_disabled(session, args.username, command == "disable", actor=actor)
            console.print(f"account {args.username!r} {command}d")
        elif command == "delete":
            users.delete_user(session, args.username, actor=actor)
            console.print(f"account {args.username!r} deleted")
        elif command == "revoke-tokens":
            users.revoke_tokens(session, args.username, actor=actor)
            console.print(f"every log-in token of {args.username!r} revoked")
        else:
            users.reset_password(session, args.username, password, actor=actor)
            console.print(f"password of {args.username!r} set; its tokens revoked")
    return 0


def _links(console: Console, args: argparse.Namespace) -> int:
    from urllib.parse import quote

    from api.store import calendar_links
    from api.store.database import migrate, session_scope

    settings = get_settings()
    url = settings.database()
    migrate(url)
    with session_scope(url) as session:
        if args.links_command == "add":
            row, token = calendar_links.add_link(session, args.worker, _actor(),
                                                 args.days or settings.calendar_link_days)
            base = args.base_url.rstrip("/")
            console.print(f"calendar link {row.id} for {args.worker}, until "
                          f"{row.expires_at:%Y-%m-%d %H:%M} UTC (shown once):")
            print(f"{base}/calendars/{quote(args.worker, safe='')}.ics?token={token}")
        elif args.links_command == "list":
            for row in calendar_links.list_links(session, args.worker):
                state = " revoked" if row.revoked_at is not None else ""
                print(f"{row.id}\t{row.worker_id}\tby {row.created_by}\tuntil "
                      f"{row.expires_at:%Y-%m-%d %H:%M}{state}")
        else:
            calendar_links.revoke(session, args.link_id, _actor())
            console.print(f"calendar link {args.link_id} revoked")
    return 0


def _clients(console: Console, args: argparse.Namespace) -> int:
    from api.store import client_rights
    from api.store.database import migrate, session_scope

    url = get_settings().database()
    migrate(url)
    with session_scope(url) as session:
        if args.clients_command == "export":
            held = client_rights.export_client(session, args.client_id, _actor())
            text = json.dumps(held, ensure_ascii=False, indent=1) + "\n"
            if args.out is None:
                sys.stdout.write(text)
            else:
                try:
                    args.out.write_text(text, encoding="utf-8")
                except OSError as exc:
                    raise UsageError(f"--out: cannot write {str(args.out)!r}: "
                                     f"{exc.strerror or exc}") from None
                console.print(f"everything held about {args.client_id} written to {args.out}")
        else:
            done = client_rights.erase_client(session, args.client_id, _actor(),
                                              today=get_settings().day_today())
            console.print(f"client {args.client_id} erased: {done['tasks']} task(s), "
                          f"{done['plans']} plan(s), {done['jobs']} job(s) cleaned; "
                          "statistics and the audit log kept")
    return 0


def _check(console: Console, args: argparse.Namespace) -> int:
    _, prepared, plan = _scenario_and_plan(console, args)
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



def _sweep(console: Console, args: argparse.Namespace) -> int:
    """Plan a sweep's variants, one line per finished variant. Ctrl-C stops the variants
    under way within seconds (they give no row) and exits 130; the rows done stay in
    `--out`, and the same command resumes from them."""
    from api.formats.sweep_charts import sweep_report_html, write_charts
    from api.sweep import (
        SweepStopped,
        monotonicity_flags,
        read_sweep,
        run_dask,
        run_local,
        run_sweep,
        sweep_from_options,
    )

    if args.vary:
        spec = sweep_from_options(args.sweep_file, args.vary,
                                  max_solutions=args.max_solutions, seed=args.seed,
                                  time_limit_s=args.time_limit, graph=args.graph)
        sweep = read_sweep(args.sweep_file, raw=spec)
    else:
        sweep = read_sweep(args.sweep_file)
        if args.time_limit is not None:
            sweep = dataclasses.replace(sweep, spec=sweep.spec.model_copy(
                update={"time_limit_s": args.time_limit}))
    runner = run_dask(args.cluster) if args.cluster else run_local(args.jobs)
    where = args.cluster or f"{args.jobs} local process(es)"
    total = len(sweep.variants)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        bar = progress.add_task(f"{total} variants on {where} "
                                f"(at most {sweep.spec.time_limit_s:g} s each; Ctrl-C stops)",
                                total=total)
        counter = [0]

        def on_row(row: Any) -> None:
            counter[0] += 1
            progress.console.print(f"variant {row.variant}: {row.served}/{row.tasks} served, "
                                   f"{row.mandatory_unassigned} mandatory left out, "
                                   f"{row.km} km, {row.cost} PLN")

        try:
            rows = run_sweep(sweep, args.out, runner, on_row=on_row,
                             progress=lambda done, total: progress.update(
                                 bar, completed=done,
                                 description=f"variants: {done}/{total} on {where}"))
        except SweepStopped as stopped:
            progress.stop()
            console.print(f"{stopped}; their rows are in {args.out / 'rows.jsonl'}; run the "
                          "same command again to plan the rest")
            return 130
    flags = monotonicity_flags(rows)
    for flag in flags:
        console.print(f"[bold white on red] CHECK [/] {flag}")
    pngs = write_charts(rows, args.out)
    report = args.out / "report.html"
    report.write_text(sweep_report_html(rows, pngs, flags, sweep.scenario.name
                                        or args.sweep_file.stem), encoding="utf-8")
    console.print(f"{len(rows)} variants: rows.csv, rows.json, charts and {report.name} "
                  f"written to {args.out}")
    return 0


def _read_plan_file(path: Path) -> object:
    return _read_json(path, "plan file")


def _read_json(path: Path, what: str) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanDocumentError(f"{path}: no such {what}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PlanDocumentError(f"{path}: not valid JSON ({exc})") from None


if __name__ == "__main__":
    sys.exit(main())
