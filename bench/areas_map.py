#!/usr/bin/env python3
"""Areas: how long importing the CBS sample and rendering the wijk maps takes.

    .venv/bin/python bench/areas_map.py [--cbs-dir ../shared/data/cbs]

Runs on a throwaway in-memory SQLite database and prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["DATABASE_URL"] = "sqlite:///:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtbasis.settings")
# Measured as deployed (DEBUG off), which needs a key of its own.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))


def default_cbs_dir() -> Path:
    for parent in ROOT.parents:
        candidate = parent / "shared" / "data" / "cbs"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "data" / "cbs"


def timed(label: str, func, repeat: int = 1):
    start = time.perf_counter()
    for _ in range(repeat):
        result = func()
    elapsed = (time.perf_counter() - start) / repeat
    print(f"{label:<58} {elapsed * 1000:9.1f} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cbs-dir", type=Path, default=default_cbs_dir())
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from buurtbasis.areas.maps import municipality_map
    from buurtbasis.areas.models import Area, IndicatorValue
    from buurtbasis.areas.services import get_municipality, import_area_files, load_bundled_zwolle

    call_command("migrate", verbosity=0)
    timed("load_bundled_zwolle (first time)", load_bundled_zwolle)
    timed("load_bundled_zwolle (again, idempotent)", load_bundled_zwolle)

    cbs = args.cbs_dir
    if not (cbs / "wijken_2024_ams_rdam_zwolle.geojson").exists():
        print(f"NOTICE: shared CBS sample not found at {cbs}; only the bundled data was measured")
        return 0
    files = [
        "kwb2024_85984NED_variabelen.csv",
        "gemeenten_2024_ams_rdam_zwolle.geojson",
        "wijken_2024_ams_rdam_zwolle.geojson",
        "kwb2024_gm_wk_basis_ams_rdam_zwolle.csv",
    ]
    for name in files:
        timed(f"import {name}", lambda n=name: import_area_files(paths=[cbs / n]))
    timed(
        "import amsterdam_buurten_gebieden_2022.geojson (518 buurten)",
        lambda: import_area_files(
            paths=[cbs / "amsterdam_buurten_gebieden_2022.geojson"], year=2024
        ),
    )
    print(f"{'':<4}areas: {Area.objects.count()}, key figures: {IndicatorValue.objects.count()}")
    for code, label in (("GM0193", "Zwolle, 16 wijken"), ("GM0363", "Amsterdam, 111 wijken")):
        municipality = get_municipality(code=code)
        cache.clear()
        context = timed(
            f"map {label}, not cached",
            lambda m=municipality: municipality_map(municipality=m),
        )
        timed(
            f"map {label}, cached (mean of 20)",
            lambda m=municipality: municipality_map(municipality=m),
            repeat=20,
        )
        size = len(str(context["choropleth"].svg))
        print(f"{'':<4}SVG size {label}: {size / 1024:.1f} kB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
