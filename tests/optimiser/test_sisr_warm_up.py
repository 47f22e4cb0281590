"""The warm-up compiles every compiled step a real plan runs, so the first plan does not
wait for the compiler."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from optimiser.model import LabourRules, Problem
from optimiser.ortools import sisr_bridge
from optimiser.ortools.model import RoutingProblem
from optimiser.params import SolveParams
from optimiser.sisr import core, jit, pairs_loop, vrptw_loop
from optimiser.sisr.warm_up import compile_steps, steps_cached
from optimiser.solve import solve
from tests.optimiser import tiny
from tests.optimiser.tiny import H

COMPILED_MODULES: tuple[ModuleType, ...] = (core, jit, vrptw_loop, pairs_loop)


def compiled_signatures() -> dict[str, int]:
    """How many argument-type signatures each compiled function has in this process."""
    return {f"{m.__name__}.{name}": len(f.signatures) for m in COMPILED_MODULES
            for name, f in vars(m).items() if hasattr(f, "signatures")}


def visits_day() -> Problem:
    return tiny.problem([tiny.worker("w1"), tiny.worker("w2", shifts=((14 * H, 22 * H),))],
                        [tiny.task(f"v{i}", 1 + i % 5, windows=((8 * H + i * H, 11 * H + i * H),))
                         for i in range(8)])


def trips_day() -> Problem:
    return tiny.problem([tiny.worker("d1", skills=("driving",), vehicle="bus")],
                        [tiny.trip(f"t{i}", 1 + i % 2, 3 + i % 3, max_ride_s=3 * H)
                         for i in range(4)],
                        rules=LabourRules(break_after_s=None), vehicles=(tiny.bus(),))


def test_after_the_warm_up_a_plan_of_visits_and_one_of_trips_compile_nothing_new():
    compile_steps()
    assert steps_cached()
    warmed = compiled_signatures()
    # Called from Python, so compiled on their own (the steps they call are compiled in).
    assert warmed["optimiser.sisr.vrptw_loop.run"] and warmed["optimiser.sisr.pairs_loop.run"]
    for problem, plain in ((visits_day(), sisr_bridge.is_plain),
                           (trips_day(), sisr_bridge.is_plain_pairs)):
        assert plain(RoutingProblem(problem, list(problem.tasks), frozenset()))  # the SISR path
        plan = solve(problem, params=SolveParams(time_limit_s=60, max_solutions=20))
        assert plan.routes
    assert compiled_signatures() == warmed


def test_an_empty_cache_folder_holds_no_steps(tmp_path: Path) -> None:
    """What `trasa plan` asks before it compiles aside: no, on a fresh installation."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    asked = subprocess.run([sys.executable, "-c", "from optimiser.sisr.warm_up import "
                            "steps_cached; print(steps_cached())"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert asked.stdout.strip() == "False", asked.stderr
