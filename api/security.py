"""Passwords (argon2 through pwdlib), log-in tokens (JWT through PyJWT), API keys.

The one adapter for both libraries. Tokens carry the user name and role and expire
after `TRASA_TOKEN_MINUTES`; the signing key is `TRASA_SECRET_KEY` or a random key
kept in the data folder, so tokens survive a restart of the server."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import jwt
from pwdlib import PasswordHash

from api.private_files import private_file
from api.settings import Settings

ALGORITHM = "HS256"


class BadToken(ValueError):
    pass


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return _hasher().verify(password, password_hash)


@lru_cache(maxsize=1)
def dummy_password_hash() -> str:
    """A hash with the same argon2 parameters as real ones, of a random password: an
    unknown user name is checked against it, so it costs the time a known one does."""
    return hash_password(secrets.token_urlsafe(16))


@lru_cache(maxsize=4)
def secret_key(settings: Settings) -> str:
    """The signing key, read once per process (every request needs it)."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():
        private_file(path).write_text(secrets.token_urlsafe(48), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def issue_token(settings: Settings, username: str, role: str) -> str:
    now = datetime.now(UTC)
    claims = {"sub": username, "role": role, "iat": now,
              "exp": now + timedelta(minutes=settings.token_minutes)}
    return jwt.encode(claims, secret_key(settings), algorithm=ALGORITHM)


def read_token(settings: Settings, token: str) -> str:
    """The user name in a valid, unexpired token."""
    try:
        claims = jwt.decode(token, secret_key(settings), algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub"]})  # a calendar link: no
    except jwt.ExpiredSignatureError:
        raise BadToken("the log-in token has expired; log in again") from None
    except jwt.InvalidTokenError:
        raise BadToken("the log-in token is not valid") from None
    return str(claims["sub"])


API_KEY_PREFIX = "trasa"


def new_api_key() -> tuple[str, str]:
    """A new key's public id and the whole key (`trasa_<id>_<secret>`), shown once."""
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    return key_id, f"{API_KEY_PREFIX}_{key_id}_{secret}"


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_api_key(key: str) -> str | None:
    """The public id of a well-formed key, else None."""
    prefix, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")
    return key_id if prefix == API_KEY_PREFIX and key_id and secret else None


def api_key_matches(key: str, digest: str) -> bool:
    return hmac.compare_digest(api_key_digest(key), digest)


CALENDAR_SCOPE = "calendar"


def calendar_token(settings: Settings, worker_id: str) -> str:
    """A token that lets a calendar app read one worker's published days, and nothing
    else (it never expires; a new `TRASA_SECRET_KEY` revokes every link)."""
    return jwt.encode({"sub": worker_id, "scope": CALENDAR_SCOPE}, secret_key(settings),
                      algorithm=ALGORITHM)


def read_calendar_token(settings: Settings, token: str) -> str:
    """The worker id of a valid calendar token."""
    try:
        claims = jwt.decode(token, secret_key(settings), algorithms=[ALGORITHM])
    except jwt.InvalidTokenError:
        raise BadToken("the calendar link is not valid") from None
    if claims.get("scope") != CALENDAR_SCOPE:
        raise BadToken("this is not a calendar link")
    return str(claims["sub"])
