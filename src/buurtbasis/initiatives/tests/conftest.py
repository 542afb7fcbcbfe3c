import pytest

from buurtbasis.initiatives.services import ensure_vocabulary


@pytest.fixture(autouse=True)
def _dutch(settings):
    """The assertions read the Dutch interface, whatever the browser asks for."""
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture(autouse=True)
def _vocabulary(db):
    """The seeded themes and target groups, even after a transactional test flushed them."""
    ensure_vocabulary()
