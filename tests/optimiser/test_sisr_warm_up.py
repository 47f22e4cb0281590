"""The warm-up compiles every compiled step a real plan runs, so the first plan does not
wait for the compiler."""

from __future__ import annotations

from types import ModuleType

from optimiser.model import LabourRules, Problem
from optimiser.ortools import sisr_bridge
from optimiser.ortools.model import RoutingProblem
from optimiser.params import SolveParams
from optimiser.sisr import core, jit, pairs_loop, vrptw_loop
from optimiser.sisr.warm_up import compile_steps
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
    warmed = compiled_signatures()
    # Called from Python, so compiled on their own (the steps they call are compiled in).
    assert warmed["optimiser.sisr.vrptw_loop.run"] and warmed["optimiser.sisr.pairs_loop.run"]
    for problem, plain in ((visits_day(), sisr_bridge.is_plain),
                           (trips_day(), sisr_bridge.is_plain_pairs)):
        assert plain(RoutingProblem(problem, list(problem.tasks), frozenset()))  # the SISR path
        plan = solve(problem, params=SolveParams(time_limit_s=60, max_solutions=20))
        assert plan.routes
    assert compiled_signatures() == warmed
