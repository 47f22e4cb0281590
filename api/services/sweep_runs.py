"""Running a sweep (`api.services.sweep`): each variant planned and measured into a row, on
this process, local processes or a Dask cluster; the rows written as they come
(`rows.jsonl`, so a sweep stopped half-way resumes), then as tables.

Every variant's solve has the sweep's time limit and hears a cancel signal: a variant
cut short gives no row. The search of a variant is the sweep's
(`api.services.parameters`, `Kind.SWEEP`): its seed and solution budget, one search.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures import wait as wait_for
from pathlib import Path
from typing import Any

from api.convert.plan_document import service_of
from api.convert.safe_cells import csv_writer
from api.convert.scenario import to_problem
from api.jobs.processes import end_pool_processes, pool_options
from api.schemas.rates import RatesIn
from api.schemas.scenario import ScenarioIn
from api.schemas.sweep_row import Row
from api.services.parameters import Kind, solve_params
from api.services.sweep import Sweep, SweepIn, Variant, variant_scenario
from optimiser.kpi import kpis
from optimiser.model import Plan, Priority, Problem, TravelMatrix
from optimiser.params import CancelSignal
from optimiser.solve import solve

OVERTIME_AFTER_S = 8 * 3600  # a route longer than this is overtime (Polish 8-hour day)


def run_until(sweep: Sweep, done: Callable[[Row], None], cancel: CancelSignal,
              skip: Iterable[str] = ()) -> None:
    """The variants (but those whose key is in `skip`: rows a run before had) one after
    another in this process, until `cancel` is set; each variant's solve hears it too,
    so a cancel ends the variant under way within seconds (it gives no row)."""
    skipped = set(skip)
    for variant in sweep.variants:
        if cancel.is_set():
            return
        if variant.key in skipped:
            continue
        row = solve_variant(sweep.spec, sweep.scenario, sweep.matrix, variant, cancel=cancel)
        if row is not None:
            done(row)


def solve_variant(spec: SweepIn, scenario: ScenarioIn, matrix: TravelMatrix,
                  variant: Variant, cancel: CancelSignal | None = None) -> Row | None:
    """Plan one variant within the sweep's time limit and measure it; None when `cancel`
    stopped it. Runs anywhere (a pool process, a Dask worker): every argument but
    `cancel` is plain data (a pool process gets its own: `_local_stop`)."""
    if cancel is None:
        cancel = _local_stop
    if cancel is not None and cancel.is_set():
        return None
    problem = to_problem(variant_scenario(spec, scenario, variant), matrix)
    params = solve_params(Kind.SWEEP, time_limit_s=spec.time_limit_s,
                          max_solutions=spec.max_solutions, seed=spec.seed)
    plan = solve(problem, params=params, cancel=cancel)
    if plan.stats.cancelled:
        return None
    return measure(problem, plan, variant, spec.rates)


_local_stop: CancelSignal | None = None  # a local pool process's stop event (`run_local`)


def _listen_for_stop(stop: CancelSignal) -> None:
    """Pool initializer of `run_local`: the stop event the parent sets on Ctrl-C. The
    worker ignores SIGINT itself (the terminal sends it to the whole process group):
    it stops through the event, so that the variant is dropped cleanly, not torn."""
    global _local_stop
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _local_stop = stop


def measure(problem: Problem, plan: Plan, variant: Variant, rates: RatesIn) -> Row:
    figures = kpis(problem, plan)
    served_ids = {s.task_id for r in plan.routes for s in r.stops}
    by_service: dict[str, list[int]] = {}
    by_priority: dict[str, list[int]] = {}
    for task in problem.tasks:
        done = int(task.id in served_ids)
        for table, key in ((by_service, service_of(task)),
                           (by_priority, Priority(task.priority).name.lower())):
            table.setdefault(key, [0, 0])
            table[key][0] += done
            table[key][1] += 1
    reasons: dict[str, int] = {}
    for u in plan.unassigned:
        reasons[u.reason.value] = reasons.get(u.reason.value, 0) + 1
    work_s = [r.end_s - r.start_s for r in plan.routes]
    used_workers = {r.worker_id for r in plan.routes}
    used_vehicles = {v for w in used_workers if (v := problem.worker(w).vehicle_id)}
    days = len(problem.calendar.dates)
    cost = (rates.per_km * figures.distance_m / 1000
            + sum(rates.per_hour.get(problem.worker(r.worker_id).provider_id, 0.0)
                  * (r.end_s - r.start_s) / 3600 for r in plan.routes)
            + rates.per_vehicle_day * len(used_vehicles) * days
            + rates.per_worker_day * len(used_workers) * days)
    return Row(
        variant=variant.key, counts=dict(variant.counts), served=figures.served,
        tasks=figures.tasks, mandatory_unassigned=figures.mandatory_unassigned,
        served_share_by_service={k: round(d / n, 4) for k, (d, n) in sorted(by_service.items())},
        served_share_by_priority={k: round(d / n, 4) for k, (d, n) in
                                  sorted(by_priority.items())},
        unassigned_by_reason=dict(sorted(reasons.items())),
        km=round(figures.distance_m / 1000, 1), work_h=round(sum(work_s) / 3600, 2),
        overtime_h=round(sum(max(0, w - OVERTIME_AFTER_S) for w in work_s) / 3600, 2),
        pes_share=figures.pes_share, workers=len(problem.workers),
        vehicles=len(problem.vehicles), cost=round(cost, 2))


Runner = Callable[[Sweep, Sequence[Variant], Callable[[Row], None]], None]


def run_serial(sweep: Sweep, todo: Sequence[Variant], done: Callable[[Row], None]) -> None:
    for variant in todo:
        row = solve_variant(sweep.spec, sweep.scenario, sweep.matrix, variant)
        if row is not None:
            done(row)


STOP_WAIT_S = 30.0  # after Ctrl-C: how long the variants under way get to stop


class SweepStopped(Exception):
    """A sweep stopped by Ctrl-C: `done` of `total` variants have their rows written."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"stopped: {done} of {total} variants done")
        self.done, self.total = done, total


