"""A small day in Chełm (fictional people) for the web page's tests and pictures: three
physiotherapists (two of the CUS until 15:00, one of a PES in the evening), a handyman,
visits and jobs across the town, the senior bus taking a client to a hospital in Lublin
(out of town), and two tasks no one can take (a visit at 15-17, when no
physiotherapist works; a plumbing job at 16:30-18:30, after the handyman's shift). A task
needing a skill no worker has would be refused before planning (422)."""

from __future__ import annotations

import math
from typing import Any

import httpx

from tests.api.live.records_data import CENTRE, put

DAY = "2026-11-24"  # a Tuesday
STREETS = ["ul. Lubelska", "ul. Lwowska", "ul. Hrubieszowska", "ul. Kolejowa",
           "ul. Rejowiecka", "ul. Ogrodowa", "ul. Wojsławicka", "ul. Pocztowa",
           "ul. Obłońska", "ul. Szpitalna", "ul. Kopernika", "ul. Młodowska",
           "ul. Wołyńska", "ul. Trubakowska", "ul. Graniczna", "ul. Okszowska"]
NAMES = ["Zofia Wąsowska", "Jan Kołodziej", "Helena Pawlak", "Stanisław Mazur",
         "Irena Sobczak", "Tadeusz Wójcik", "Krystyna Lis", "Józef Czarnecki",
         "Danuta Kamińska", "Henryk Zając", "Barbara Kozieł", "Władysław Nowicki",
         "Teresa Bąk", "Marian Szulc", "Janina Górska", "Edward Wrona"]
WORKERS = [  # id, name, provider, skills, shift
    ("w-anna", "Anna Żółtowska", "cus", ["physio"], ("08:00", "15:00")),
    ("w-piotr", "Piotr Lewandowski", "cus", ["physio"], ("08:00", "15:00")),
    ("w-kasia", "Katarzyna Dąb", "pes", ["physio"], ("17:00", "21:00")),
    ("w-marek", "Marek Grabowski", "cus", ["carpentry", "plumbing"], ("08:00", "16:00")),
    ("w-jan", "Jan Kierowca", "cus", ["driving"], ("07:30", "15:30")),
]
LUBLIN = {"name": "Szpital Wojewódzki, Lublin", "lat": 51.2465, "lon": 22.5684}
TASKS = 17  # of a day: 16 visits and jobs and a trip


def home(k: int) -> tuple[float, float]:
    """A point of a spiral around the centre of Chełm, inside the road network."""
    ring = 1 + k // 6
    angle = k * 1.05
    return (round(CENTRE[0] + 0.0055 * ring * math.sin(angle), 6),
            round(CENTRE[1] + 0.0085 * ring * math.cos(angle), 6))


def tasks(day: str = DAY, suffix: str = "") -> list[dict[str, Any]]:
    def visit(k: int, start: str, end: str, minutes: int = 45, priority: str = "normal",
              skills: tuple[str, ...] = ("physio",), kind: str = "visit") -> dict[str, Any]:
        return {"id": f"t{k:02d}{suffix}", "kind": kind, "client": f"c{k:02d}", "day": day,
                "duration_min": minutes, "windows": [{"start": start, "end": end}],
                "skills": list(skills), "priority": priority}

    out = [visit(k, "08:30", "14:30", priority="high" if k < 2 else "normal")
           for k in range(8)]
    out += [visit(k, "17:00", "21:00", minutes=50) for k in (8, 9, 10)]
    out += [visit(k, "08:00", "16:00", minutes=75, skills=("carpentry",), kind="job")
            for k in (11, 12)]
    out.append(visit(13, "08:00", "16:00", minutes=60, skills=("plumbing",), kind="job",
                     priority="urgent"))
    out.append(visit(14, "15:00", "17:00", minutes=60, priority="high"))  # no one works then
    out.append(visit(15, "16:30", "18:30", minutes=60, skills=("plumbing",), kind="job"))
    return out


def load_day(api: httpx.Client, days: tuple[str, ...] = (DAY,)) -> None:
    """The day's providers, clients, workers and tasks in the records (a coordinator's
    client); each of `days` gets the same tasks (ids suffixed after the first)."""
    put(api, "/providers", {"id": "cus", "name": "CUS Chełm", "kind": "cus"})
    put(api, "/providers", {"id": "pes", "name": "Spółdzielnia Socjalna Łączy Nas",
                            "kind": "pes"})
    for k, (name, street) in enumerate(zip(NAMES, STREETS, strict=True)):
        lat, lon = home(k)
        put(api, "/clients", {"id": f"c{k:02d}", "name": name, "address": f"{street} {k + 3}",
                              "phone": f"+48 600 100 {200 + k}", "lat": lat, "lon": lon,
                              "mobility": "walks", "health_note": "nadciśnienie"})
    put(api, "/vehicles", {"id": "bus", "name": "Bus dla seniora", "seats": 6,
                           "wheelchair_places": 1})
    for wid, name, provider, skills, (start, end) in WORKERS:
        put(api, "/workers", {"id": wid, "name": name, "provider": provider, "skills": skills,
                              "availability": [{"start": start, "end": end}],
                              "base_lat": CENTRE[0], "base_lon": CENTRE[1],
                              "base_name": "CUS, ul. Lubelska 63",
                              **({"vehicle": "bus"} if "driving" in skills else {})})
    for n, day in enumerate(days):
        suffix = "" if n == 0 else f"-{n}"
        for task in tasks(day, suffix):
            put(api, "/tasks", task)
        put(api, "/trips", {"id": f"r1{suffix}", "client": "c03", "day": day,
                            "dropoff": LUBLIN, "arrive_by": "10:30", "priority": "high"})

