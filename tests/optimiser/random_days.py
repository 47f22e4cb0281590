"""Random days mixing bus trips, visits and jobs (a hypothesis strategy), for the property
tests of planning and of offers."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from optimiser.model import (
    LabourRules,
    Location,
    Passengers,
    Priority,
    Problem,
    Provider,
    ProviderKind,
    Ride,
    Task,
    TaskKind,
    TimeWindow,
    TravelMatrix,
    Vehicle,
    Worker,
)

H = 3600
MIN = 60
SKILLS = ("physio", "plumbing")
BOARD_SEATED_S = 60  # the scenario's defaults (trip_rules.board_*_s)
BOARD_WHEELCHAIR_S = 300


@st.composite
def passengers(draw: st.DrawFn) -> Passengers:
    wheelchair = draw(st.sampled_from([0, 0, 1, 1, 2]))
    seated = draw(st.integers(0 if wheelchair else 1, 3))
    return Passengers(seated=seated, wheelchair=wheelchair, escort=draw(st.integers(0, 1)))


def handling_s(people: Passengers) -> int:
    return people.seats * BOARD_SEATED_S + people.wheelchair * BOARD_WHEELCHAIR_S


@st.composite
def trip(draw: st.DrawFn, id: str, n_places: int, outbound: Task | None) -> Task:
    """A trip; with `outbound`, its return from the outbound drop-off back to its pickup."""
    if outbound is not None:
        assert outbound.ride is not None
        people = outbound.ride.passengers
        pickup, dropoff = outbound.ride.dropoff_location_id, outbound.location_id
    else:
        people = draw(passengers())
        # half the trips go to one place (a day centre, a clinic): rides can be shared
        b = draw(st.sampled_from([1, 1, *range(n_places)]))
        a = draw(st.integers(0, n_places - 2))
        a += a >= b  # any other place
        pickup, dropoff = f"p{a}", f"p{b}"
    board_s = alight_s = handling_s(people)
    style = draw(st.sampled_from(["pickup_window", "arrive_by", "any_time"]))
    dropoff_windows: tuple[TimeWindow, ...] = ()
    if style == "pickup_window":
        start = draw(st.integers(14, 28)) * 1800  # 07:00-14:00
        windows = (TimeWindow(start, start + board_s + draw(st.integers(0, 8)) * 900),)
    elif style == "arrive_by":  # as the scenario builds it: [due - 30 min, due]
        due = draw(st.integers(16, 32)) * 1800  # 08:00-16:00
        early = draw(st.sampled_from([30, 45])) * MIN
        dropoff_windows = (TimeWindow(due - early, due),)
        opens = draw(st.sampled_from([0, due - 3 * H, due - 90 * MIN]))
        windows = (TimeWindow(opens, due),)
    else:
        windows = (TimeWindow(0, 24 * H),)
    return Task(
        id=id, kind=TaskKind.TRIP, location_id=pickup, service_s=board_s, windows=windows,
        required_skills=frozenset({"driving"}),
        priority=draw(st.sampled_from(list(Priority))), mandatory=draw(st.booleans()),
        ride=Ride(
            dropoff_location_id=dropoff, dropoff_windows=dropoff_windows, alight_s=alight_s,
            passengers=people,
            max_ride_s=draw(st.one_of(st.none(), st.integers(1, 8).map(lambda k: k * 10 * MIN))),
            return_of=None if outbound is None else outbound.id,
            appointment_s=0 if outbound is None else draw(st.integers(0, 6)) * 15 * MIN,
        ),
    )


@st.composite
def days_with_trips(draw: st.DrawFn) -> Problem:
    n_places = draw(st.integers(3, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    xy = rng.uniform(0, 10000, size=(n_places, 2))
    metres = np.rint(np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2)).astype(np.int64)
    seconds = (metres * 36 // 300).astype(np.int64)  # 30 km/h on a Manhattan grid
    locations = tuple(Location(f"p{i}", 51.0, 21.0 + i / 1000) for i in range(n_places))

    vehicles = tuple(
        Vehicle(id=f"bus{k}", name=f"bus{k}", seats=draw(st.integers(3, 8)),
                wheelchair_places=draw(st.integers(0 if k else 1, 2)))
        for k in range(draw(st.integers(1, 2))))
    workers = []
    for k in range(draw(st.integers(1, 2))):
        start = draw(st.integers(6, 10)) * H
        extra = draw(st.sets(st.sampled_from(SKILLS), max_size=1))
        workers.append(Worker(
            id=f"driver{k}", name=f"driver{k}", provider_id=draw(st.sampled_from(["cus", "pes"])),
            skills=frozenset({"driving", *extra}),
            shifts=(TimeWindow(start, min(24 * H, start + draw(st.integers(5, 12)) * H)),),
            start_location_id="p0", end_location_id="p0",
            max_work_s=draw(st.one_of(st.none(), st.integers(5, 9).map(lambda h: h * H))),
            # now and then a driver without a bus: cannot take trips
            vehicle_id=draw(st.sampled_from([None, *(v.id for v in vehicles)])) if k else
            vehicles[0].id,
        ))
    for k in range(draw(st.integers(0, 2))):
        start = draw(st.integers(7, 14)) * H
        workers.append(Worker(
            id=f"w{k}", name=f"w{k}", provider_id=draw(st.sampled_from(["cus", "pes"])),
            skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), min_size=1, max_size=2))),
            shifts=(TimeWindow(start, start + draw(st.integers(3, 8)) * H),),
            start_location_id=f"p{draw(st.integers(0, n_places - 1))}",
            end_location_id="p0",
        ))

    tasks: list[Task] = []
    for i in range(draw(st.integers(1, 6))):
        outbound_trips = [t for t in tasks if t.ride is not None and t.ride.return_of is None
                          and not any(r.ride is not None and r.ride.return_of == t.id
                                      for r in tasks)]
        outbound = draw(st.sampled_from([None, *outbound_trips]))
        tasks.append(draw(trip(f"trip{i}", n_places, outbound)))
    for i in range(draw(st.integers(0, 4))):
        service_s = draw(st.integers(1, 4)) * 15 * MIN
        start = draw(st.integers(7, 17)) * H
        tasks.append(Task(
            id=f"t{i}", kind=draw(st.sampled_from([TaskKind.VISIT, TaskKind.JOB])),
            location_id=f"p{draw(st.integers(0, n_places - 1))}", service_s=service_s,
            windows=(TimeWindow(start, start + service_s + draw(st.integers(0, 8)) * 1800),),
            required_skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), max_size=1))),
            priority=draw(st.sampled_from(list(Priority))), mandatory=draw(st.booleans()),
        ))
    rules = LabourRules(break_after_s=draw(st.sampled_from([None, 4 * H, 6 * H])))
    return Problem(locations=locations,
                   providers=(Provider("cus", "CUS", ProviderKind.CUS),
                              Provider("pes", "PES", ProviderKind.PES)),
                   workers=tuple(workers), tasks=tuple(tasks),
                   matrix=TravelMatrix(seconds, metres), rules=rules, vehicles=vehicles)
