"""The package is laid out by stage, and imports flow one way: load -> score -> render ->
build, with io beside render (it reads scores, never pages), common and speedups underneath,
and api and cli on top. No module imports one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "assessment"
# What each part may import, besides itself.
ALLOWED = {
    "common": set(),
    "speedups": {"common"},
    "load": {"common"},
    "score": {"common", "load"},
    "render": {"common", "load", "score", "speedups"},
    "build": {"common", "load", "score", "render", "speedups"},
    "io": {"common", "load", "score"},
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{path}: relative import; write the full module name")
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            targets |= {n for n in names if n.startswith("assessment.")}
        found[_module(path)] = targets
    return {m: {t for t in ts if t in found} for m, ts in found.items()}


def test_every_stage_is_a_subpackage_that_says_what_it_owns():
    for stage in ALLOWED:
        init = PACKAGE / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init} needs a docstring saying what the stage owns and may import"
        assert "May import" in doc, init
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "api"}
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages == {*ALLOWED, "cli"}


def test_imports_flow_one_way():
    wrong = []
    for module, targets in _imports().items():
        part = module.split(".")[1] if module.count(".") else ""
        if part not in ALLOWED:
            continue  # api and cli, on top
        for target in targets:
            other = target.split(".")[1]
            if other != part and other not in ALLOWED[part]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_module_imports_itself_back():
    graph = _imports()
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        for target in sorted(graph.get(module, ())):
            if target in trail:
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in done:
                visit(target, [*trail, target])
        done.add(module)

    done: set[str] = set()
    for module in sorted(graph):
        visit(module, [module])
    assert cycles == []
