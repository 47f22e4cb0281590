"""Generate the Starachowice demo week (fixed seed) into data/scenarios/starachowice_week.json.

A week of the Starachowice CUS: 162 clients as in the CUS project (seniors on
the Łazy estate, families on the Wzgórze estate and the ul. Ostrowiecka
social-housing estate) and about 400 tasks: physiotherapy series of 2 or 3
sessions, single physiotherapy and care visits, daily medication check-ins, a
handyman backlog with release and due dates, and a few senior-bus trips.
Twelve workers: CUS physiotherapists, carers and a handyman on weekday day
shifts, PES physiotherapists, carers and a handyman in weekday evenings and at
the weekend, a CUS bus driver on weekdays and a PES driver on Saturday.

    python data/generate_week.py            (or: python -m data.generate_week)

`build_week(seed=..., days=..., start=...)` returns the scenario as a dict; a
shorter horizon keeps the workforce and scales the demand with the number of
days. All people are fictional; coordinates are approximate (good to a few
hundred metres). The same arguments always give the same scenario.

Longer than 400 lines because it is one generator that reads top to bottom: the week,
then its people, then each kind of task in the order a coordinator would list them.
"""

from __future__ import annotations

import importlib.util
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

SEED = 2021  # the year the Starachowice CUS opened
START = date(2026, 11, 23)  # a Monday
N_CLIENTS = 162  # residents served directly by the Starachowice CUS project
TIMEZONE = "Europe/Warsaw"
OUT = Path(__file__).resolve().parent / "scenarios" / "starachowice_week.json"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKDAYS = WEEKDAYS[:5]


