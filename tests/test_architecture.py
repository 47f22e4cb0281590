"""The shape the design notes promise: one-way dependencies, no cycles, no borrowed privates."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("optimiser", "geo", "api", "data")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def imports(module: str) -> dict[str, set[str]]:
    """{imported module or package: names taken from it}, every import statement included."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:  # `from optimiser import sisr` imports a module
                full = f"{node.module}.{alias.name}"
                if full in MODULES:
                    found.setdefault(full, set())
                else:
                    found.setdefault(node.module, set()).add(alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, set())
    return found


def project_edges() -> dict[str, set[str]]:
    return {m: {t for t in imports(m) if t in MODULES} for m in MODULES}


def test_the_packages_are_found() -> None:
    assert {"optimiser.solve", "optimiser.ortools.search", "geo.matrix",
            "api.convert.plan_document", "api.cli.main", "data"} <= set(MODULES)


def test_no_module_imports_another_modules_private_names() -> None:
    borrowed = {f"{m} takes {name} from {source}" for m in MODULES
                for source, names in imports(m).items() if source in MODULES
                for name in names if name.startswith("_")}
    assert borrowed == set()


def test_there_is_no_import_cycle_between_modules() -> None:
    edges = project_edges()
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        if state.get(module) == "done":
            return
        assert state.get(module) != "open", f"import cycle: {' -> '.join([*trail, module])}"
        state[module] = "open"
        for target in sorted(edges[module]):
            visit(target, [*trail, module])
        state[module] = "done"

    for module in sorted(MODULES):
        visit(module, [])


@pytest.mark.parametrize(("package", "forbidden"), [
    ("optimiser", ("api", "geo", "osmnx", "networkx", "pydantic", "rich")),
    ("geo", ("optimiser", "api")),
    # api's rooms (docs/structure.md): the shapes at the edge know no one; conversion knows
    # the shapes; what people read knows the shapes and the domain; services use those and
    # the store; the app, the pages, the jobs and the command line sit on top
    ("api.schemas", ("api.convert", "api.render", "api.services", "api.jobs", "api.app",
                     "api.web", "api.cli", "api.store", "rich", "ortools")),
    ("api.convert", ("api.render", "api.services", "api.jobs", "api.app", "api.web",
                     "api.cli", "api.store", "rich", "ortools")),
    ("api.render", ("api.services", "api.jobs", "api.app", "api.web", "api.cli",
                    "api.store", "rich", "ortools")),
    ("api.services", ("api.app", "api.web", "api.cli", "rich", "ortools")),
    ("api.store", ("api.app", "api.web", "api.cli", "api.jobs", "rich", "ortools")),
    ("api.web", ("api.cli", "api.jobs", "ortools")),
])
def test_dependencies_point_one_way(package: str, forbidden: tuple[str, ...]) -> None:
    wrong = {f"{m} imports {t}" for m in MODULES if m == package or m.startswith(package + ".")
             for t in imports(m) if any(t == f or t.startswith(f + ".") for f in forbidden)}
    assert wrong == set()


def test_only_the_ortools_adapter_talks_to_ortools() -> None:
    users = {m for m in MODULES for t in imports(m) if t.split(".")[0] == "ortools"}
    assert users and all(m.startswith("optimiser.ortools.") for m in users), users


def test_only_the_jit_adapter_talks_to_numba():
    users = {m for m in MODULES for t in imports(m) if t.split(".")[0] == "numba"}
    assert users == {"optimiser.sisr.jit"}


MAX_LINES = 400
WHY_LONGER = "Longer than 400 lines because"  # a docstring line that opens so says why


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _says_why_longer(path: Path) -> bool:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return any(line.strip().startswith(WHY_LONGER) for line in doc.splitlines())


def test_no_module_is_longer_than_400_lines_unless_its_docstring_says_why() -> None:
    paths = [p for package in (*PACKAGES, "benchmarks") for p in (ROOT / package).rglob("*.py")]
    long = {p.relative_to(ROOT).as_posix(): _lines(p) for p in paths if _lines(p) > MAX_LINES
            and not _says_why_longer(p)}
    assert long == {}


def test_no_router_imports_another_router() -> None:
    """Routers call services, the store and the app's shared modules; what two routers
    share lives there, not in one of them."""
    routers = {m for m in MODULES if m.startswith("api.app.routers.")}
    borrowed = {f"{m} imports {t}" for m in routers for t in imports(m)
                if t != m and (t in routers or t == "api.app.routers")}
    assert routers and borrowed == set()


def test_the_web_module_serves_pages_only() -> None:
    """api/web answers HTML pages (and a redirect to them, the phone app's service worker
    file and its web-app manifest), out of the API document; the JSON the pages read is
    the API's, in api/app/routers."""
    from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
    from fastapi.routing import APIRoute

    from api.web import router as web

    routes = [r for r in web.router.routes if isinstance(r, APIRoute)]
    json_routes = {r.path for r in routes if r.include_in_schema or not (
        r.response_class is HTMLResponse or r.path.endswith(".webmanifest")
        or r.endpoint.__annotations__.get("return") in (RedirectResponse, FileResponse))}
    assert routes and json_routes == set()
    assert {m for m in MODULES if m.startswith("api.web.")
            for t in imports(m) if t == "api.app.routers" or t.startswith("api.app.routers.")
            } == set()
