"""One home for the solver's parameters: every path's request schema and flags take
their defaults from `api.services.parameters`, and `solve_params` fills what a request
leaves out the same way for each."""

from __future__ import annotations

import os

import pytest

from api.app.routers.events import EventsBody
from api.app.routers.jobs import JobIn
from api.app.routers.sweeps import SweepJobIn
from api.cli.main import parser
from api.services.parameters import (
    DEFAULTS,
    SWEEP_JOB_TIME_LIMIT_S,
    Kind,
    params_json,
    params_of,
    solve_params,
)
from api.services.sweep import SweepIn
from optimiser.params import Metaheuristic
from optimiser.replan import ReplanParams


def test_a_plan_searches_twice_where_there_are_two_cores_and_stops_when_it_stalls() -> None:
    plan = DEFAULTS[Kind.PLAN]
    assert plan.searches == min(2, os.cpu_count() or 1)
    assert (plan.time_limit_s, plan.seed, plan.max_solutions, plan.stall_solutions) == (
        10.0, 0, None, 500)
    assert plan.metaheuristic is Metaheuristic.GUIDED_LOCAL_SEARCH


def test_a_replanning_is_the_domains_greedy_descent() -> None:
    assert DEFAULTS[Kind.REPLAN] == ReplanParams().solve
    assert DEFAULTS[Kind.REPLAN].metaheuristic is Metaheuristic.GREEDY_DESCENT


def test_the_api_schemas_default_to_the_one_home() -> None:
    job = JobIn(records={"first_day": "2026-11-24"})  # type: ignore[arg-type]
    plan = DEFAULTS[Kind.PLAN]
    assert (job.time_limit_s, job.stall_solutions, job.searches) == (
        plan.time_limit_s, plan.stall_solutions, plan.searches)
    assert EventsBody(now="10:00", events=[]).max_solutions == (
        DEFAULTS[Kind.REPLAN].max_solutions)
    sweep = DEFAULTS[Kind.SWEEP]
    spec = SweepIn(scenario="x", templates={}, vary={"a": [1]})
    assert (spec.seed, spec.max_solutions, spec.time_limit_s) == (
        sweep.seed, sweep.max_solutions, sweep.time_limit_s)
    body = SweepJobIn(records={"first_day": "2026-11-24"}, templates={},  # type: ignore[arg-type]
                      vary={"a": [1]})
    assert (body.seed, body.max_solutions, body.time_limit_s) == (
        sweep.seed, sweep.max_solutions, SWEEP_JOB_TIME_LIMIT_S)


def test_the_command_lines_flags_default_to_the_one_home() -> None:
    args = parser().parse_args(["plan", "day.json"])
    assert solve_params(Kind.PLAN, time_limit_s=args.time_limit, seed=args.seed,
                        max_solutions=args.max_solutions,
                        stall_solutions=args.stall_solutions,
                        searches=args.searches) == DEFAULTS[Kind.PLAN]
    args = parser().parse_args(["replan", "plan.json", "events.json"])
    assert solve_params(Kind.REPLAN, time_limit_s=args.time_limit,
                        max_solutions=args.max_solutions) == DEFAULTS[Kind.REPLAN]


def test_a_request_names_what_it_wants_and_the_server_fills_a_jobs_seed_and_budget() -> None:
    asked = solve_params(Kind.PLAN, time_limit_s=30, server_seed=7, server_max_solutions=60)
    assert (asked.time_limit_s, asked.seed, asked.max_solutions) == (30, 7, 60)
    named = solve_params(Kind.PLAN, seed=0, max_solutions=5, server_seed=7,
                         server_max_solutions=60)
    assert (named.seed, named.max_solutions) == (0, 5)  # seed 0 is a seed, not "none"
    assert solve_params(Kind.PLAN, stall_solutions=0).stall_solutions is None  # never
    assert solve_params(Kind.PLAN, stall_solutions=None).stall_solutions is None
    replan = solve_params(Kind.REPLAN, time_limit_s=30)
    assert replan.metaheuristic is Metaheuristic.GREEDY_DESCENT  # a re-planning stays one
    assert replan.stall_solutions == DEFAULTS[Kind.REPLAN].stall_solutions
    # a server's re-planning time (TRASA_REPLAN_TIME_LIMIT_S) when the request names none
    assert solve_params(Kind.REPLAN, server_time_limit_s=120).time_limit_s == 120
    assert solve_params(Kind.REPLAN, time_limit_s=30, server_time_limit_s=120
                        ).time_limit_s == 30


def test_a_job_row_keeps_every_parameter_and_reads_back_older_rows() -> None:
    replan = solve_params(Kind.REPLAN, max_solutions=30)
    assert params_of(params_json(replan)) == replan
    older = {"time_limit_s": 10.0, "max_solutions": None, "stall_solutions": 500, "seed": 0,
             "searches": 1}
    assert params_of(older).searches == 1
    with pytest.raises(ValueError, match="searches"):
        solve_params(Kind.PLAN, searches=0)
