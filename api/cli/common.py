"""What the `trasa` commands share: running one (its exit code for each kind of error),
the options several commands take, and reading a plan back against its scenario.

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
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from api.convert.events import problem_as_happened
from api.convert.plan_document import PlanDocumentError, read_plan
from api.convert.scenario import ScenarioError, read_scenario
from api.render.report import ReportError
from api.render.words import cli_gettext
from api.schemas.records import RecordsError
from api.schemas.scenario import ScenarioIn
from api.services.planning import NetworkInfo, PreparedScenario, prepare_for_plan
from api.services.sweep import SweepError
from api.settings import get_settings
from geo.graph import GraphLoadError
from geo.matrix import Matrices
from optimiser.check import PlanRejected
from optimiser.model import Plan, Problem
from optimiser.replan import ReplanError


class UsageError(ValueError):
    """A command-line argument that cannot be used; the message names it and its value."""


Command = Callable[[Console, argparse.Namespace], int]

# Bad input found by modules imported only by the commands that use them (WeasyPrint,
# matplotlib, SQLAlchemy: seconds to import): an error of a module that is not loaded
# cannot have been raised.
LATE_ERRORS = (("api.services.deliver", "UncheckedPlan"), ("api.store.users", "UserError"),
               ("api.store.records", "RecordError"))


def _late_error(exc: Exception) -> bool:
    return any(isinstance(exc, getattr(sys.modules[module], name))
               for module, name in LATE_ERRORS if module in sys.modules)


def run(command: Command, args: argparse.Namespace) -> int:
    """Run `command` with the parsed `args`: its exit code, or the one its error gives
    (the error as one greppable line on standard error)."""
    logging.basicConfig(level=get_settings().log_level,
                        format="%(levelname)s %(name)s: %(message)s")
    console = Console()
    try:
        return command(console, args)
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
        print(cli_gettext("error: {problem}").format(problem=exc), file=sys.stderr)
        return 2


def positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    """An argparse type: a positive number of `kind`."""
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be positive")
        return value

    return parse


def graph_option(parser: argparse.ArgumentParser, *, of_plan: bool) -> None:
    """`--graph`: the road network a scenario is planned on, or (`of_plan`) the one a plan
    is read back on."""
    if of_plan:
        parser.add_argument("--graph", default=None,
                            help="road network: GraphML/OSM file or place name (default: the "
                                 "one the plan names); refused unless it is the plan's "
                                 "(content hash)")
    else:
        parser.add_argument("--graph", default=None,
                            help="road network: GraphML/OSM file or place name (overrides "
                                 "scenario)")


def no_pdf_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-pdf", action="store_true", help="sheets as HTML only (faster)")


def warn_synthetic(console: Console, network: NetworkInfo) -> None:
    if network.synthetic:
        console.print(f"[bold white on red] WARNING [/] {network.warning}")


def write_outputs(console: Console, problem: Problem, plan: Plan, matrices: Matrices,
                  out: Path, *, warning: str, pdf: bool,
                  workers: set[str] | None = None) -> None:
    """Route sheets, calendars and maps of a checked plan into `out`."""
    from api.services.deliver import write_outputs as write

    try:
        written = write(problem, plan, matrices, out, warning=warning, pdf=pdf,
                        workers=workers)
    except OSError as exc:
        raise UsageError(f"--out: cannot write sheets into {str(out)!r}: "
                         f"{exc.strerror or exc}") from None
    kinds = sorted({p.suffix for p in written})
    console.print(f"route sheets, calendars and maps ({', '.join(kinds)}: {len(written)} "
                  f"files) written to {out}/sheets, {out}/calendars and {out}/plan.geojson")


def scenario_and_plan(console: Console, args: argparse.Namespace
                      ) -> tuple[ScenarioIn, PreparedScenario, Plan]:
    """`args.scenario` over the road network `args.plan` was made on (`--graph`, else the
    one the plan names; refused when its content hash is not the plan's) and the plan read
    back against it."""
    scenario = read_scenario(args.scenario)
    document = mapping(read_plan_file(args.plan))
    prepared, warnings = prepare_for_plan(scenario, document, base_dir=args.scenario.parent,
                                          plan_dir=args.plan.parent, graph=args.graph)
    warn_synthetic(console, prepared.network)
    for warning in warnings:
        console.print(f"[bold yellow]warning:[/] {warning}")
    scenario, problem = problem_as_happened(scenario, prepared.problem, document)
    return scenario, dataclasses.replace(prepared, problem=problem), read_plan(problem, document)


def mapping(document: object) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise PlanDocumentError(f"document: expected an object, got {type(document).__name__}")
    return document


def read_plan_file(path: Path) -> object:
    return read_json(path, "plan file")


def read_json(path: Path, what: str) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanDocumentError(f"{path}: no such {what}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PlanDocumentError(f"{path}: not valid JSON ({exc})") from None


def actor() -> str:
    """Who acts, for the audit log: the system user running the command."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def database_url() -> str:
    """The database `trasa serve` uses, migrated to the newest schema."""
    from api.store.database import migrate

    url = get_settings().database()
    migrate(url)
    return url
