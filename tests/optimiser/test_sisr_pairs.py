"""SISR for pickup-and-delivery on its own: pairs stay together and feasible, cost goes down."""

from __future__ import annotations

import random

import numpy as np

from optimiser.sisr import pairs, pairs_loop
from optimiser.sisr.jit import seeded


def shuttle(max_ride: float = 1_000, capacity: float = 1) -> pairs.PairInstance:
    """Requests 0 and 1 ride from position 1 to 5 and from 2 to 6; stops 0-3; route ends 4-7."""
    position = [1, 2, 5, 6, 0, 0, 0, 0]
    return pairs.PairInstance(
        travel=[[abs(a - b) * 10 for b in position] for a in position],
        earliest=[0] * 8, latest=[10_000] * 8, service=[1] * 4 + [0] * 4,
        delta=[1, 1, -1, -1, 0, 0, 0, 0], allowed=[frozenset({0, 1})] * 2,
        start=[4, 6], end=[5, 7], capacity=[capacity, capacity],
        max_duration=[10_000, 10_000], pickup=[0, 1], dropoff=[2, 3],
        max_ride=[max_ride, max_ride])


def run(instance: pairs.PairInstance, routes: list[list[int]]
        ) -> tuple[list[list[int]], float]:
    return pairs.improve_pairs(instance, routes, deadline=float("inf"),
                               rng=random.Random(0), max_iterations=500)


def test_two_separate_trips_merge_into_one_shared_ride_when_seats_allow():
    instance = shuttle(capacity=2)
    routes, cost = run(instance, [[0, 2], [1, 3]])
    assert cost == 120 == instance.cost(routes)  # 0 -> 1 -> 2 -> 5 -> 6 -> 0
    assert sorted(map(len, routes)) == [0, 4]


def test_one_seat_keeps_the_passengers_apart_and_every_route_stays_feasible():
    instance = shuttle(capacity=1)
    routes, _ = run(instance, [[0, 2], [1, 3]])
    for v, route in enumerate(routes):
        assert instance.feasible(v, route)
        for r in (0, 1):
            if instance.pickup[r] in route:
                assert route.index(instance.pickup[r]) < route.index(instance.dropoff[r])
    assert sorted(i for r in routes for i in r) == [0, 1, 2, 3]


def test_a_tight_maximum_ride_forbids_sharing():
    # Alone each request rides 40; shared, request 0 rides 10 + 1 (boarding at 2) + 30 = 41.
    instance = shuttle(max_ride=40, capacity=2)
    assert not instance.feasible(0, [0, 1, 2, 3]) and instance.feasible(0, [0, 2, 1, 3])
    routes, cost = run(instance, [[0, 2], [1, 3]])
    assert all(instance.feasible(v, r) for v, r in enumerate(routes))
    assert cost > 120


def test_string_removal_takes_every_request_out_with_its_partner():
    instance = shuttle(capacity=2)
    seen: set[tuple[int, ...]] = set()
    settings = pairs.PAIR_SETTINGS
    for seed in range(20):
        seq, count, *_ = pairs.route_state(instance, [[0, 1, 2, 3], []])
        requests = np.empty(2, np.int64)
        out = pairs_loop.remove_strings(
            instance.arrays, seq, count, seeded(seed), float(settings.average_removed),
            settings.max_string, requests, np.full(2, -1), np.zeros(8, np.int64),
            np.zeros(2, np.bool_))
        removed = requests[:out].tolist()
        assert removed and len(set(removed)) == len(removed) and set(removed) <= {0, 1}
        kept = [i for i in [0, 1, 2, 3] if instance.request_of[i] not in removed]
        assert [seq[v, 1:count[v] + 1].tolist() for v in (0, 1)] == [kept, []]
        seen.add(tuple(sorted(removed)))
    assert seen == {(0,), (1,), (0, 1)}  # one request alone, or both, depending on the string
