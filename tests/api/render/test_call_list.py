"""The call list's rows and words, from a solved tiny problem: a promise is told as it
was made, a planned time as a window on the quarter hour; a driver by first name; the
message under 300 characters even for a long day; marks against the last list issued
(new, changed time or worker, cancelled)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from api.render.call_list import MESSAGE_MAX, call_rows, mark, message
from optimiser.model import Client, TimeWindow
from optimiser.params import SolveParams
from optimiser.people import Contact
from optimiser.solve import solve
from tests.optimiser.tiny import H, bus, problem, task, trip, worker


def _day() -> tuple:
    anna = dataclasses.replace(worker("w-anna", skills=("physio",)), name="Anna Nowak")
    jan = dataclasses.replace(worker("w-jan", skills=("driving",), vehicle="bus"),
                              name="Jan Kowalski")
    physio = ("physio",)
    visit = dataclasses.replace(task("v1", 1, windows=((9 * H, 12 * H),), skills=physio),
                                client_id="c1", promise=TimeWindow(10 * H, 11 * H))
    plain = dataclasses.replace(task("v2", 2, windows=((13 * H, 15 * H),), skills=physio),
                                client_id="c2")
    ride = dataclasses.replace(trip("r1", 3, 4, pickup_windows=((8 * H, 9 * H),)),
                               client_id="c3")
    clients = tuple(Client(c, f"Klient {c}", "p1", Contact(phone="+48 600 000 00" + c[-1]))
                    for c in ("c1", "c2", "c3"))
    p = problem([anna, jan], [visit, plain, ride], vehicles=(bus(),), clients=clients)
    return p, solve(p, params=SolveParams(time_limit_s=5, max_solutions=50))


def test_rows_tell_the_promise_the_planned_window_and_first_names() -> None:
    p, plan = _day()
    day = p.calendar.first_date
    rows = {r.client_id: r for r in call_rows(p, plan, {}, day, today=day - timedelta(1),
                                              window_min=60)}
    assert set(rows) == {"c1", "c2", "c3"}
    (promised,) = rows["c1"].items
    assert (promised.window, promised.promised, promised.who) == ("10:00–11:00", True, "Anna")
    (planned,) = rows["c2"].items
    stop = next(s for r in plan.routes for s in r.stops if s.task_id == "v2")
    start = p.calendar.hhmm(stop.start_s)
    assert not planned.promised and planned.start <= start < planned.end
    assert planned.start[3:] in ("00", "15", "30", "45")
    (ride,) = rows["c3"].items
    assert ride.who == "Jan" and ride.what == "przejazd do: p4"
    assert "przyjedzie po Panią/Pana bus (kierowca Jan)" in rows["c3"].message
    assert rows["c1"].message.startswith("Dzień dobry, jutro (")
    assert "między 10:00 a 11:00 przyjdzie do Pani/Pana Anna (fizjoterapia)." in \
        rows["c1"].message


def test_a_promise_in_the_plan_document_is_read_and_a_bad_one_ignored() -> None:
    p, plan = _day()
    day = p.calendar.first_date
    document = {"routes": [{"stops": [
        {"task": "v2", "promise": {"start": p.calendar.iso(13 * H + 1800),
                                   "end": p.calendar.iso(14 * H + 1800)}},
        {"task": "r1", "promise": {"start": "not a time"}}]}]}
    rows = {r.client_id: r for r in call_rows(p, plan, document, day, today=day,
                                              window_min=60)}
    assert rows["c2"].items[0].promised and rows["c2"].items[0].start == "13:30"
    assert not rows["c3"].items[0].promised
    assert rows["c2"].message.startswith("Dzień dobry, dziś (")


def test_a_long_day_is_cut_under_300_characters() -> None:
    p, plan = _day()
    day = p.calendar.first_date
    (row,) = [r for r in call_rows(p, plan, {}, day, today=day, window_min=60)
              if r.client_id == "c3"]
    text = message([row.items[0]] * 6, day, day)
    assert len(text) <= MESSAGE_MAX < 300 and text.endswith("…")
    assert "6 wizyt" in text


def test_rows_are_marked_against_the_last_list_issued() -> None:
    p, plan = _day()
    day = p.calendar.first_date
    rows = call_rows(p, plan, {}, day, today=day, window_min=60)
    assert mark(rows, None, day, day, lambda c: ("", "")) == rows  # nothing issued yet
    issued = {r.client_id: r.issued() for r in rows}
    assert all(r.mark == "" for r in mark(rows, issued, day, day, lambda c: ("", "")))
    c1 = issued.pop("c1")
    issued["c2"] = {**issued["c2"], "fingerprint": "x", "tasks": {"v2": {
        **issued["c2"]["tasks"]["v2"], "window": "06:00–07:00", "worker": "w-jan"}}}
    issued["gone"] = c1
    marked = {r.client_id: r for r in mark(rows, issued, day, day,
                                           lambda c: (f"Klient {c}", "+48 1"))}
    assert marked["c1"].mark == "new"
    assert (marked["c2"].mark, marked["c2"].changes) == ("changed", ("time", "worker"))
    assert marked["c3"].mark == ""
    gone = marked["gone"]
    assert (gone.mark, gone.client, gone.phone, gone.items) == ("cancelled", "Klient gone",
                                                                 "+48 1", ())
    assert "odwołane" in gone.message
