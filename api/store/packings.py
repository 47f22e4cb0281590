"""The stored plan that keeps the promises of days with no plan (`PromisePacking`): read
by the next offer of the days and by a plan of them, written by an accepted offer.

A packing is a cache of a plan the promises are known to fit: losing one (an erasure
clears them all, as they name clients) costs an offer a slower start, never a promise."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.store.tables import PromisePacking


def packings_of(session: Session, first: date, last: date) -> list[PromisePacking]:
    """Every packing of a horizon sharing a day with `first`..`last`."""
    rows = session.scalars(select(PromisePacking).where(PromisePacking.first_day <= last))
    return [r for r in rows if r.first_day.toordinal() + r.days - 1 >= first.toordinal()]


def packing(session: Session, first_day: date, days: int) -> PromisePacking | None:
    return session.get(PromisePacking, (first_day, days))


def keep(session: Session, first_day: date, days: int, network: str, promises: str,
         document: dict[str, Any]) -> None:
    """Store (or replace) the horizon's packing; the caller commits."""
    row = packing(session, first_day, days)
    if row is None:
        session.add(PromisePacking(first_day=first_day, days=days, network=network,
                                   promises=promises, document=document))
    else:
        row.network, row.promises, row.document = network, promises, document


def forget(session: Session, row: PromisePacking | None = None) -> None:
    """Delete one packing, or every one (None)."""
    if row is not None:
        session.delete(row)
    else:
        session.execute(delete(PromisePacking))
