"""`trasa sweep FILE`: what-ifs: plan every fleet and staffing variant of a sweep file
(JSON or TOML), or of a scenario with `--vary`; rows, charts and a report (`api.services.sweep`,
`api.services.sweep_runs`)."""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from api.cli.common import graph_option, positive
from api.services.parameters import Kind, default


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="what-ifs: plan every fleet and staffing variant of a "
                                  "sweep file (JSON or TOML), rows, charts, report")
    p.add_argument("sweep_file", type=Path, help="a sweep file (.toml, .json), or a "
                   "scenario with --vary")
    p.add_argument("--vary", action="append", default=[], metavar="WHAT=A..B",
                   help="with a scenario: workers.ID=1..3, vehicles.ID=1..2 (with its "
                        "driver), shifts.WORKER@17:00-21:00=0..2 (extra daily shifts)")
    p.add_argument("--max-solutions", type=positive(int), default=None,
                   help="with --vary: the search budget of each variant (default "
                        f"{default(Kind.SWEEP, 'max_solutions')})")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--time-limit", type=positive(float), default=None,
                   help="solver seconds of each variant (default: the sweep file's "
                        f"time_limit_s, else {default(Kind.SWEEP, 'time_limit_s'):g}); "
                        "Ctrl-C stops the sweep at once, keeping the rows done")
    p.add_argument("--out", type=Path, default=Path("sweep"), help="folder for the rows, "
                   "charts and report (a sweep stopped half-way resumes from it)")
    p.add_argument("--jobs", type=positive(int), default=os.cpu_count() or 1,
                   help="variants solved side by side on this machine (default: all cores)")
    p.add_argument("--cluster", default=os.environ.get("TRASA_DASK_SCHEDULER"),
                   help="a Dask scheduler address (tcp://host:port) to run the variants on "
                        "(default: TRASA_DASK_SCHEDULER, else this machine)")
    graph_option(p, of_plan=False)
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    """Plan a sweep's variants, one line per finished variant. Ctrl-C stops the variants
    under way within seconds (they give no row) and exits 130; the rows done stay in
    `--out`, and the same command resumes from them."""
    from api.render.sweep_charts import sweep_report_html, write_charts
    from api.services.sweep import read_sweep, sweep_from_options
    from api.services.sweep_runs import (
        SweepStopped,
        monotonicity_flags,
        run_dask,
        run_local,
        run_sweep,
    )

    if args.vary:
        spec = sweep_from_options(args.sweep_file, args.vary,
                                  max_solutions=args.max_solutions, seed=args.seed,
                                  time_limit_s=args.time_limit, graph=args.graph)
        sweep = read_sweep(args.sweep_file, raw=spec)
    else:
        sweep = read_sweep(args.sweep_file)
        if args.time_limit is not None:
            sweep = dataclasses.replace(sweep, spec=sweep.spec.model_copy(
                update={"time_limit_s": args.time_limit}))
    runner = run_dask(args.cluster) if args.cluster else run_local(args.jobs)
    where = args.cluster or f"{args.jobs} local process(es)"
    total = len(sweep.variants)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        bar = progress.add_task(f"{total} variants on {where} "
                                f"(at most {sweep.spec.time_limit_s:g} s each; Ctrl-C stops)",
                                total=total)
        counter = [0]

        def on_row(row: Any) -> None:
            counter[0] += 1
            progress.console.print(f"variant {row.variant}: {row.served}/{row.tasks} served, "
                                   f"{row.mandatory_unassigned} mandatory left out, "
                                   f"{row.km} km, {row.cost} PLN")

        try:
            rows = run_sweep(sweep, args.out, runner, on_row=on_row,
                             progress=lambda done, total: progress.update(
                                 bar, completed=done,
                                 description=f"variants: {done}/{total} on {where}"))
        except SweepStopped as stopped:
            progress.stop()
            console.print(f"{stopped}; their rows are in {args.out / 'rows.jsonl'}; run the "
                          "same command again to plan the rest")
            return 130
    flags = monotonicity_flags(rows)
    for flag in flags:
        console.print(f"[bold white on red] CHECK [/] {flag}")
    pngs = write_charts(rows, args.out)
    report = args.out / "report.html"
    report.write_text(sweep_report_html(rows, pngs, flags, sweep.scenario.name
                                        or args.sweep_file.stem), encoding="utf-8")
    console.print(f"{len(rows)} variants: rows.csv, rows.json, charts and {report.name} "
                  f"written to {args.out}")
    return 0
