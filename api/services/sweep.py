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
                                           # and the PES settlement's rates: api/schemas/rates.py

A `worker` or `vehicle` template counts the template itself: 1 is the scenario as it
is, 0 removes it (and, for a vehicle, its driver), n adds n - 1 copies `<id>~2`, ….
A `shift` template adds n copies of the worker with that one shift (n extra shifts).
The road network and matrices are built once; the variants only change who works, so
they reuse them. Units of a row: shares 0–1, km, hours, PLN.

Every variant's solve has a time limit (`time_limit_s`) and hears a cancel signal: a
sweep stopped (Ctrl-C, `DELETE` of its job) ends within seconds and keeps the rows of
the variants that finished; the variant cut short gives no row (a row of a search
stopped half-way would not be comparable), and a resumed sweep plans it again.

This module reads a sweep (its file or spec, the grid of variants, each variant's
scenario); `api.services.sweep_runs` plans the variants and writes their rows.
"""

from __future__ import annotations

import itertools
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.convert.scenario import read_scenario
from api.schemas.rates import RatesIn
from api.schemas.scenario import MAX_SOLUTIONS, ScenarioIn, Seed, WindowIn
from api.services.parameters import Kind, default
from api.services.planning import prepare
from optimiser.model import TravelMatrix

VARIANT_TIME_LIMIT_S = default(Kind.SWEEP, "time_limit_s")  # a file's variant naming none
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


# Copies of one template in a variant: far above any centre's staff, far below what
# would exhaust the server building the variant.
Copies = Annotated[int, Field(ge=0, le=1000)]


class SweepIn(_Strict):
    scenario: str
    seed: Seed = default(Kind.SWEEP, "seed")
    max_solutions: int = Field(default=default(Kind.SWEEP, "max_solutions"), gt=0,
                               le=MAX_SOLUTIONS)
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
