"""`trasa warm-up`: compile the search steps once after installing, so that no plan waits
for the compiler (`optimiser.sisr.warm_up`). The README's install runs it; after it
the command only loads the steps from the cache (under 1 s)."""

from __future__ import annotations

import argparse

from rich.console import Console

from api.render.words import cli_gettext
from optimiser.sisr.warm_up import compile_steps


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help="compile the search steps once after installing "
                                     "(20-30 s), so the first plan does not wait for them")


def run(console: Console, args: argparse.Namespace) -> int:
    seconds = compile_steps()
    console.print(cli_gettext("search steps ready in {seconds:.1f} s (compiled once per "
                              "installation, loaded from the cache after that)")
                  .format(seconds=seconds))
    return 0
