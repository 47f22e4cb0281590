"""Tokens: a calendar link is not a log-in; API-key parsing; safe file names."""

from __future__ import annotations

import pytest

from api.deliver import file_name
from api.security import (
    BadToken,
    calendar_token,
    issue_token,
    read_calendar_token,
    read_token,
    split_api_key,
)
from api.settings import Settings

SETTINGS = Settings(secret_key="test-secret-key-of-this-test-0123456789")


def test_a_calendar_link_is_not_a_log_in_and_a_log_in_is_not_a_calendar_link() -> None:
    link = calendar_token(SETTINGS, "koordynator")  # even for an id that is a user name
    with pytest.raises(BadToken):
        read_token(SETTINGS, link)
    assert read_calendar_token(SETTINGS, link) == "koordynator"
    login = issue_token(SETTINGS, "koordynator", "coordinator")
    assert read_token(SETTINGS, login) == "koordynator"
    with pytest.raises(BadToken, match="not a calendar link"):
        read_calendar_token(SETTINGS, login)


def test_only_a_well_formed_key_names_its_id() -> None:
    assert split_api_key("trasa_0123abcd_s3cr3t") == "0123abcd"
    for bad in ("trasa_", "trasa_id", "other_id_secret", "", "trasa__secret"):
        assert split_api_key(bad) is None, bad


@pytest.mark.parametrize(("worker_id", "safe"), [
    ("jan.kowalski", "jan.kowalski"), ("a/b", "a_b"), ("../etc", "_etc"), ("Łukasz", "_ukasz"),
    ("..", "_"), ('x"y', "x_y")])
def test_ids_become_file_names_that_stay_in_their_folder(worker_id: str, safe: str) -> None:
    assert file_name(worker_id) == safe
