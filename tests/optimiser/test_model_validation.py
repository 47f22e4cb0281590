"""The domain rejects what cannot exist, naming the field and the value."""

from __future__ import annotations

from datetime import date

import pytest

from optimiser.calendar import Calendar, CalendarError
from optimiser.model import (
    Passengers,
    ProblemError,
    Reason,
    TimeWindow,
    Vehicle,
    can_serve,
    ineligibility,
)
from tests.optimiser.tiny import H, bus, problem, task, trip, worker


@pytest.mark.parametrize(("build", "message"), [
    (lambda: TimeWindow(10, 5), "time window start_s=10 must be >= 0 and <= end_s=5"),
    (lambda: Vehicle("bus", "bus", seats=-1), "vehicle 'bus': seats=-1 must be >= 0"),
    (lambda: Passengers(seated=0, wheelchair=0), "a trip carries at least one passenger"),
    (lambda: task("t1", 1, service_s=3 * H, windows=((8 * H, 10 * H),)),
     f"task 't1': window {8 * H}-{10 * H} is shorter than service_s={3 * H}"),
    (lambda: worker("w1", max_work_s=0), "worker 'w1': max_work_s=0 must be positive"),
    (lambda: worker("w1", shifts=((8 * H, 12 * H), (11 * H, 14 * H))),
     "worker 'w1' shifts: windows"),
    (lambda: problem([worker("w1", provider="nobody")], []),
     "worker 'w1': unknown provider_id 'nobody'"),
    (lambda: problem([worker("w1"), worker("w1")], []), "duplicate worker id 'w1'"),
    (lambda: problem([worker("w1")], [task("t1", 9)]), "task 't1': unknown location_id 'p9'"),
    (lambda: Calendar(date(2026, 11, 23), days=8), "calendar: days=8 must be within 1..7"),
    (lambda: Calendar(timezone="Europe/Starachowice"),
     "calendar: unknown time zone 'Europe/Starachowice'"),
])
def test_invalid_domain_object_is_rejected_with_field_and_value(build, message) -> None:
    with pytest.raises((ProblemError, CalendarError)) as info:
        build()
    assert message in str(info.value)


def test_one_eligibility_rule_names_the_first_test_a_worker_fails() -> None:
    driver = worker("d", skills=("driving",), vehicle="small", shifts=((8 * H, 12 * H),))
    ride = trip("r", 1, 2, wheelchair=1, seated=0, pickup_windows=((9 * H, 10 * H),))
    p = problem([driver, worker("x")], [ride], vehicles=(bus("small", wheelchair_places=0),))
    assert ineligibility(p, p.worker("x"), ride) is Reason.NO_SKILLED_WORKER
    assert ineligibility(p, driver, ride) is Reason.NO_VEHICLE_SPACE
    late = task("late", 1, windows=((17 * H, 19 * H),))
    assert ineligibility(p, p.worker("x"), late) is Reason.NO_AVAILABILITY
    assert can_serve(p, p.worker("x"), late, TimeWindow(16 * H, 18 * H))
