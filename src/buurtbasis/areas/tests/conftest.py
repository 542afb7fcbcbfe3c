import os
from pathlib import Path

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def cbs_dir() -> Path:
    """The full shared CBS sample files (Amsterdam, Rotterdam, Zwolle)."""
    if os.environ.get("CBS_DATA_DIR"):
        path = Path(os.environ["CBS_DATA_DIR"])
    else:
        # The shared data folder sits next to the checkout (or next to a parent of it).
        candidates = [p / "shared" / "data" / "cbs" for p in Path(settings.BASE_DIR).parents]
        path = next((c for c in candidates if c.is_dir()), candidates[0])
    if not (path / "wijken_2024_ams_rdam_zwolle.geojson").exists():
        if IN_CI:
            pytest.fail(f"CBS sample files not found at {path} (required under CI=true)")
        pytest.skip(f"NOTICE: CBS sample files not found at {path}; set CBS_DATA_DIR")
    return path


@pytest.fixture
def zwolle(db):
    from buurtbasis.areas.services import load_bundled_zwolle

    return load_bundled_zwolle()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
