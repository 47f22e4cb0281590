"""Generate the embedded Starachowice demo days (fixed seed) into data/scenarios/.

A weekday (Tuesday: CUS staff by day, PES in the evening, the CUS bus driver)
and a Saturday (PES only: physiotherapist, handyman and the bus driver).

    python data/generate_demo_day.py

All people are fictional; coordinates are approximate (good to a few hundred
metres), chosen to fall in the named estates. Re-running writes the same file.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 2021  # the year the Starachowice CUS opened
OUT_DIR = Path(__file__).resolve().parent / "scenarios"

SITES = [
    {"id": "cus-skalka", "name": "CUS, Galeria Skałka, al. Armii Krajowej 28",
     "lat": 51.0489, "lon": 21.0793},
    {"id": "cus-majowka", "name": "CUS, ul. Majówka 21a", "lat": 51.0551, "lon": 21.0676},
]
# Where the senior bus goes: local places and clinics in nearby cities (approximate).
DESTINATIONS = [
    {"id": "clinic-local", "name": "Przychodnia, Starachowice", "lat": 51.0468, "lon": 21.0745},
    {"id": "pharmacy", "name": "Apteka, ul. Radomska", "lat": 51.0520, "lon": 21.0700},
    {"id": "day-centre", "name": "Dzienny Dom Senior+, Starachowice", "lat": 51.0556,
     "lon": 21.0690},
    {"id": "hospital-kielce", "name": "Szpital Wojewódzki, Kielce", "lat": 50.8725,
     "lon": 20.6059},
    {"id": "clinic-radom", "name": "Poradnia, Radom", "lat": 51.4027, "lon": 21.1471},
    {"id": "clinic-ostrowiec", "name": "Szpital, Ostrowiec Świętokrzyski", "lat": 50.9294,
     "lon": 21.3853},
    {"id": "clinic-skarzysko", "name": "Przychodnia, Skarżysko-Kamienna", "lat": 51.1132,
     "lon": 20.8605},
]
# (estate, centre lat, centre lon, spread in degrees, share of clients)
ESTATES = [
    ("Wzgórze", 51.0585, 21.0560, 0.004, 0.40),
    ("Łazy", 51.0315, 21.0905, 0.004, 0.35),
    ("ul. Ostrowiecka", 51.0425, 21.0985, 0.003, 0.25),
]
FIRST = ["Anna", "Maria", "Krystyna", "Barbara", "Teresa", "Jan", "Stanisław", "Zofia",
         "Józef", "Halina", "Danuta", "Tadeusz", "Irena", "Wiesław", "Elżbieta", "Henryk"]
LAST = ["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zielińska",
        "Szymański", "Woźniak", "Dąbrowska", "Kozłowski", "Jankowska", "Mazur", "Krawczyk"]
JOBS = [("plumbing", "leaking tap"), ("electrics", "socket repair"), ("carpentry", "door hinge"),
        ("plumbing", "blocked sink"), ("electrics", "light fitting"), ("carpentry", "grab rail")]


def _clients(rng: random.Random, n: int) -> tuple[list[dict], list[dict]]:
    locations, clients = [], []
    for i in range(n):
        estate, lat, lon, spread, _ = rng.choices(ESTATES, weights=[e[4] for e in ESTATES])[0]
        loc_id = f"home-{i + 1:02d}"
        locations.append({"id": loc_id, "name": f"home of client {i + 1} ({estate})",
                          "lat": round(lat + rng.uniform(-spread, spread), 5),
                          "lon": round(lon + rng.uniform(-spread, spread) * 1.5, 5)})
        clients.append({"id": f"client-{i + 1:02d}",
                        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} (fictional)",
                        "location": loc_id})
    return locations, clients


def _visit(rng: random.Random, i: int, client: str) -> dict:
    kind = rng.random()
    if kind < 0.5:
        start = rng.choice(["08:00", "09:00", "10:00", "11:00", "12:00"])
        windows = [{"start": start, "end": f"{int(start[:2]) + 3:02d}:00"}]
    elif kind < 0.75:
        windows = [{"start": "09:00", "end": "11:00"}, {"start": "15:00", "end": "17:00"}]
    else:
        windows = [{"start": "16:00", "end": "20:00"}]  # after the family is home: PES evening
    return {"id": f"physio-{i:02d}", "kind": "visit", "client": client,
            "duration_min": rng.choice([45, 60]), "windows": windows, "skills": ["physio"],
            "priority": rng.choices(["normal", "high", "urgent"], weights=[6, 3, 1])[0]}


def _job(rng: random.Random, i: int, client: str) -> dict:
    skill, _ = rng.choice(JOBS)
    start = rng.choice(["08:00", "10:00", "13:00"])
    return {"id": f"job-{i:02d}", "kind": "job", "client": client,
            "duration_min": rng.choice([30, 60, 90, 120, 180]),
            "windows": [{"start": start, "end": "20:00"}], "skills": [skill],
            "priority": rng.choices(["low", "normal", "high"], weights=[3, 5, 2])[0]}


TOOLS = {"physio": "stół rehabilitacyjny, taśmy do ćwiczeń",
         "plumbing": "klucze hydrauliczne, uszczelki",
         "electrics": "próbnik napięcia, bezpieczniki",
         "carpentry": "wkrętarka, zawiasy, kołki", "gas": "detektor gazu"}
HEALTH = ["(fikcyjne) cukrzyca, insulina przed południem", "(fikcyjne) po udarze, mówi wolno",
          "(fikcyjne) rozrusznik serca", ""]


def _with_details(scenario: dict) -> dict:
    """Phones, mobility, health notes (coordinators only) and notes for the worker: fixed
    from the ids, so the planning data above stay as they were."""
    wheelchair = {t["client"] for t in scenario["trips"]
                  if t.get("passengers", {}).get("wheelchair")}
    for i, client in enumerate(scenario["clients"]):
        client["phone"] = f"+48 600 100 {i + 1:03d}"
        client["mobility"] = "wheelchair" if client["id"] in wheelchair else "walks"
        client["health_note"] = HEALTH[i % len(HEALTH)]
    for task in scenario["tasks"]:
        task["note"] = "; ".join(TOOLS.get(s, s) for s in task["skills"])
    for trip in scenario["trips"]:
        if trip.get("passengers", {}).get("escort"):
            trip["note"] = "Pasażer jedzie z opiekunem"
    return scenario


# Who may come, in the weekday demo: one client of each kind of wish (coordinators only).
ATTRIBUTES = {"physio-cus-1": ["woman"], "physio-cus-2": ["man"],
              "physio-pes": ["woman", "ukrainian"]}
WISHES = {"client-02": {"refuses_workers": ["physio-cus-2"]},  # hard: never Piotr
          "client-05": {"requires": ["woman"]},  # hard: a woman only
          "client-06": {"familiar_workers": ["physio-cus-1"]},  # soft: Ewa came last week
          "client-09": {"prefers_workers": ["physio-cus-2"]}}  # soft: Piotr if he can


def _with_wishes(scenario: dict) -> dict:
    """Workers' attributes and clients' refusals, requirements, preferences and history,
    with continuity of care switched on."""
    for worker in scenario["workers"]:
        worker["attributes"] = ATTRIBUTES.get(worker["id"], [])
    for client in scenario["clients"]:
        client.update(WISHES.get(client["id"], {}))
    scenario["goals"] = {"familiar": True}
    return scenario


def build() -> dict:
    return _with_details(_with_wishes(_build()))


def _build() -> dict:
    rng = random.Random(SEED)
    locations, clients = _clients(rng, 34)
    tasks = [_visit(rng, i + 1, clients[i]["id"]) for i in range(24)]
    tasks += [_job(rng, i + 1, clients[24 + i]["id"]) for i in range(10)]
    tasks[0]["mandatory"] = True  # post-surgery rehabilitation that must not be skipped
    tasks.append({"id": "job-gas", "kind": "job", "client": clients[30]["id"],
                  "duration_min": 60, "windows": [{"start": "08:00", "end": "16:00"}],
                  "skills": ["gas"], "priority": "high"})  # only the PES handyman is certified
    shifts_day = [{"start": "07:30", "end": "15:30"}]
    trips = _trips(clients)
    return {
        "name": "Starachowice — demo day",
        "note": ("Demo data: all people are fictional, coordinates approximate. "
                 "Map data © OpenStreetMap contributors (ODbL) when a real network is used."),
        "date": "2026-11-24",
        "timezone": "Europe/Warsaw",
        "network": {"source": "Starachowice, Poland", "fallback_grid": True},
        "rules": {"break_after_min": 360, "break_min": 15},
        "locations": SITES + DESTINATIONS + locations,
        "providers": [
            {"id": "cus", "name": "CUS Starachowice", "kind": "cus"},
            {"id": "pes-rehab", "name": "Spółdzielnia Socjalna Rehabilitacja (fictional)",
             "kind": "pes"},
            {"id": "pes-fix", "name": "Spółdzielnia Socjalna Naprawa (fictional)", "kind": "pes"},
        ],
        "clients": clients,
        "vehicles": [{"id": "bus", "name": "Senior bus", "seats": 8, "wheelchair_places": 2}],
        "workers": [
            {"id": "driver-cus", "name": "Andrzej (bus driver)", "provider": "cus",
             "skills": ["driving"], "vehicle": "bus", "shifts": [{"start": "07:00",
                                                                  "end": "15:00"}],
             "start_location": "cus-majowka", "max_work_min": 480},
            {"id": "physio-cus-1", "name": "Ewa (physiotherapist)", "provider": "cus",
             "skills": ["physio"], "shifts": shifts_day, "start_location": "cus-skalka",
             "max_work_min": 480},
            {"id": "physio-cus-2", "name": "Piotr (physiotherapist)", "provider": "cus",
             "skills": ["physio"], "shifts": [{"start": "08:00", "end": "16:00"}],
             "start_location": "cus-skalka", "max_work_min": 480},
            {"id": "fix-cus", "name": "Marek (handyman)", "provider": "cus",
             "skills": ["plumbing", "electrics"], "shifts": shifts_day,
             "start_location": "cus-majowka", "max_work_min": 480},
            {"id": "physio-pes", "name": "Kasia (PES physiotherapist)", "provider": "pes-rehab",
             "skills": ["physio"], "shifts": [{"start": "15:00", "end": "20:30"}],
             "start_location": "cus-skalka", "max_work_min": 330},
            {"id": "fix-pes", "name": "Tomasz (PES handyman)", "provider": "pes-fix",
             "skills": ["carpentry", "plumbing", "gas"],
             "shifts": [{"start": "08:00", "end": "10:00"}, {"start": "15:00", "end": "21:00"}],
             "start_location": "cus-majowka", "max_work_min": 420},
        ],
        "tasks": tasks,
        "trips": trips,
    }


def _trips(clients: list[dict]) -> list[dict]:
    """Local rides and out-of-town appointments with their returns (fixed, readable)."""
    c = [x["id"] for x in clients]
    return [
        {"id": "ride-kielce", "client": c[2], "dropoff": "hospital-kielce",
         "arrive_by": "09:30", "passengers": {"seated": 1, "escort": 1}, "priority": "high"},
        {"id": "ride-kielce-back", "client": c[2], "pickup": "hospital-kielce",
         "dropoff": locations_of(clients)[2], "return_of": "ride-kielce",
         "appointment_min": 90, "passengers": {"seated": 1, "escort": 1}, "priority": "high"},
        {"id": "ride-clinic-1", "client": c[5], "dropoff": "clinic-local",
         "pickup_window": {"start": "07:30", "end": "08:00"}},
        {"id": "ride-clinic-2", "client": c[9], "dropoff": "clinic-local",
         "arrive_by": "08:15", "passengers": {"seated": 0, "wheelchair": 1}},
        {"id": "ride-clinic-2-back", "client": c[9], "pickup": "clinic-local",
         "dropoff": locations_of(clients)[9], "return_of": "ride-clinic-2",
         "appointment_min": 45, "passengers": {"seated": 0, "wheelchair": 1}},
        {"id": "ride-day-centre", "client": c[14], "dropoff": "day-centre",
         "arrive_by": "09:00", "passengers": {"seated": 2}},
        {"id": "ride-pharmacy", "client": c[20], "dropoff": "pharmacy",
         "pickup_window": {"start": "13:00", "end": "14:00"}, "priority": "low"},
        {"id": "ride-skarzysko", "client": c[27], "dropoff": "clinic-skarzysko",
         "arrive_by": "12:00", "passengers": {"seated": 0, "wheelchair": 1, "escort": 1}},
        {"id": "ride-skarzysko-back", "client": c[27], "pickup": "clinic-skarzysko",
         "dropoff": locations_of(clients)[27], "return_of": "ride-skarzysko",
         "appointment_min": 60, "passengers": {"seated": 0, "wheelchair": 1, "escort": 1}},
    ]


def locations_of(clients: list[dict]) -> list[str]:
    return [x["location"] for x in clients]


def build_saturday() -> dict:
    """The same town on a Saturday: only PES contractors work, the bus has a PES driver."""
    weekday = _build()
    rng = random.Random(SEED + 6)
    clients = weekday["clients"]
    tasks = [_visit(rng, i + 1, clients[i]["id"]) for i in range(8)]
    tasks += [_job(rng, i + 1, clients[24 + i]["id"]) for i in range(4)]
    pes_skills = {s for w in weekday["workers"] if w["provider"] != "cus" for s in w["skills"]}
    # Electrical jobs wait for the CUS handyman on Monday: no Saturday worker has the skill,
    # and a scenario asking for a skill no worker has is refused.
    tasks = [t for t in tasks if set(t["skills"]) <= pes_skills]
    c = [x["id"] for x in clients]
    homes = locations_of(clients)
    trips = [
        {"id": "ride-ostrowiec", "client": c[4], "dropoff": "clinic-ostrowiec",
         "arrive_by": "10:00", "passengers": {"seated": 1}, "priority": "high"},
        {"id": "ride-ostrowiec-back", "client": c[4], "pickup": "clinic-ostrowiec",
         "dropoff": homes[4], "return_of": "ride-ostrowiec", "appointment_min": 60,
         "passengers": {"seated": 1}, "priority": "high"},
        {"id": "ride-day-centre-sat", "client": c[12], "dropoff": "day-centre",
         "arrive_by": "09:30", "passengers": {"seated": 0, "wheelchair": 1, "escort": 1}},
        {"id": "ride-day-centre-sat-back", "client": c[12], "pickup": "day-centre",
         "dropoff": homes[12], "return_of": "ride-day-centre-sat", "appointment_min": 180,
         "passengers": {"seated": 0, "wheelchair": 1, "escort": 1}},
        {"id": "ride-pharmacy-sat", "client": c[17], "dropoff": "pharmacy",
         "pickup_window": {"start": "11:00", "end": "12:00"}},
    ]
    pes = [w for w in weekday["workers"] if w["provider"] != "cus"]
    for w in pes:
        w["shifts"] = [{"start": "09:00", "end": "15:00"}]
    driver = {"id": "driver-pes", "name": "Jacek (PES bus driver)", "provider": "pes-transport",
              "skills": ["driving"], "vehicle": "bus", "shifts": [{"start": "08:00",
                                                                    "end": "16:00"}],
              "start_location": "cus-majowka", "max_work_min": 480}
    return _with_details({
        **weekday,
        "name": "Starachowice — demo Saturday (PES only)",
        "date": "2026-11-28",
        "providers": [*weekday["providers"],
                      {"id": "pes-transport", "name": "Spółdzielnia Socjalna Transport "
                       "(fictional)", "kind": "pes"}],
        "workers": [driver, *pes],
        "tasks": tasks,
        "trips": trips,
    })


if __name__ == "__main__":
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, scenario in (("starachowice_day.json", build()),
                           ("starachowice_saturday.json", build_saturday())):
        text = json.dumps(scenario, indent=2, ensure_ascii=False) + "\n"
        (OUT_DIR / name).write_text(text, encoding="utf-8")
