"""Two searches side by side (two processes): the better plan wins, reproducibly."""

from __future__ import annotations

import threading

from optimiser.kpi import rank
from optimiser.model import Priority
from optimiser.params import Progress, SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import H, problem, task, worker


def busy_day():
    tasks = [task(f"t{i}", 1 + i % 5, service_s=(30 + 15 * (i % 3)) * 60,
                  windows=((8 * H + (i % 4) * H, 11 * H + (i % 4) * H),),
                  priority=list(Priority)[i % 4]) for i in range(14)]
    return problem([worker("a", shifts=((8 * H, 13 * H),)), worker("b", shifts=((9 * H, 15 * H),))],
                   tasks, rules=None)


def test_two_searches_give_the_better_of_their_seeds_and_the_same_plan_every_time():
    p = busy_day()
    budget = dict(time_limit_s=60, max_solutions=40)
    alone = [solve(p, params=SolveParams(seed=s, **budget)) for s in (3, 4)]
    events: list[Progress] = []
    both = solve(p, params=SolveParams(seed=3, searches=2, **budget), on_progress=events.append)
    again = solve(p, params=SolveParams(seed=3, searches=2, **budget))
    best = max(alone, key=lambda plan: rank(p, plan))
    assert both.routes == again.routes == best.routes
    assert rank(p, both) == max(rank(p, plan) for plan in alone)
    assert events and all(e.tasks == len(p.tasks) for e in events)
    assert both.stats.solutions == sum(plan.stats.solutions for plan in alone)


def test_a_cancel_stops_every_search_and_keeps_a_checked_plan():
    p = busy_day()
    cancel = threading.Event()
    cancel.set()  # before it starts: each search stops at its first look
    plan = solve(p, params=SolveParams(time_limit_s=60, searches=2), cancel=cancel)
    assert plan.stats.cancelled
    served = {s.task_id for r in plan.routes for s in r.stops}
    assert served | {u.task_id for u in plan.unassigned} == {t.id for t in p.tasks}
