"""Demo scenarios shipped with Trasa (package data) and the scripts that generate them."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DEMO_SCENARIOS = {
    "weekday": "starachowice_day.json",  # a Tuesday: CUS staff, PES evenings, a CUS driver
    "saturday": "starachowice_saturday.json",  # PES only, a PES bus driver
}


def demo_scenario_path(day: str) -> Path:
    """The installed demo scenario file for `day` (a key of DEMO_SCENARIOS)."""
    if day not in DEMO_SCENARIOS:
        raise KeyError(f"no demo scenario {day!r}: choose one of {', '.join(DEMO_SCENARIOS)}")
    # setuptools installs package data as plain files, so the resource is a real path.
    return Path(str(files(__name__).joinpath("scenarios", DEMO_SCENARIOS[day])))