def run_local(jobs: int) -> Runner:
    """Variants on `jobs` local processes (spawn), each row reported as it finishes.

    Ctrl-C sets a stop event every worker's solve polls: the variants under way end
    within seconds without a row, those not started never start, and `SweepStopped`
    is raised once the workers are idle (their processes are ended if they do not stop
    in `STOP_WAIT_S`, or at a second Ctrl-C). Rows already reported stay written, so
    `run_sweep` resumes from them."""
    def run(sweep: Sweep, todo: Sequence[Variant], done: Callable[[Row], None]) -> None:
        context = multiprocessing.get_context("spawn")
        stop = context.Event()
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                   **pool_options(_listen_for_stop, stop))
        futures: list[Future[Row | None]] = []
        reported: set[Future[Row | None]] = set()
        rows = 0

        def report(future: Future[Row | None]) -> None:
            nonlocal rows
            reported.add(future)
            row = future.result()
            if row is not None:
                rows += 1
                done(row)

        try:
            futures = [pool.submit(solve_variant, sweep.spec, sweep.scenario, sweep.matrix, v)
                       for v in todo]
            for future in as_completed(futures):
                report(future)
        except KeyboardInterrupt:
            stop.set()
            for future in futures:
                future.cancel()
            with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C: no more waiting
                wait_for(futures, STOP_WAIT_S)
            end_pool_processes(pool)
            for future in futures:  # a variant that finished while stopping keeps its row
                if future not in reported and future.done() and not future.cancelled() \
                        and future.exception() is None:
                    report(future)
            raise SweepStopped(len(sweep.variants) - len(todo) + rows,
                               len(sweep.variants)) from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return run


def run_dask(address: str | Any) -> Runner:
    """Variants on a Dask distributed cluster (`tcp://host:port`, or a `Client`)."""
    def run(sweep: Sweep, todo: Sequence[Variant], done: Callable[[Row], None]) -> None:
        from distributed import Client
        from distributed import as_completed as finished

        client = address if isinstance(address, Client) else Client(address)
        try:
            futures = client.map(solve_variant, [sweep.spec] * len(todo),
                                 [sweep.scenario] * len(todo), [sweep.matrix] * len(todo),
                                 list(todo), pure=False)
            for future in finished(futures):
                row = future.result()
                if row is not None:
                    done(row)
        finally:
            if client is not address:
                client.close()
    return run


ROWS_FILE = "rows.jsonl"


def run_sweep(sweep: Sweep, out_dir: Path, runner: Runner,
              progress: Callable[[int, int], None] | None = None,
              on_row: Callable[[Row], None] | None = None) -> list[Row]:
    """Run the variants not yet in `out_dir/rows.jsonl` (a sweep stopped half-way
    resumes), append each row as it finishes (and hand it to `on_row`), and return all
    rows in grid order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows_file = out_dir / ROWS_FILE
    have = {r.variant: r for r in _read_rows(rows_file)}
    todo = [v for v in sweep.variants if v.key not in have]

    def done(row: Row) -> None:
        have[row.variant] = row
        with rows_file.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row.__dict__, ensure_ascii=False) + "\n")
        if on_row is not None:
            on_row(row)
        if progress is not None:
            progress(len(have), len(sweep.variants))

    if todo:
        runner(sweep, todo, done)
    rows = [have[v.key] for v in sweep.variants]
    write_tables(rows, out_dir)
    return rows


def _read_rows(path: Path) -> Iterable[Row]:
    if not path.exists():
        return []
    return [Row(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def monotonicity_flags(rows: Sequence[Row]) -> list[str]:
    """Variants that serve *fewer* mandatory tasks than one with fewer of every template
    (more staff must never do worse on what must be done): each as a sentence."""
    flags = []
    for a, b in itertools.permutations(rows, 2):
        if a.counts != b.counts and all(a.counts[k] <= b.counts[k] for k in a.counts) \
                and b.mandatory_unassigned > a.mandatory_unassigned:
            flags.append(f"{b.variant} leaves {b.mandatory_unassigned} mandatory task(s) out, "
                         f"more than {a.variant} with less staff ({a.mandatory_unassigned})")
    return flags


def write_tables(rows: Sequence[Row], out_dir: Path) -> None:
    """`rows.json` (every field) and `rows.csv` (one flat line per variant)."""
    (out_dir / "rows.json").write_text(json.dumps([r.__dict__ for r in rows],
                                                  ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    flat = [_flat(r) for r in rows]
    columns = sorted({k for f in flat for k in f}, key=lambda k: (k not in flat[0], k))
    with (out_dir / "rows.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv_writer(f)  # a variant's name is the user's: no formulas
        writer.writerow(columns)
        for line in flat:
            writer.writerow([line.get(c, "") for c in columns])


def _flat(row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {"variant": row.variant}
    out.update({f"n_{k}": v for k, v in row.counts.items()})
    for name, value in row.__dict__.items():
        if isinstance(value, Mapping):
            if name != "counts":
                out.update({f"{name}.{k}": v for k, v in value.items()})
        elif name != "variant":
            out[name] = value
    return out
