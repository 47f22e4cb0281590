"""A small what-if day on the real Chełm roads (two physiotherapists, a driver with a bus, four
visits and a trip) that the sweep tests plan again and again."""

from __future__ import annotations

from typing import Any

PLACES = [("baza", 51.1335, 23.4712), ("dom-1", 51.1398, 23.4851),
          ("dom-2", 51.1282, 23.4896), ("dom-3", 51.1361, 23.4603),
          ("dom-4", 51.1420, 23.4700), ("klinika", 51.1310, 23.4800)]


def sweep_scenario() -> dict[str, Any]:
    visits = [{"id": f"v{k}", "kind": "visit", "client": f"k{k}", "duration_min": 60,
               "skills": ["physio"], "mandatory": k < 3,
               "windows": [{"start": "09:00", "end": "11:00"}]} for k in range(4)]
    return {
        "name": "Chełm — sweep", "date": "2026-11-24",
        "locations": [{"id": i, "name": i, "lat": lat, "lon": lon} for i, lat, lon in PLACES],
        "providers": [{"id": "cus", "name": "CUS", "kind": "cus"},
                      {"id": "pes", "name": "PES", "kind": "pes"}],
        "clients": [{"id": f"k{k}", "name": f"K{k}", "location": f"dom-{k + 1}"}
                    for k in range(4)],
        "vehicles": [{"id": "bus", "name": "Bus", "seats": 4}],
        "workers": [
            {"id": "ewa", "provider": "cus", "skills": ["physio"], "start_location": "baza",
             "shifts": [{"start": "08:30", "end": "12:00"}]},
            {"id": "kasia", "provider": "pes", "skills": ["physio"], "start_location": "baza",
             "shifts": [{"start": "13:00", "end": "14:00"}]},
            {"id": "jan", "provider": "cus", "skills": ["driving"], "vehicle": "bus",
             "start_location": "baza", "shifts": [{"start": "08:00", "end": "12:00"}]}],
        "tasks": visits,
        "trips": [{"id": "r1", "client": "k0", "dropoff": "klinika",
                   "pickup_window": {"start": "08:30", "end": "09:00"}}],
    }
