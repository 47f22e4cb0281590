"""`trasa import SCENARIO`: a scenario file's records (providers, clients, vehicles,
workers, tasks, trips) into the database `trasa serve` uses, all or nothing."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from api.cli.common import UsageError, database_url
from api.convert.scenario import read_scenario


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name, help="load a scenario file's records (providers, clients, vehicles, "
                   "workers, tasks, trips) into the database `trasa serve` uses "
                   "(DATABASE_URL, else TRASA_DATA_DIR/trasa.db): all or nothing")
    p.add_argument("scenario", type=Path)
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    """The file's records into the server's database, in one transaction; an id already
    stored refuses the whole file (exit 2)."""
    from api.schemas.records import records_from_scenario
    from api.store import records
    from api.store.database import session_scope, shown

    scenario = read_scenario(args.scenario)
    resources = records_from_scenario(scenario)
    url = database_url()
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
