"""Issue 27, rows 10 and 11: the data folder, the SQLite database and the signing key are
the server user's alone (0700 / 0600 from the start), and no command prints a database
password."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from api.private_files import private_file
from tests.api.live.conftest import _free_port, fresh_postgres

ROOT = Path(__file__).resolve().parents[2]
DEMO_DAY = ROOT / "data" / "scenarios" / "starachowice_day.json"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TRASA_") and k != "DATABASE_URL"}
    return {**env, **extra}


def test_a_new_data_folder_and_its_database_and_key_are_private(tmp_path: Path) -> None:
    data = tmp_path / "new" / "trasa"
    done = subprocess.run([sys.executable, "-m", "api.cli.main", "import", str(DEMO_DAY)],
                          env=_env(TRASA_DATA_DIR=str(data)), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _mode(data) == 0o700 and _mode(data.parent) == 0o700
    written = [p for p in data.iterdir() if p.name.startswith("trasa.db")]
    assert written and all(_mode(p) == 0o600 for p in written), {
        p.name: oct(_mode(p)) for p in written}


def test_a_private_file_is_never_readable_by_others_even_under_a_loose_umask(
        tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = private_file(tmp_path / "a" / "secret_key")
    finally:
        os.umask(old)
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700


def test_serve_demo_on_postgresql_never_prints_the_password() -> None:
    with fresh_postgres() as url:
        password = make_url(url).password
        assert password, "the test database URL has a password to hide"
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli.main", "serve", "--demo", "--port", str(port)],
            env=_env(DATABASE_URL=url), cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        try:
            lines = [server.stdout.readline() for _ in range(4)]  # type: ignore[union-attr]
        finally:
            server.terminate()
            server.wait(timeout=30)
        text = "".join(lines)
        assert "loaded into postgresql+psycopg://" in text, text
        assert f":{password}@" not in text and "***" in text, text
        assert re.search(r"password '[^']+'", text), "the demo log-in is still shown once"
