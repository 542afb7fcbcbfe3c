"""Organisation pages in real headless Chromium, checked with axe."""

import pytest
from django.conf import settings
from django.test import Client

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.organisations.models import OrganisationKind, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login_as(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_a_visitor_filters_organisations_and_opens_one(live_server, page, axe_violations):
    area = Area.objects.create(
        year=2024, code="WK019301", name="Assendorp", level=AreaLevel.DISTRICT, slug="assendorp"
    )
    travers = OrganisationFactory(name="Travers Welzijn", areas=[area])
    OrganisationFactory(name="deltaWonen", kind=OrganisationKind.HOUSING)
    Initiative.objects.create(
        name="Taalcafé Assendorp",
        slug="taalcafe-assendorp",
        pitch="Samen Nederlands praten",
        contact_email="a@example.nl",
        host_organisation=travers,
        status=Status.ACTIVE,
    )
    page.goto(f"{live_server.url}/organisaties/")
    assert axe_violations(page) == []
    # With JavaScript the list follows the choice at once; "Toon" is only there without it.
    assert not page.get_by_role("button", name="Toon").is_visible()
    page.get_by_label("Soort").select_option(OrganisationKind.HOUSING.value)
    page.wait_for_url("**soort=woningcorporatie**")
    page.get_by_role("link", name="Travers Welzijn").wait_for(state="detached")
    assert page.get_by_role("link", name="deltaWonen").is_visible()
    assert page.get_by_role("link", name="Travers Welzijn").count() == 0
    page.goto(f"{live_server.url}/organisaties/{travers.slug}/")
    page.get_by_role("heading", name="Travers Welzijn").wait_for()
    assert page.get_by_role("link", name="Taalcafé Assendorp").is_visible()
    assert axe_violations(page) == []


def test_a_community_worker_edits_the_profile(live_server, page, axe_violations):
    org = OrganisationFactory(name="Travers Welzijn")
    login_as(page, live_server, UserFactory(roles=[(Role.COMMUNITY_WORKER, org)]))
    page.goto(f"{live_server.url}/organisaties/{org.slug}/")
    page.get_by_role("heading", name="Mensen met een rol hier").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Profiel bewerken").click()
    assert axe_violations(page) == []
    page.get_by_label("E-mailadres voor bewoners").fill("geen-adres")
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".error-summary").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("E-mailadres voor bewoners").fill("info@travers.example.nl")
    page.get_by_label("Over de organisatie").fill("Wij helpen bewoners in heel Zwolle.")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het profiel is opgeslagen.").wait_for()
    org.refresh_from_db()
    assert org.email == "info@travers.example.nl"
