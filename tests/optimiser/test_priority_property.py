"""Properties of priorities on random days: no exchange pays, no empty plan, and on bus
days no trip (with its return) is left out for lower-priority rides.

1. No task left out for capacity could go in by taking out one task of lower
   priority (mandatory first, then priority): the oracle tries the exchange on every
   route, in every order of the route's tasks, each stop at its earliest start, and
   the changed plan counts only if the independent checker passes it. (It is not a copy
   of `optimiser.exchange`, which inserts into the order a route has.)
2. A plan never serves nothing while some task could be served on its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimiser.check import check
from optimiser.model import (
    LabourRules,
    Location,
    Passengers,
    Plan,
    Priority,
    Problem,
    Provider,
    ProviderKind,
    Reason,
    Ride,
    Route,
    Stop,
    Task,
    TaskKind,
    TimeWindow,
    TravelMatrix,
    Unassigned,
    Vehicle,
    Worker,
)
from optimiser.params import SolveParams
from optimiser.reasons import diagnose_alone
from optimiser.solve import solve

H = 3600
SKILLS = ("physio", "care")


@st.composite
def busy_days(draw: st.DrawFn) -> Problem:
    """1-3 workers with one short shift each and more tasks than they can do."""
    n_places = draw(st.integers(3, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    xy = rng.uniform(0, 6000, size=(n_places, 2))
    metres = np.rint(np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2)).astype(np.int64)
    seconds = (metres * 36 // 300).astype(np.int64)  # 30 km/h on a Manhattan grid
    workers = []
    for k in range(draw(st.integers(1, 3))):
        start = draw(st.integers(7, 12)) * H
        workers.append(Worker(
            id=f"w{k}", name=f"w{k}", provider_id="cus",
            skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), min_size=1))),
            shifts=(TimeWindow(start, start + draw(st.integers(2, 5)) * H),),
            start_location_id="p0", end_location_id="p0",
            max_work_s=draw(st.one_of(st.none(), st.integers(2, 4).map(lambda h: h * H)))))
    tasks = []
    for i in range(draw(st.integers(3, 12))):
        service_s = draw(st.sampled_from([30, 45, 60, 90])) * 60
        start = draw(st.integers(7 * 4, 15 * 4)) * 900
        tasks.append(Task(
            id=f"t{i}", kind=TaskKind.VISIT, location_id=f"p{draw(st.integers(1, n_places - 1))}",
            service_s=service_s,
            windows=(TimeWindow(start, start + service_s + draw(st.integers(0, 8)) * 900),),
            required_skills=frozenset({draw(st.sampled_from(SKILLS))}),
            priority=draw(st.sampled_from(list(Priority))), mandatory=draw(st.booleans())))
    return Problem(locations=tuple(Location(f"p{i}", 51.0, 21.0 + i / 1000)
                                   for i in range(n_places)),
                   providers=(Provider("cus", "CUS", ProviderKind.CUS),),
                   workers=tuple(workers), tasks=tuple(tasks),
                   matrix=TravelMatrix(seconds, metres),
                   rules=LabourRules(break_after_s=None))


def _rank(task: Task) -> tuple[bool, int]:
    return task.mandatory, int(task.priority)


def _orders(problem: Problem, worker: Worker, ids: list[str]
            ) -> Iterator[tuple[Stop, ...]]:
    """Every order of `ids` as stops, leaving home at the shift's start and starting each
    stop when its worker is there and a window has opened; orders whose stop would begin
    after every window of its task has closed are cut early (the checker judges the rest)."""
    def grow(stops: tuple[Stop, ...], left: list[str], place: str, clock: int
             ) -> Iterator[tuple[Stop, ...]]:
        if not left:
            yield stops
            return
        for task_id in left:
            task = problem.task(task_id)
            arrival = clock + problem.travel_s(place, task.location_id)
            opened = [w.start_s for w in task.windows if arrival + task.service_s <= w.end_s]
            if not opened:
                continue
            start = max(arrival, min(opened))
            yield from grow((*stops, Stop(task_id, task.location_id, arrival, start,
                                          start + task.service_s)),
                            [t for t in left if t != task_id], task.location_id,
                            start + task.service_s)
    shift = worker.shifts[0]
    yield from grow((), ids, worker.start_location_id, shift.start_s)


def exchange_that_pays(problem: Problem, plan: Plan) -> tuple[str, str] | None:
    """(left-out task, served task of lower rank) such that the route serving the lower one
    can serve the higher one instead, in any order of its stops, in a plan the
    independent checker passes.

    An oracle of its own, not `optimiser.exchange`: every order of the route's tasks is
    tried (the repair only inserts into the order it has), and the checker alone judges
    skills, shifts, windows and working time."""
    for out in plan.unassigned:
        if out.reason is not Reason.CAPACITY_EXHAUSTED:
            continue
        u = problem.task(out.task_id)
        for r, route in enumerate(plan.routes):
            worker = problem.worker(route.worker_id)
            for victim in route.stops:
                if _rank(problem.task(victim.task_id)) >= _rank(u):
                    continue
                ids = [s.task_id for s in route.stops if s is not victim] + [u.id]
                for stops in _orders(problem, worker, ids):
                    first = stops[0]  # leave home just in time for it
                    leave = first.start_s - problem.travel_s(worker.start_location_id,
                                                             first.location_id)
                    stops = (dataclasses.replace(first, arrival_s=first.start_s), *stops[1:])
                    back = stops[-1].end_s + problem.travel_s(stops[-1].location_id,
                                                              worker.end_location_id)
                    changed = Route(route.worker_id, route.shift_index, leave, back, stops)
                    candidate = dataclasses.replace(
                        plan, routes=plan.routes[:r] + (changed,) + plan.routes[r + 1:],
                        unassigned=tuple(x for x in plan.unassigned if x.task_id != u.id)
                        + (Unassigned(victim.task_id, Reason.CAPACITY_EXHAUSTED),))
                    if not check(problem, candidate):
                        return u.id, victim.task_id
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(busy_days())
def test_no_left_out_task_goes_in_by_taking_out_one_of_lower_priority(problem: Problem):
    plan = solve(problem, params=SolveParams(time_limit_s=5, max_solutions=200))
    assert exchange_that_pays(problem, plan) is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(busy_days())
def test_a_plan_is_never_empty_when_some_task_fits_alone(problem: Problem):
    plan = solve(problem, params=SolveParams(time_limit_s=5, max_solutions=30))
    fits_alone = [t.id for t in problem.tasks if diagnose_alone(problem, t) is None]
    if fits_alone:
        assert any(r.stops for r in plan.routes), fits_alone
        assert not plan.stats.warnings


def test_the_oracle_finds_an_exchange_in_a_hand_made_plan():
    """The property's oracle is not vacuous: a plan serving the low task is caught."""
    problem = Problem(
        locations=(Location("p0", 51.0, 21.0), Location("p1", 51.0, 21.001)),
        providers=(Provider("cus", "CUS", ProviderKind.CUS),),
        workers=(Worker("w0", "w0", "cus", frozenset(), (TimeWindow(8 * H, 10 * H),), "p0",
                        "p0"),),
        tasks=(Task("low", TaskKind.VISIT, "p1", H, (TimeWindow(8 * H, 10 * H),),
                    priority=Priority.LOW),
               Task("high", TaskKind.VISIT, "p1", H, (TimeWindow(8 * H, 10 * H),),
                    priority=Priority.HIGH)),
        matrix=TravelMatrix(np.array([[0, 300], [300, 0]]), np.array([[0, 1000], [1000, 0]])),
        rules=LabourRules(break_after_s=None))
    plan = Plan(routes=(Route("w0", 0, 8 * H, 8 * H + 600 + H + 300, (
        Stop("low", "p1", 8 * H + 300, 8 * H + 300, 9 * H + 300),)),),
        unassigned=(Unassigned("high", Reason.CAPACITY_EXHAUSTED),))
    assert check(problem, plan) == []
    assert exchange_that_pays(problem, plan) == ("high", "low")
    assert exchange_that_pays(problem, solve(problem, params=SolveParams(max_solutions=50))) \
        is None


