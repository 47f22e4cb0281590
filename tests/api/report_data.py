"""Plan documents of two weeks of November 2026 (evenings, a holiday, a Saturday night, a bus
with two trips on board, a visit past midnight) and the day the clocks go back, for the
monthly report tests."""

from __future__ import annotations

from typing import Any


def stop(task: str, service: str, start: str, end: str, *, client: str | None,
         action: str = "serve") -> dict[str, Any]:
    kind = {"transport": "trip", "handyman": "job"}.get(service, "visit")
    return {"task": task, "kind": kind, "action": action, "service": service, "client": client,
            "location": "home", "lat": 51.0, "lon": 21.0, "arrival": start, "start": start,
            "end": end}


def route(provider: str, kind: str, start: str, end: str, distance_m: int,
          stops: list[dict[str, Any]]) -> dict[str, Any]:
    return {"worker": f"{provider}-w", "worker_name": "W", "provider": provider,
            "provider_kind": kind, "shift": 0, "start": start, "end": end, "travel_s": 0,
            "distance_m": distance_m, "service_s": 0, "work_s": 0, "stops": stops,
            "breaks": []}


def plan(first_day: str, days: int, routes: list[dict[str, Any]],
         reasons: tuple[str, ...] = (), kpis: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"format": "trasa-plan/1", "date": first_day, "days": days,
            "timezone": "Europe/Warsaw", "scenario": "test", "routes": routes,
            "kpis": kpis or {},
            "unassigned": [{"task": f"u{i}", "priority": "normal", "mandatory": False,
                            "reason": r, "explanation": "", "detail": ""}
                           for i, r in enumerate(reasons)]}


def cet(day: int, clock: str, month: int = 11) -> str:
    """A local time in November (CET, +01:00) or another month's day at +01:00."""
    return f"2026-{month:02d}-{day:02d}T{clock}:00+01:00"


# Week of 9-15 November: evening, holiday, Saturday night, a bus with two trips on board
# together, a Sunday visit running past midnight into Monday.
WEEK_46 = plan("2026-11-09", 7, [
    route("cus", "cus", cet(10, "16:30"), cet(10, "19:50"), 12_000, [
        stop("physio-1", "physiotherapy", cet(10, "17:00"), cet(10, "19:00"), client="c1"),
        stop("care-1", "care", cet(10, "19:10"), cet(10, "19:40"), client="c2")]),
    route("pes-opieka", "pes", cet(11, "09:30"), cet(11, "12:30"), 8_000, [
        stop("care-2", "care", cet(11, "10:00"), cet(11, "12:00"), client="c3")]),
    route("pes-opieka", "pes", cet(14, "20:30"), cet(14, "23:30"), 5_000, [
        stop("fix-1", "handyman", cet(14, "21:00"), cet(14, "23:00"), client="c4")]),
    route("cus", "cus", cet(12, "07:30"), cet(12, "10:30"), 30_000, [
        stop("trip-a", "transport", cet(12, "08:00"), cet(12, "08:05"), client="c5",
             action="pickup"),
        stop("trip-b", "transport", cet(12, "08:20"), cet(12, "08:25"), client="c1",
             action="pickup"),
        stop("trip-a", "transport", cet(12, "09:00"), cet(12, "09:05"), client="c5",
             action="dropoff"),
        stop("trip-b", "transport", cet(12, "09:30"), cet(12, "09:32"), client="c1",
             action="dropoff")]),
    route("pes-opieka", "pes", cet(15, "22:45"), cet(16, "00:45"), 3_000, [
        stop("care-3", "care", cet(15, "23:00"), cet(16, "00:30"), client="c6")]),
], reasons=("capacity_exhausted", "no_skilled_worker", "capacity_exhausted"),
   kpis={"pes_share_target": 0.35})


# Week of 26 October - 1 November: one route in October (not in November's report), one on
# 1 November; its unassigned task belongs to October (the plan's first day).
WEEK_44 = plan("2026-10-26", 7, [
    route("cus", "cus", cet(30, "09:45", 10), cet(30, "11:15", 10), 7_000, [
        stop("physio-9", "physiotherapy", cet(30, "10:00", 10), cet(30, "11:00", 10),
             client="c9")]),
    route("pes-opieka", "pes", cet(1, "09:45"), cet(1, "11:15"), 4_000, [
        stop("care-4", "care", cet(1, "10:00"), cet(1, "11:00"), client="c2")]),
], reasons=("no_availability",))


# 25 October, the clocks go back at 03:00 CEST: a night trip 01:40 CEST -> 03:00 CET.
DST_DAY = plan("2026-10-25", 1, [
    route("pes-bus", "pes", "2026-10-25T01:20:00+02:00", "2026-10-25T03:20:00+01:00", 20_000, [
        stop("night-trip", "transport", "2026-10-25T01:40:00+02:00",
             "2026-10-25T01:45:00+02:00", client="c7", action="pickup"),
        stop("night-trip", "transport", "2026-10-25T02:50:00+01:00",
             "2026-10-25T03:00:00+01:00", client="c7", action="dropoff")]),
])


NOVEMBER = [("week-46.json", WEEK_46), ("week-44.json", WEEK_44)]
