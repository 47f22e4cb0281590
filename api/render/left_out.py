"""The tasks a plan leaves out, for the coordinator's page: the reason and the planner's
detail in the reader's language (the message catalog), and what would let the task in.

The hint is drawn from the problem, not guessed: which workers have the skills, whether
any of them belongs to a PES (whose extra evening or weekend shift is the usual way in),
the task's windows. It says what *could* help; only a new plan says whether it does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from api.render.overview import PRIORITY_PL, REASON_PL, detail_pl
from api.render.route_sheet import window_text
from api.render.words import N_, Translated, ngettext
from api.render.words import gettext as _
from optimiser.model import (
    Plan,
    Priority,
    Problem,
    ProviderKind,
    Reason,
    Task,
    Unassigned,
    Worker,
)
from optimiser.rules import unserved_order

SKILL_PL = Translated({"physio": N_("physiotherapist"), "driving": N_("driver"),
                       "electrics": N_("electrician"), "plumbing": N_("plumber"),
                       "carpentry": N_("carpenter"), "gas": N_("gas fitter"),
                       "care": N_("carer"), "handyman": N_("handyman")})
KIND_PL = Translated({"visit": N_("visit"), "job": N_("job"), "trip": N_("ride")})


@dataclass(frozen=True)
class LeftOutTask:
    task: str
    kind: str
    priority: str
    mandatory: bool
    client_name: str
    address: str
    windows: str
    reason: str
    detail: str
    hint: str
    deadline: str = ""  # a trip's arrive-by ("10:30"): when it must be there, not a window


def who(task: Task) -> str:
    """The worker a task needs ("fizjoterapeuta", or the skills)."""
    names = [SKILL_PL.get(s, s) for s in sorted(task.required_skills)]
    return _(" and ").join(names) if names else _("worker")


def windows_pl(problem: Problem, task: Task) -> str:
    return ", ".join(window_text(problem, w.start_s, w.end_s) for w in task.windows)


def _skilled(problem: Problem, task: Task) -> list[Worker]:
    return [w for w in problem.workers if task.required_skills <= w.skills]


def _shift_hint(problem: Problem, task: Task, windows: str) -> str:
    pes = [w for w in _skilled(problem, task)
           if problem.provider(w.provider_id).kind is ProviderKind.PES]
    if pes:
        names = ", ".join(sorted({problem.provider(w.provider_id).name for w in pes}))
        return _("an extra PES shift ({names}) at {windows} could take it in").format(
            names=names, windows=windows)
    return _("a shift of a worker ({who}) at {windows}, e.g. an evening PES shift, could "
             "take it in").format(who=who(task), windows=windows)


def hint(problem: Problem, item: Unassigned) -> str:
    """What would let the task in, in the reader's language."""
    task = problem.task(item.task_id)
    windows = windows_pl(problem, task)
    reason = item.reason
    if reason is Reason.NO_SKILLED_WORKER:
        return _("no worker with the qualifications: {who}; such a worker would help, e.g. "
                 "under a contract with a PES").format(who=who(task))
    if reason is Reason.CLIENT_RULES:
        return _("the client refuses or does not accept every {who}; a worker the client "
                 "accepts, or a word with the client, could take it in").format(who=who(task))
    if reason is Reason.NO_AVAILABILITY:
        return _("no {who} works at {windows}; ").format(who=who(task), windows=windows) \
            + _shift_hint(problem, task, windows)
    if reason is Reason.CAPACITY_EXHAUSTED:
        # Only what can be done: a higher priority where there is one to give.
        higher = _(" or a higher priority of the request") if task.priority < Priority.URGENT \
            else ""
        return (_("every {who} is busy at {windows}; ").format(who=who(task), windows=windows)
                + _shift_hint(problem, task, windows) + higher)
    if reason is Reason.UNREACHABLE_IN_TIME:
        return _("a longer shift, a wider visit window or a worker based nearer could take "
                 "it in")
    if reason is Reason.EXCEEDS_CAPACITY:
        return _("a vehicle with a larger load could take it in")
    if reason is Reason.NO_VEHICLE_SPACE and task.ride is not None:
        people = task.ride.passengers
        return ngettext("a vehicle with {n} seat and {wheelchairs} for wheelchairs could take "
                        "it in", "a vehicle with {n} seats and {wheelchairs} for wheelchairs "
                        "could take it in", people.seats).format(
            n=people.seats, wheelchairs=people.wheelchair)
    if reason is Reason.RIDE_TOO_LONG:
        return _("consent to a longer ride for the passenger could take it in")
    if reason is Reason.CLIENT_ELSEWHERE:
        return _("the client is elsewhere then ({detail}); another day or a window outside "
                 "that time could take it in").format(detail=detail_pl(item.detail))
    if reason is Reason.TRIP_PAIR:
        return _("the ride there and back goes together or not at all: first the pair's "
                 "other ride must be made possible ({detail})").format(
            detail=detail_pl(item.detail))
    if reason is Reason.SERIES_SPACING:
        return _("a smaller spacing between the series' visits or a longer plan could take "
                 "it in")
    return _("a new plan with other workers or hours")


def left_out_on(problem: Problem, plan: Plan, day: date) -> list[LeftOutTask]:
    """The tasks of `day` (by their first window) that the plan leaves out, most important
    first (`optimiser.rules.unserved_order`)."""
    cal = problem.calendar
    clients = {c.id: c.name for c in problem.clients}
    rows = []
    for item in unserved_order(problem, plan.unassigned):
        task = problem.task(item.task_id)
        if not task.windows or cal.date_of(task.windows[0].start_s) != day:
            continue
        place = problem.locations[problem.location_index(task.location_id)]
        rows.append(LeftOutTask(
            task=task.id, kind=KIND_PL[task.kind.value],
            priority=PRIORITY_PL[task.priority.name.lower()], mandatory=task.mandatory,
            client_name=clients.get(task.client_id or "", ""), address=place.name,
            windows=windows_pl(problem, task), reason=REASON_PL[item.reason],
            detail=detail_pl(item.detail), hint=hint(problem, item),
            deadline=problem.calendar.hhmm(task.ride.dropoff_windows[0].end_s)
            if task.ride is not None and task.ride.dropoff_windows else ""))
    return rows
