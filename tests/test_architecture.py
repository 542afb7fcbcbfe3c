"""Architecture rules that keep the layers apart."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "src" / "buurtcore"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_it_keeps_the_core_package_free_of_django_and_the_web_project():
    offenders = {}
    for path in CORE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        bad = imported_modules(path) & {"django", "buurtbasis", "pabutools"}
        if bad:
            offenders[str(path.relative_to(CORE))] = sorted(bad)
    assert offenders == {}
    assert list(CORE.rglob("*.py")), "the core package has modules"
