import datetime

import pytest
from django.urls import reverse

from buurtbasis.initiatives import services
from buurtbasis.initiatives.models import Status, StatusChange
from buurtbasis.organisations.models import Role

from .factories import InitiativeFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(initiative):
    return reverse("initiatives:status", kwargs={"slug": initiative.slug})


def test_it_makes_an_idea_active_with_a_note_and_a_start_date(client):
    initiative = InitiativeFactory()
    client.force_login(initiative.created_by)
    response = client.post(_url(initiative), {"to_status": "active", "note": "Eerste tuindag!"})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.ACTIVE
    assert initiative.started_on is not None
    change = initiative.status_changes.last()
    assert (change.from_status, change.to_status) == ("idea", "active")
    assert change.note == "Eerste tuindag!"
    assert change.changed_by == initiative.created_by
    detail = client.get(initiative.get_absolute_url()).content.decode()
    assert "van Idee naar Actief" in detail
    assert "Eerste tuindag!" in detail


def test_it_records_the_whole_lifecycle_with_dates():
    initiative = InitiativeFactory()
    user = initiative.created_by
    days = [datetime.date(2026, 2, d) for d in (1, 2, 3, 4, 5)]
    services.change_status(initiative=initiative, to_status="active", by=user, on=days[0])
    services.change_status(initiative=initiative, to_status="paused", by=user, on=days[1])
    services.change_status(initiative=initiative, to_status="active", by=user, on=days[2])
    services.change_status(initiative=initiative, to_status="ended", by=user, on=days[3])
    initiative.refresh_from_db()
    assert initiative.started_on == days[0]  # not moved by the restart after the pause
    assert initiative.ended_on == days[3]
    services.change_status(initiative=initiative, to_status="active", by=user, on=days[4])
    initiative.refresh_from_db()
    assert initiative.ended_on is None
    steps = list(
        StatusChange.objects.filter(initiative=initiative).values_list("from_status", "to_status")
    )
    assert steps == [
        ("", "idea"),
        ("idea", "active"),
        ("active", "paused"),
        ("paused", "active"),
        ("active", "ended"),
        ("ended", "active"),
    ]


def test_it_refuses_an_impossible_step_and_records_nothing(client):
    initiative = InitiativeFactory()
    client.force_login(initiative.created_by)
    response = client.post(_url(initiative), {"to_status": "paused"})
    assert response.status_code == 200
    assert "Deze status kan nu niet" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Status.IDEA
    assert initiative.status_changes.count() == 1
    with pytest.raises(services.InitiativeError):
        services.change_status(initiative=initiative, to_status="handed_over", by=None)


def test_it_only_offers_the_possible_steps(client):
    initiative = InitiativeFactory(status=Status.ACTIVE)
    client.force_login(initiative.created_by)
    html = client.get(_url(initiative)).content.decode()
    assert 'value="paused"' in html and 'value="ended"' in html
    assert 'value="idea"' not in html and 'value="active"' not in html


def test_it_lets_the_hosts_community_worker_change_the_status(client):
    host = OrganisationFactory()
    initiative = InitiativeFactory(host_organisation=host, status=Status.ACTIVE)
    client.force_login(MembershipFactory(organisation=host, role=Role.COMMUNITY_WORKER).user)
    client.post(_url(initiative), {"to_status": "handed_over", "note": "Naar de wijkraad"})
    initiative.refresh_from_db()
    assert initiative.status == Status.HANDED_OVER


def test_it_refuses_others(client):
    initiative = InitiativeFactory()
    client.force_login(UserFactory())
    assert client.post(_url(initiative), {"to_status": "active"}).status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == Status.IDEA
