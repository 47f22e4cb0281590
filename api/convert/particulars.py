"""What a scenario says of people and tasks beyond the rules, put on the domain problem:
each client's `Contact` (phone, mobility, escort) and each task's note for the worker.

A client's health note stays behind: it is for the coordinator only, and what is not
in the domain cannot reach a sheet, calendar or map. The sessions of a series (`id#k`)
and the halves of a trip share the note of the scenario item they came from."""

from __future__ import annotations

import dataclasses

from api.schemas.scenario import ScenarioIn
from optimiser.model import Problem
from optimiser.people import Contact


def with_particulars(problem: Problem, scenario: ScenarioIn) -> Problem:
    """`problem` (built from `scenario`) with its clients' contacts and tasks' notes."""
    contacts = {c.id: Contact(phone=c.phone, mobility=c.mobility, escort=c.escort)
                for c in scenario.clients}
    notes = {t.id: t.note for t in scenario.tasks if t.note}
    notes |= {r.id: r.note for r in scenario.trips if r.note}
    clients = tuple(dataclasses.replace(c, contact=contacts.get(c.id, c.contact))
                    for c in problem.clients)
    tasks = tuple(dataclasses.replace(t, note=notes.get(t.id) or notes.get(
        t.id.split("#")[0], "")) for t in problem.tasks)
    return dataclasses.replace(problem, clients=clients, tasks=tasks)
