"""The price list (PLN): the `[rates]` table of a sweep file, which the PES settlement reads
too — one price model for what a variant would cost and what a provider is paid.

The sweep's figures (`per_km`, `per_hour` by provider, `per_vehicle_day`,
`per_worker_day`) are as before. The settlement adds, all optional:

    [rates.per_service_hour.pes-opieka.care]   # provider -> service -> period -> PLN/h
    weekday = 52.0
    evening = 60.0
    night = 70.0
    weekend_holiday = 75.0
    [rates.per_ride]                            # provider -> PLN a delivered ride
    pes-bus = 18.0

An hour of delivered service is priced at its provider's `per_service_hour` rate for its
service and period; a period left out takes that service's `weekday` rate, and a service
left out takes the provider's `per_hour` (the sweep's rate). Which period an hour is in is
decided in `api.render.settlement` (exactly one per hour). Services: `SERVICES` of the
plan document; periods: `weekday`, `evening`, `night`, `weekend_holiday`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Service = Literal["physiotherapy", "handyman", "transport", "care"]
MAX_PRICE = 100_000.0  # PLN an hour or a ride: far above any real rate, far below overflow
Price = Annotated[float, Field(ge=0, le=MAX_PRICE, allow_inf_nan=False)]  # PLN


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PeriodRatesIn(_Strict):
    """PLN an hour of one service in each billing period; a period left out: `weekday`."""

    weekday: Price | None = None
    evening: Price | None = None
    night: Price | None = None
    weekend_holiday: Price | None = None


class RatesIn(_Strict):
    per_km: float = Field(default=0.0, ge=0)
    per_hour: dict[str, float] = {}  # provider id -> PLN an hour of work
    per_vehicle_day: float = Field(default=0.0, ge=0)
    per_worker_day: float = Field(default=0.0, ge=0)
    # the settlement's: provider id -> service -> rates by period; provider id -> PLN a ride
    per_service_hour: dict[str, dict[Service, PeriodRatesIn]] = {}
    per_ride: dict[str, Price] = {}

    def hour_rate(self, provider: str, service: str, period: str) -> float | None:
        """PLN an hour of `service` by `provider` in billing `period`, or None if the price
        list names none (see the module docstring for the order of look-up)."""
        by_service: dict[str, PeriodRatesIn] = {
            str(k): v for k, v in self.per_service_hour.get(provider, {}).items()}
        by_period = by_service.get(service)
        if by_period is not None:
            rate = getattr(by_period, period)
            if rate is None:
                rate = by_period.weekday
            if rate is not None:
                return float(rate)
        return self.per_hour.get(provider)
