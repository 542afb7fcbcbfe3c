import re

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import DEFAULT_PASSWORD
from buurtbasis.initiatives.models import Initiative, Status, StatusChange, TargetGroup, Theme

from .factories import InitiativeFactory, UserFactory, WijkFactory

pytestmark = pytest.mark.django_db
URL = reverse("initiatives:start")


@pytest.fixture
def resident(client):
    user = UserFactory(email="anna@example.nl")
    client.force_login(user)
    return user


def test_it_explains_and_asks_anonymous_visitors_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Waarom moet ik inloggen?" in html
    assert "next=%2Finitiatieven%2Fstarten%2F" in html
    assert '<form method="post"' not in html


def test_it_sends_an_anonymous_post_to_the_login_page(client):
    wijk = WijkFactory()
    response = client.post(
        URL,
        {"name": "Moestuin", "pitch": "Tuinieren", "area": wijk.pk, "contact_email": "a@b.nl"},
    )
    assert response.status_code == 302
    assert "next=" in response.url
    assert Initiative.objects.count() == 0


def test_it_prefills_the_users_email(client, resident):
    WijkFactory(name="Wijk 13 Assendorp")
    response = client.get(URL)
    html = response.content.decode()
    assert 'value="anna@example.nl"' in html
    assert "Wijk 13 Assendorp" in html


def test_it_starts_an_initiative_with_only_the_four_required_fields(client, resident):
    wijk = WijkFactory()
    response = client.post(
        URL,
        {
            "name": "Moestuin Assendorp",
            "pitch": "Samen groente kweken.",
            "area": wijk.pk,
            "contact_email": "tuin@example.nl",
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("initiatives:detail", kwargs={"slug": "moestuin-assendorp"})
    assert initiative.status == Status.IDEA
    assert initiative.created_by == resident
    assert list(initiative.members.all()) == [resident]
    assert list(initiative.areas.all()) == [wijk]
    assert initiative.is_public is False  # an unticked checkbox is sent as nothing
    change = StatusChange.objects.get(initiative=initiative)
    assert (change.from_status, change.to_status, change.changed_by) == ("", Status.IDEA, resident)


def test_it_saves_the_optional_extras(client, resident):
    wijk = WijkFactory()
    food = Theme.objects.get(slug="food")
    older = TargetGroup.objects.get(slug="older-people")
    client.post(
        URL,
        {
            "name": "Samen eten",
            "pitch": "Elke week een warme maaltijd voor ouderen.",
            "area": wijk.pk,
            "contact_email": "eten@example.nl",
            "description": "In het buurthuis.",
            "themes": [food.pk],
            "target_groups": [older.pk],
            "needs": ["room", "volunteers"],
            "contact_name": "Anna",
            "contact_phone": "06 12345678",
            "is_public": "on",
        },
    )
    initiative = Initiative.objects.get()
    assert list(initiative.themes.all()) == [food]
    assert list(initiative.target_groups.all()) == [older]
    assert (initiative.needs_room, initiative.needs_volunteers, initiative.needs_money) == (
        True,
        True,
        False,
    )
    assert initiative.contact_phone == "06 12345678"
    assert initiative.is_public is True


def test_it_shows_dutch_errors_and_keeps_what_was_typed(client, resident):
    response = client.post(
        URL,
        {"name": "Taalcafé Holtenbroek", "pitch": "", "area": "", "contact_email": "geen-adres"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_pitch"' in html
    assert "Vertel in een of twee zinnen wat u wilt doen." in html
    assert "Kies de wijk van uw initiatief." in html
    assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in html
    assert 'value="Taalcafé Holtenbroek"' in html
    assert 'value="geen-adres"' in html
    assert 'aria-invalid="true"' in html
    assert Initiative.objects.count() == 0


def test_it_rejects_an_unknown_wijk_and_a_bad_phone_number(client, resident):
    response = client.post(
        URL,
        {
            "name": "Klussendienst",
            "pitch": "Wij helpen met kleine klussen.",
            "area": "999999",
            "contact_email": "klus@example.nl",
            "contact_phone": "bel me",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies een geldige keuze" in html or "geldige keuze" in html
    assert "telefoonnummer" in html
    assert Initiative.objects.count() == 0


def test_it_gives_a_second_initiative_with_the_same_name_its_own_slug(client, resident):
    wijk = WijkFactory()
    InitiativeFactory(name="Repair Café", slug="repair-cafe")
    client.post(
        URL,
        {
            "name": "Repair Café",
            "pitch": "Samen repareren.",
            "area": wijk.pk,
            "contact_email": "r@example.nl",
        },
    )
    assert Initiative.objects.filter(slug="repair-cafe-2").exists()


def test_it_limits_how_many_initiatives_one_person_starts_per_hour(client, resident, settings):
    from django.core.cache import cache

    from buurtbasis.initiatives import views

    cache.clear()
    settings.RATELIMIT_ENABLED = True
    wijk = WijkFactory()
    for n in range(views.START_LIMIT + 1):
        response = client.post(
            URL,
            {
                "name": f"Idee {n}",
                "pitch": "Iets moois.",
                "area": wijk.pk,
                "contact_email": "a@b.nl",
            },
        )
    assert Initiative.objects.count() == views.START_LIMIT
    assert response.status_code == 200
    assert "Probeer het later nog eens" in response.content.decode()
    assert 'value="Idee 10"' in response.content.decode()
    cache.clear()


def test_it_brings_the_visitor_back_to_the_form_after_logging_in(client):
    UserFactory(email="kees@example.nl")
    html = client.get(URL).content.decode()
    login_link = re.search(r'class="button" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    login_page = client.get(login_link)
    assert login_page.status_code == 200
    response = client.post(
        login_link, {"username": "kees@example.nl", "password": DEFAULT_PASSWORD, "next": URL}
    )
    assert response.status_code == 302
    assert response.url == URL
    assert 'value="kees@example.nl"' in client.get(URL).content.decode()


def test_it_refuses_a_name_with_a_right_to_left_override(client, resident):
    wijk = WijkFactory()
    data = {"name": "Moestuin \u202enidroopsA", "pitch": "Tuinieren", "area": wijk.pk}
    response = client.post(URL, {**data, "contact_email": "anna@example.nl"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Dit veld mag geen regeleinden, tabs of onzichtbare stuurtekens bevatten (zoals een "
        "teken dat de schrijfrichting omdraait)."
    ]
    assert not Initiative.objects.exists()
