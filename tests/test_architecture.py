"""Architecture rules that keep the floors of the house apart (see docs/ARCHITECTURE.md).

Every import counts, also one inside a function: an app may import apps on its own
floor or below, never above. ``buurtcore`` never imports Django or the web project.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "src" / "buurtcore"
PROJECT = ROOT / "src" / "buurtbasis"

#: The floors, from the ground up. docs/ARCHITECTURE.md shows the same list.
FLOORS = [
    "platform",
    "accounts",
    "areas",
    "organisations",
    "initiatives",
    "budgets",
    "ballots",
    "hosting",
    "stories",
    "logbook",
    "volunteering",
    "rooms",
    "buddies",
    "referrals",
    "partnerships",
    "exchange",
    "practices",
    "continuity",
    "portal",
]
#: Modules of the project package that are not apps: they may wire everything together.
WIRING = {"settings", "urls", "wsgi", "asgi"}
#: The only modules of an app where the ORM meets buurtcore: adapters (rows <-> core types),
#: maps (area rows -> SVG through buurtcore.geo) and importers (files checked by buurtcore.geo).
ADAPTERS = {"adapters.py", "maps.py", "importers.py"}


def imported_modules(path: Path) -> set[str]:
    """Every absolute module name imported anywhere in the file (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def app_modules():
    for path in sorted(PROJECT.rglob("*.py")):
        rel = path.relative_to(PROJECT)
        if rel.parts[0] in WIRING or len(rel.parts) == 1:
            continue
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        yield rel.parts[0], rel, path


def test_every_app_has_a_floor():
    apps = {p.parent.name for p in PROJECT.glob("*/apps.py")}
    assert apps == set(FLOORS)


def test_no_app_imports_an_app_above_it():
    upward = []
    for app, rel, path in app_modules():
        floor = FLOORS.index(app)
        for name in imported_modules(path):
            parts = name.split(".")
            if parts[0] != "buurtbasis" or len(parts) < 2 or parts[1] not in FLOORS:
                continue
            if FLOORS.index(parts[1]) > floor:
                upward.append(f"{rel} imports {name}")
    assert upward == []


def test_only_adapters_and_the_top_floor_import_the_core():
    """The ORM meets buurtcore in an app's adapters.py; the portal may show core data."""
    offenders = []
    for app, rel, path in app_modules():
        if rel.name in ADAPTERS or app == "portal":
            continue
        if any(name.split(".")[0] == "buurtcore" for name in imported_modules(path)):
            offenders.append(str(rel))
    assert offenders == []


def test_it_keeps_the_core_package_free_of_django_and_the_web_project():
    offenders = {}
    for path in CORE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        bad = {n.split(".")[0] for n in imported_modules(path)} & {
            "django",
            "buurtbasis",
            "pabutools",
        }
        if bad:
            offenders[str(path.relative_to(CORE))] = sorted(bad)
    assert offenders == {}
    assert list(CORE.rglob("*.py")), "the core package has modules"


def test_the_rule_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from buurtbasis.portal import views\n")
    assert "buurtbasis.portal" in imported_modules(module)
