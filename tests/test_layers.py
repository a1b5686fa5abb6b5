"""The house's layers, read from the imports: pages → ui → display → warehouse and access.
Entry points wire the layers together: app.py for the pages, warehouse/__main__.py for the
command line (whose `briefing` draws display's 周调度 pack). Streamlit only in app.py, pages/
and ui/; no plotly, kaleido or xlsxwriter in the warehouse (its demo generator writes
workbooks); the read side never imports the loader; no import cycles."""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("access", "console", "display", "ui", "warehouse")
# An entry point may import beyond its package's layer, as nothing imports it (checked below).
ENTRY_POINTS = {"warehouse.__main__": {"display", "access"}}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        found[str(path.relative_to(ROOT).with_suffix("")).replace("/", ".")] = path
    return found


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


MODULES = modules()
IMPORTS = {name: imports(path) for name, path in MODULES.items()}


def _top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_one_way(name):
    allowed = {
        "app": {"ui", "warehouse", "access", "display"},
        "pages": {"ui", "display", "warehouse", "access"},
        "ui": {"ui", "display", "warehouse", "access"},
        "display": {"display", "warehouse"},
        "warehouse": {"warehouse", "console"},
        "access": {"access", "console"},
        "console": set(),
    }[_top(name)] | ENTRY_POINTS.get(name, set())
    ours = {_top(i) for i in IMPORTS[name]} & {*PACKAGES, "pages", "app"}
    assert ours <= allowed, (name, ours - allowed)
    if _top(name) not in ("app", "pages", "ui"):
        assert "streamlit" not in {_top(i) for i in IMPORTS[name]}, name
    if _top(name) == "warehouse" and not name.startswith("warehouse.demo"):
        assert not {_top(i) for i in IMPORTS[name]} & {"plotly", "kaleido", "xlsxwriter"}, name
    if name.startswith("warehouse") and not name.startswith(("warehouse.load", "warehouse.demo", "warehouse.cli")):
        assert not [i for i in IMPORTS[name] if i.startswith(("warehouse.load", "warehouse.demo"))], name


def test_no_import_cycles():
    graph = {
        name: {m for m in MODULES if m != name and any(i == m or i.startswith(m + ".") for i in deps)}
        for name, deps in IMPORTS.items()
    }
    # a package's __init__ is imported with any of its modules; keep only module-to-module edges
    graph = {name: {m for m in edges if not name.startswith(m + ".")} for name, edges in graph.items()}
    done, path = set(), []

    def visit(node):
        assert node not in path, " → ".join(path[path.index(node) :] + [node])
        if node in done:
            return
        path.append(node)
        for nxt in graph[node]:
            visit(nxt)
        path.pop()
        done.add(node)

    for node in graph:
        visit(node)


def test_nothing_imports_an_entry_point():
    assert not [name for name, deps in IMPORTS.items() if deps & set(ENTRY_POINTS)]


def test_the_benchmark_never_imports_the_tests():
    """`make bench` runs without the test suite: the servers both start live in bench/."""
    found = {
        str(p.relative_to(ROOT)): {i for i in imports(p) if _top(i) == "tests"} for p in (ROOT / "bench").rglob("*.py")
    }
    assert {path: names for path, names in found.items() if names} == {}
