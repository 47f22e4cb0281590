"""What a worker's phone sends and what coordinators send about the field (issue 30;
docs/field.md).

Units: every time is ISO 8601 **with its offset** (`2027-06-02T09:15:00+02:00`; one
without an offset is refused: a phone's local time names no instant), stored in UTC;
kilometres are whole numbers. An action carries what the worker pressed and nothing
else: an unknown field (a location, say) is refused, never stored."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, Field, model_validator

from api.schemas.scenario import Id, Strict
from optimiser.actuals import ActionKind, Outcome

NOTE_MAX = 200  # characters: a short note, no health data asked
REASON_MAX = 200
BATCH_MAX = 500  # actions per request: a phone's queue after days offline
KM_MAX = 10_000_000
Key = Annotated[str, Field(min_length=8, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$",
                           description="the phone's idempotency key (a UUID)")]
Text = Annotated[str, Field(max_length=NOTE_MAX)]
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _sane(moment: datetime) -> datetime:
    """A time between 2000 and 2100: a phone clock gone wild is refused, not stored (and
    the far ends of the calendar overflow when moved into another zone)."""
    try:
        inside = EARLIEST <= moment.astimezone(UTC) < LATEST
    except OverflowError:
        inside = False
    if not inside:
        raise ValueError(f"{moment.isoformat()} is not between {EARLIEST:%Y} and {LATEST:%Y}")
    return moment


Moment = Annotated[AwareDatetime, AfterValidator(_sane)]


class ActionIn(Strict):
    """One press: `key` makes it stored exactly once, however often it is sent."""

    key: Key
    task_id: Id
    kind: ActionKind
    phone_at: Moment
    note: Text = ""
    reason: Annotated[str, Field(max_length=REASON_MAX)] = ""


Batch = Annotated[list[ActionIn], Field(min_length=1, max_length=BATCH_MAX)]


class ActionResult(Strict):
    """What became of one action (a repeated key: what became of it the first time)."""

    key: str
    task_id: str
    status: Literal["accepted", "rejected"]
    rejected_why: str | None = None
    message: str = ""  # the reason in the worker's words
    repeated: bool = False
    server_at: str


class BatchResult(Strict):
    results: list[ActionResult]


class CorrectionIn(Strict):
    """A coordinator's correction of a task's actual: it replaces what the phone said."""

    day: date  # the day whose published plan holds the task
    task_id: Id
    outcome: Literal["done", "started", "absent", "not_done", "unconfirmed"]
    start: Moment | None = None
    end: Moment | None = None
    reason: Annotated[str, Field(min_length=1, max_length=REASON_MAX)]

    @model_validator(mode="after")
    def _ordered(self) -> CorrectionIn:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end: {self.end.isoformat()} is before start "
                             f"{self.start.isoformat()}")
        if self.outcome == Outcome.DONE and (self.start is None or self.end is None):
            raise ValueError("start, end: a done task needs both times")
        return self


class OdometerIn(Strict):
    """A bus's odometer on a day, in whole kilometres; `end_km` once the day is over."""

    start_km: Annotated[int, Field(ge=0, le=KM_MAX)]
    end_km: Annotated[int | None, Field(ge=0, le=KM_MAX)] = None

    @model_validator(mode="after")
    def _ordered(self) -> OdometerIn:
        if self.end_km is not None and self.end_km < self.start_km:
            raise ValueError(f"end_km: {self.end_km} is less than start_km {self.start_km}")
        return self
