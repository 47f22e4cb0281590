"""Why a task was left out, as people read it: the reason, the priority and the planner's
detail in the reader's language, from the message catalog (and a sweep's warnings).

The planner (`optimiser/reasons.py`, `optimiser/solve.py`, `optimiser/replan.py`) writes
its details in English for integrations, from a few fixed templates; `detail_text`
recognises each template and rebuilds it from the catalog, ids, names and times kept as
they are, the nested parts (the room a removal would make, the tasks named) translated
in turn. A detail no template matches is shown as it came.
"""

from __future__ import annotations

import re
from functools import reduce

from api.render.words import N_, gettext, ngettext
from optimiser.model import Reason

REASONS = {
    Reason.NO_SKILLED_WORKER: N_("nobody has the required qualifications"),
    Reason.CLIENT_RULES: N_("the client accepts none of the qualified workers (a refusal or "
                            "a requirement of the client's)"),
    Reason.NO_AVAILABILITY: N_("no qualified worker works in the task's windows"),
    Reason.UNREACHABLE_IN_TIME: N_("no qualified worker can drive there and back within "
                                   "their shift"),
    Reason.EXCEEDS_CAPACITY: N_("the load is larger than every qualified worker's vehicle"),
    Reason.NO_VEHICLE_SPACE: N_("no vehicle has enough places (seated or for wheelchairs)"),
    Reason.RIDE_TOO_LONG: N_("the direct ride is longer than the allowed riding time"),
    Reason.SERIES_SPACING: N_("the series does not fit the required spacing of days"),
    Reason.CAPACITY_EXHAUSTED: N_("the qualified workers' time is taken by tasks of equal or "
                                  "higher priority"),
    Reason.WINDOW_PASSED: N_("when the plan was changed, the task's time windows had "
                             "already passed"),
    Reason.NO_SHOW: N_("the worker came, but the client was not at home"),
    Reason.CLIENT_ELSEWHERE: N_("the client is elsewhere then: on a bus ride or at another "
                                "visit"),
    Reason.TRIP_PAIR: N_("the ride the other way cannot be served, and nobody is driven "
                         "without a way back"),
}
PRIORITIES = {"low": N_("low"), "normal": N_("normal"), "high": N_("high"),
              "urgent": N_("urgent")}
FIXED = (N_("no single task of lower priority taken out would make room"),
         N_("no single task taken out would make room"),
         N_("every task holding it has equal or higher priority"),
         N_("removed when another day was planned again"))
HELD = re.compile(r"the slot is held by (?P<held>.+); (?P<room>[^;]+)")
TAKING = re.compile(r"taking out (?P<tasks>.+) alone would make room")
ON = re.compile(r"(?P<task>.+) \((?P<priority>low|normal|high|urgent)\) on (?P<who>.+)")
RULE = re.compile(r"removed to respect the (?P<rule>\w+) rule")
SERIES = re.compile(r"series (?P<series>'[^']*'): (?P<n>\d+) sessions, only (?P<days>\d+) "
                    r"day\(s\) (?P<gap>\d+) apart can take one")
FLAG = re.compile(r"(?P<variant>.+) leaves (?P<n>\d+) mandatory task\(s\) out, more than "
                  r"(?P<other>.+) with less staff \((?P<m>\d+)\)")
WISHES = re.compile(r"(?:(?P<rest>.+); )?the client's wishes rule out (?P<n>\d+) qualified "
                    r"worker\(s\)")
PAIR = re.compile(r"(?P<task>[^:]+): (?P<reason>[a-z_]+)")
_REASON_VALUES = {r.value: r for r in Reason}


def reason_text(reason: Reason) -> str:
    return gettext(REASONS[reason])


def priority_text(priority: str) -> str:
    """"urgent" -> "pilny" (the name of `optimiser.model.Priority`, lower case)."""
    return gettext(PRIORITIES[priority]) if priority in PRIORITIES else priority


def detail_text(detail: str) -> str:
    """A planner's detail in the reader's language (ids, names and times as they are)."""
    if detail in FIXED:
        return gettext(detail)
    if m := WISHES.fullmatch(detail):
        n = int(m["n"])
        wishes = ngettext("the client's wishes rule out {n} qualified worker",
                          "the client's wishes rule out {n} qualified workers", n).format(n=n)
        return wishes if m["rest"] is None else f"{detail_text(m['rest'])}; {wishes}"
    if m := HELD.fullmatch(detail):
        return gettext("the slot is held by {held}; {room}").format(
            held=m["held"], room=detail_text(m["room"]))
    if m := TAKING.fullmatch(detail):
        tasks = [_task_on(part) for part in m["tasks"].split(" or ")]
        joined = reduce(lambda a, b: gettext("{first} or {second}").format(first=a, second=b),
                        tasks)
        return gettext("taking out {tasks} alone would make room").format(tasks=joined)
    if m := RULE.fullmatch(detail):
        return gettext("removed to respect the {rule} rule").format(rule=m["rule"])
    if m := SERIES.fullmatch(detail):
        n = int(m["n"])
        return ngettext("series {series}: {n} session, only {days} day(s) {gap} apart can "
                        "take one",
                        "series {series}: {n} sessions, only {days} day(s) {gap} apart can "
                        "take one", n).format(series=m["series"], n=n, days=m["days"],
                                              gap=m["gap"])
    if (m := PAIR.fullmatch(detail)) and m["reason"] in _REASON_VALUES:
        return f"{m['task']}: {reason_text(_REASON_VALUES[m['reason']])}"
    return detail


def flag_text(flag: str) -> str:
    """A sweep's warning (`api.services.sweep_runs.monotonicity_flags`, English) in the
    reader's language."""
    if m := FLAG.fullmatch(flag):
        n = int(m["n"])
        return ngettext("{variant} leaves {n} mandatory task out, more than {other} with less "
                        "staff ({m})", "{variant} leaves {n} mandatory tasks out, more than "
                        "{other} with less staff ({m})", n).format(
            variant=m["variant"], n=n, other=m["other"], m=m["m"])
    return flag


def _task_on(part: str) -> str:
    if m := ON.fullmatch(part):
        return gettext("{task} ({priority}) on {who}").format(
            task=m["task"], priority=priority_text(m["priority"]), who=m["who"])
    return part
