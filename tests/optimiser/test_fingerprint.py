"""The problem fingerprint: equal for the same solver input, different for any change a
rule could see."""

from __future__ import annotations

import dataclasses

import numpy as np

from optimiser.fingerprint import problem_fingerprint
from optimiser.model import Location, Problem, TimeWindow, TravelMatrix
from tests.optimiser.tiny import H, problem, task, worker


def _day() -> Problem:
    return problem([worker("w1", skills=("physio",)), worker("w2", base="p1")],
                   [task("a", 2, skills=("physio",)), task("b", 3), task("c", 4)])


def test_the_same_problem_built_twice_has_the_same_fingerprint() -> None:
    assert problem_fingerprint(_day()) == problem_fingerprint(_day())


def test_the_order_of_the_locations_does_not_change_it_when_the_matrix_follows() -> None:
    p = _day()
    order = [5, 3, 0, 4, 1, 2]
    moved = dataclasses.replace(
        p, locations=tuple(p.locations[i] for i in order),
        matrix=TravelMatrix(p.matrix.duration_s[np.ix_(order, order)],
                            p.matrix.distance_m[np.ix_(order, order)]))
    assert problem_fingerprint(moved) == problem_fingerprint(p)


def test_a_place_nobody_goes_to_is_left_out_and_its_name_a_label() -> None:
    p = _day()
    renamed = dataclasses.replace(p, name="another name", locations=tuple(
        dataclasses.replace(x, lat=51.0) if x.id == "p5" else x
        for x in p.locations))
    assert problem_fingerprint(renamed) == problem_fingerprint(p)


def test_any_change_the_solver_could_see_changes_it() -> None:
    p = _day()
    before = problem_fingerprint(p)
    duration = p.matrix.duration_s.copy()
    duration[2, 3] += 1
    tasks = list(p.tasks)
    late = dataclasses.replace(tasks[1], windows=(TimeWindow(9 * H, 16 * H),))
    changed = [
        dataclasses.replace(p, matrix=TravelMatrix(
            duration, p.matrix.distance_m)),
        dataclasses.replace(p, tasks=(tasks[0], late, tasks[2])),
        dataclasses.replace(p, tasks=(tasks[1], tasks[0], tasks[2])),
        dataclasses.replace(p, workers=tuple(reversed(p.workers))),
        dataclasses.replace(p, locations=tuple(
            Location(x.id, x.lat + 0.001, x.lon, x.name) if x.id == "p2" else x
            for x in p.locations)),
    ]
    prints = [problem_fingerprint(x) for x in changed]
    assert before not in prints and len(set(prints)) == len(prints)
