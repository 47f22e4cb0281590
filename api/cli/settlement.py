"""`trasa settlement MONTH PLAN... --provider P --actuals FILE --rates FILE`: one PES
provider's settlement of a month (XLSX, PDF) from plan files, actuals and the price list
(the `[rates]` table of a sweep file, TOML or JSON: `api.schemas.rates`)."""

from __future__ import annotations

import argparse
import json
import tomllib
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console

from api.cli.common import UsageError, read_plan_file
from api.convert.actuals_file import ActualsError, read_actuals
from api.render.report import monthly_report
from api.render.words import cli_gettext
from api.schemas.rates import RatesIn
from optimiser.actuals import Actual


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="a PES provider's monthly settlement (XLSX, PDF) from plan "
                                  "files and actuals")
    p.add_argument("month", help="YYYY-MM")
    p.add_argument("plans", type=Path, nargs="+", help="plan.json files of the month")
    p.add_argument("--provider", required=True, help="provider id, e.g. pes-rehab")
    p.add_argument("--actuals", type=Path, required=True,
                   help="CSV or JSON: task_id,outcome,start,end[,reason]")
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

    documents = [(str(path), read_plan_file(path)) for path in args.plans]
    report = monthly_report(documents, args.month, read_actuals_file(args.actuals))
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
