"""Issued call lists (`tables.CallList`): kept so that the next list of a day marks what
changed since the last one issued (api/render/call_list.py). A list holds ids, windows
and workers' ids per client, never names or phones."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.store import tables


def last_issued(session: Session, day: date) -> tables.CallList | None:
    """The last call list issued for `day` (None: none yet)."""
    return session.scalars(select(tables.CallList).where(tables.CallList.day == day)
                           .order_by(tables.CallList.id.desc()).limit(1)).first()


def issue(session: Session, day: date, plan_id: str, issued_by: str,
          rows: dict[str, Any]) -> tables.CallList:
    """Store a list issued for `day` (committed)."""
    row = tables.CallList(day=day, plan_id=plan_id, issued_by=issued_by, rows=rows)
    session.add(row)
    session.commit()
    return row
