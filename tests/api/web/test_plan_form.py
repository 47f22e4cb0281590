"""The planning form's time limit: 30 s without a server's solution budget; with one,
the server's longest solve, so that the budget and not the clock ends the search."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.settings import Settings
from api.web.router import plan_time_limit_s


def test_without_a_budget_the_form_starts_at_30_s_within_the_servers_limit() -> None:
    assert plan_time_limit_s(Settings()) == 30
    assert plan_time_limit_s(Settings(job_time_limit_s=12)) == 12


def test_with_a_servers_budget_the_form_starts_at_the_servers_longest_solve() -> None:
    assert plan_time_limit_s(Settings(job_max_solutions=60)) == 300
    assert plan_time_limit_s(Settings(job_max_solutions=60, job_time_limit_s=600)) == 600


def test_the_servers_budget_and_seed_are_read_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRASA_JOB_MAX_SOLUTIONS", "60")
    monkeypatch.setenv("TRASA_JOB_SEED", "4")
    settings = Settings()
    assert (settings.job_max_solutions, settings.job_seed) == (60, 4)
    monkeypatch.setenv("TRASA_JOB_MAX_SOLUTIONS", "0")
    with pytest.raises(ValidationError, match="job_max_solutions"):
        Settings()
