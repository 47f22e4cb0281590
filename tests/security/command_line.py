"""`trasa ...` on the database of a live test server: the command's own `main`, run in
this process with the server's settings (a subprocess would spend seconds importing
the planner for each command; the code that runs is the same)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import pytest

from api.cli.main import main
from api.settings import get_settings
from tests.api.live.conftest import Server

SETTINGS = ("DATABASE_URL", "TRASA_DATA_DIR", "TRASA_SECRET_KEY", "TRASA_CACHE_DIR")


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def trasa(server: Server, *args: str, password: str | None = None) -> Ran:
    """`trasa ARGS` with the server's database, data folder and secret key; `password` in
    TRASA_PASSWORD."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as env:
        for name in SETTINGS:
            env.setenv(name, server.env[name])
        if password is None:
            env.delenv("TRASA_PASSWORD", raising=False)
        else:
            env.setenv("TRASA_PASSWORD", password)
        get_settings.cache_clear()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(list(args))
        finally:
            get_settings.cache_clear()
    return Ran(code, out.getvalue(), err.getvalue())
