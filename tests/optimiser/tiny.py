"""Tiny hand-built problems: places on a straight road, 10 minutes and 5 km per step."""

from __future__ import annotations

from typing import Any

import numpy as np

from optimiser.model import (
    LabourRules,
    Location,
    Passengers,
    Priority,
    Problem,
    Provider,
    ProviderKind,
    Task,
    TaskKind,
    TimeWindow,
    TravelMatrix,
    Vehicle,
    Worker,
)
from optimiser.model import Ride as RideSpec

STEP_S = 600
DAY = 24 * 3600
STEP_M = 5000
H = 3600


def line_matrix(n: int) -> TravelMatrix:
    pos = np.arange(n)
    steps = np.abs(pos[:, None] - pos[None, :]).astype(np.int64)
    return TravelMatrix(steps * STEP_S, steps * STEP_M)


def worker(id: str = "w1", *, skills: tuple[str, ...] = (), shifts: tuple[tuple[int, int], ...]
           = ((8 * H, 16 * H),), provider: str = "cus", base: str = "p0",
           max_work_s: int | None = None, capacity: int | None = None,
           vehicle: str | None = None, max_week_s: int | None = None) -> Worker:
    return Worker(id=id, name=id, provider_id=provider, skills=frozenset(skills),
                  shifts=tuple(TimeWindow(a, b) for a, b in shifts), start_location_id=base,
                  end_location_id=base, max_work_s=max_work_s, capacity=capacity,
                  vehicle_id=vehicle, max_week_s=max_week_s)


def task(id: str, place: int, *, service_s: int = 30 * 60,
         windows: tuple[tuple[int, int], ...] = ((8 * H, 16 * H),), skills: tuple[str, ...] = (),
         priority: Priority = Priority.NORMAL, mandatory: bool = False, demand: int = 0) -> Task:
    return Task(id=id, kind=TaskKind.VISIT, location_id=f"p{place}", service_s=service_s,
                windows=tuple(TimeWindow(a, b) for a, b in windows),
                required_skills=frozenset(skills), priority=priority, mandatory=mandatory,
                demand=demand)


def trip(id: str, pickup: int, dropoff: int, *,
         pickup_windows: tuple[tuple[int, int], ...] = ((8 * H, 16 * H),),
         dropoff_windows: tuple[tuple[int, int], ...] = (), board_s: int = 60, alight_s: int = 60,
         seated: int = 1, wheelchair: int = 0, escort: int = 0, max_ride_s: int | None = None,
         return_of: str | None = None, appointment_s: int = 0,
         priority: Priority = Priority.NORMAL, mandatory: bool = False) -> Task:
    return Task(id=id, kind=TaskKind.TRIP, location_id=f"p{pickup}", service_s=board_s,
                windows=tuple(TimeWindow(a, b) for a, b in pickup_windows),
                required_skills=frozenset({"driving"}), priority=priority, mandatory=mandatory,
                ride=RideSpec(dropoff_location_id=f"p{dropoff}",
                              dropoff_windows=tuple(TimeWindow(a, b) for a, b in dropoff_windows),
                              alight_s=alight_s,
                              passengers=Passengers(seated, wheelchair, escort),
                              max_ride_s=max_ride_s, return_of=return_of,
                              appointment_s=appointment_s))


def bus(id: str = "bus", *, seats: int = 6, wheelchair_places: int = 1) -> Vehicle:
    return Vehicle(id=id, name=id, seats=seats, wheelchair_places=wheelchair_places)


def problem(workers: list[Worker], tasks: list[Task], *, places: int = 6,
            rules: LabourRules | None = None, vehicles: tuple[Vehicle, ...] = (),
            **extra: Any) -> Problem:
    """`extra` goes to Problem unchanged (series, goals, day_starts_s)."""
    return Problem(
        locations=tuple(Location(f"p{i}", 50.0, 20.0 + i / 100) for i in range(places)),
        providers=(Provider("cus", "CUS", ProviderKind.CUS), Provider("pes", "PES",
                                                                      ProviderKind.PES)),
        workers=tuple(workers), tasks=tuple(tasks), matrix=line_matrix(places),
        rules=rules or LabourRules(), vehicles=vehicles, **extra,
    )
