"""Budgets is a floor below ballots: it announces (signals), it never imports ballots.

The lead's architecture test checks every app; this one keeps counting honest meanwhile.
"""

import ast
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parents[2]
# Demo loaders look at every app; they move to the top floor (portal).
NOT_A_FLOOR = {"demo.py"}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, also inside functions."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules(app: str):
    for path in sorted((APPS / app).rglob("*.py")):
        if "tests" in path.parts or path.name in NOT_A_FLOOR:
            continue
        yield path


def test_budgets_never_imports_ballots():
    offenders = {
        str(path.relative_to(APPS)): sorted(n for n in _imports(path) if "ballots" in n)
        for path in _modules("budgets")
        if any(n.startswith("buurtbasis.ballots") for n in _imports(path))
    }
    assert offenders == {}


@pytest.mark.parametrize("app", ["budgets", "ballots"])
def test_only_adapters_run_the_voting_engine(app):
    users = {
        path.name
        for path in _modules(app)
        if any(n == "buurtcore" or n.startswith("buurtcore.voting") for n in _imports(path))
    }
    assert users <= {"adapters.py"}