@st.composite
def bus_days(draw: st.DrawFn) -> Problem:
    """One bus, more rides than it can make; some are outbound trips with their return."""
    n_places = draw(st.integers(4, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    xy = rng.uniform(0, 20000, size=(n_places, 2))
    metres = np.rint(np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2)).astype(np.int64)
    seconds = (metres * 36 // 300).astype(np.int64)
    start = draw(st.integers(7, 9)) * H
    driver = Worker(id="driver", name="driver", provider_id="cus",
                    skills=frozenset({"driving"}),
                    shifts=(TimeWindow(start, start + draw(st.integers(3, 5)) * H),),
                    start_location_id="p0", end_location_id="p0", vehicle_id="bus")
    tasks: list[Task] = []
    for i in range(draw(st.integers(3, 7))):
        a, b = draw(st.lists(st.integers(1, n_places - 1), min_size=2, max_size=2,
                             unique=True))
        pickup = draw(st.integers(start // 900, (start + 3 * H) // 900)) * 900
        priority = draw(st.sampled_from(list(Priority)))
        ride = Ride(dropoff_location_id=f"p{b}", dropoff_windows=(), alight_s=60,
                    passengers=Passengers(seated=draw(st.integers(1, 3))))
        tasks.append(Task(id=f"t{i}", kind=TaskKind.TRIP, location_id=f"p{a}", service_s=60,
                          windows=(TimeWindow(pickup, pickup + draw(st.integers(1, 4)) * 900),),
                          required_skills=frozenset({"driving"}), priority=priority, ride=ride))
        if draw(st.booleans()):  # and back, after an appointment
            back = pickup + draw(st.integers(1, 3)) * H
            tasks.append(Task(
                id=f"t{i}-back", kind=TaskKind.TRIP, location_id=f"p{b}", service_s=60,
                windows=(TimeWindow(back, back + 2 * H),),
                required_skills=frozenset({"driving"}), priority=priority,
                ride=dataclasses.replace(ride, dropoff_location_id=f"p{a}",
                                         return_of=f"t{i}", appointment_s=30 * 60)))
    return Problem(locations=tuple(Location(f"p{i}", 51.0, 21.0 + i / 1000)
                                   for i in range(n_places)),
                   providers=(Provider("cus", "CUS", ProviderKind.CUS),),
                   workers=(driver,), tasks=tuple(tasks), vehicles=(Vehicle("bus", "bus", 4),),
                   matrix=TravelMatrix(seconds, metres))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bus_days())
def test_no_left_out_trip_pair_fits_beside_the_served_work_of_its_rank(problem: Problem):
    """A ride (with its return) left out for capacity does not fit beside every served
    task of its rank or higher: lower-priority rides never hold its place. The oracle is
    a search of that smaller day alone, with a larger budget."""
    plan = solve(problem, params=SolveParams(time_limit_s=30, max_solutions=100))
    assert not check(problem, plan)
    served = {s.task_id for r in plan.routes for s in r.stops}
    for out in plan.unassigned:
        if out.reason is not Reason.CAPACITY_EXHAUSTED:
            continue
        task = problem.task(out.task_id)
        if all(_rank(t) >= _rank(task) for t in problem.tasks if t.id in served):
            continue  # nothing of lower rank holds its place (how well it searched is not
            # this property's question)
        pair = {task.id} | {t.id for t in problem.tasks if t.ride and (
            t.ride.return_of == task.id or task.ride and task.ride.return_of == t.id)}
        kept = {t.id for t in problem.tasks if t.id in served and _rank(t) >= _rank(task)}
        smaller = dataclasses.replace(problem, tasks=tuple(
            t for t in problem.tasks if t.id in kept | pair))
        again = solve(smaller, params=SolveParams(time_limit_s=30, max_solutions=300))
        again_served = {s.task_id for r in again.routes for s in r.stops}
        assert not (pair | kept) <= again_served, (out, sorted(kept))
