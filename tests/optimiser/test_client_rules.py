"""A client's refusals and requirements (issue 31): a worker the client refuses, or who
lacks an attribute the client requires, never serves the client's tasks; the checker
holds every plan to it, and a task no accepted worker can serve says why."""

from __future__ import annotations

import dataclasses

from optimiser.check import check
from optimiser.kpi import kpis
from optimiser.model import Client, Reason, ineligibility
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import H, problem, task, worker

PARAMS = SolveParams(time_limit_s=60, max_solutions=20)


def _people(**client: frozenset[str]) -> tuple[list, list, tuple[Client, ...]]:
    # w-near lives by the clients (cheapest to send); w-far is a woman, far away
    near = worker("w-near", base="p1")
    far = dataclasses.replace(worker("w-far", base="p5"), attributes=frozenset({"woman"}))
    tasks = [dataclasses.replace(task(f"t{i}", 1 + i % 2, windows=((8 * H, 16 * H),)),
                                 client_id=f"c{i % 2}") for i in range(4)]
    clients = (Client("c0", "Zofia", "p1", **client), Client("c1", "Jan", "p2"))
    return [near, far], tasks, clients


def _served_by(plan: object) -> dict[str, str]:
    return {s.task_id: r.worker_id for r in plan.routes for s in r.stops}  # type: ignore[attr-defined]


def test_a_refused_worker_never_serves_the_client() -> None:
    workers, tasks, clients = _people(refuses=frozenset({"w-near"}))
    p = problem(workers, tasks, clients=clients)
    plan = solve(p, params=PARAMS)
    assert check(p, plan) == []
    by = _served_by(plan)
    assert by["t0"] == by["t2"] == "w-far"  # c0's, though w-near is nearer
    assert set(by) == {"t0", "t1", "t2", "t3"} and not plan.unassigned


def test_a_required_attribute_is_matched_like_a_skill() -> None:
    workers, tasks, clients = _people(requires=frozenset({"woman"}))
    p = problem(workers, tasks, clients=clients)
    plan = solve(p, params=PARAMS)
    assert check(p, plan) == []
    assert {_served_by(plan)[t] for t in ("t0", "t2")} == {"w-far"}


def test_the_checker_refuses_a_plan_that_sends_a_refused_worker() -> None:
    workers, tasks, clients = _people()
    free = problem(workers, tasks, clients=clients)
    plan = solve(free, params=PARAMS)
    assert _served_by(plan)["t0"] == "w-near"
    refusing = dataclasses.replace(free, clients=(
        dataclasses.replace(clients[0], refuses=frozenset({"w-near"})), clients[1]))
    rules = {v.rule for v in check(refusing, plan)}
    assert "client_rules" in rules


def test_a_task_no_accepted_worker_can_serve_is_left_out_with_the_clients_rules() -> None:
    workers, tasks, clients = _people(refuses=frozenset({"w-far"}),
                                      requires=frozenset({"woman"}))
    p = problem(workers, tasks, clients=clients)
    assert ineligibility(p, p.worker("w-near"), p.task("t0")) is Reason.CLIENT_RULES
    plan = solve(p, params=PARAMS)
    assert check(p, plan) == []
    left = {u.task_id: u.reason for u in plan.unassigned}
    assert left == {"t0": Reason.CLIENT_RULES, "t2": Reason.CLIENT_RULES}


def test_a_task_left_out_for_time_says_how_many_workers_the_clients_wishes_rule_out(
        ) -> None:
    """Two clients' visits at one hour; both refuse the near worker, who has time: the
    one left out names the slot's holder and what the wishes cost."""
    near, far = worker("w-near", base="p1"), worker("w-far", base="p1")
    tasks = [dataclasses.replace(task(f"t{i}", 1 + i, windows=((9 * H, 10 * H),),
                                      service_s=H), client_id=f"c{i}") for i in range(2)]
    clients = tuple(Client(f"c{i}", "Zofia", f"p{1 + i}", refuses=frozenset({"w-near"}))
                    for i in range(2))
    p = problem([near, far], tasks, clients=clients)
    plan = solve(p, params=PARAMS)
    assert check(p, plan) == [] and len(plan.unassigned) == 1
    left = plan.unassigned[0]
    assert left.reason is Reason.CAPACITY_EXHAUSTED
    assert left.detail.startswith("the slot is held by w-far: t")
    assert left.detail.endswith("; the client's wishes rule out 1 qualified worker(s)")


def test_a_preferred_worker_comes_unless_it_costs_much_travel() -> None:
    # w-near and w-mid live by the clients, w-far 4 steps away (80 minutes there and
    # back, more than the 15 the wish is worth). c1 prefers w-mid: w-mid comes; c0
    # prefers w-far: the wish gives way to the travel.
    near, mid = worker("w-near", base="p1"), worker("w-mid", base="p1")
    far = worker("w-far", base="p5")
    visits = [dataclasses.replace(task(f"t{k}", 1), client_id=f"c{k}") for k in range(2)]
    wishes = (Client("c0", "Zofia", "p1", prefers=frozenset({"w-far"})),
              Client("c1", "Jan", "p1", prefers=frozenset({"w-mid"})))
    for seed in (1, 2, 3):
        p = problem([near, mid, far], visits, clients=wishes)
        plan = solve(p, params=dataclasses.replace(PARAMS, seed=seed))
        assert check(p, plan) == [] and not plan.unassigned
        by = _served_by(plan)
        assert by["t1"] == "w-mid" and by["t0"] != "w-far", (seed, by)


def test_familiar_workers_come_back_and_the_kpi_counts_them() -> None:
    near, mid = worker("w-near", base="p1"), worker("w-mid", base="p1")
    visits = [dataclasses.replace(task(f"t{k}", 1), client_id="c0") for k in range(2)]
    knows_mid = (Client("c0", "Zofia", "p1", familiar=frozenset({"w-mid"})),)
    for seed in (1, 2, 3):
        p = problem([near, mid], visits, clients=knows_mid)
        plan = solve(p, params=dataclasses.replace(PARAMS, seed=seed))
        assert check(p, plan) == [] and set(_served_by(plan).values()) == {"w-mid"}
        assert kpis(p, plan).familiar_pct == 100.0
    strangers = problem([near, mid], visits, clients=(Client("c0", "Zofia", "p1"),))
    assert kpis(strangers, solve(strangers, params=PARAMS)).familiar_pct is None
