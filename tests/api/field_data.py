"""Published plan versions stored as publishing leaves them, for the field's tests that
need a day's routes without a solve (the judging and `trasa actuals` tests)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from api.store.tables import PlanVersion


def utc(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=UTC)


def route(worker: str, day: date, *tasks: tuple[str, str]) -> dict[str, Any]:
    """A route of `worker` on `day` with a stop per (task, kind), 09:00-09:30 each."""
    return {"worker": worker, "worker_name": f"{worker} Żółtowska", "day": day.isoformat(),
            "start": f"{day}T08:00:00+02:00",
            "stops": [{"task": t, "kind": k, "client": f"c-{t}",
                       "start": f"{day}T09:00:00+02:00", "end": f"{day}T09:30:00+02:00"}
                      for t, k in tasks]}


def publish(session: Session, day: date, at: datetime, *routes: dict[str, Any],
            supersede: str | None = None) -> str:
    """A plan of `day` published at `at` (superseding plan `supersede`); its id."""
    plan_id = str(uuid.uuid4())
    if supersede is not None:
        old = session.get(PlanVersion, supersede)
        assert old is not None
        old.status, old.superseded_by = "superseded", plan_id
        session.flush()
    session.add(PlanVersion(id=plan_id, first_day=day, last_day=day, status="published",
                            document={"routes": list(routes), "unassigned": []},
                            created_by="coordinator", published_by="coordinator",
                            created_at=at, published_at=at))
    session.commit()
    return plan_id
