"""The `trasa` entry point, kept light on purpose.

Spawned processes (side-by-side searches, the job pool of `trasa serve`) import
the parent's main module before they start; importing every command with it
(WeasyPrint, matplotlib, osmnx, Alembic: about 6 s) would eat their time limit.
So the commands (`api.cli.commands`) are imported only when one runs.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from api.cli.commands import main as run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
