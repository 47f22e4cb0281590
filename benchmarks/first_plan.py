"""The first plan after a fresh install: wall seconds of `trasa plan` on the Chełm example
with a 10 s limit, the first and the second time, after the README's install (a clone
of this repository's HEAD, a fresh venv, `pip install -e .`, then `trasa warm-up`).

The search steps are compiled by numba once per installation (`optimiser/sisr/warm_up.py`):
`--no-warm-up` leaves that to the first plan, `--non-editable` installs with
`pip install .` (the cache then lives in the venv's site-packages). Needs
`../shared/data/osm/Chelm_map.graphml` beside the repository and a package index (or
PIP_FIND_LINKS) for the install. Prints one row per step and a last line
`first_plan: install=editable warm_up=yes first_s=… second_s=… limit_s=10`.

    python -m benchmarks.first_plan [--no-warm-up] [--non-editable] [--time-limit 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, SHARED_DATA, machine_line

SCENARIO = "docs/examples/two_workers.json"
GRAPH = "../shared/data/osm/Chelm_map.graphml"


def timed(label: str, command: list[str], cwd: Path) -> float:
    """Run `command` in `cwd` (its output hidden unless it fails); its wall seconds. Without
    PYTHONPATH: the clone's installation is timed, not this checkout."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode:
        raise SystemExit(f"{label} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    print(f"{label:<12} {seconds:8.1f}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.first_plan",
                                description=__doc__.splitlines()[0] if __doc__ else "")
    p.add_argument("--no-warm-up", action="store_true", help="skip `trasa warm-up`")
    p.add_argument("--non-editable", action="store_true", help="pip install . (not -e)")
    p.add_argument("--time-limit", type=float, default=10.0)
    args = p.parse_args(argv)
    if not (SHARED_DATA / "osm" / "Chelm_map.graphml").exists():
        raise SystemExit(f"missing {SHARED_DATA / 'osm' / 'Chelm_map.graphml'}")
    with tempfile.TemporaryDirectory(prefix="trasa-first-plan-") as folder:
        root = Path(folder)
        (root / "shared").symlink_to(SHARED_DATA.parent)  # ../shared beside the clone
        clone = root / "trasa"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        print(machine_line(install="pip install ." if args.non_editable
                           else "pip install -e .", time_limit=args.time_limit))
        print(f"{'step':<12} {'wall_s':>8}")
        bin_ = clone / ".venv" / "bin"
        timed("venv", [sys.executable, "-m", "venv", ".venv"], clone)
        timed("install", [str(bin_ / "pip"), "install", "-q",
                          *([] if args.non_editable else ["-e"]), "."], clone)
        if not args.no_warm_up:
            timed("warm-up", [str(bin_ / "trasa"), "warm-up"], clone)
        plans = [timed(f"plan {n}", [str(bin_ / "trasa"), "plan", SCENARIO, "--graph", GRAPH,
                                     "--time-limit", str(args.time_limit), "--quiet",
                                     "--out", f"out{n}"], clone) for n in (1, 2)]
    print(f"first_plan: install={'non-editable' if args.non_editable else 'editable'} "
          f"warm_up={'no' if args.no_warm_up else 'yes'} first_s={plans[0]:.1f} "
          f"second_s={plans[1]:.1f} limit_s={args.time_limit:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
