"""The reporting package: one job per module, no import cycles, small files, a pure domain."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bot" / "reporting"
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside functions."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in _imports(path):
            # `from bot.reporting.word.parts import x` depends on that module; a package's
            # submodule import also runs the package's __init__, which is not a cycle by itself.
            if imported in modules and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def test_no_import_cycles_inside_the_reporting_package() -> None:
    graph = _graph()
    # A submodule importing its own package's __init__ would be a cycle through it.
    for name, targets in graph.items():
        parents = {name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)}
        assert not (targets & parents), f"{name} imports its own package"
    visiting: set[str] = set()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in done:
            return
        assert name not in visiting, "import cycle: " + " -> ".join([*path, name])
        visiting.add(name)
        for target in sorted(graph[name]):
            visit(target, [*path, name])
        visiting.discard(name)
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert "bot.reporting.word" in graph and "bot.reporting.prepare" in graph


def test_every_module_is_small() -> None:
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE.rglob("*.py")
    }
    assert len(sizes) >= 10
    assert {name: n for name, n in sizes.items() if n >= MAX_LINES} == {}


def test_the_domain_compiles_without_templates_or_storage() -> None:
    imported = _imports(ROOT / "bot" / "domain" / "report.py")
    for forbidden in ("jinja2", "sqlmodel", "sqlalchemy", "storage", "bot.reporting", "docx"):
        assert not any(name == forbidden or name.startswith(forbidden + ".") for name in imported)


def test_the_old_render_and_documents_modules_are_gone() -> None:
    assert not (ROOT / "bot" / "render.py").exists()
    assert not (ROOT / "bot" / "documents").exists()
