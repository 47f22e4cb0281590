"""Draw the code's rooms and the imports between them: `python docs/structure.py`.

Reads every module of `optimiser`, `geo`, `api` and `data` (as text, with `ast`), puts
each in its room (the longest prefix in `ROOMS`), counts the module imports from room to
room and draws them with matplotlib to `docs/pictures/structure.png`. An arrow points
from the importer to what it imports; its number is how many module imports it stands
for. `tests/test_architecture.py` checks that every module has a room and that the
arrows point the way the picture's layers say.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("optimiser", "geo", "api", "data")

# room prefix -> (title, what it holds, column, row): rows are layers, top imports below
ROOMS: dict[str, tuple[str, str, float, float]] = {
    "api.cli": ("api/cli", "one module per command", 0.5, 5),
    "api.web": ("api/web", "pages and static files", 2.0, 5),
    "api.app": ("api/app", "FastAPI: routers per resource,\nprivacy, deps, errors, caps", 3.5, 5),
    "api.jobs": ("api/jobs", "job runner, one job's run", 5.0, 5),
    "api.services": ("api/services", "plan, re-plan, sweep, parameters,\n"
                     "the published plan read once", 2.75, 4),
    "api.store": ("api/store", "SQLAlchemy tables, Alembic,\nrecords, plans, jobs, audit", 5.0, 4),
    "api.render": ("api/render", "sheets, maps, ICS, GeoJSON, day\nview, overview, report, words",
                   1.0, 3),
    "api.convert": ("api/convert", "schemas → domain, plan document,\nevents, CSV", 2.75, 3),
    "api.schemas": ("api/schemas", "scenario, records, responses,\na sweep's row", 4.5, 3),
    "api": ("api (shared)", "settings, passwords and tokens,\nprivate files", 5.6, 2.5),
    "optimiser": ("optimiser", "domain model, solve, check,\nreasons, KPIs", 1.5, 1.8),
    "optimiser.replan": ("optimiser/replan", "events, frozen past,\nre-plan search", 0.2, 1.0),
    "optimiser.ortools": ("optimiser/ortools", "the OR-Tools adapter", 1.7, 0.6),
    "optimiser.sisr": ("optimiser/sisr", "ruin-and-recreate search", 3.1, 0.6),
    "geo": ("geo", "road graph, snapping,\nmatrices, paths", 4.3, 1.5),
    "data": ("data", "demo scenarios, generators", 5.6, 0.6),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")
            if "migrations" not in p.parts}


def room_of(module: str) -> str | None:
    """The longest room prefix of `module`, None when it has none."""
    best = None
    for room in ROOMS:
        if (module == room or module.startswith(room + ".")) and (
                best is None or len(room) > len(best)):
            best = room
    return best


def imported(path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `path` imports (a `from package import module` counts)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in known}


def room_edges() -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """(imports from room to room, modules per room)."""
    known = modules()
    edges: Counter[tuple[str, str]] = Counter()
    sizes: Counter[str] = Counter()
    for module, path in known.items():
        source = room_of(module)
        if source is None:
            continue
        sizes[source] += 1
        for target in imported(path, known):
            target_room = room_of(target)
            if target_room is not None and target_room != source:
                edges[(source, target_room)] += 1
    return edges, sizes


def draw(out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    edges, sizes = room_edges()
    fig, ax = plt.subplots(figsize=(13, 8.2), dpi=110)
    w, h = 1.3, 0.62
    centre = {room: (x, y) for room, (_, _, x, y) in ROOMS.items()}
    for (source, target), count in edges.items():
        (x0, y0), (x1, y1) = centre[source], centre[target]
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=11,
                                     lw=0.5 + min(count, 30) / 10, color="#7f8c8d",
                                     alpha=0.55, shrinkA=22, shrinkB=24, zorder=1))
        if count < 2:
            continue
        ax.text(x0 + 0.7 * (x1 - x0), y0 + 0.7 * (y1 - y0), str(count), fontsize=6.5,
                color="#555555", ha="center", va="center", zorder=3,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
    for room, (title, what, x, y) in ROOMS.items():
        colour = "#eaf2f8" if room.startswith("api") else "#e9f7ef"
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h,
                                    boxstyle="round,pad=0.02", fc=colour, ec="#34495e",
                                    lw=1, zorder=2))
        ax.text(x, y + 0.17, f"{title}  ({sizes[room]})", ha="center", va="center",
                fontsize=9, fontweight="bold", zorder=4)
        ax.text(x, y - 0.1, what, ha="center", va="center", fontsize=7, zorder=4,
                linespacing=1.1)
    ax.set_xlim(-0.6, 6.4)
    ax.set_ylim(0.1, 5.55)
    ax.axis("off")
    ax.set_title("Trasa's rooms (modules in each) and the imports between them "
                 "(arrow: importer → imported; number: module imports, 1 unlabelled)",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/pictures/structure.png"
    draw(target)
    print(target)  # noqa: T201 (the path drawn)
