"""A 24-variant what-if sweep of the generated Starachowice week: 1 core against 2.

Variants: 1–4 CUS physiotherapists × 1–2 buses (with a driver) × 0–2 extra PES evening
shifts (daily 17:00–21:00), each solved with the same seed and solution budget. The sweep
runs once on one process and once on `--jobs` processes, each from a fresh read (network
and matrices built once per sweep); the rows must agree. Prints the machine and
settings, one row per variant, the timings and a last line
`sweep: variants=24 speedup=X overhead_pct=Y`, where the speed-up is the one-process
wall time over the `--jobs` one, and the overhead is the share of the `--jobs` wall time
not spent solving: reading (graph, matrices) and the pool's start-up, i.e.
`1 - (serial solve time / jobs) / (read + parallel wall time)`.

    python -m benchmarks.sweep [--days 7] [--max-solutions 100] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from api.services.sweep import read_sweep
from api.services.sweep_runs import run_local, run_serial, run_sweep
from benchmarks.common import machine_line
from data.generate_week import SEED, START, build_towns


def _spec(days: int, max_solutions: int) -> dict[str, object]:
    return {"scenario": "week.json", "seed": 0, "max_solutions": max_solutions,
            "templates": {
                "physio": {"worker": "physio-cus-piotr"},
                "bus": {"vehicle": "bus", "driver": "driver-cus-andrzej"},
                "pes_evening": {"worker": "physio-pes-kasia",
                                "shift": {"start": "17:00", "end": "21:00", "day": "daily"}}},
            "vary": {"physio": [1, 2, 3, 4], "bus": [1, 2], "pes_evening": [0, 1, 2]},
            "rates": {"per_km": 1.2, "per_hour": {"cus": 55.0, "pes-rehab": 48.0,
                                                  "pes-care": 45.0, "pes-fix": 48.0,
                                                  "pes-transport": 50.0},
                      "per_vehicle_day": 150.0}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--max-solutions", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    print(machine_line(days=args.days, max_solutions=args.max_solutions, jobs=args.jobs))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "week.json").write_text(json.dumps(build_towns(SEED, args.days, START)),
                                          encoding="utf-8")
        (folder / "sweep.json").write_text(json.dumps(_spec(args.days, args.max_solutions)),
                                           encoding="utf-8")
        t0 = time.perf_counter()
        serial = run_sweep(read_sweep(folder / "sweep.json"), folder / "one", run_serial)
        t_serial = time.perf_counter() - t0
        t0 = time.perf_counter()
        sweep = read_sweep(folder / "sweep.json")
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        parallel = run_sweep(sweep, folder / "many", run_local(args.jobs))
        t_parallel = time.perf_counter() - t0
    print(f"{'variant':<36} {'served':>9} {'mand.out':>8} {'km':>7} {'work h':>7} "
          f"{'PES %':>6} {'cost PLN':>9}")
    for row in serial:
        print(f"{row.variant:<36} {row.served:>4}/{row.tasks:<4} {row.mandatory_unassigned:>8} "
              f"{row.km:>7.1f} {row.work_h:>7.1f} {100 * (row.pes_share or 0):>6.1f} "
              f"{row.cost:>9.2f}")
    same = serial == parallel
    solving = (t_serial - t_read) / args.jobs  # the one-process run read once too
    overhead = 100 * max(0.0, 1 - solving / (t_read + t_parallel))
    speedup = t_serial / (t_read + t_parallel)
    print(f"# read (graph, matrices) {t_read:.1f} s; 1 process {t_serial:.1f} s; {args.jobs} "
          f"processes {t_read + t_parallel:.1f} s; rows identical: {same}")
    print(f"sweep: variants={len(serial)} speedup={speedup:.2f} overhead_pct={overhead:.1f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
