import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.initiatives.models import Status
from buurtbasis.initiatives.tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    UserFactory,
    WijkFactory,
)
from buurtbasis.organisations.models import OrganisationKind, Role

pytestmark = pytest.mark.django_db
URL = reverse("portal:dashboard")


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def _get(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "next=%2Fmijn%2F" in response.url


def test_it_shows_a_resident_only_their_own_initiatives(client):
    user = UserFactory()
    InitiativeFactory(name="Mijn taalcafé", created_by=user, needs_room=True)
    InitiativeFactory(name="Andermans moestuin")
    response, html = _get(client, user)
    assert "Mijn taalcafé" in html
    assert "Een ruimte of plek" in html
    assert "Andermans moestuin" not in html
    assert reverse("initiatives:start") in html
    assert "Initiatieven die wij begeleiden" not in html
    assert "Initiatieven per wijk" not in html
    assert reverse("admin:index") not in html


def test_it_shows_a_community_worker_what_their_organisation_hosts(client):
    org = OrganisationFactory(kind=OrganisationKind.WELFARE)
    worker = MembershipFactory(organisation=org, role=Role.COMMUNITY_WORKER).user
    InitiativeFactory(name="Huiswerkklas", host_organisation=org, status=Status.ACTIVE)
    InitiativeFactory(name="Repair café", host_organisation=org, status=Status.PAUSED)
    InitiativeFactory(name="Van een ander", host_organisation=OrganisationFactory())
    response, html = _get(client, worker)
    assert "Initiatieven die wij begeleiden" in html
    assert "Huiswerkklas" in html and "Repair café" in html
    assert "Van een ander" not in html
    names = [i.name for i in response.context["worker"]["hosted"]]
    assert names == ["Huiswerkklas", "Repair café"]
    response, _html = _get(client, worker, sort="-name")
    assert [i.name for i in response.context["worker"]["hosted"]] == ["Repair café", "Huiswerkklas"]
    response, _html = _get(client, worker, status="paused")
    assert [i.name for i in response.context["worker"]["hosted"]] == ["Repair café"]
    response, _html = _get(client, worker, status="nonsense", sort="nonsense")
    assert len(response.context["worker"]["hosted"]) == 2


def test_it_shows_a_community_worker_who_needs_a_host_in_their_areas(client):
    gemeente = MunicipalityFactory()
    mine, other = WijkFactory(parent=gemeente), WijkFactory(parent=gemeente)
    org = OrganisationFactory(areas=[mine])
    worker = MembershipFactory(organisation=org, role=Role.COMMUNITY_WORKER).user
    InitiativeFactory(name="Zoekt gastheer hier", areas=[mine], needs_host=True)
    InitiativeFactory(name="Zoekt gastheer daar", areas=[other], needs_host=True)
    InitiativeFactory(name="Heeft al een", areas=[mine], needs_host=True, host_organisation=org)
    InitiativeFactory(name="Zoekt niets", areas=[mine])
    InitiativeFactory(name="Gestopt", areas=[mine], needs_host=True, status=Status.ENDED)
    response, _html = _get(client, worker)
    assert [i.name for i in response.context["worker"]["needing_host"]] == ["Zoekt gastheer hier"]
    # An organisation that works in the whole gemeente sees every wijk of it.
    org.areas.set([gemeente])
    response, _html = _get(client, worker)
    names = sorted(i.name for i in response.context["worker"]["needing_host"])
    assert names == ["Zoekt gastheer daar", "Zoekt gastheer hier"]


def test_it_shows_a_civil_servant_counts_per_wijk(client):
    gemeente = MunicipalityFactory()
    a = WijkFactory(parent=gemeente, code="WK019310", name="Binnenstad")
    b = WijkFactory(parent=gemeente, code="WK019311", name="Diezerpoort")
    municipality = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY, areas=[gemeente])
    servant = MembershipFactory(organisation=municipality, role=Role.CIVIL_SERVANT).user
    InitiativeFactory(areas=[a], status=Status.ACTIVE, needs_money=True)
    InitiativeFactory(areas=[a], status=Status.ACTIVE, needs_money=True, needs_room=True)
    InitiativeFactory(areas=[a, b], status=Status.IDEA, needs_room=True)
    InitiativeFactory(areas=[b], status=Status.ENDED, needs_money=True)
    response, html = _get(client, servant)
    assert "Initiatieven per wijk" in html
    rows = {r.area.name: r for r in _block(response, "initiatives.wijken")["rows"]}
    assert list(rows) == ["Binnenstad", "Diezerpoort"]
    statuses = list(Status.values)
    assert rows["Binnenstad"].total == 3
    assert rows["Binnenstad"].by_status[statuses.index("active")] == 2
    assert rows["Binnenstad"].by_status[statuses.index("idea")] == 1
    assert rows["Binnenstad"].by_need[:2] == [2, 2]  # money, room
    assert rows["Diezerpoort"].total == 2
    assert rows["Diezerpoort"].by_need[:2] == [0, 1]  # the ended one does not ask for money
    totals = _block(response, "initiatives.wijken")["totals"]
    assert totals.total == 5


def test_it_links_platform_admins_to_the_admin(client):
    admin = MembershipFactory(role=Role.PLATFORM_ADMIN).user
    _response, html = _get(client, admin)
    assert reverse("admin:index") in html


def _queries_for_worker(client, n):
    org = OrganisationFactory()
    worker = MembershipFactory(organisation=org, role=Role.COMMUNITY_WORKER).user
    servant = MembershipFactory(organisation=org, role=Role.CIVIL_SERVANT, user=worker).user
    for _ in range(n):
        InitiativeFactory(host_organisation=org, created_by=servant, needs_host=True)
    client.force_login(worker)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert len(response.context["worker"]["hosted"]) == n
    return len(ctx.captured_queries)


def test_it_runs_the_same_number_of_queries_for_3_and_30_initiatives(client):
    few = _queries_for_worker(client, 3)
    many = _queries_for_worker(client, 30)
    assert few == many


def _block(response, key):
    """The context of one dashboard block (apps contribute them through the registry)."""
    return next(b.context for b in response.context["blocks"] if b.key == key)
