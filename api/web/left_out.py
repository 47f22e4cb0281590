"""The tasks a plan leaves out, for the coordinator's page: the reason in Polish, the
planner's detail in Polish, and what would let the task in.

The hint is drawn from the problem, not guessed: which workers have the skills, whether
any of them belongs to a PES (whose extra evening or weekend shift is the usual way in),
the task's windows. It says what *could* help; only a new plan says whether it does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from api.formats.overview import PRIORITY_PL, REASON_PL, detail_pl
from api.formats.route_sheet import window_text
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

SKILL_PL = {"physio": "fizjoterapeuta", "driving": "kierowca", "electrics": "elektryk",
            "plumbing": "hydraulik", "carpentry": "stolarz", "gas": "gazownik",
            "care": "opiekun", "handyman": "złota rączka"}
KIND_PL = {"visit": "wizyta", "job": "zlecenie", "trip": "przewóz"}


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


def who(task: Task) -> str:
    """The worker a task needs, in Polish ("fizjoterapeuta", or the skills)."""
    names = [SKILL_PL.get(s, s) for s in sorted(task.required_skills)]
    return " i ".join(names) if names else "pracownik"


def windows_pl(problem: Problem, task: Task) -> str:
    return ", ".join(window_text(problem, w.start_s, w.end_s) for w in task.windows)


def _skilled(problem: Problem, task: Task) -> list[Worker]:
    return [w for w in problem.workers if task.required_skills <= w.skills]


def _shift_hint(problem: Problem, task: Task, windows: str) -> str:
    pes = [w for w in _skilled(problem, task)
           if problem.provider(w.provider_id).kind is ProviderKind.PES]
    if pes:
        names = ", ".join(sorted({problem.provider(w.provider_id).name for w in pes}))
        return (f"dodatkowa zmiana PES ({names}) w godz. {windows} mogłaby je objąć")
    return (f"zmiana pracownika ({who(task)}) w godz. {windows}, np. wieczorna zmiana "
            "PES, mogłaby je objąć")


def hint(problem: Problem, item: Unassigned) -> str:
    """What would let the task in, in Polish."""
    task = problem.task(item.task_id)
    windows = windows_pl(problem, task)
    reason = item.reason
    if reason is Reason.NO_SKILLED_WORKER:
        return (f"brak pracownika z uprawnieniami: {who(task)}; pomógłby taki pracownik, "
                "np. z umowy z PES")
    if reason is Reason.NO_AVAILABILITY:
        return f"żaden {who(task)} nie pracuje w godz. {windows}; " + _shift_hint(
            problem, task, windows)
    if reason is Reason.CAPACITY_EXHAUSTED:
        # Only what can be done: a higher priority where there is one to give.
        higher = " albo wyższy priorytet zgłoszenia" if task.priority < Priority.URGENT else ""
        return (f"każdy {who(task)} jest zajęty w godz. {windows}; "
                + _shift_hint(problem, task, windows) + higher)
    if reason is Reason.UNREACHABLE_IN_TIME:
        return ("dłuższa zmiana, szersze okno wizyty lub pracownik z bazą bliżej "
                "mogłyby je objąć")
    if reason is Reason.EXCEEDS_CAPACITY:
        return "pojazd o większej ładowności mógłby je objąć"
    if reason is Reason.NO_VEHICLE_SPACE and task.ride is not None:
        people = task.ride.passengers
        return (f"pojazd z {people.seats} miejscami siedzącymi i {people.wheelchair} na "
                "wózki mógłby je objąć")
    if reason is Reason.RIDE_TOO_LONG:
        return "zgoda na dłuższy czas przejazdu pasażera mogłaby je objąć"
    if reason is Reason.CLIENT_ELSEWHERE:
        return ("klient jest wtedy gdzie indziej (" + detail_pl(item.detail) + "); inny dzień "
                "albo okno poza tym czasem mogłyby je objąć")
    if reason is Reason.TRIP_PAIR:
        return ("kurs tam i z powrotem jedzie razem albo wcale: najpierw trzeba umożliwić "
                "drugi kurs pary (" + item.detail + ")")
    if reason is Reason.SERIES_SPACING:
        return "mniejszy odstęp między wizytami serii lub dłuższy plan mogłyby ją objąć"
    return "nowy plan z innymi pracownikami lub godzinami"


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
            detail=detail_pl(item.detail), hint=hint(problem, item)))
    return rows
