"""Re-plan a plan document after events: read the plan back against its scenario (as it
happened so far), apply the events, re-plan (`optimiser.replan`), check, and write the
new plan document with its `replanning` block. Used by `trasa replan` and the job runner.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from api.convert.events import (
    EventsIn,
    Situation,
    facts_of,
    read_situation,
    replanning_block,
)
from api.convert.plan_document import plan_document, read_plan
from api.convert.scenario import to_problem
from api.schemas.scenario import ScenarioIn
from api.services.parameters import Kind, solve_params, solver_block
from api.services.planning import PreparedScenario
from api.services.promises import refuse_broken_promises
from optimiser.check import check
from optimiser.model import Plan, Problem
from optimiser.params import CancelSignal, ProgressCallback, SolveParams
from optimiser.replan import (
    Change,
    Facts,
    Replanned,
    ReplanParams,
    apply_facts,
    check_events,
    replan,
)


@dataclass(frozen=True, eq=False)
class ReplannedDocument:
    document: dict[str, Any]  # the new plan version (trasa-plan/1 with `replanning`)
    replanned: Replanned
    scenario: ScenarioIn  # the scenario with every request re-planning added
    now_s: int

    @property
    def problem(self) -> Problem:
        return self.replanned.problem


@dataclass(frozen=True, eq=False)
class Before:
    """A plan document read back with events: the problem as it happened by that plan
    (new requests added), the plan, and the events in the domain's terms."""

    problem: Problem
    published: Plan
    situation: Situation
    facts: Facts
    added: tuple[dict[str, Any], ...]


def read_before(scenario: ScenarioIn, problem: Problem, document: dict[str, Any],
                events_in: EventsIn) -> Before:
    """`document` (a plan of `scenario`, over `problem`'s matrices) with `events_in`.

    Raises `ScenarioError` (an event's field) or `PlanDocumentError`."""
    facts, added = facts_of(document, problem.calendar)
    situation = read_situation(events_in, scenario, added_before=added)
    happened = dataclasses.replace(apply_facts(to_problem(situation.scenario, problem.matrix),
                                               facts), network=problem.network)
    return Before(happened, read_plan(happened, document), situation, facts, added)


def check_events_of(scenario: ScenarioIn, problem: Problem, document: dict[str, Any],
                    events_in: EventsIn) -> None:
    """Refuse events that cannot apply, before any re-planning (`ReplanError`)."""
    before = read_before(scenario, problem, document, events_in)
    check_events(before.problem, before.published, before.situation.events,
                 before.situation.now_s)


def replan_document(scenario: ScenarioIn, prepared: PreparedScenario,
                    document: dict[str, Any], events_in: EventsIn, *,
                    solve: SolveParams | None = None, based_on: str | None = None,
                    on_progress: ProgressCallback | None = None,
                    cancel: CancelSignal | None = None) -> ReplannedDocument:
    """`document` (a plan of `scenario`, maybe re-planned before) after `events_in`.

    Raises `ScenarioError`/`ReplanError` naming the field for events that do not apply,
    `PlanDocumentError` for a document that does not read back, `PromiseNotKept` (a
    `ScenarioError`) naming each promise the re-plan cannot keep and why."""
    calendar = prepared.problem.calendar
    before = read_before(scenario, prepared.problem, document, events_in)
    situation = before.situation
    params = ReplanParams(solve=solve or solve_params(Kind.REPLAN),
                          stability=events_in.stability, tolerance_s=60 * events_in.tolerance_min,
                          move_cost_s=60 * events_in.move_cost_min)
    out = replan(before.problem, before.published, situation.events, situation.now_s, params,
                 on_progress=on_progress, cancel=cancel)
    refuse_broken_promises(out.problem, out.plan, what="the re-plan")  # no new version
    violations = check(out.problem, out.plan)
    new = plan_document(out.problem, out.plan, violations=violations,
                        network=document.get("network", {}),
                        solver=solver_block(params.solve))
    new["replanning"] = replanning_block(
        calendar, situation.now_s, before.facts.merged(out.facts),
        before.added + situation.added, [change_json(calendar, c) for c in out.changes],
        based_on, list(out.changed_workers))
    return ReplannedDocument(new, out, situation.scenario, situation.now_s)


def change_json(calendar: Any, change: Change) -> dict[str, Any]:
    iso = calendar.iso
    return {"worker": change.worker_id, "date": calendar.dates[change.day].isoformat(),
            "change": change.kind.value, "task": change.task_id,
            "action": change.action.value,
            "before": None if change.before_s is None else iso(change.before_s),
            "after": None if change.after_s is None else iso(change.after_s),
            "reason": change.reason}
