"""The live day's judgement on hand-built routes: each alert kind raised when it should
be and not before, the route's lateness carried to a bus's arrive-by, and the ready
re-plan events."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from api.services.live_alerts import AlertKind, LiveRoute, LiveStop, judge
from optimiser.actuals import Actual, Outcome

WAW = ZoneInfo("Europe/Warsaw")


def at(hhmm: str) -> datetime:
    h, m = hhmm.split(":")
    return datetime(2027, 6, 2, int(h), int(m), tzinfo=WAW)


def visit(task: str, start: str, end: str, arrival: str | None = None) -> LiveStop:
    return LiveStop(task, "visit", "serve", "c-" + task, at(arrival or start), at(start),
                    at(end))


def anna() -> LiveRoute:
    return LiveRoute("w-anna", "Anna Żółtowska", (
        visit("v1", "09:00", "09:45"), visit("v2", "10:00", "10:45"),
        visit("v3", "11:00", "11:45")))


def bus(wait_before_dropoff: int = 0) -> LiveRoute:
    """Pick up r1 at 08:00, drop off at 09:00 (arrive by 09:10), then pick up r2 at 09:30
    and drop off at 10:00 (arrive by 10:05); `wait_before_dropoff` minutes of planned
    waiting before the second drop-off."""
    arrive = at("10:00") - timedelta(minutes=wait_before_dropoff)
    return LiveRoute("w-jan", "Jan Kierowca", (
        LiveStop("r1", "trip", "pickup", "c-r1", at("08:00"), at("08:00"), at("08:02")),
        LiveStop("r1", "trip", "dropoff", "c-r1", at("09:00"), at("09:00"), at("09:02"),
                 at("09:10")),
        LiveStop("r2", "trip", "pickup", "c-r2", at("09:30"), at("09:30"), at("09:32")),
        LiveStop("r2", "trip", "dropoff", "c-r2", arrive, at("10:00"), at("10:02"),
                 at("10:05"))), vehicle="bus-1")


def kinds(state: object) -> list[tuple[str, str, int]]:
    return [(a.kind.value, a.task_id, a.minutes) for a in state.alerts]  # type: ignore[attr-defined]


def test_a_stop_within_the_slack_raises_nothing_and_beyond_it_is_late() -> None:
    done = {"v1": Actual("v1", Outcome.DONE, at("09:00"), at("09:45"))}
    (quiet,) = judge([anna()], done, {}, at("10:15"), 15)
    assert quiet.alerts == []
    (late,) = judge([anna()], done, {}, at("10:16"), 15)
    assert kinds(late) == [("late", "v2", 16)]
    alert = late.alerts[0]
    assert (alert.worker, alert.number, alert.action) == ("w-anna", 2, "serve")
    assert alert.replan == {"now": "2027-06-02T10:16:00+02:00", "events": [
        {"kind": "started", "task": "v1", "action": "serve", "at": "2027-06-02T09:00:00+02:00"},
        {"kind": "finished", "task": "v1", "action": "serve", "at": "2027-06-02T09:45:00+02:00"},
        {"kind": "late", "task": "v2", "action": "serve", "minutes": 16}]}
    assert late.lateness_min == 16 and late.finished == 1


def test_the_slack_is_the_setting() -> None:
    (state,) = judge([anna()], {}, {}, at("09:06"), 5)
    assert kinds(state) == [("late", "v1", 6)]


def test_a_stop_whose_planned_end_passed_with_no_press_is_missed_not_late() -> None:
    (state,) = judge([anna()], {}, {}, at("10:20"), 15)
    assert kinds(state) == [("missed", "v1", 35), ("late", "v2", 20)]
    assert state.alerts[0].replan["events"][0]["minutes"] == 80  # type: ignore[index]


def test_an_arrived_stop_is_neither_late_nor_missed() -> None:
    started = {"v1": Actual("v1", Outcome.STARTED, at("09:40"))}
    (state,) = judge([anna()], started, {}, at("09:59"), 15)
    assert kinds(state) == []
    assert [s.state for s in state.stops] == ["under_way", "pending", "pending"]
    assert state.stops[0].late_min == 40 and state.lateness_min == 40


def test_a_client_absent_carries_a_no_show_at_the_press() -> None:
    absent = {"v1": Actual("v1", Outcome.ABSENT, at("09:05"))}
    (state,) = judge([anna()], absent, {"v1": at("09:12")}, at("09:30"), 15)
    assert kinds(state) == [("absent", "v1", 5)]
    assert state.alerts[0].replan == {"now": "2027-06-02T09:30:00+02:00", "events": [
        {"kind": "no_show", "task": "v1", "action": "serve",
         "at": "2027-06-02T09:12:00+02:00"}]}
    assert state.finished == 1


def test_a_stop_not_done_is_an_alert_without_a_ready_event() -> None:
    failed = {"v2": Actual("v2", Outcome.NOT_DONE, at("10:02"), reason="brak wody"),
              "v1": Actual("v1", Outcome.DONE, at("09:00"), at("09:45"))}
    (state,) = judge([anna()], failed, {}, at("10:10"), 15)
    assert kinds(state) == [("not_done", "v2", 2)]
    assert state.alerts[0].replan is None


def test_a_late_bus_will_miss_an_arrive_by() -> None:
    """Picked up r1 twenty minutes late: its 09:10 arrive-by is missed by 12 minutes
    (09:02 + 20 = 09:22), and r2's 10:05 by 17."""
    late = {"r1": Actual("r1", Outcome.STARTED, at("08:20"))}
    (state,) = judge([bus()], late, {}, at("08:25"), 15)
    assert kinds(state) == [("arrive_by", "r1", 12), ("arrive_by", "r2", 17)]
    assert state.alerts[0].replan == {"now": "2027-06-02T08:25:00+02:00", "events": [
        {"kind": "late", "task": "r1", "action": "dropoff", "minutes": 20}]}  # r1's own


