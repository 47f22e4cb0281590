"""The geo modules import one another one way only, and never each other's private names.

Cycles across the whole project are tested once, in tests/test_architecture.py."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import geo

GEO_DIR = Path(geo.__file__).resolve().parent
MODULES = sorted(path.stem for path in GEO_DIR.glob("*.py") if path.stem != "__init__")


def geo_imports(module: str) -> dict[str, set[str]]:
    """{imported geo module: names taken from it}, from every import statement in the file
    (including those inside functions and ``if TYPE_CHECKING:`` blocks)."""
    tree = ast.parse((GEO_DIR / f"{module}.py").read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("geo."):
                found.setdefault(node.module.removeprefix("geo."), set()).update(
                    alias.name for alias in node.names)
            elif node.module == "geo":
                for alias in node.names:
                    found.setdefault(alias.name, set())
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            raise AssertionError(f"geo/{module}.py uses a relative import")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("geo."):
                    found.setdefault(alias.name.removeprefix("geo."), set())
    return found


def test_the_geo_modules_are_found() -> None:
    assert {"graph", "matrix", "network", "paths", "regional", "synthetic"} <= set(MODULES)


def test_the_dependency_direction_is_matrix_regional_network() -> None:
    assert {"network", "regional", "paths"} <= set(geo_imports("matrix"))
    assert "network" in geo_imports("regional")
    assert "matrix" not in geo_imports("regional")
    assert set(geo_imports("network")) == set()


def test_no_geo_module_imports_another_modules_private_names() -> None:
    private = {
        f"geo/{module}.py takes {name} from geo.{source}"
        for module in MODULES
        for source, names in geo_imports(module).items()
        for name in names
        if name.startswith("_")
    }

    assert private == set()


def test_each_geo_module_imports_on_its_own() -> None:
    for module in ("network", "regional", "paths", "matrix"):
        result = subprocess.run([sys.executable, "-c", f"import geo.{module}"],
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, f"import geo.{module} failed:\n{result.stderr}"
