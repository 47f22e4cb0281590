"""SISR on its own: it keeps every stop, respects windows and loads, and finds shorter routes."""

from __future__ import annotations

import random

from optimiser.sisr import core, vrptw


def line_instance(windows: dict[int, tuple[int, int]] | None = None,
                  capacity: float = 100) -> vrptw.Instance:
    """Ids 0-5 are stops at positions 1..6 on a road; 6/7 and 8/9 are two vehicles' ends at 0."""
    position = [1, 2, 3, 4, 5, 6, 0, 0, 0, 0]
    travel = [[abs(a - b) * 10 for b in position] for a in position]
    windows = windows or {}
    return vrptw.Instance(
        travel=travel,
        earliest=[windows.get(i, (0, 0))[0] for i in range(10)],
        latest=[windows.get(i, (0, 10_000))[1] for i in range(10)],
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


def test_windows_are_kept_even_when_a_shorter_order_exists():
    # Stop 5 (furthest) must start before 70: a single sweep outwards cannot reach it in time.
    instance = line_instance({5: (0, 70)})
    routes, cost = run(instance, [[5], [0, 1, 2, 3, 4]])
    for v, rt in enumerate(routes):
        _, earliest, latest = vrptw.schedule(instance, v, rt)
        assert all(a <= z for a, z in zip(earliest, latest, strict=True))
    assert cost == instance.cost(routes)


def test_load_limits_split_the_stops_between_vehicles():
    instance = line_instance(capacity=3)
    routes, _ = run(instance, [[0, 1, 2], [3, 4, 5]])
    assert all(len(r) <= 3 for r in routes)
    assert sorted(i for r in routes for i in r) == list(range(6))


def test_string_removal_cuts_consecutive_stops_out_of_a_route():
    instance = line_instance()
    units = core.Units.stops(instance.customers, instance.neighbours)
    for seed in range(20):
        routes = [[0, 1, 2, 3, 4, 5], []]
        removed = core.remove_strings(routes, units, random.Random(seed), vrptw.VRPTW_SETTINGS)
        assert removed, seed
        lo = removed[0]
        assert removed == list(range(lo, lo + len(removed)))  # one string, in route order
        assert routes == [[i for i in range(6) if i not in removed], []]
