"""`trasa report PLAN... --month YYYY-MM [--actuals FILE]`: the CUS's monthly report (CSV,
XLSX, PDF) from plan files; with actuals, also the service delivered beside the planned.
`trasa report --month YYYY-MM --from-store` reads the server's database instead: the
plans published for the month (unless plan files are given) and, without `--actuals`,
the stored actuals and the buses' odometer kilometres (`api.services.month_actuals`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from api.cli.common import UsageError, read_plan_file
from api.render.report import monthly_report
from api.render.words import cli_gettext


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="the CUS's monthly report (CSV, XLSX, PDF) from plan files")
    p.add_argument("plans", type=Path, nargs="*",
                   help="plan.json files of the month (with --from-store: the published "
                        "plans when none are given)")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--actuals", type=Path, default=None,
                   help="what was delivered, CSV or JSON: task_id,outcome,start,end[,reason] "
                        "(without it: the plans only)")
    p.add_argument("--from-store", action="store_true",
                   help="read the server's database: the month's published plans and, "
                        "without --actuals, the stored actuals and odometer readings")
    p.add_argument("--out", type=Path, default=Path("."), help="folder to write into")
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    from api.cli.settlement import month_report, read_actuals_file
    from api.render.report_files import write_report

    if not args.plans and not args.from_store:
        raise UsageError("plans: give plan.json files, or --from-store to read the "
                         "published plans")
    if args.from_store:
        report = month_report(args.month, args.plans, args.actuals)
    else:
        documents = [(str(path), read_plan_file(path)) for path in args.plans]
        actuals = read_actuals_file(args.actuals) if args.actuals is not None else None
        report = monthly_report(documents, args.month, actuals)
    try:
        written = write_report(report, args.out)
    except OSError as exc:
        raise UsageError(f"--out: cannot write the report into {str(args.out)!r}: "
                         f"{exc.strerror or exc}") from None
    console.print(cli_gettext("report for {month} written: {files}").format(
        month=args.month, files=", ".join(str(p) for p in written)))
    return 0
