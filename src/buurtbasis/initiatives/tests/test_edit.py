import pytest
from django.urls import reverse

from buurtbasis.initiatives.models import Theme
from buurtbasis.organisations.models import Role

from .factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    WijkFactory,
)

pytestmark = pytest.mark.django_db


def _url(initiative):
    return reverse("initiatives:edit", kwargs={"slug": initiative.slug})


def _valid_data(initiative, **overrides):
    data = {
        "name": "Moestuin De Wipstrik",
        "pitch": "Groente kweken met de hele straat.",
        "areas": [a.pk for a in initiative.areas.all()],
        "contact_email": "nieuw@example.nl",
        "needs": ["money"],
        "themes": [Theme.objects.get(slug="greenery").pk],
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_it_lets_a_member_edit_and_keeps_the_slug(client):
    initiative = InitiativeFactory(slug="moestuin")
    client.force_login(initiative.created_by)
    second = WijkFactory()
    response = client.post(
        _url(initiative),
        _valid_data(initiative, areas=[*initiative.areas.values_list("pk", flat=True), second.pk]),
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.name == "Moestuin De Wipstrik"
    assert initiative.slug == "moestuin"
    assert initiative.contact_email == "nieuw@example.nl"
    assert initiative.needs_money and not initiative.needs_room
    assert second in initiative.areas.all()
    assert [t.slug for t in initiative.themes.all()] == ["greenery"]


def test_it_shows_the_current_values(client):
    initiative = InitiativeFactory(name="Taalcafé Diezerpoort", needs_room=True)
    client.force_login(initiative.created_by)
    html = client.get(_url(initiative)).content.decode()
    assert 'value="Taalcafé Diezerpoort"' in html
    assert 'value="room" id="id_needs_1" checked' in html


def test_it_lets_a_community_worker_of_the_host_edit(client):
    host = OrganisationFactory()
    initiative = InitiativeFactory(host_organisation=host)
    worker = MembershipFactory(organisation=host, role=Role.COMMUNITY_WORKER).user
    client.force_login(worker)
    assert client.get(_url(initiative)).status_code == 200
    assert client.post(_url(initiative), _valid_data(initiative)).status_code == 302


@pytest.mark.parametrize(
    "who",
    ["stranger", "worker_elsewhere", "finance_officer_of_host", "civil_servant"],
)
def test_it_refuses_everyone_else(client, who):
    host = OrganisationFactory()
    initiative = InitiativeFactory(host_organisation=host, name="Oud")
    if who == "stranger":
        user = UserFactory()
    elif who == "worker_elsewhere":
        user = MembershipFactory(role=Role.COMMUNITY_WORKER).user
    elif who == "finance_officer_of_host":
        user = MembershipFactory(organisation=host, role=Role.FINANCE_OFFICER).user
    else:
        user = MembershipFactory(role=Role.CIVIL_SERVANT).user
    client.force_login(user)
    assert client.get(_url(initiative)).status_code == 403
    assert client.post(_url(initiative), _valid_data(initiative)).status_code == 403
    initiative.refresh_from_db()
    assert initiative.name == "Oud"


def test_it_sends_anonymous_visitors_to_log_in(client):
    initiative = InitiativeFactory()
    response = client.get(_url(initiative))
    assert response.status_code == 302
    assert "next=" in response.url


def test_it_keeps_input_and_changes_nothing_on_errors(client):
    initiative = InitiativeFactory(name="Oud", pitch="Oude pitch")
    client.force_login(initiative.created_by)
    response = client.post(
        _url(initiative), _valid_data(initiative, pitch="Nieuwe pitch", areas=[], name="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies minstens één wijk." in html
    assert "Geef uw initiatief een naam." in html
    assert "Nieuwe pitch" in html
    initiative.refresh_from_db()
    assert (initiative.name, initiative.pitch) == ("Oud", "Oude pitch")


def test_it_lets_the_initiators_choose_a_host_who_may_then_edit_too(client):
    initiative = InitiativeFactory(needs_host=True)
    host = OrganisationFactory(name="Stichting Samenkracht Centrum")
    worker = MembershipFactory(organisation=host, role=Role.COMMUNITY_WORKER).user
    client.force_login(worker)
    detail = client.get(initiative.get_absolute_url()).content.decode()
    assert "Uw organisatie kan dit initiatief begeleiden" in detail
    assert client.get(_url(initiative)).status_code == 403

    client.force_login(initiative.created_by)
    data = _valid_data(initiative, host_organisation=host.pk, needs=["money", "host"])
    assert client.post(_url(initiative), data).status_code == 302
    initiative.refresh_from_db()
    assert initiative.host_organisation == host
    assert initiative.needs_host is False  # it has one now

    client.force_login(worker)
    assert client.get(_url(initiative)).status_code == 200


def test_it_does_not_offer_the_municipality_as_host(client):
    from buurtbasis.organisations.models import OrganisationKind

    initiative = InitiativeFactory()
    gemeente = OrganisationFactory(name="Gemeente Zwolle", kind=OrganisationKind.MUNICIPALITY)
    client.force_login(initiative.created_by)
    response = client.post(_url(initiative), _valid_data(initiative, host_organisation=gemeente.pk))
    assert response.status_code == 200
    initiative.refresh_from_db()
    assert initiative.host_organisation is None
