import pytest
from django.urls import reverse

from buurtbasis.initiatives.models import Status
from buurtbasis.organisations.models import Role

from .factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    TargetGroupFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _html(client, initiative):
    response = client.get(initiative.get_absolute_url())
    return response.status_code, response.content.decode()


def test_it_shows_the_public_page_to_anonymous_visitors_without_the_email(client):
    host = OrganisationFactory(name="Stichting Samen Assendorp")
    initiative = InitiativeFactory(
        name="Repair Café Assendorp",
        pitch="Samen spullen repareren.",
        contact_email="geheim@example.nl",
        contact_phone="0612345678",
        needs_volunteers=True,
        needs_host=False,
        host_organisation=host,
        themes=[ThemeFactory(name="Repair and reuse")],
        target_groups=[TargetGroupFactory(name="Older people")],
    )
    status, html = _html(client, initiative)
    assert status == 200
    assert "Repair Café Assendorp" in html
    assert "Samen spullen repareren." in html
    assert "Vrijwilligers" in html
    assert "Repareren en hergebruiken" in html  # the stored English name, translated
    assert "Ouderen" in html
    assert "Stichting Samen Assendorp" in html
    assert initiative.areas.get().name in html
    assert "geheim@example.nl" not in html
    assert "0612345678" not in html
    assert "Log in om te zien" in html
    assert reverse("initiatives:edit", kwargs={"slug": initiative.slug}) not in html


def test_it_shows_contact_details_to_logged_in_users(client):
    initiative = InitiativeFactory(contact_email="contact@example.nl")
    client.force_login(UserFactory())
    status, html = _html(client, initiative)
    assert "contact@example.nl" in html
    assert reverse("initiatives:edit", kwargs={"slug": initiative.slug}) not in html


def test_it_escapes_the_description_and_keeps_paragraphs(client):
    initiative = InitiativeFactory(description="Eerste alinea.\n\n<script>alert(1)</script>")
    status, html = _html(client, initiative)
    assert "<p>Eerste alinea.</p>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("who", "sees_page", "sees_edit"),
    [
        ("anonymous", False, False),
        ("resident", False, False),
        ("member", True, True),
        ("host_worker", True, True),
        ("other_worker", False, False),
        ("host_finance_officer", False, False),
    ],
)
def test_it_hides_a_private_idea_from_all_but_its_managers(client, who, sees_page, sees_edit):
    host = OrganisationFactory()
    initiative = InitiativeFactory(is_public=False, status=Status.IDEA, host_organisation=host)
    user = {
        "anonymous": None,
        "resident": lambda: UserFactory(),
        "member": lambda: initiative.created_by,
        "host_worker": lambda: (
            MembershipFactory(organisation=host, role=Role.COMMUNITY_WORKER).user
        ),
        "other_worker": lambda: MembershipFactory(role=Role.COMMUNITY_WORKER).user,
        "host_finance_officer": lambda: (
            MembershipFactory(organisation=host, role=Role.FINANCE_OFFICER).user
        ),
    }[who]
    if user:
        client.force_login(user())
    status, html = _html(client, initiative)
    assert status == (200 if sees_page else 404)
    edit_url = reverse("initiatives:edit", kwargs={"slug": initiative.slug})
    assert (edit_url in html) is sees_edit


def test_it_shows_a_non_public_initiative_once_it_is_active(client):
    initiative = InitiativeFactory(is_public=False, status=Status.ACTIVE)
    assert _html(client, initiative)[0] == 200


def test_it_returns_404_for_an_unknown_slug(client):
    url = reverse("initiatives:detail", kwargs={"slug": "bestaat-niet"})
    assert client.get(url).status_code == 404
