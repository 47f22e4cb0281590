"""API keys: made for an account by a coordinator, shown once, stored as a digest."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.security import api_key_digest, api_key_matches, new_api_key, split_api_key
from api.store import tables
from api.store.records import BadReference, RecordNotFound


def add_key(session: Session, username: str, name: str, created_by: str
            ) -> tuple[tables.ApiKey, str]:
    """A new key acting as `username`, and the key itself (not stored anywhere)."""
    user = session.get(tables.User, username)
    if user is None or user.deleted_at is not None:
        raise BadReference("username", username, f"username: {username!r} is not an account")
    key_id, key = new_api_key()
    row = tables.ApiKey(id=key_id, username=username, name=name,
                        secret_hash=api_key_digest(key), created_by=created_by)
    session.add(row)
    session.flush()
    return row, key


def user_of(session: Session, key: str) -> tables.User | None:
    """The account a key acts as; None for a malformed, unknown or revoked key."""
    key_id = split_api_key(key)
    row = session.get(tables.ApiKey, key_id) if key_id else None
    if row is None or not api_key_matches(key, row.secret_hash):
        return None
    return session.get(tables.User, row.username)


def list_keys(session: Session) -> Sequence[tables.ApiKey]:
    return session.scalars(select(tables.ApiKey).order_by(tables.ApiKey.created_at,
                                                          tables.ApiKey.id)).all()


def revoke(session: Session, key_id: str) -> None:
    row = session.get(tables.ApiKey, key_id)
    if row is None:
        raise RecordNotFound(f"auth/keys/{key_id}: no such key")
    session.delete(row)
    session.flush()
