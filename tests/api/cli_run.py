"""`trasa ARGS` as a subprocess, the way a user or a CI job runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def trasa(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # as in a log or CI job: no terminal, no COLUMNS inherited from the developer's shell
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES"}}
    return subprocess.run(
        [sys.executable, "-m", "api.cli.main", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )
