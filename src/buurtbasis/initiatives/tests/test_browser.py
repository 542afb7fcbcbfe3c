"""Real headless Chromium: accessibility (axe) and the start flow on a phone without JS."""

import pytest
from django.conf import settings
from django.test import Client

from buurtbasis.initiatives import services
from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.organisations.models import Role

from .factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    WijkFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(context, live_server, user):
    """Give the browser context the session cookie of `user`."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_it_has_no_axe_violations_on_the_list_detail_and_start_pages(
    page, axe_violations, live_server
):
    host = OrganisationFactory(name="Stichting Samenkracht Centrum")
    wijk = WijkFactory(name="Wijk 13 Assendorp")
    for n in range(3):
        InitiativeFactory(
            name=f"Repair Café {n}", areas=[wijk], status=Status.ACTIVE, needs_volunteers=True
        )
    initiative = InitiativeFactory(
        name="Taalcafé Assendorp", areas=[wijk], host_organisation=host, needs_room=True
    )

    page.goto(f"{live_server.url}/initiatieven/")
    assert page.get_by_role("heading", name="Initiatieven in de buurt").is_visible()
    assert axe_violations(page) == []
    assert _no_horizontal_scroll(page)

    page.goto(f"{live_server.url}/initiatieven/?q=taal&status=idea")
    assert page.get_by_role("link", name="Taalcafé Assendorp").is_visible()
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}{initiative.get_absolute_url()}")
    assert page.get_by_role("heading", name="Wat we nodig hebben").is_visible()
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/initiatieven/starten/")  # anonymous: the explanation
    assert page.get_by_role("heading", name="Waarom moet ik inloggen?").is_visible()
    assert axe_violations(page) == []

    _log_in(page.context, live_server, initiative.created_by)
    page.goto(f"{live_server.url}/initiatieven/starten/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start mijn initiatief").click()
    assert page.get_by_role("heading", name="Er klopt nog iets niet").is_visible()
    assert axe_violations(page) == []

    for path in ("bewerken", "status", "initiatiefnemers"):
        page.goto(f"{live_server.url}{initiative.get_absolute_url()}{path}/")
        assert axe_violations(page) == []
    page.get_by_role("button", name="Stuur de uitnodiging").click()  # empty: an error
    assert page.get_by_role("heading", name="Er klopt nog iets niet").is_visible()
    assert axe_violations(page) == []
    token = services.make_invitation(initiative, initiative.created_by.email, initiative.created_by)
    page.goto(f"{live_server.url}{initiative.get_absolute_url()}uitnodiging/{token}/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}{initiative.get_absolute_url()}")
    assert page.get_by_role("link", name="Bewerken").is_visible()
    assert axe_violations(page) == []


def test_it_has_no_axe_violations_on_the_dashboards(page, axe_violations, live_server):
    org = OrganisationFactory()
    worker = MembershipFactory(organisation=org, role=Role.COMMUNITY_WORKER).user
    MembershipFactory(user=worker, organisation=org, role=Role.CIVIL_SERVANT)
    wijk = WijkFactory()
    org.areas.set([wijk])
    InitiativeFactory(host_organisation=org, created_by=worker, areas=[wijk], needs_money=True)
    InitiativeFactory(areas=[wijk], needs_host=True)
    _log_in(page.context, live_server, worker)
    page.goto(f"{live_server.url}/mijn/")
    assert page.get_by_role("heading", name="Initiatieven die wij begeleiden").is_visible()
    assert page.get_by_role("heading", name="Initiatieven per wijk").is_visible()
    assert axe_violations(page) == []


def test_it_starts_an_initiative_on_a_phone_without_javascript(page, live_server):
    wijk = WijkFactory(name="Wijk 30 Holtenbroek")
    user = UserFactory(email="fatima@example.nl")
    context = page.context.browser.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 360, "height": 740}
    )
    try:
        _log_in(context, live_server, user)
        phone = context.new_page()
        phone.set_default_timeout(10_000)
        phone.goto(f"{live_server.url}/initiatieven/")
        phone.get_by_role("link", name="Start een initiatief").first.click()
        assert phone.get_by_role("heading", name="Start een initiatief").is_visible()
        assert phone.get_by_label("E-mailadres voor contact").input_value() == "fatima@example.nl"

        # First try: forgot the pitch and the wijk.
        phone.get_by_label("Naam van uw initiatief").fill("Huiswerkklas Holtenbroek")
        phone.get_by_role("button", name="Start mijn initiatief").click()
        summary = phone.locator(".error-summary")
        assert summary.is_visible()
        assert "Vertel in een of twee zinnen wat u wilt doen." in summary.inner_text()
        assert phone.get_by_label("Naam van uw initiatief").input_value() == (
            "Huiswerkklas Holtenbroek"
        )
        assert Initiative.objects.count() == 0

        phone.get_by_label("Wat wilt u doen?").fill("Hulp bij huiswerk na school.")
        phone.get_by_label("In welke wijk?").select_option(label="Wijk 30 Holtenbroek")
        phone.get_by_label("Vrijwilligers").check()
        phone.get_by_role("button", name="Start mijn initiatief").click()

        assert phone.get_by_role("heading", name="Huiswerkklas Holtenbroek").is_visible()
        assert "Uw initiatief is gestart" in phone.locator(".messages").inner_text()
        initiative = Initiative.objects.get()
        assert initiative.status == Status.IDEA
        assert list(initiative.areas.all()) == [wijk]
        assert initiative.needs_volunteers
        assert list(initiative.members.all()) == [user]
    finally:
        context.close()


def test_it_updates_the_results_while_typing_with_javascript(page, live_server):
    InitiativeFactory(name="Taalcafé Diezerpoort", status=Status.ACTIVE)
    InitiativeFactory(name="Buurtmoestuin Wipstrik", status=Status.ACTIVE)
    page.goto(f"{live_server.url}/initiatieven/")
    assert page.locator("#results .card").count() == 2
    page.get_by_label("Zoeken", exact=True).fill("moestuin")
    page.wait_for_function("document.querySelectorAll('#results .card').length === 1")
    assert page.get_by_role("link", name="Buurtmoestuin Wipstrik").is_visible()
    assert "q=moestuin" in page.url  # the address can be shared and reloaded
    page.locator(".filters summary").click()  # the filters are folded away on a phone
    page.get_by_label("Status").select_option("idea")
    page.wait_for_function("document.querySelectorAll('#results .card').length === 0")
    assert "Geen initiatieven gevonden" in page.locator("#results").inner_text()
