"""A plan that cannot keep a promise is never published (docs/promises.md).

`refuse_broken_promises` is the last step of planning and re-planning, after the
independent check and before any document is written or stored: a plan that leaves a
promised task out, or starts it outside its promise, is refused with `PromiseNotKept`,
naming each promise and why (`optimiser.promises_broken`). It is a `ScenarioError`, so
`trasa plan`/`trasa replan` exit with code 2 writing nothing, and a job ends failed with
this message and no plan.
"""

from __future__ import annotations

from api.convert.scenario_errors import ScenarioError
from optimiser.model import Plan, Problem
from optimiser.promises_broken import BrokenPromise, PromisesBroken, broken_promises


class PromiseNotKept(ScenarioError):
    """A plan or re-plan that does not keep every promise: nothing is published."""

    def __init__(self, broken: list[BrokenPromise], *, what: str) -> None:
        self.broken = tuple(broken)
        super().__init__(str(PromisesBroken(broken, what=what)))


def refuse_broken_promises(problem: Problem, plan: Plan, *, what: str = "the plan") -> None:
    """`PromiseNotKept` unless `plan` keeps every promise of `problem`."""
    broken = broken_promises(problem, plan)
    if broken:
        raise PromiseNotKept(broken, what=what)
