"""Solve and re-plan parameters, one way: every request becomes `SolveParams` here.

A plan is asked for by a scenario file through `trasa plan`/`trasa demo` (flags), by the
body of `POST /plans/jobs` (the page's planning form sends one), by a sweep variant; a
re-planning by `trasa replan` and by `POST /plans/{id}/events` (the page's event form).
Each path hands what its request named to `solve_params`, which fills the rest from
one set of defaults (`DEFAULTS`), so the same input, budget and seed give the same plan
on every path. Request schemas (pydantic `Field`s) and the command line's flags take
their defaults from `default()`, never from a literal of their own.

- A plan: 10 s, seed 0, no solution budget (the clock ends it), a stall stop after
  500 solutions without improving, and `SEARCHES` searches side by side (2 where there
  are 2 cores: the best of seeds `seed` and `seed + 1`). A server fills a job's seed
  and budget left out from TRASA_JOB_SEED and TRASA_JOB_MAX_SOLUTIONS (`server_seed`,
  `server_max_solutions`).
- A re-planning: the domain's (`optimiser.replan.ReplanParams().solve`): a greedy
  descent of at most 200 solutions that stops after 50 without improving, 4 s (a server
  sets its own with TRASA_REPLAN_TIME_LIMIT_S, `server_time_limit_s`).
- A sweep variant: 200 solutions, 3600 s, no stall stop, one search (the variants
  themselves run side by side); a sweep job's variant (`POST /sweeps/jobs`) 60 s
  (`SWEEP_JOB_TIME_LIMIT_S`, under the server's TRASA_JOB_TIME_LIMIT_S).
- The page's planning form shows `PAGE_TIME_LIMIT_S` (30 s) and sends it, for plans
  and re-plannings alike.
"""

from __future__ import annotations

import dataclasses
import enum
import os
from typing import Any

from optimiser.params import SolveParams
from optimiser.replan import ReplanParams


class Kind(enum.StrEnum):
    PLAN = "plan"
    REPLAN = "replan"
    SWEEP = "sweep"


SEARCHES = min(2, os.cpu_count() or 1)  # a plan's searches side by side, one core each
PAGE_TIME_LIMIT_S = 30  # the page's planning form (plans and re-plannings)
SWEEP_JOB_TIME_LIMIT_S = 60.0  # a sweep job's time per variant when the body names none
MAX_SEARCHES = max(SEARCHES, os.cpu_count() or 1)  # what a request may ask: one core each

DEFAULTS: dict[Kind, SolveParams] = {
    Kind.PLAN: SolveParams(time_limit_s=10.0, seed=0, max_solutions=None,
                           stall_solutions=500, searches=SEARCHES),
    Kind.REPLAN: ReplanParams().solve,
    Kind.SWEEP: SolveParams(time_limit_s=3600.0, seed=0, max_solutions=200,
                            stall_solutions=None, searches=1),
}


class _Default(enum.Enum):
    """A parameter the request left out (`stall_solutions` None means "never")."""

    TOKEN = 0


DEFAULT = _Default.TOKEN


def default(kind: Kind, name: str) -> Any:
    """The default of parameter `name` (a `SolveParams` field) for `kind`: what a schema's
    `Field` or a command-line flag shows and uses when the request leaves it out."""
    return getattr(DEFAULTS[kind], name)


def solve_params(kind: Kind, *, time_limit_s: float | None = None, seed: int | None = None,
                 max_solutions: int | None = None,
                 stall_solutions: int | None | _Default = DEFAULT,
                 searches: int | None = None, server_seed: int | None = None,
                 server_max_solutions: int | None = None,
                 server_time_limit_s: float | None = None) -> SolveParams:
    """The parameters of a `kind` solve asked for by a request: what it names, else the
    server's (a job's seed and budget), else `DEFAULTS`. `stall_solutions` 0 or None is
    "never stop for a stall"; left out, the default. Raises `ValueError` naming the field
    for a value `SolveParams` refuses."""
    base = DEFAULTS[kind]

    def first(*values: Any) -> Any:
        return next((v for v in values if v is not None), None)

    stall = base.stall_solutions if stall_solutions is DEFAULT else (stall_solutions or None)
    return dataclasses.replace(
        base,
        time_limit_s=first(time_limit_s, server_time_limit_s, base.time_limit_s),
        seed=first(seed, server_seed, base.seed),
        max_solutions=first(max_solutions, server_max_solutions, base.max_solutions),
        stall_solutions=stall,
        searches=first(searches, base.searches))


def params_json(params: SolveParams) -> dict[str, Any]:
    """What a job row keeps of its parameters (and `params_of` reads back)."""
    return {name: (None if value is None else str(value) if isinstance(value, enum.Enum)
                   else value)
            for name, value in dataclasses.asdict(params).items()}


def params_of(stored: dict[str, Any]) -> SolveParams:
    """A job row's parameters (`params_json`); a row written before they were all kept
    (no `metaheuristic`, one search) reads as it was written."""
    return SolveParams(**stored)


def solver_block(params: SolveParams) -> dict[str, Any]:
    """The `solver` block of a plan document (docs/plan.md): the budget and seed."""
    return {"time_limit_s": params.time_limit_s, "max_solutions": params.max_solutions,
            "stall_solutions": params.stall_solutions, "searches": params.searches,
            "seed": params.seed}
