"""SISR on its own: it keeps every stop, respects windows and loads, and finds shorter routes."""

from __future__ import annotations

import math
import random

import numpy as np

from optimiser.sisr import vrptw, vrptw_loop
from optimiser.sisr.jit import seeded


def line_instance(windows: dict[int, tuple[int, int]] | None = None,
                  capacity: float = 100) -> vrptw.Instance:
    """Ids 0-5 are stops at positions 1..6 on a road; 6/7 and 8/9 are two vehicles' ends at 0."""
    position = [1, 2, 3, 4, 5, 6, 0, 0, 0, 0]
    travel = [[abs(a - b) * 10 for b in position] for a in position]
    windows = windows or {}
    return vrptw.Instance(
        travel=travel,
        windows=[(windows.get(i, (0, 10_000)),) for i in range(10)],
        service=[5] * 6 + [0] * 4, demand=[1] * 6 + [0] * 4,
        allowed=[frozenset({0, 1})] * 10, start=[6, 8], end=[7, 9],
        capacity=[capacity, capacity], customers=list(range(6)))


def run(instance: vrptw.Instance, routes: list[list[int]]) -> tuple[list[list[int]], int]:
    return vrptw.improve(instance, routes, deadline=float("inf"), rng=random.Random(0),
                         max_iterations=2000)


def test_zigzag_routes_become_one_sweep_out_and_back():
    instance = line_instance()
    zigzag = [[5, 0, 4], [1, 3, 2]]
    routes, cost = run(instance, zigzag)
    assert cost == 120 < instance.cost(zigzag)  # out to position 6 and back
    assert sorted(i for r in routes for i in r) == list(range(6))


def test_each_new_best_is_told_as_it_is_found_and_the_last_is_what_comes_back():
    instance = line_instance()
    zigzag = [[5, 0, 4], [1, 3, 2]]
    told: list[tuple[list[list[int]], float]] = []
    routes, cost = vrptw.improve(instance, zigzag, deadline=float("inf"),
                                 rng=random.Random(0), max_iterations=2000,
                                 on_best=lambda r, c: told.append((r, c)))
    assert told, "the zigzag is improved on"
    assert [c for _, c in told] == sorted({c for _, c in told}, reverse=True)
    assert all(c == instance.cost(r) for r, c in told)
    assert told[-1] == (routes, cost) and cost < instance.cost(zigzag)


def test_windows_are_kept_even_when_a_shorter_order_exists():
    # Stop 5 (furthest) must start before 70: a single sweep outwards cannot reach it in time.
    instance = line_instance({5: (0, 70)})
    routes, cost = run(instance, [[5], [0, 1, 2, 3, 4]])
    for v, rt in enumerate(routes):
        assert vrptw.labels(instance, v, rt).feasible
    assert cost == instance.cost(routes)


def test_load_limits_split_the_stops_between_vehicles():
    instance = line_instance(capacity=3)
    routes, _ = run(instance, [[0, 1, 2], [3, 4, 5]])
    assert all(len(r) <= 3 for r in routes)
    assert sorted(i for r in routes for i in r) == list(range(6))


def ruin(instance: vrptw.Instance, routes: list[list[int]], seed: int
         ) -> tuple[list[list[int]], list[int], list[float]]:
    """One compiled string removal: the routes left, the stops removed, the loads left."""
    seq, count, *_, load, _ = vrptw.route_state(instance, routes)
    size = len(instance.demand)
    removed = np.empty(size, np.int64)
    settings = vrptw.VRPTW_SETTINGS
    out, _ = vrptw_loop.remove_strings(
        instance.arrays, seq, count, load, np.full(size, -1), np.zeros(size, np.int64),
        seeded(seed), float(settings.average_removed), settings.max_string, removed)
    left = [seq[v, 1:count[v] + 1].tolist() for v in range(len(routes))]
    return left, removed[:out].tolist(), load.tolist()


def test_string_removal_cuts_consecutive_stops_out_of_a_route():
    instance = line_instance()
    for seed in range(20):
        routes, removed, load = ruin(instance, [[0, 1, 2, 3, 4, 5], []], seed)
        assert removed, seed
        lo = removed[0]
        assert removed == list(range(lo, lo + len(removed)))  # one string, in route order
        assert routes == [[i for i in range(6) if i not in removed], []]
        assert load == [6 - len(removed), 0]


# ---------------------------------------------------------------- a CUS day: several windows,
# one break a shift, tasks that may be left out at a price


def brute_feasible(instance: vrptw.Instance, v: int, route: list[int]) -> bool:
    """Independent of the labels: try the break after every stop (or none), earliest times."""
    seq = [instance.start[v], *route, instance.end[v]]
    brk = instance.breaks[v] if instance.breaks else None
    t, s, w = instance.travel, instance.service, instance.windows

    def start_at(i: int, x: float) -> float | None:
        for a, b in w[i]:
            if x <= b:
                return max(a, x)
        return None

    for after in (range(len(seq)) if brk is not None else [None]):
        time = start_at(seq[0], 0)
        for k in range(len(seq)):
            if time is None:
                break
            if k:
                time = start_at(seq[k], time)
                if time is None:
                    break
            done = time + s[seq[k]]
            if after == k:
                taken = max(done, brk.earliest)
                if taken > brk.latest:
                    time = None
                    break
                done = taken + brk.duration
            if k + 1 < len(seq):
                time = done + t[seq[k]][seq[k + 1]]
        if time is not None:
            return True
    return False


