"""The engine is the domain: standard library (and planflow's own pure modules) only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "planflow" / "engine"
ALLOWED_PLANFLOW = {"planflow.engine", "planflow.errors"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_engine_imports_only_the_standard_library() -> None:
    modules = sorted(ENGINE.glob("*.py"))
    assert len(modules) > 10
    for path in modules:
        for name in _imports(path):
            top = name.split(".")[0]
            if top == "planflow":
                assert any(name == p or name.startswith(p + ".") for p in ALLOWED_PLANFLOW), (
                    f"{path.name} imports {name}"
                )
            else:
                assert top in sys.stdlib_module_names or top == "__future__", (
                    f"{path.name} imports {name}, which is not in the standard library"
                )
