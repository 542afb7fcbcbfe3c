"""The look in real headless Chromium: a compact header whose menu folds on a phone (with and
without JavaScript), filter buttons only without JavaScript, tables that scroll on a phone and
fit on a desktop, and axe at zero serious or critical findings on the pages this touched."""

import pytest

from buurtbasis.accounts.tests.factories import OrganisationFactory
from buurtbasis.areas.models import Area
from buurtbasis.areas.services import load_bundled_zwolle
from buurtbasis.areas.tests.factories import make_initiative
from buurtbasis.organisations.models import OrganisationKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
HEADER_MAX_PX = 72  # collapsed, on a 390 x 844 phone (it was 180-215 px)
PAGES = ["/", "/initiatieven/", "/organisaties/", "/wijken/", "/account/registreren/"]


@pytest.fixture
def demo(transactional_db):
    load_bundled_zwolle()
    make_initiative(areas=[Area.objects.get(code="WK019322")], name="Repair Café Stadshagen")
    OrganisationFactory(name="Travers Welzijn")
    OrganisationFactory(name="deltaWonen", kind=OrganisationKind.HOUSING)


@pytest.fixture
def browser_page(_chromium):
    contexts = []

    def open_page(viewport=PHONE, javascript=True):
        context = _chromium.new_context(
            locale="nl-NL", viewport=viewport, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def header_height(page) -> float:
    return page.evaluate("document.querySelector('header').getBoundingClientRect().height")


def menu_link(page, name):
    return page.locator(".bb-nav--menu").get_by_role("link", name=name)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_header_is_compact_on_a_phone(live_server, browser_page, demo, javascript):
    page = browser_page(PHONE, javascript)
    for path in PAGES:
        page.goto(live_server.url + path)
        assert header_height(page) <= HEADER_MAX_PX, path
        assert page.locator("summary.bb-menu__toggle").is_visible()
        assert not menu_link(page, "Organisaties").is_visible()  # folded
        assert not page.locator(".bb-nav--wide").is_visible()


def test_the_menu_opens_without_javascript(live_server, browser_page, demo):
    page = browser_page(PHONE, javascript=False)
    page.goto(live_server.url + "/")
    page.locator("summary.bb-menu__toggle").click()
    menu_link(page, "Organisaties").click()
    page.wait_for_url("**/organisaties/")
    assert page.get_by_role("heading", name="Organisaties", level=1).is_visible()


def test_the_menu_opens_with_the_keyboard_and_reads_well(
    live_server, browser_page, axe_violations, demo
):
    page = browser_page(PHONE)
    page.goto(live_server.url + "/initiatieven/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # the name of the site
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    link = menu_link(page, "Initiatieven")
    assert link.is_visible() and link.get_attribute("aria-current") == "page"
    assert page.locator("details.bb-menu").get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Initiatieven"
    # The open menu lies over the page: every link is a big enough target and axe is happy.
    for box in [a.bounding_box() for a in page.locator(".bb-nav--menu .bb-nav__link").all()]:
        assert box["height"] >= 44
    assert axe_violations(page) == []
    page.locator("summary.bb-menu__toggle").click()
    assert not link.is_visible()


def test_a_desktop_shows_the_links_in_one_row(live_server, browser_page, demo):
    page = browser_page(DESKTOP)
    page.goto(live_server.url + "/")
    assert header_height(page) <= HEADER_MAX_PX
    assert not page.locator("summary.bb-menu__toggle").is_visible()
    wide = page.locator(".bb-nav--wide")
    assert wide.get_by_role("link", name="Organisaties").is_visible()
    assert wide.get_by_role("button", name="English").is_visible()


def test_tables_scroll_on_a_phone_and_fit_on_a_desktop(live_server, browser_page, demo):
    measure = """() => {
        const wrap = document.querySelector('.bb-table-wrap');
        return {wrap: wrap.scrollWidth - wrap.clientWidth,
                page: document.documentElement.scrollWidth - window.innerWidth};
    }"""
    phone = browser_page(PHONE)
    phone.goto(live_server.url + "/wijken/")
    overflow = phone.evaluate(measure)
    assert overflow["wrap"] > 0 and overflow["page"] <= 0  # the table scrolls, the page does not
    assert phone.locator(".bb-table-wrap").get_attribute("tabindex") == "0"
    desktop = browser_page(DESKTOP)
    desktop.goto(live_server.url + "/wijken/")
    assert desktop.evaluate(measure) == {"wrap": 0, "page": 0}  # nothing cut off


def test_filter_buttons_show_only_without_javascript(live_server, browser_page, demo):
    with_js = browser_page(PHONE)
    without_js = browser_page(PHONE, javascript=False)
    for path, name in [("/", "Toon"), ("/organisaties/", "Toon"), ("/initiatieven/", "Zoeken")]:
        with_js.goto(live_server.url + path)
        without_js.goto(live_server.url + path)
        button = with_js.get_by_role("button", name=name, exact=True, include_hidden=True)
        assert button.count() == 1 and not button.is_visible(), path
        assert without_js.get_by_role("button", name=name, exact=True).is_visible(), path
    # The language switch is one button to the other language: nothing to confirm.
    assert with_js.locator("select#language-select").count() == 0
    without_js.locator("summary.bb-menu__toggle").click()
    without_js.locator(".bb-nav--menu").get_by_role("button", name="English").click()
    without_js.get_by_role("heading", name="Initiatives in the neighbourhood").wait_for()


def test_without_javascript_the_filter_button_still_filters(live_server, browser_page, demo):
    page = browser_page(PHONE, javascript=False)
    page.goto(live_server.url + "/organisaties/")
    page.get_by_label("Soort").select_option(OrganisationKind.HOUSING.value)
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**soort=woningcorporatie**")
    assert page.get_by_role("link", name="Travers Welzijn").count() == 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_nothing_serious_on_the_changed_pages(
    live_server, browser_page, axe_violations, demo, viewport
):
    page = browser_page(viewport)
    for path in PAGES:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    page.goto(live_server.url + "/account/registreren/")
    page.get_by_role("button", name="Account maken").click()
    page.locator(".error-summary").wait_for()
    assert axe_violations(page) == []
