"""`trasa settlement MONTH [PLAN...] --provider P [--actuals FILE] --rates FILE`: one PES
provider's settlement of a month (XLSX, PDF) from plan files, actuals and the price list
(the `[rates]` table of a sweep file, TOML or JSON: `api.schemas.rates`). Without plan
files, the plans published for the month in the server's database; without
`--actuals`, the actuals stored there (`api.services.month_actuals`)."""

from __future__ import annotations

import argparse
import json
import tomllib
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console

from api.cli.common import UsageError, read_plan_file
from api.convert.actuals_file import ActualsError, read_actuals
from api.render.report import MonthlyReport, monthly_report
from api.render.words import cli_gettext
from api.schemas.rates import RatesIn
from optimiser.actuals import Actual


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="a PES provider's monthly settlement (XLSX, PDF) from plan "
                                  "files and actuals")
    p.add_argument("month", help="YYYY-MM")
    p.add_argument("plans", type=Path, nargs="*",
                   help="plan.json files of the month (default: the published plans)")
    p.add_argument("--provider", required=True, help="provider id, e.g. pes-rehab")
    p.add_argument("--actuals", type=Path, default=None,
                   help="CSV or JSON: task_id,outcome,start,end[,reason] (default: the "
                        "actuals stored in the server's database)")
    p.add_argument("--rates", type=Path, required=True,
                   help="the price list: a TOML or JSON file with a [rates] table "
                        "(a sweep file will do)")
    p.add_argument("--out", type=Path, default=Path("."), help="folder to write into")
    return p


def read_actuals_file(path: Path) -> dict[str, Actual]:
    try:
        return read_actuals(path.read_text(encoding="utf-8-sig"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--actuals: cannot read {str(path)!r}: {exc}") from None
    except ActualsError as exc:
        raise UsageError(f"--actuals: {exc}") from None


def month_report(month: str, plans: list[Path], actuals: Path | None) -> MonthlyReport:
    """The month's report from the server's database: the plan files given (else the
    plans published for the month) with the actuals file given (else the stored
    actuals and odometer readings)."""
    from api.cli.common import database_url
    from api.render.report import ReportError
    from api.services.month_actuals import published_in, report_of
    from api.store.database import sessions

    given = read_actuals_file(actuals) if actuals is not None else None
    with sessions(database_url())() as session:
        try:
            documents = [(str(p), read_plan_file(p)) for p in plans] or \
                published_in(session, month)
        except ReportError as exc:
            raise UsageError(f"month: {exc}") from None
        if not documents:
            raise UsageError(f"month: no plan is published for any day of {month}")
        return report_of(session, documents, month, given, from_store=given is None)


def read_rates_file(path: Path) -> RatesIn:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"--rates: cannot read {str(path)!r}: {exc}") from None
    try:
        return RatesIn.model_validate(data.get("rates", {}) if isinstance(data, dict) else data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"--rates: {path}: rates.{where}: {first['msg']} "
                         f"(got {first.get('input')!r})") from None


def run(console: Console, args: argparse.Namespace) -> int:
    from api.render.settlement import SettlementError, settlement
    from api.render.settlement_files import write_settlement

    if args.plans and args.actuals is not None:  # files only: no database
        documents = [(str(path), read_plan_file(path)) for path in args.plans]
        report = monthly_report(documents, args.month, read_actuals_file(args.actuals))
    else:
        report = month_report(args.month, args.plans, args.actuals)
    try:
        result = settlement(report, args.provider, read_rates_file(args.rates))
        written = write_settlement(result, args.out)
    except SettlementError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"--out: cannot write the settlement into {str(args.out)!r}: "
                         f"{exc.strerror or exc}") from None
    console.print(cli_gettext("settlement of {provider} for {month} written: {files} "
                              "(in all {total} PLN)").format(
        provider=args.provider, month=args.month, total=result.total,
        files=", ".join(str(p) for p in written)))
    return 0
