"""The `trasa` entry point: wires the commands, one module each under `api.cli`
(`add_parser` adds its flags, `run` runs it; `api.cli.common` runs it and turns its
errors into exit codes), kept light on purpose.

Spawned processes (side-by-side searches, the job pool of `trasa serve`) import
the parent's main module before they start; importing every command with it
(WeasyPrint, matplotlib, osmnx, Alembic: about 6 s) would eat their time limit.
So the commands are imported only when one runs.
"""

from __future__ import annotations

import sys
from typing import Any

# The commands in the order `trasa --help` lists them, and the module of each.
COMMANDS = {"plan": "plan", "demo": "plan", "check": "check", "sheets": "sheets",
            "serve": "serve", "import": "import_records", "users": "users", "links": "links",
            "clients": "clients", "report": "report", "settlement": "settlement",
            "sweep": "sweep", "replan": "replan", "call-list": "call_list", "actuals": "actuals",
            "offer": "offer", "warm-up": "warm_up"}


def _module(command: str) -> Any:
    import importlib

    return importlib.import_module(f"api.cli.{COMMANDS[command]}")


def parser() -> Any:
    """The `trasa` argument parser, every command's flags."""
    import argparse

    top = argparse.ArgumentParser(prog="trasa", description="Route and schedule planner "
                                  "for mobile social services.")
    sub = top.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        _module(command).add_parser(sub, command)
    return top


def main(argv: list[str] | None = None) -> int:
    from api.cli.common import run

    args = parser().parse_args(argv)
    return run(_module(args.command).run, args)


if __name__ == "__main__":
    sys.exit(main())
