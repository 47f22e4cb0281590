"""Every answer says how long the server held it (`Server-Timing: app;dur=<ms>`)."""

from __future__ import annotations

import re

import httpx

from tests.api.live.conftest import Server

TIMING = re.compile(r"^app;dur=(\d+\.\d)$")


def test_every_answer_has_the_servers_own_time(server: Server) -> None:
    for path in ("/health", "/plans", "/no-such-route"):
        answer = httpx.get(server.url + path)
        match = TIMING.match(answer.headers.get("server-timing", ""))
        assert match, (path, answer.status_code, answer.headers)
        assert 0 <= float(match.group(1)) < 60_000
