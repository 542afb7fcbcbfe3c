"""Small invented Pabulib elections for examples, documentation and the demo.

The projects, voters and figures are made up (no real data):

``buurtbudget_approval.pb``
    Buurtbudget Rivierwijk: approval voting (up to 4 projects), two parts of the
    neighbourhood with different wishes, so that "most votes first" and the Method
    of Equal Shares choose differently.
``buurtbudget_categories.pb``
    Buurtbudget Lindehof: approval voting with a budget per category (Amsterdam style).
``buurtbudget_cumulative.pb``
    Buurtbudget Havenkwartier: every resident spreads 5 points.
``buurtbudget_ordinal.pb``
    Buurtbudget Kerkebuurt: every resident ranks their top 3.

>>> for path in example_files():
...     print(path.name)
buurtbudget_approval.pb
buurtbudget_categories.pb
buurtbudget_cumulative.pb
buurtbudget_ordinal.pb
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["example_files", "example_path"]

EXAMPLES_DIR = Path(__file__).resolve().parent


def example_files() -> list[Path]:
    """The shipped example files."""
    return sorted(EXAMPLES_DIR.glob("*.pb"))


def example_path(name: str) -> Path:
    """The path of one example, e.g. ``example_path("buurtbudget_approval.pb")``."""
    path = EXAMPLES_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"no example named {name!r}")
    return path
