"""Master data with personal details worth hiding, and the search for them in answers
and logs (issue 27, rows 2 and 4).

`personal_values` reads every client stored on the server (as the coordinator) and
gives what must never reach a planner or a log line: names, addresses, phones, health
notes, and home coordinates (rounded to 4 decimals, ~10 m). `leaks` finds them in a
text: the strings as they are, a home as its latitude and longitude both in the text
(JSON numbers, [lon, lat] pairs, CSV cells); URL-encoded too (an access log's path)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus

import httpx

from tests.api.live.records_data import CENTRE, DAY, place, put, visit

NUMBER = re.compile(r"-?\d+\.\d+")
CLINIC = {"name": "Szpital Specjalistyczny, Chełm", "lat": 51.1385, "lon": 23.4820}


@dataclass
class Personal:
    strings: set[str]
    homes: set[tuple[float, float]]  # (lat, lon) rounded to 4 decimals


def personal_values(coordinator: httpx.Client) -> Personal:
    strings: set[str] = set()
    homes: set[tuple[float, float]] = set()
    offset = 0
    while True:
        page = coordinator.get("/clients", params={"limit": 500, "offset": offset}).json()
        for c in page["items"]:
            strings |= {v for k in ("name", "address", "phone", "health_note")
                        if len(v := str(c.get(k) or "").strip()) >= 4}
            if c.get("lat") is not None:
                homes.add((round(c["lat"], 4), round(c["lon"], 4)))
        offset += 500
        if offset >= page["total"]:
            return Personal(strings, homes)


def leaks(text: str, personal: Personal, *, homes: bool = True) -> list[str]:
    """Every personal value found in `text` (`homes=False`: its strings only, for the
    town's streets, whose thousands of public points would meet a home's by chance)."""
    found = sorted(s for s in personal.strings
                   if s in text or quote(s) in text or quote_plus(s) in text)
    if not homes:
        return found
    numbers = {round(float(n), 4) for n in NUMBER.findall(text)}
    found += [f"home {lat}, {lon}" for lat, lon in sorted(personal.homes)
              if lat in numbers and lon in numbers]
    return found


@dataclass
class People:
    worker: str
    clients: list[str]
    tasks: list[str]
    trips: list[str]


def people(coordinator: httpx.Client, day: str = DAY) -> People:
    """Two clients with telling details, a visit to each, and a ride to hospital and
    back home for the first (the return drops off at the home, given as a place)."""
    tag = uuid.uuid4().hex[:8]
    provider, vehicle, driver = f"cus-{tag}", f"bus-{tag}", f"w-{tag}"
    put(coordinator, "/providers", {"id": provider, "name": "CUS Chełm", "kind": "cus"})
    put(coordinator, "/vehicles", {"id": vehicle, "name": "Bus", "seats": 6})
    put(coordinator, "/workers", {
        "id": driver, "name": f"Kierowca {tag}", "provider": provider,
        "skills": ["physio", "driving"], "vehicle": vehicle,
        "availability": [{"start": "07:00", "end": "17:00"}],
        "base_lat": CENTRE[0], "base_lon": CENTRE[1]})
    clients, tasks = [], []
    for k in range(2):
        cid = f"c-{tag}-{k}"
        lat, lon = place(7 + k)
        put(coordinator, "/clients", {
            "id": cid, "name": f"Bożena Prywatna-{tag}{k}", "lat": lat, "lon": lon,
            "address": f"ul. Ukryta {tag}{k}", "phone": f"+48 5{tag[:2]} {k}11 222",
            "health_note": f"choroba {tag}{k}: leki o 8:00", "mobility": "walks"})
        clients.append(cid)
        tasks.append(f"t-{tag}-{k}")
        put(coordinator, "/tasks", {**visit(tasks[-1], cid, day=day),
                                    "note": f"klucz u sąsiadki {tag}{k}"})
    home = coordinator.get(f"/clients/{clients[0]}").json()
    out, back = f"r-{tag}-out", f"r-{tag}-back"
    put(coordinator, "/trips", {"id": out, "client": clients[0], "day": day,
                                "dropoff": {"id": f"h-{tag}", **CLINIC},
                                "arrive_by": "10:00", "appointment_min": 60})
    put(coordinator, "/trips", {
        "id": back, "client": clients[0], "day": day, "return_of": out,
        "pickup": {"id": f"h-{tag}", **CLINIC},
        "dropoff": {"name": f"dom: {home['address']}", "lat": home["lat"],
                    "lon": home["lon"]}, "note": f"wnieść zakupy {tag}"})
    return People(driver, clients, tasks, [out, back])


def walk_strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (str(k), *walk_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in walk_strings(v)]
    return [str(value)]
