"""Real headless Chromium: both demo municipalities' home pages, by host name and by path."""

from urllib.parse import urlsplit

import pytest

from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE, load_bundled_municipality
from buurtbasis.platform.tenancy import ensure_tenant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two(transactional_db):
    load_bundled_municipality(ZWOLLE_CODE)
    load_bundled_municipality(ROTTERDAM_CODE)
    ensure_tenant(cbs_code=ZWOLLE_CODE, name="Zwolle", slug="zwolle", hosts=["127.0.0.1"])
    ensure_tenant(cbs_code=ROTTERDAM_CODE, name="Rotterdam", slug="rotterdam", hosts=["localhost"])


def test_both_municipalities_home_pages_open_by_host_and_by_path(
    live_server, page, axe_violations, two
):
    port = urlsplit(live_server.url).port
    zwolle, rotterdam = f"http://127.0.0.1:{port}", f"http://localhost:{port}"

    page.goto(zwolle + "/")
    assert "Zwolle" in page.locator("h1").inner_text()
    assert page.locator("svg.area-map path").count() == 16
    assert axe_violations(page) == []

    page.goto(rotterdam + "/")
    assert "Rotterdam" in page.locator("h1").inner_text()
    assert page.locator("svg.area-map path").count() == 22
    assert axe_violations(page) == []

    # one host, the other municipality under /g/rotterdam/: its links stay there
    page.goto(zwolle + "/g/rotterdam/")
    assert "Rotterdam" in page.locator("h1").inner_text()
    page.locator('svg.area-map-links a[href="/g/rotterdam/wijken/2024/WK059910/"] path').click()
    page.wait_for_url("**/g/rotterdam/wijken/2024/WK059910/")
    assert page.locator("h1").inner_text() == "Feijenoord"
    assert axe_violations(page) == []
