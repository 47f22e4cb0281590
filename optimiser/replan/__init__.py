"""Re-planning a published plan at a moment of the day ("now") after events.

What has happened stays as it happened: a stop that started before now (or that a
worker reported) is *frozen* at its real times, a passenger on board is dropped off by
the same bus, and a day before now is not touched. Everything else on the day of now
(and on any later day an event touches) is planned again with the full model of the
day (`optimiser.ortools`: every rule, the frozen stops pinned in place), starting from
the published routes and paying for every change to them (`Stability`): served
priority first, then few changes, then travel.

Two problems take part. `Replanned.problem` is the day as it happened: the scenario's
problem with the facts applied (`apply_facts`: cancelled tasks gone, shifts cut by
unavailability, real times of reported stops); the plan is checked against it, and a
stored plan is read back against it. The search sees a stricter copy of it, in which
frozen stops have one possible time and every other task may only start from now on.

Times are seconds from the first day's midnight, as everywhere in the domain.

The package, read in order: `events` (what happened) and `facts` (the day as it
happened), `validate` (the events refused first), `frozen` (the plan read at now: what
is kept, the problem the search sees), `params` (budget and price of change), `search`
(`replan`) and `answer` (the plan and the changes). Every public name is re-exported
here: `from optimiser.replan import replan, Event` is the way in.
"""

from optimiser.replan.answer import Change, ChangeKind, Replanned, same_route
from optimiser.replan.events import (
    STOP_REPORTS,
    Actual,
    Event,
    EventKind,
    Facts,
    ReplanError,
    Unavailable,
)
from optimiser.replan.facts import apply_facts
from optimiser.replan.frozen import check_events
from optimiser.replan.params import ReplanParams
from optimiser.replan.search import MIN_ANEW_S, replan

__all__ = [
    "MIN_ANEW_S", "STOP_REPORTS", "Actual", "Change", "ChangeKind", "Event", "EventKind",
    "Facts", "ReplanError", "ReplanParams", "Replanned", "Unavailable", "apply_facts",
    "check_events", "replan", "same_route",
]