def day_instance(rng: random.Random, stops: int = 7, optional: bool = True) -> vrptw.Instance:
    """Random stops on a line with one or two windows each; two shifts with a break each."""
    position = [rng.randrange(0, 60) for _ in range(stops)] + [0, 0, 30, 30]
    travel = [[abs(a - b) for b in position] for a in position]
    windows: list[vrptw.Windows] = []
    for _ in range(stops):
        a = rng.randrange(0, 300)
        first = (a, a + rng.randrange(0, 80))
        windows.append((first,) if rng.random() < 0.5 else
                       (first, (first[1] + 50, first[1] + 50 + rng.randrange(0, 80))))
    windows += [((0, 300),), ((0, 300),), ((100, 450),), ((100, 450),)]
    return vrptw.Instance(
        travel=travel, windows=windows, service=[rng.randrange(10, 40) for _ in range(stops)]
        + [0] * 4, demand=[0] * (stops + 4), allowed=[frozenset({0, 1})] * (stops + 4),
        start=[stops, stops + 2], end=[stops + 1, stops + 3], capacity=[math.inf] * 2,
        customers=list(range(stops)),
        breaks=[vrptw.Break(100, 180, 30), vrptw.Break(200, 300, 30)],
        penalty=[rng.choice([1000, 100_000]) for _ in range(stops)] + [0] * 4
        if optional else None)


def test_the_labels_find_a_schedule_exactly_when_one_exists():
    rng = random.Random(1)
    seen = {True: 0, False: 0}
    for _ in range(300):
        instance = day_instance(rng)
        v = rng.randrange(2)
        route = rng.sample(instance.customers, rng.randrange(0, 5))
        expected = brute_feasible(instance, v, route)
        assert vrptw.labels(instance, v, route).feasible == expected, (v, route)
        seen[expected] += 1
    assert min(seen.values()) > 30  # both answers were tried often


def test_a_day_search_keeps_every_route_feasible_and_prices_what_it_leaves_out():
    left_out = 0
    for seed in range(20):
        rng = random.Random(seed)
        instance = day_instance(rng)
        routes, cost = vrptw.improve(instance, [[], []], deadline=float("inf"),
                                     rng=random.Random(seed), max_iterations=300)
        assert all(brute_feasible(instance, v, rt) for v, rt in enumerate(routes))
        served = {i for rt in routes for i in rt}
        missing = [i for i in instance.customers if i not in served]
        assert cost == instance.cost(routes) + instance.left_out_cost(missing)
        for i in missing:  # a stop left out fits nowhere in the routes as they are
            assert not any(brute_feasible(instance, v, [*rt[:k], i, *rt[k:]])
                           for v, rt in enumerate(routes) for k in range(len(rt) + 1)), seed
        left_out += len(missing)
    assert left_out  # the days were too full to serve everything


def test_an_empty_evening_shift_is_opened_when_the_morning_one_cannot_serve():
    # Stop 0 opens at 400: only the second vehicle's shift (100-450) reaches it.
    position = [10, 0, 0, 0, 0]
    travel = [[abs(a - b) for b in position] for a in position]
    instance = vrptw.Instance(
        travel=travel, windows=[((400, 420),), ((0, 300),), ((0, 300),), ((100, 450),),
                                ((100, 450),)],
        service=[10, 0, 0, 0, 0], demand=[0] * 5, allowed=[frozenset({0, 1})] * 5,
        start=[1, 3], end=[2, 4], capacity=[math.inf] * 2, customers=[0],
        penalty=[1000, 0, 0, 0, 0])
    routes, cost = vrptw.improve(instance, [[], []], deadline=float("inf"),
                                 rng=random.Random(0), max_iterations=5)
    assert routes == [[], [0]] and cost == 20


def test_a_stop_with_two_windows_is_served_in_the_one_it_can_reach():
    position = [50, 0, 0]
    travel = [[abs(a - b) for b in position] for a in position]
    instance = vrptw.Instance(
        travel=travel, windows=[((0, 20), (200, 260)), ((0, 500),), ((0, 500),)],
        service=[10, 0, 0], demand=[0] * 3, allowed=[frozenset({0})] * 3, start=[1],
        end=[2], capacity=[math.inf], customers=[0])
    lab = vrptw.labels(instance, 0, [0])
    assert lab.feasible and lab.e1[1] == 200  # 50 away: too late for 0-20


def test_a_left_out_stop_takes_the_place_of_an_equally_priced_dearer_one():
    # One vehicle with room for two of three equally priced stops at 10, 20 and 60 from
    # its base: starting from the two far ones, the search swaps in the near one.
    position = [10, 20, 60, 0, 0]
    travel = [[abs(a - b) for b in position] for a in position]
    instance = vrptw.Instance(
        travel=travel, windows=[((0, 1000),)] * 5, service=[0] * 5, demand=[1, 1, 1, 0, 0],
        allowed=[frozenset({0})] * 5, start=[3], end=[4], capacity=[2], customers=[0, 1, 2],
        penalty=[500, 500, 500, 0, 0])
    for seed in range(5):
        routes, cost = vrptw.improve(instance, [[1, 2]], deadline=float("inf"),
                                     rng=random.Random(seed), max_iterations=200)
        assert sorted(routes[0]) == [0, 1] and cost == 40 + 500, seed
