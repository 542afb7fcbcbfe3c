"""Real headless Chromium: the map pages work and axe finds no serious violations."""

import pytest

from buurtbasis.areas.models import Area
from buurtbasis.areas.services import load_bundled_zwolle

from .factories import make_initiative

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    zwolle = load_bundled_zwolle()
    make_initiative(areas=[Area.objects.get(code="WK019322")], name="Repair Café Stadshagen")
    return zwolle


def test_it_has_an_accessible_home_map(live_server, page, axe_violations, demo):
    page.goto(live_server.url + "/")
    assert page.locator("svg.area-map path").count() == 16
    assert page.locator("table.map-table tbody tr").count() == 16
    assert axe_violations(page) == []


def test_it_changes_the_indicator_without_javascript(live_server, _chromium, demo):
    context = _chromium.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.select_option("#map-indicator", "percentagePersonen65JaarEnOuder")
    page.get_by_role("button", name="Toon").or_(page.get_by_role("button", name="Show")).click()
    page.wait_for_url("**indicator=percentagePersonen65JaarEnOuder**")
    assert "65" in page.locator("table.map-table th.num").first.inner_text()
    context.close()


def test_it_swaps_the_map_with_htmx(live_server, page, demo):
    page.goto(live_server.url + "/")
    first = page.locator("#wijkkaart-title").text_content()
    page.select_option("#map-indicator", "AantalInwoners_5")
    page.wait_for_function(
        "t => document.querySelector('#wijkkaart-title').textContent !== t", arg=first
    )
    assert "indicator=AantalInwoners_5" in page.url
    assert page.locator("#map-status").text_content().strip() != ""


def test_it_opens_a_wijk_page_from_the_map(live_server, page, axe_violations, demo):
    page.goto(live_server.url + "/")
    page.locator('svg.area-map-links a[href="/wijken/2024/WK019322/"] path').click()
    page.wait_for_url("**/wijken/2024/WK019322/")
    assert page.locator("h1").inner_text() == "Wijk 22 Stadshagen"
    assert "Repair Café Stadshagen" in page.content()
    assert axe_violations(page) == []


def test_it_has_an_accessible_wijk_index(live_server, page, axe_violations, demo):
    page.goto(live_server.url + "/wijken/")
    assert page.locator("table.district-table tbody tr").count() == 16
    assert axe_violations(page) == []
