"""Processes left behind: each process this test run starts carries a mark in its environment,
and `marked` finds the living ones that carry it."""

from __future__ import annotations

from pathlib import Path

MARK = "TRASA_LEFTOVER_MARK"


def marked(mark: str) -> dict[int, str]:
    """pid -> command line of the living processes whose environment holds `mark`."""
    found = {}
    needle = f"{MARK}={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(
                    b"\0", b" ").decode(errors="replace")[:120]
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found
