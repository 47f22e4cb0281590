"""A basis of promises alone, packed anew when no offer fits.

Offers insert the new request into the basis without moving what is planned. When the
basis is the promises alone (days with no plan yet), it is the chain of the earlier
offers' insertions, and capacity may be scattered between them: then `repacked` plans
the promised tasks again (a short search, every promise a mandatory window) so that the
offers can be sought once more in the room it frees. Nothing is promised that the
repacked plan does not keep: it is used only when it serves every task of the basis.
"""

from __future__ import annotations

import dataclasses

from optimiser.model import Plan, Problem
from optimiser.params import Metaheuristic, SolveParams
from optimiser.solve import solve


def repacked(problem: Problem, new_ids: tuple[str, ...], *, max_solutions: int,
             time_limit_s: float) -> Plan | None:
    """The tasks of `problem` other than `new_ids` planned anew (stopped by
    `max_solutions`, or `time_limit_s` at most); None when it leaves any of them out."""
    new = set(new_ids)
    alone = dataclasses.replace(
        problem, tasks=tuple(t for t in problem.tasks if t.id not in new),
        series=tuple(s for s in problem.series if not new & set(s.task_ids)))
    if not alone.tasks:
        return None
    plan = solve(alone, params=SolveParams(
        time_limit_s=time_limit_s, max_solutions=max_solutions, stall_solutions=None,
        metaheuristic=Metaheuristic.GREEDY_DESCENT))
    return None if plan.unassigned else plan
