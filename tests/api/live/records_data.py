"""Small master data in Chełm (fictional people) for the API tests."""

from __future__ import annotations

from typing import Any

import httpx

DAY = "2026-11-24"  # a Tuesday
# The day the live servers take for today (TRASA_TODAY): tests never read the clock.
TODAY = "2027-06-01"
CENTRE = (51.1331, 23.4716)


def place(k: int) -> tuple[float, float]:
    """A point k steps around the centre of Chełm (inside the road network)."""
    return (round(CENTRE[0] + 0.004 * (k % 3 - 1), 6), round(CENTRE[1] + 0.005 * (k % 4 - 1.5), 6))


def provider(pid: str = "cus", kind: str = "cus") -> dict[str, Any]:
    return {"id": pid, "name": "CUS Chełm" if kind == "cus" else "Spółdzielnia Łączy Nas",
            "kind": kind}


def client(cid: str, k: int = 0) -> dict[str, Any]:
    lat, lon = place(k)
    return {"id": cid, "name": f"Zofia Wąsowska {cid}", "address": f"ul. Lubelska {k + 1}",
            "phone": "+48 600 100 200", "lat": lat, "lon": lon, "mobility": "walks",
            "health_note": "cukrzyca; insulina o 12:00"}


def worker(wid: str, provider_id: str = "cus", skills: tuple[str, ...] = ("physio",)
           ) -> dict[str, Any]:
    lat, lon = CENTRE
    return {"id": wid, "name": f"Anna Żółtowska {wid}", "provider": provider_id,
            "skills": list(skills), "availability": [{"start": "08:00", "end": "16:00"}],
            "base_lat": lat, "base_lon": lon}


def visit(tid: str, client_id: str, *, day: str = DAY, priority: str = "normal"
          ) -> dict[str, Any]:
    return {"id": tid, "kind": "visit", "client": client_id, "day": day, "duration_min": 45,
            "windows": [{"start": "09:00", "end": "15:00"}], "skills": ["physio"],
            "priority": priority}


def put(client_: httpx.Client, path: str, body: dict[str, Any]) -> httpx.Response:
    """Create `body` at `path` (POST) and insist it worked."""
    answer = client_.post(path, json=body)
    assert answer.status_code == 201, answer.text
    return answer
