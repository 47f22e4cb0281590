"""Files that hold people's data or secrets are the server user's alone: folders 0700,
files 0600, made so from the start (never readable for a moment in between)."""

from __future__ import annotations

import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """`path` and the folders above it that do not exist yet, made 0700."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """`path` made (empty) 0600 if it does not exist; its folder made as `private_folder`.
    SQLite gives its journal files the database file's mode."""
    private_folder(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    return path
