"""What-if sweeps: one scenario, a grid of fleet and staffing variants, one row each.

A sweep file (JSON or TOML) names the scenario, the templates a variant clones, the
counts to try, the search budget and the rates:

    scenario = "starachowice_day.json"     # relative to the sweep file
    seed = 0
    max_solutions = 200                    # the budget: rows do not depend on the machine
    time_limit_s = 600                     # and a clock, per variant (default 3600)
    [templates.physio]                     # "physio" = copies of worker physio-cus-1
    worker = "physio-cus-1"
    [templates.bus]                        # a bus = a copy of the vehicle with its driver
    vehicle = "bus"
    driver = "driver-cus"
    [templates.pes_evening]                # extra evening shifts of a PES worker
    worker = "physio-pes"
    shift = { start = "18:00", end = "21:00" }
    [vary]                                 # counts per template: the grid
    physio = [1, 2, 3]
    bus = [1, 2]
    pes_evening = [0, 1]
    [rates]                                # PLN; all optional
    per_km = 1.2
    per_hour = { cus = 55.0, "pes-rehab" = 48.0 }   # by provider id
    per_vehicle_day = 150.0
    per_worker_day = 0.0

A `worker` or `vehicle` template counts the template itself: 1 is the scenario as it
is, 0 removes it (and, for a vehicle, its driver), n adds n - 1 copies `<id>~2`, ….
A `shift` template adds n copies of the worker with that one shift (n extra shifts).
The road network and matrices are built once; the variants only change who works, so
they reuse them. Units of a row: shares 0–1, km, hours, PLN.

Every variant's solve has a time limit (`time_limit_s`) and hears a cancel signal: a
sweep stopped (Ctrl-C, `DELETE` of its job) ends within seconds and keeps the rows of
the variants that finished; the variant cut short gives no row (a row of a search
stopped half-way would not be comparable), and a resumed sweep plans it again.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures import wait as wait_for
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.formats.plan_document import service_of
from api.formats.safe_cells import csv_writer
from api.formats.scenario import read_scenario, to_problem
from api.formats.scenario_schema import MAX_SOLUTIONS, ScenarioIn, Seed, WindowIn
from api.processes import end_pool_processes, pool_options
from api.service import prepare
from optimiser.kpi import kpis
from optimiser.model import Plan, Priority, Problem, TravelMatrix
from optimiser.params import CancelSignal, SolveParams
from optimiser.solve import solve

OVERTIME_AFTER_S = 8 * 3600  # a route longer than this is overtime (Polish 8-hour day)
VARIANT_TIME_LIMIT_S = 3600.0  # a sweep file's variant that names no time limit
MAX_VARIANT_TIME_LIMIT_S = 24 * 3600.0  # what any sweep file may ask; a server caps lower


class SweepError(ValueError):
    """A sweep file that cannot run; the message names the field and value."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TemplateIn(_Strict):
    worker: str | None = None
    vehicle: str | None = None
    driver: str | None = None
    shift: WindowIn | None = None


class RatesIn(_Strict):
    per_km: float = Field(default=0.0, ge=0)
    per_hour: dict[str, float] = {}  # provider id -> PLN an hour of work
    per_vehicle_day: float = Field(default=0.0, ge=0)
    per_worker_day: float = Field(default=0.0, ge=0)


# Copies of one template in a variant: far above any centre's staff, far below what
# would exhaust the server building the variant.
Copies = Annotated[int, Field(ge=0, le=1000)]


class SweepIn(_Strict):
    scenario: str
    seed: Seed = 0
    max_solutions: int = Field(default=200, gt=0, le=MAX_SOLUTIONS)
    time_limit_s: float = Field(default=VARIANT_TIME_LIMIT_S, gt=0,
                                le=MAX_VARIANT_TIME_LIMIT_S)
    templates: dict[str, TemplateIn]
    vary: dict[str, list[Copies]] = Field(min_length=1)
    rates: RatesIn = RatesIn()
    graph: str | None = None


@dataclass(frozen=True)
class Variant:
    counts: tuple[tuple[str, int], ...]  # (template, count) in the sweep's order

    @property
    def key(self) -> str:
        return ",".join(f"{name}={n}" for name, n in self.counts)


@dataclass(frozen=True)
class Row:
    """One variant's outcome (shares 0–1, km, hours, PLN)."""

    variant: str
    counts: dict[str, int]
    served: int
    tasks: int
    mandatory_unassigned: int
    served_share_by_service: dict[str, float]
    served_share_by_priority: dict[str, float]
    unassigned_by_reason: dict[str, int]
    km: float
    work_h: float
    overtime_h: float
    pes_share: float | None
    workers: int
    vehicles: int
    cost: float  # every plan passed the independent checker inside `solve`


@dataclass(frozen=True, eq=False)
class Sweep:
    """A read sweep: its spec, base scenario and the variants' problems' inputs."""

    spec: SweepIn
    scenario: ScenarioIn
    matrix: TravelMatrix
    variants: tuple[Variant, ...] = field(default=())


VARY = re.compile(r"(?P<kind>workers|vehicles|shifts)\.(?P<id>[^=@]+)"
                  r"(?:@(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2}))?"
                  r"=(?P<low>\d+)\.\.(?P<high>\d+)")


def sweep_from_options(scenario: Path, vary: Sequence[str], **settings: Any) -> dict[str, Any]:
    """A sweep spec from `--vary` options: `workers.<id>=1..3` (copies of a worker),
    `vehicles.<id>=1..2` (copies of a vehicle with its first driver), and
    `shifts.<worker id>@17:00-21:00=0..2` (extra shifts of that worker, every day)."""
    templates: dict[str, dict[str, Any]] = {}
    counts: dict[str, list[int]] = {}
    drivers: dict[str, str] = {}
    for w in read_scenario(scenario).workers:
        if w.vehicle is not None:
            drivers.setdefault(w.vehicle, w.id)
    for option in vary:
        found = VARY.fullmatch(option)
        if found is None:
            raise SweepError(f"--vary: {option!r} is not workers.ID=A..B, vehicles.ID=A..B or "
                             "shifts.WORKER@HH:MM-HH:MM=A..B")
        kind, ident, name = found["kind"], found["id"], option.split("=")[0]
        if kind == "workers":
            templates[name] = {"worker": ident}
        elif kind == "vehicles":
            if ident not in drivers:
                raise SweepError(f"--vary: {option!r}: no worker drives vehicle {ident!r}")
            templates[name] = {"vehicle": ident, "driver": drivers[ident]}
        else:
            if found["start"] is None:
                raise SweepError(f"--vary: {option!r}: give the shift as @HH:MM-HH:MM")
            templates[name] = {"worker": ident, "shift": {
                "start": found["start"], "end": found["end"], "day": "daily"}}
        counts[name] = list(range(int(found["low"]), int(found["high"]) + 1))
    return {"scenario": str(scenario.resolve()), "templates": templates, "vary": counts,
            **{k: v for k, v in settings.items() if v is not None}}


def read_sweep(path: Path, *, raw: dict[str, Any] | None = None) -> Sweep:
    """The sweep file at `path` (or the spec `raw`, its paths relative to `path`'s folder)
    with its scenario's network and matrices built once."""
    try:
        if raw is None:
            text = path.read_text(encoding="utf-8")
            raw = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
        spec = SweepIn.model_validate(raw)
    except FileNotFoundError:
        raise SweepError(f"{path}: no such sweep file") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise SweepError(f"{path}: not valid {path.suffix.lstrip('.').upper()}: {exc}"
                         ) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SweepError(f"{path}: {where}: {first['msg']} (got {first.get('input')!r})"
                         ) from None
    scenario_path = path.parent / spec.scenario
    scenario = read_scenario(scenario_path)
    prepared = prepare(scenario, base_dir=scenario_path.parent, graph=spec.graph)
    return Sweep(spec, scenario, prepared.problem.matrix, tuple(variants(spec, scenario)))


def sweep_of(spec: SweepIn, scenario: ScenarioIn, *, graph: str | None) -> Sweep:
    """A sweep of a scenario given as data (a job's snapshot): the network is `graph`."""
    prepared = prepare(scenario, base_dir=Path.cwd(), graph=graph)
    return Sweep(spec, scenario, prepared.problem.matrix, tuple(variants(spec, scenario)))


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


def variants(spec: SweepIn, scenario: ScenarioIn) -> list[Variant]:
    for name, counts in spec.vary.items():
        if name not in spec.templates:
            raise SweepError(f"vary.{name}: no template of that name (templates: "
                             f"{', '.join(sorted(spec.templates))})")
        if any(n < 0 for n in counts):
            raise SweepError(f"vary.{name}: {counts!r}: counts must be 0 or more")
    workers = {w.id for w in scenario.workers}
    vehicles = {v.id for v in scenario.vehicles}
    for name, t in spec.templates.items():
        if t.vehicle is not None and (t.vehicle not in vehicles or t.driver not in workers):
            raise SweepError(f"templates.{name}: vehicle {t.vehicle!r} with driver "
                             f"{t.driver!r}: both must be in the scenario")
        if t.vehicle is None and t.worker not in workers:
            raise SweepError(f"templates.{name}.worker: {t.worker!r} is not a worker of the "
                             "scenario")
    names = list(spec.vary)
    return [Variant(tuple(zip(names, combo, strict=True)))
            for combo in itertools.product(*(spec.vary[n] for n in names))]


def variant_scenario(spec: SweepIn, scenario: ScenarioIn, variant: Variant) -> ScenarioIn:
    """The scenario with the variant's workers and vehicles."""
    workers = list(scenario.workers)
    vehicles = list(scenario.vehicles)
    for name, count in variant.counts:
        t = spec.templates[name]
        if t.vehicle is not None:
            vehicle = next(v for v in vehicles if v.id == t.vehicle)
            driver = next(w for w in workers if w.id == t.driver)
            if count == 0:
                vehicles.remove(vehicle)
                workers.remove(driver)
            for k in range(2, count + 1):
                vehicles.append(vehicle.model_copy(update={"id": f"{vehicle.id}~{k}"}))
                workers.append(driver.model_copy(update={
                    "id": f"{driver.id}~{k}", "vehicle": f"{vehicle.id}~{k}"}))
            continue
        worker = next(w for w in workers if w.id == t.worker)
        if t.shift is not None:
            workers += [worker.model_copy(update={"id": f"{worker.id}+{k}", "shifts": [t.shift]})
                        for k in range(1, count + 1)]
        elif count == 0:
            workers.remove(worker)
        else:
            workers += [worker.model_copy(update={"id": f"{worker.id}~{k}"})
                        for k in range(2, count + 1)]
    return scenario.model_copy(update={"workers": workers, "vehicles": vehicles})


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
    params = SolveParams(time_limit_s=spec.time_limit_s, max_solutions=spec.max_solutions,
                         stall_solutions=None, seed=spec.seed, searches=1)
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
