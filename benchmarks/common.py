"""What every benchmark shares: data paths, the machine line, side-by-side runs, VRPLIB output."""

from __future__ import annotations

import os
import platform
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"

R = TypeVar("R")


def machine_line(**settings: object) -> str:
    listed = " ".join(f"{k}={v}" for k, v in settings.items())
    return (f"# machine: {platform.machine()} {platform.processor() or ''} "
            f"cpus={os.cpu_count()} python={platform.python_version()} {listed}")


def parse_instances(spec: str, available: Sequence[str]) -> list[str]:
    if not spec:
        return list(available)
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in available]
    if unknown:
        raise SystemExit(f"unknown instances: {', '.join(unknown)}")
    return names


def run_side_by_side(
    fn: Callable[..., R], names: Sequence[Any], jobs: int, *args: Any
) -> Iterator[R]:
    """Run fn(name, *args) for each name, `jobs` at a time, yielding in input order."""
    if jobs <= 1:
        for name in names:
            yield fn(name, *args)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(fn, name, *args) for name in names]
        for future in futures:
            yield future.result()


def write_vrplib_solution(path: Path, routes: Sequence[Sequence[str]], cost: float) -> None:
    lines = [f"Route #{i + 1}: {' '.join(r)}" for i, r in enumerate(routes) if r]
    path.write_text("\n".join([*lines, f"Cost {cost:.1f}", ""]))
