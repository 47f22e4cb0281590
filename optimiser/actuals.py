"""What really happened to a task, folded from what the worker pressed on the phone.

A worker's phone sends **actions** keyed by task (never by plan version, so a re-plan
published meanwhile does not void them): a visit or job is `arrived` then `done`; a ride
(one rider's trip task) is `picked_up` then `dropped_off`; either may end as `absent` (the
client was not there) or `not_done` (with a reason). Phones replay late, twice and out of
order, so the fold orders actions by the phone's time and ignores repeats: the **actual**
of a task is a pure function of the set of its accepted actions.

- `start`: the first `arrived` / `picked_up`; `end`: the last `done` / `dropped_off`.
- `outcome`: `done` when an ending action (`done`, `dropped_off`) is present; else
  `absent` or `not_done` when one of those is present (the phone's latest wins); else
  `started` (arrived but not finished); a task with no action at all has no actual and
  is **unconfirmed** to every reader — never counted as done.
- A coordinator's correction replaces the folded actual outright (it is stored and
  audited apart; `Actual.corrected` says so).

Times are aware datetimes (UTC instants); durations are their differences, so a day with
a DST change counts right. No location is ever part of an action.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ActionKind(StrEnum):
    ARRIVED = "arrived"
    DONE = "done"
    PICKED_UP = "picked_up"
    DROPPED_OFF = "dropped_off"
    ABSENT = "absent"
    NOT_DONE = "not_done"


STARTS = frozenset({ActionKind.ARRIVED, ActionKind.PICKED_UP})
ENDS = frozenset({ActionKind.DONE, ActionKind.DROPPED_OFF})
FAILURES = frozenset({ActionKind.ABSENT, ActionKind.NOT_DONE})


class Outcome(StrEnum):
    DONE = "done"
    STARTED = "started"
    ABSENT = "absent"
    NOT_DONE = "not_done"
    UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True)
class Action:
    """One press on a worker's phone, as accepted by the server (exactly once per `key`)."""

    key: str  # the phone's idempotency key
    task_id: str
    worker_id: str
    kind: ActionKind
    phone_at: datetime  # when the worker pressed it (the phone's clock)
    note: str = ""
    reason: str = ""  # for not_done


@dataclass(frozen=True)
class Actual:
    """What happened to one task: delivered service is `end - start` of a `done` actual."""

    task_id: str
    outcome: Outcome
    start: datetime | None = None
    end: datetime | None = None
    reason: str = ""
    corrected: bool = False

    @property
    def delivered_s(self) -> int:
        """Seconds of delivered service (0 unless done with both times)."""
        if self.outcome is not Outcome.DONE or self.start is None or self.end is None:
            return 0
        return max(0, round((self.end - self.start).total_seconds()))


def fold(actions: Iterable[Action]) -> dict[str, Actual]:
    """Each task's actual from its actions (any order, repeats of one key ignored)."""
    by_task: dict[str, dict[str, Action]] = {}
    for action in actions:
        by_task.setdefault(action.task_id, {}).setdefault(action.key, action)
    return {task_id: _fold_one(task_id, list(keyed.values()))
            for task_id, keyed in by_task.items()}


def _fold_one(task_id: str, actions: list[Action]) -> Actual:
    actions.sort(key=lambda a: (a.phone_at, a.key))
    starts = [a.phone_at for a in actions if a.kind in STARTS]
    ends = [a.phone_at for a in actions if a.kind in ENDS]
    start = min(starts) if starts else None
    if ends:
        return Actual(task_id, Outcome.DONE, start, max(ends))
    failures = [a for a in actions if a.kind in FAILURES]
    if failures:
        last = failures[-1]
        return Actual(task_id, Outcome(last.kind.value), start, None, last.reason)
    return Actual(task_id, Outcome.STARTED if start else Outcome.UNCONFIRMED, start)
