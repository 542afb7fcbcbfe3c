import pytest


@pytest.fixture(autouse=True)
def _dutch(settings):
    """The assertions read the Dutch interface, whatever the browser asks for."""
    settings.LANGUAGE_CODE = "nl"
