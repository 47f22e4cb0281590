"""Failed log-ins counted per account and per client address (the `limits` library).

Only failures count: `TRASA_LOGIN_FAILURES_PER_ACCOUNT` wrong passwords for one user
name, or `TRASA_LOGIN_FAILURES_PER_ADDRESS` from one address, within the last
`TRASA_LOGIN_WINDOW_S` seconds (a moving window) refuse every further log-in there, the
right password too, until the oldest failure leaves the window. A successful log-in
forgets the account's failures (the address keeps its own). The counts live in the
server's memory: one `trasa serve` process; several servers behind one address would
need a shared storage (`limits` speaks Redis, Memcached, MongoDB).

A paired phone's trade of its device secret (`POST /auth/device`) has a throttle of its
own (`prefix="device"`), with the same limits: per device id and per address."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from api.settings import Settings


@dataclass
class LoginThrottle:
    per_account: RateLimitItem
    per_address: RateLimitItem
    _limiter: MovingWindowRateLimiter = field(
        default_factory=lambda: MovingWindowRateLimiter(MemoryStorage()))

    @classmethod
    def from_settings(cls, settings: Settings, prefix: str = "login") -> LoginThrottle:
        window = settings.login_window_s
        return cls(RateLimitItemPerSecond(settings.login_failures_per_account, window,
                                          namespace=f"{prefix}-account"),
                   RateLimitItemPerSecond(settings.login_failures_per_address, window,
                                          namespace=f"{prefix}-address"))

    def retry_after(self, username: str, address: str) -> int | None:
        """Seconds to wait when the account or the address has used up its failures;
        None when a log-in may be tried."""
        waits = [self._wait(item, key) for item, key in
                 ((self.per_account, username), (self.per_address, address))
                 if not self._limiter.test(item, key)]
        return max(waits) if waits else None

    def failed(self, username: str, address: str) -> None:
        self._limiter.hit(self.per_account, username)
        self._limiter.hit(self.per_address, address)

    def succeeded(self, username: str) -> None:
        self._limiter.clear(self.per_account, username)

    def _wait(self, item: RateLimitItem, key: str) -> int:
        reset = self._limiter.get_window_stats(item, key).reset_time
        return max(1, math.ceil(reset - time.time()))
