"""Passwords (argon2 through pwdlib), log-in tokens (JWT through PyJWT), API keys and
calendar links.

The one adapter for both libraries. Tokens carry the user name, role and the account's
token version (one more ends all its tokens) and expire after `TRASA_TOKEN_MINUTES`;
the signing key is `TRASA_SECRET_KEY` or a random key kept in the data folder, so
tokens survive a restart of the server. API keys and calendar links are random secrets
of which only a digest is stored; a new secret key does not end them (revoke them)."""

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


def issue_token(settings: Settings, username: str, role: str, version: int, *,
                minutes: int | None = None, device: str | None = None) -> str:
    """A log-in token for `minutes` (default `TRASA_TOKEN_MINUTES`); a paired phone's
    names its `device` (`dev`), for the record."""
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": username, "role": role, "ver": version, "iat": now,
        "exp": now + timedelta(minutes=minutes or settings.token_minutes)}
    if device is not None:
        claims["dev"] = device
    return jwt.encode(claims, secret_key(settings), algorithm=ALGORITHM)


def read_token(settings: Settings, token: str) -> tuple[str, int]:
    """The user name and token version in a valid, unexpired token."""
    try:
        claims = jwt.decode(token, secret_key(settings), algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub", "ver"]})
    except jwt.ExpiredSignatureError:
        raise BadToken("the log-in token has expired; log in again") from None
    except jwt.InvalidTokenError:
        raise BadToken("the log-in token is not valid") from None
    version = claims["ver"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise BadToken("the log-in token is not valid")
    return str(claims["sub"]), version


API_KEY_PREFIX = "trasa"  # an API key; a paired phone's secret is `dev_…` (store.devices)
CALENDAR_PREFIX = "cal"


def new_secret(prefix: str = API_KEY_PREFIX) -> tuple[str, str]:
    """A new secret's public id and the whole secret (`<prefix>_<id>_<random>`), shown
    once: an API key (`trasa_…`) or a calendar link's token (`cal_…`)."""
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    return key_id, f"{prefix}_{key_id}_{secret}"


def new_api_key() -> tuple[str, str]:
    return new_secret(API_KEY_PREFIX)


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_secret(key: str, prefix: str = API_KEY_PREFIX) -> str | None:
    """The public id of a well-formed secret of `prefix`, else None."""
    head, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")
    return key_id if head == prefix and key_id and secret else None


def split_api_key(key: str) -> str | None:
    return split_secret(key, API_KEY_PREFIX)


def api_key_matches(key: str, digest: str) -> bool:
    return hmac.compare_digest(api_key_digest(key), digest)