def _demo_day() -> ModuleType:
    """data/generate_demo_day.py, a script beside this one: its sites, estates and names."""
    path = Path(__file__).resolve().with_name("generate_demo_day.py")
    spec = importlib.util.spec_from_file_location("_trasa_generate_demo_day", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_DEMO = _demo_day()
SITES: list[dict[str, Any]] = _DEMO.SITES
DESTINATIONS: list[dict[str, Any]] = _DEMO.DESTINATIONS
FIRST: list[str] = _DEMO.FIRST
LAST: list[str] = _DEMO.LAST
CENTRES = {name: (lat, lon, spread) for name, lat, lon, spread, _ in _DEMO.ESTATES}
# (estate, who lives there, share of the 162 clients)
ESTATES = [("Łazy", "senior", 0.45), ("Wzgórze", "family", 0.33),
           ("ul. Ostrowiecka", "family", 0.22)]

# Handyman work: (skill, what, safety repair?)
JOBS = [
    ("electrics", "sparking socket", True), ("electrics", "no light in the bathroom", True),
    ("plumbing", "leaking pipe under the sink", True), ("carpentry", "loose stair rail", True),
    ("plumbing", "dripping tap", False), ("plumbing", "blocked drain", False),
    ("electrics", "doorbell", False), ("carpentry", "door hinge", False),
    ("carpentry", "grab rail by the bath", False), ("carpentry", "kitchen cupboard", False),
    ("plumbing", "toilet cistern", False), ("electrics", "ceiling lamp", False),
]
# Durations of the week's 36 jobs (minutes), drawn in a shuffled order: mostly short repairs,
# one job of a whole working day.
JOB_MINUTES = [30] * 8 + [45] * 7 + [60] * 8 + [90] * 5 + [120] * 4 + [180] * 2 + [240, 360]


def win(start: str, end: str, day: str | date | None = None) -> dict[str, str]:
    out = {"start": start, "end": end}
    if day is not None:
        out["day"] = day if isinstance(day, str) else day.isoformat()
    return out


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _weekly(start: str, end: str, days: tuple[str, ...]) -> list[dict[str, str]]:
    return [win(start, end, d) for d in days]


def build_week(seed: int = SEED, days: int = 7, start: date = START) -> dict[str, Any]:
    """The scenario dict of a Starachowice week (`days` 1-7 from `start`)."""
    if not 1 <= days <= 7:
        raise ValueError(f"days={days} must be within 1..7")
    rng = random.Random(seed)
    dates = [start + timedelta(days=k) for k in range(days)]
    scale = days / 7
    locations, clients, kinds = _clients(rng)
    seniors = [c for c, k in zip(clients, kinds, strict=True) if k == "senior"]
    families = [c for c, k in zip(clients, kinds, strict=True) if k == "family"]
    rng.shuffle(seniors)
    rng.shuffle(families)
    # Who needs what this week (a client may need several services).
    checkin_clients = seniors[:9]
    physio_clients = seniors[9:40] + families[:13]
    care_clients = seniors[32:] + families[10:50]
    rng.shuffle(care_clients)
    job_clients = rng.sample(clients, len(clients))
    n_series, n_assessments = round(42 * scale), round(8 * scale)
    tasks: list[dict[str, Any]] = []
    for i, client in enumerate(physio_clients[:n_series]):
        tasks.append(_series(rng, i + 1, client, kinds_of(client, seniors), dates))
    for i, client in enumerate(physio_clients[len(physio_clients) - n_assessments:]):
        tasks.append(_physio_visit(rng, i + 1, client, kinds_of(client, seniors), dates))
    care_budget = round(140 * scale)
    care: list[dict[str, Any]] = []
    for client in care_clients:
        care += _care_visits(rng, len(care) + 1, client, kinds_of(client, seniors), dates)
        if len(care) >= care_budget:
            break
    tasks += care[:care_budget]
    for client in checkin_clients:
        tasks += _checkins(client, dates)
    minutes = rng.sample(JOB_MINUTES, len(JOB_MINUTES))
    for i in range(round(len(JOB_MINUTES) * scale)):
        tasks.append(_job(rng, i + 1, job_clients[i], minutes[i], dates))
    return {
        "name": f"Starachowice — demo week from {start.isoformat()} ({days} day(s))",
        "note": ("Demo data: all people are fictional, coordinates approximate; generated by "
                 f"data/generate_week.py (seed {seed}). Map data © OpenStreetMap contributors "
                 "(ODbL) when a real network is used."),
        "date": start.isoformat(),
        "days": days,
        "timezone": TIMEZONE,
        "goals": {"pes_share_target": 0.35},
        "network": {"source": "Starachowice, Poland", "fallback_grid": True},
        "rules": {"rest_min": 660, "break_after_min": 360, "break_min": 15},
        "locations": SITES + DESTINATIONS + locations,
        "providers": [
            {"id": "cus", "name": "CUS Starachowice", "kind": "cus"},
            {"id": "pes-rehab", "name": "Spółdzielnia Socjalna Rehabilitacja (fictional)",
             "kind": "pes"},
            {"id": "pes-care", "name": "Spółdzielnia Socjalna Opieka (fictional)",
             "kind": "pes"},
            {"id": "pes-fix", "name": "Spółdzielnia Socjalna Naprawa (fictional)", "kind": "pes"},
            {"id": "pes-transport", "name": "Spółdzielnia Socjalna Transport (fictional)",
             "kind": "pes"},
        ],
        "clients": clients,
        "vehicles": [{"id": "bus", "name": "Senior bus", "seats": 8, "wheelchair_places": 2}],
        "workers": _workers(start),
        "tasks": tasks,
        "trips": _trips(clients, seniors, dates),
    }


def build_towns(seed: int = SEED, days: int = 7, start: date = START, scale: int = 1
                ) -> dict[str, Any]:
    """`scale` towns' worth of clients, workers, buses and demand in one scenario.

    Town 1 is `build_week(seed)`; town k > 1 is the week of seed `seed * 1000 + k` with
    every id of its own (homes, clients, workers, the bus, tasks, trips) prefixed `t{k}-`;
    the CUS sites, the clinics and the providers are shared. The same town, `scale` times
    as dense: what a larger town or several CUS planned together would give."""
    if scale < 1:
        raise ValueError(f"scale={scale} must be >= 1")
    out = build_week(seed, days, start)
    if scale == 1:
        return out
    shared = {loc["id"] for loc in SITES + DESTINATIONS}
    for k in range(2, scale + 1):
        town = build_week(seed * 1000 + k, days, start)

        def own(ref: str, k: int = k) -> str:
            return ref if ref in shared else f"t{k}-{ref}"

        out["locations"] += [{**loc, "id": own(loc["id"])} for loc in town["locations"]
                             if loc["id"] not in shared]
        out["clients"] += [{**c, "id": own(c["id"]), "location": own(c["location"])}
                           for c in town["clients"]]
        out["vehicles"] += [{**v, "id": own(v["id"])} for v in town["vehicles"]]
        out["workers"] += [{**w, "id": own(w["id"]), **({"vehicle": own(w["vehicle"])}
                                                        if "vehicle" in w else {})}
                           for w in town["workers"]]
        out["tasks"] += [{**t, "id": own(t["id"]), "client": own(t["client"])}
                         for t in town["tasks"]]
        out["trips"] += [{**t, **{key: own(t[key]) for key in
                                  ("id", "client", "pickup", "dropoff", "return_of") if key in t}}
                         for t in town["trips"]]
    out["name"] += f", {scale} towns' worth"
    return out


def kinds_of(client: dict[str, Any], seniors: list[dict[str, Any]]) -> str:
    return "senior" if client in seniors else "family"


def _clients(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    locations, clients, kinds = [], [], []
    for i in range(N_CLIENTS):
        estate, kind, _ = rng.choices(ESTATES, weights=[e[2] for e in ESTATES])[0]
        lat, lon, spread = CENTRES[estate]
        loc_id = f"home-{i + 1:03d}"
        locations.append({"id": loc_id, "name": f"home of client {i + 1} ({estate})",
                          "lat": round(lat + rng.uniform(-spread, spread), 5),
                          "lon": round(lon + rng.uniform(-spread, spread) * 1.5, 5)})
        clients.append({"id": f"client-{i + 1:03d}",
                        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} (fictional)",
                        "location": loc_id})
        kinds.append(kind)
    return locations, clients, kinds


def _workers(start: date) -> list[dict[str, Any]]:
    """CUS by day on weekdays; PES in weekday evenings and at the weekend (one a line)."""
    leave = start + timedelta(days=2)  # Wednesday and Thursday of the week

    def cus(worker_id: str, name: str, skills: list[str], begin: str, end: str,
            base: str, **extra: Any) -> dict[str, Any]:
        return {"id": worker_id, "name": name, "provider": "cus", "skills": skills,
                "shifts": _weekly(begin, end, WORKDAYS), "start_location": base,
                "max_work_min": 480, "max_week_min": 2400, **extra}

    def pes(worker_id: str, name: str, provider: str, skills: list[str],
            evening: tuple[str, str], weekend: list[dict[str, str]], week_min: int,
            base: str) -> dict[str, Any]:
        return {"id": worker_id, "name": name, "provider": provider, "skills": skills,
                "shifts": _weekly(*evening, WORKDAYS) + weekend, "start_location": base,
                "max_work_min": 480, "max_week_min": week_min}

    return [
        cus("physio-cus-ewa", "Ewa (physiotherapist)", ["physio"], "07:30", "15:30",
            "cus-skalka", absences=[{"start": leave.isoformat(),
                                     "end": (leave + timedelta(days=1)).isoformat(),
                                     "why": "annual leave"}]),
        cus("physio-cus-piotr", "Piotr (physiotherapist)", ["physio"], "08:00", "16:00",
            "cus-skalka"),
        cus("care-cus-grazyna", "Grażyna (carer)", ["care"], "07:30", "15:30", "cus-majowka"),
        cus("care-cus-weronika", "Weronika (carer)", ["care"], "08:00", "16:00", "cus-majowka"),
        cus("fix-cus-marek", "Marek (handyman)", ["plumbing", "electrics", "carpentry"],
            "07:00", "15:00", "cus-majowka"),
        cus("driver-cus-andrzej", "Andrzej (bus driver)", ["driving"], "07:00", "15:00",
            "cus-majowka", vehicle="bus"),
        pes("physio-pes-kasia", "Kasia (PES physiotherapist)", "pes-rehab", ["physio", "care"],
            ("15:30", "21:00"), [win("08:00", "16:00", "sat")], 2100, "cus-skalka"),
        pes("physio-pes-tomasz", "Tomasz (PES physiotherapist)", "pes-rehab", ["physio", "care"],
            ("15:30", "21:00"), [win("09:00", "15:00", "sun")], 2100, "cus-skalka"),
        pes("care-pes-joanna", "Joanna (PES carer)", "pes-care", ["care"],
            ("15:00", "21:00"), [win("08:00", "16:00", "sat")], 2280, "cus-majowka"),
        pes("care-pes-beata", "Beata (PES carer)", "pes-care", ["care"],
            ("15:00", "21:00"), [win("08:00", "16:00", "sun")], 2280, "cus-majowka"),
        pes("fix-pes-zbigniew", "Zbigniew (PES handyman)", "pes-fix", ["plumbing", "carpentry"],
            ("15:00", "20:00"), [win("08:00", "15:00", "sat")], 1920, "cus-majowka"),
        {"id": "driver-pes-jacek", "name": "Jacek (PES bus driver)", "provider": "pes-transport",
         "skills": ["driving"], "vehicle": "bus", "shifts": [win("08:00", "16:00", "sat")],
         "start_location": "cus-majowka", "max_work_min": 480},
    ]


def _series_windows(rng: random.Random, kind: str, dates: list[date]) -> list[dict[str, str]]:
    """A client's own windows for therapy: by weekday, or every day of the horizon."""
    r = rng.random()
    if kind == "senior":
        if r < 0.35:  # at home every morning
            begin = rng.choice([8 * 60, 8 * 60 + 30, 9 * 60, 10 * 60])
            return [win(_hhmm(begin), _hhmm(begin + rng.choice([240, 300])), "daily")]
        if r < 0.55:  # some weekdays in the morning, Saturday late morning
            present = [WEEKDAYS[d.weekday()] for d in dates]
            workdays = [d for d in WORKDAYS if d in present]
            picked = sorted(rng.sample(workdays, min(len(workdays), rng.choice([3, 4]))),
                            key=WEEKDAYS.index)
            out = _weekly("08:00", "13:00", tuple(picked))
            return out + ([win("09:00", "14:00", "sat")] if "sat" in present else [])
        begin = rng.choice([10 * 60, 11 * 60, 13 * 60])  # into the afternoon: CUS, then PES
        return [win(_hhmm(begin), _hhmm(begin + 420), "daily")]
    if r < 0.6:  # after work and school
        return [win("16:00", "20:00", "daily")]
    return [win("16:00", "20:30", d) for d in WORKDAYS] + [win("09:00", "15:00", "sat"),
                                                           win("10:00", "14:00", "sun")]


def _window_days(windows: list[dict[str, str]], dates: list[date]) -> int:
    days = {d for w in windows for d in dates
            if w.get("day") in ("daily", WEEKDAYS[d.weekday()], d.isoformat())}
    return len(days)


def _series(rng: random.Random, i: int, client: dict[str, Any], kind: str,
            dates: list[date]) -> dict[str, Any]:
    windows = _series_windows(rng, kind, dates)
    if not _window_days(windows, dates):  # a short horizon without those weekdays
        windows = [win("09:00", "13:00", "daily")]
    sessions = min(rng.choices([2, 3], weights=[55, 45])[0], len(dates),
                   _window_days(windows, dates))
    continuity = rng.choices(["soft", "required", "none"], weights=[84, 10, 6])[0]
    if continuity == "required":  # a therapist who comes every day can keep it
        windows = [win("09:00", "13:00", "daily")] if kind == "senior" else [
            win("16:00", "20:00", "daily")]
    return {"id": f"series-{i:03d}", "kind": "visit", "client": client["id"],
            "duration_min": rng.choices([45, 60], weights=[8, 2])[0],
            "windows": windows, "skills": ["physio"],
            "priority": rng.choices(["normal", "high"], weights=[7, 3])[0],
            "series": {"sessions": sessions, "min_gap_days": 1, "continuity": continuity}}


def _physio_visit(rng: random.Random, i: int, client: dict[str, Any], kind: str,
                  dates: list[date]) -> dict[str, Any]:
    """A first assessment on one day (morning for seniors, evening for families)."""
    day = rng.choice(dates)
    weekend = day.weekday() >= 5
    windows = ([win("09:00", "14:00", day)] if kind == "senior" or weekend
               else [win("16:00", "20:00", day)])
    return {"id": f"assessment-{i:03d}", "kind": "visit", "client": client["id"],
            "duration_min": 60, "windows": windows, "skills": ["physio"],
            "priority": "normal"}


def _care_visits(rng: random.Random, first: int, client: dict[str, Any], kind: str,
                 dates: list[date]) -> list[dict[str, Any]]:
    """One to four care or respite visits on different days of the horizon."""
    weights = [0.35 if d.weekday() >= 5 else 1.0 for d in dates]  # fewer at the weekend
    wanted = min(len(dates), rng.choice([1, 2, 2, 3, 4]))
    picked: set[date] = set()
    while len(picked) < wanted:
        picked.add(rng.choices(dates, weights=weights)[0])
    out = []
    for k, day in enumerate(sorted(picked)):
        weekend = day.weekday() >= 5
        r = rng.random()
        if weekend:
            windows = [win("09:00", "15:00", day)]
        elif kind == "senior" and r < 0.5:
            begin = rng.choice([8 * 60, 9 * 60, 10 * 60, 11 * 60])
            windows = [win(_hhmm(begin), _hhmm(begin + 240), day)]
        elif kind == "senior" and r < 0.8:  # at home all day
            windows = [win("10:00", "19:00", day)]
        elif r < 0.85:  # the family is at work: an evening visit
            windows = [win("16:00", "20:00", day)]
        else:  # either a morning or an evening visit suits them
            windows = [win("09:00", "11:30", day), win("16:00", "19:00", day)]
        out.append({"id": f"care-{first + k:03d}", "kind": "visit", "client": client["id"],
                    "duration_min": rng.choices([30, 45, 60], weights=[7, 2, 1])[0],
                    "windows": windows, "skills": ["care"],
                    "priority": rng.choices(["low", "normal", "high"], weights=[2, 6, 2])[0]})
    return out


def _checkins(client: dict[str, Any], dates: list[date]) -> list[dict[str, Any]]:
    """A short morning visit every day (medication): one task per date."""
    return [{"id": f"checkin-{client['id']}-{d.isoformat()}", "kind": "visit",
             "client": client["id"], "duration_min": 20, "windows": [win("08:00", "12:00", d)],
             "skills": ["care"], "priority": "high"} for d in dates]


def _job(rng: random.Random, i: int, client: dict[str, Any], minutes: int,
         dates: list[date]) -> dict[str, Any]:
    """Backlog: released on a day (some last week), due a few days later; safety first."""
    skill, what, safety = rng.choice(JOBS)
    early = dates[:-2] if len(dates) > 2 else dates  # reported during the week, not at its end
    if safety:
        priority = rng.choice(["high", "urgent"])
        release = rng.choice(early)
        due = release + timedelta(days=1 if priority == "urgent" else 2)
    else:
        priority = rng.choices(["low", "normal"], weights=[1, 2])[0]
        release = rng.choice(early) - timedelta(days=rng.choice([0, 0, 3, 7]))
        due = max(release, dates[0]) + timedelta(days=rng.choice([2, 3, 4, 6]))
    windows = ([win("08:00", "18:00", "daily")] if rng.random() < 0.7
               else _weekly("08:00", "15:00", WORKDAYS) + [win("09:00", "15:00", "sat")])
    if not any(release <= d <= due and _window_days(windows, [d]) for d in dates):
        windows = [win("08:00", "18:00", "daily")]
    slug = what.replace(" ", "-")
    return {"id": f"job-{i:03d}-{slug}", "kind": "job", "client": client["id"],
            "duration_min": minutes, "windows": windows, "skills": [skill],
            "priority": priority, "release_date": release.isoformat(),
            "due_date": due.isoformat()}


def _iso(day: date, hhmm: str) -> str:
    """ISO 8601 with the Warsaw offset of that day (trip times name their date)."""
    hours, minutes = (int(x) for x in hhmm.split(":"))
    moment = datetime(day.year, day.month, day.day, hours, minutes, tzinfo=ZoneInfo(TIMEZONE))
    return moment.isoformat()


def _trips(clients: list[dict[str, Any]], seniors: list[dict[str, Any]], dates: list[date]
           ) -> list[dict[str, Any]]:
    """Senior-bus rides: the CUS driver on weekdays, the PES driver on Saturday."""
    home = {c["id"]: c["location"] for c in clients}
    riders = [c["id"] for c in seniors[-12:]]
    # (weekday index, rider, destination, arrive_by, appointment_min or None, passengers)
    plan: list[tuple[int, int, str, str, int | None, dict[str, int]]] = [
        (0, 0, "day-centre", "09:00", None, {"seated": 0, "wheelchair": 1, "escort": 1}),
        (0, 1, "day-centre", "09:00", None, {"seated": 2}),
        (1, 2, "hospital-kielce", "09:30", 90, {"seated": 1, "escort": 1}),
        (2, 3, "clinic-skarzysko", "11:00", 60, {"seated": 0, "wheelchair": 1, "escort": 1}),
        (3, 4, "clinic-ostrowiec", "10:00", 60, {"seated": 1}),
        (4, 5, "clinic-local", "08:30", 45, {"seated": 1}),
        (4, 6, "pharmacy", "12:00", None, {"seated": 1}),
        (5, 7, "day-centre", "10:00", 180, {"seated": 0, "wheelchair": 1, "escort": 1}),
        (5, 8, "clinic-radom", "11:00", 60, {"seated": 1, "escort": 1}),
    ]
    by_weekday = {d.weekday(): d for d in dates}
    out: list[dict[str, Any]] = []
    for weekday, k, where, arrive, appointment, people in plan:
        day = by_weekday.get(weekday)
        if day is None:
            continue
        client, trip_id = riders[k], f"ride-{day.isoformat()}-{where}-{k}"
        out.append({"id": trip_id, "client": client, "dropoff": where,
                    "pickup_window": {"start": _iso(day, "06:30"), "end": _iso(day, arrive)},
                    "arrive_by": _iso(day, arrive), "passengers": people,
                    "priority": "high" if appointment else "normal"})
        if appointment is not None:
            out.append({"id": f"{trip_id}-back", "client": client, "pickup": where,
                        "dropoff": home[client], "return_of": trip_id,
                        "appointment_min": appointment, "passengers": people,
                        "pickup_window": {"start": _iso(day, arrive), "end": _iso(day, "15:30")},
                        "priority": "high"})
    return out


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(build_week(), indent=2, ensure_ascii=False) + "\n",
                   encoding="utf-8")