def test_a_re_plan_reports_what_the_phones_confirmed_before_now() -> None:
    """r1 picked up at 08:20 and dropped off at 09:25, r2 picked up at 09:40: r2's
    arrive-by alert reports r1's ride, then r2's own delay (not a report of r2)."""
    pressed = {"r1": Actual("r1", Outcome.DONE, at("08:20"), at("09:25")),
               "r2": Actual("r2", Outcome.STARTED, at("09:40"))}
    (state,) = judge([bus()], pressed, {}, at("09:45"), 15)
    (alert,) = [a for a in state.alerts if a.kind is AlertKind.ARRIVE_BY]
    assert alert.replan is not None
    assert alert.replan["events"][:2] == [
        {"kind": "started", "task": "r1", "action": "pickup", "at": "2027-06-02T08:20:00+02:00"},
        {"kind": "finished", "task": "r1", "action": "dropoff",
         "at": "2027-06-02T09:25:00+02:00"}]
    assert alert.replan["events"][2:] == [
        {"kind": "late", "task": "r2", "action": "dropoff", "minutes": 10}]
    (later,) = judge([bus()], pressed, {}, at("09:22"), 15)  # r1's drop-off not yet pressed
    assert all(e["kind"] != "finished" for a in later.alerts for e in (a.replan or {}).get(
        "events", []))


def test_planned_waiting_absorbs_the_lateness() -> None:
    late = {"r1": Actual("r1", Outcome.STARTED, at("08:20"))}
    (state,) = judge([bus(wait_before_dropoff=20)], late, {}, at("08:25"), 15)
    assert kinds(state) == [("arrive_by", "r1", 12)]  # r2's drop-off is now on time


def test_a_bus_on_time_raises_nothing() -> None:
    on_time = {"r1": Actual("r1", Outcome.STARTED, at("08:01"))}
    (state,) = judge([bus()], on_time, {}, at("08:10"), 15)
    assert kinds(state) == []


def test_a_bus_not_yet_at_its_pickup_is_late_from_now() -> None:
    """Nobody pressed at the 08:00 pickup; at 08:30 the bus is at least 30 minutes late."""
    (state,) = judge([bus()], {}, {}, at("08:30"), 15)
    assert kinds(state) == [("missed", "r1", 28), ("arrive_by", "r1", 22),
                            ("arrive_by", "r2", 27)]
    assert state.lateness_min == 30


def test_an_absent_rider_is_one_alert_and_her_drop_off_is_not_late() -> None:
    absent = {"r1": Actual("r1", Outcome.ABSENT)}
    (state,) = judge([bus()], absent, {"r1": at("08:03")}, at("09:20"), 15)
    assert kinds(state) == [("absent", "r1", 0)]
    assert [s.state for s in state.stops][:2] == ["absent", "absent"]
