"""Tokens: a calendar link or an API key is not a log-in; a log-in token carries its
account's token version; secret parsing; safe file names."""

from __future__ import annotations

import jwt
import pytest

from api.security import (
    ALGORITHM,
    CALENDAR_PREFIX,
    BadToken,
    issue_token,
    new_secret,
    read_token,
    split_api_key,
    split_secret,
)
from api.services.deliver import file_name
from api.settings import Settings

SETTINGS = Settings(secret_key="test-secret-key-of-this-test-0123456789")


def test_a_log_in_token_carries_the_version_and_a_calendar_link_is_no_log_in() -> None:
    login = issue_token(SETTINGS, "koordynator", "coordinator", 3)
    assert read_token(SETTINGS, login) == ("koordynator", 3)
    _, link = new_secret(CALENDAR_PREFIX)
    with pytest.raises(BadToken):
        read_token(SETTINGS, link)
    assert split_api_key(link) is None  # nor an API key
    versionless = jwt.encode({"sub": "koordynator", "exp": 2**40}, SETTINGS.secret_key or "",
                             algorithm=ALGORITHM)  # a token of before token versions
    with pytest.raises(BadToken):
        read_token(SETTINGS, versionless)


def test_only_a_well_formed_key_names_its_id() -> None:
    assert split_api_key("trasa_0123abcd_s3cr3t") == "0123abcd"
    for bad in ("trasa_", "trasa_id", "other_id_secret", "", "trasa__secret"):
        assert split_api_key(bad) is None, bad
    assert split_secret("cal_0123abcd_s3_cr3t", CALENDAR_PREFIX) == "0123abcd"
    assert split_secret("trasa_0123abcd_s3cr3t", CALENDAR_PREFIX) is None


@pytest.mark.parametrize(("worker_id", "safe"), [
    ("jan.kowalski", "jan.kowalski"), ("a/b", "a_b"), ("../etc", "_etc"), ("Łukasz", "_ukasz"),
    ("..", "_"), ('x"y', "x_y")])
def test_ids_become_file_names_that_stay_in_their_folder(worker_id: str, safe: str) -> None:
    assert file_name(worker_id) == safe
