"""The shared example files a scenario check refuses, and the first line of each refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED

PEOPLE = SHARED.parent / "examples" / "people"  # ../shared/examples/people

REFUSED = {
    "bad_skill.json": "tasks[8].skills: 'hydraulika' is a skill no worker has",
    "bad_seats.json": "trips[1].passengers: 9 seats (seated 9 + escort 0) is more than any "
                      "vehicle carries (at most 6: 'bus'",
    "bad_sea.json": "clients[5].location: 'h6' (locations[10], lat 55.0, lon 19.0) is 519.5 km "
                    "from the nearest road of the network; a client's home must be within "
                    "3000 m of a road",
}


def people_file(name: str) -> Path:
    path = PEOPLE / name
    if not path.is_file():
        pytest.fail(f"shared example missing: {path} (expected ../shared/examples/people "
                    "beside the repository)", pytrace=False)
    return path
