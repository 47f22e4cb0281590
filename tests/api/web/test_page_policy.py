"""The pages allow only Trasa itself, and a configured tile server's host for images."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.settings import Settings
from api.web.router import page_policy


def test_without_tiles_everything_comes_from_trasa() -> None:
    policy = page_policy(Settings())
    assert "img-src 'self' data: blob:;" in policy
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy


@pytest.mark.parametrize(("url", "host"), [
    ("https://data.tiles.example.org/{z}/{x}/{y}.png", "https://data.tiles.example.org"),
    ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
])
def test_a_tile_url_lets_in_images_from_its_host_only(url: str, host: str) -> None:
    policy = page_policy(Settings(tile_url=url))
    assert f"img-src 'self' data: blob: {host};" in policy
    assert "script-src 'self';" in policy


def test_a_tile_url_that_is_not_http_is_refused_naming_the_setting() -> None:
    with pytest.raises(ValidationError, match="tile_url"):
        Settings(tile_url="javascript:alert(1)")
