"""What re-planning changed on one day, for the coordinator's page: each change in words
(from the plan document's `replanning.changes`, docs/replanning.md), and the moment the
day was re-planned (`now`), to draw on the timeline."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from api.render.overview import REASON_PL
from api.render.words import N_, Translated
from api.render.words import gettext as _
from optimiser.model import Problem, Reason

CHANGE_PL = Translated({"added": N_("added"), "removed": N_("taken off"),
                        "retimed": N_("new time")})
ACTION_PL = Translated({"serve": "", "pickup": N_(" (boarding)"),
                        "dropoff": N_(" (alighting)")})
FIXED = Translated({"cancelled": N_("cancelled"), "new request": N_("new request"),
                    "was not served": N_("left out before"), "re-timed": N_("moved in time")})


def reason_pl(reason: str, names: dict[str, str]) -> str:
    """A change's reason (`optimiser.replan.Change.reason`) in words, workers by name."""
    moved = re.fullmatch(r"moved (to|from) (.+)", reason)
    if moved:
        way, worker = moved.groups()
        return (_("handed to: {worker}") if way == "to" else _("taken over from: {worker}")
                ).format(worker=names.get(worker, worker))
    if reason in FIXED:
        return FIXED[reason]
    try:
        return REASON_PL[Reason(reason)]
    except ValueError:
        return reason


def day_changes(problem: Problem, replanning: dict[str, Any] | None, day: date
                ) -> dict[str, Any] | None:
    """The day's changes (None for a plan that was never re-planned)."""
    if not replanning:
        return None
    cal = problem.calendar
    names = {w.id: w.name for w in problem.workers}
    clients = {c.id: c.name for c in problem.clients}
    task_ids = {t.id for t in problem.tasks}

    def hhmm(text: str | None) -> str:
        return "" if text is None else cal.hhmm(cal.seconds_of(datetime.fromisoformat(text)))

    items = []
    for c in replanning.get("changes", []):
        if c["date"] != day.isoformat():
            continue
        task = problem.task(c["task"]) if c["task"] in task_ids else None
        items.append({
            "worker": c["worker"], "worker_name": names.get(c["worker"], c["worker"]),
            "change": c["change"], "change_label": CHANGE_PL[c["change"]],
            "task": c["task"], "action": c["action"],
            "what": (clients.get(task.client_id or "", "") if task else "") or c["task"],
            "stop": ACTION_PL[c["action"]], "before": hhmm(c["before"]),
            "after": hhmm(c["after"]), "reason": reason_pl(c["reason"], names)})
    now_s = cal.seconds_of(datetime.fromisoformat(replanning["now"]))
    on_day = cal.date_of(now_s) == day
    return {"now": cal.hhmm(now_s), "now_min": (now_s - cal.at(day, 0)) / 60 if on_day else None,
            "based_on": replanning.get("based_on"), "items": items,
            "workers": sorted({i["worker_name"] for i in items})}


def mark_stops(rows: list[dict[str, Any]], changes: dict[str, Any] | None) -> None:
    """Each stop of the view's rows gets `change` ("added", "retimed" or None) and `was`."""
    by_stop = {(i["worker"], i["task"], i["action"]): i for i in (changes or {}).get("items", [])
               if i["change"] != "removed"}
    for row in rows:
        for stop in row["stops"]:
            change = by_stop.get((row["worker"], stop["task"], stop["action_id"]))
            stop["change"] = change["change"] if change else None
            stop["was"] = change["before"] if change else ""
