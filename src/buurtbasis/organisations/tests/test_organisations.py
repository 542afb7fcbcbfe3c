import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.organisations.models import OrganisationKind, Role

pytestmark = pytest.mark.django_db

LIST = reverse("organisations:list")


def make_area(code="WK019301", name="Assendorp"):
    return Area.objects.create(
        year=2024, code=code, name=name, level=AreaLevel.DISTRICT, slug=name.lower()
    )


def host(org, name, **kwargs):
    return Initiative.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        pitch="Samen",
        contact_email="c@example.nl",
        host_organisation=org,
        **kwargs,
    )


def test_it_lists_organisations_with_counts_per_kind(client):
    OrganisationFactory(name="Travers Welzijn", kind=OrganisationKind.WELFARE)
    OrganisationFactory(name="Stichting Welzijn Oost", kind=OrganisationKind.WELFARE)
    OrganisationFactory(name="deltaWonen", kind=OrganisationKind.HOUSING)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Travers Welzijn" in html and "deltaWonen" in html
    assert "Welzijnsorganisatie (2)" in html or "Social-work organisation (2)" in html
    response = client.get(LIST, {"soort": OrganisationKind.HOUSING})
    html = response.content.decode()
    assert "deltaWonen" in html and "Travers Welzijn" not in html


def test_it_searches_by_name_and_ignores_an_unknown_kind(client):
    OrganisationFactory(name="Travers Welzijn")
    OrganisationFactory(name="deltaWonen", kind=OrganisationKind.HOUSING)
    html = client.get(LIST, {"q": "travers"}).content.decode()
    assert "Travers Welzijn" in html and "deltaWonen" not in html
    response = client.get(LIST, {"soort": "bestaat-niet"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_it_counts_only_public_hosted_initiatives(client):
    org = OrganisationFactory(name="Travers Welzijn")
    host(org, "Taalcafe", status=Status.ACTIVE)
    host(org, "Moestuin", status=Status.IDEA, is_public=True)
    host(org, "Geheim plan", status=Status.IDEA, is_public=False)
    response = client.get(LIST)
    assert response.context["page"].object_list[0].initiative_count == 2


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    return len(ctx.captured_queries)


def test_it_uses_the_same_number_of_queries_for_3_and_30_organisations(client):
    area = make_area()

    def add(n, start):
        for i in range(start, start + n):
            org = OrganisationFactory(name=f"Organisatie {i:03}", areas=[area])
            host(org, f"Initiatief {i:03}", status=Status.ACTIVE)

    add(3, 0)
    few = _list_queries(client)
    add(27, 3)
    many = _list_queries(client)
    assert many == few
    assert len(client.get(LIST).context["page"].object_list) == 24  # one page


def test_it_shows_an_organisation_with_areas_and_hosted_initiatives(client):
    area = make_area()
    org = OrganisationFactory(
        name="Travers Welzijn",
        description="<p>Wij helpen <strong>bewoners</strong>.</p><script>alert(1)</script>",
        areas=[area],
    )
    host(org, "Taalcafe", status=Status.ACTIVE)
    host(org, "Geheim plan", status=Status.IDEA, is_public=False)
    html = client.get(reverse("organisations:detail", args=[org.slug])).content.decode()
    assert "Travers Welzijn" in html and "Assendorp" in html
    assert "Taalcafe" in html and "Geheim plan" not in html
    assert "<strong>bewoners</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "Profiel bewerken" not in html


def test_it_shows_members_their_role(client):
    org = OrganisationFactory()
    worker = UserFactory(roles=[(Role.COMMUNITY_WORKER, org)])
    client.force_login(worker)
    html = client.get(reverse("organisations:detail", args=[org.slug])).content.decode()
    assert "Uw rol hier" in html
    assert "Profiel bewerken" in html


def test_it_gives_404_for_an_unknown_organisation(client):
    assert client.get(reverse("organisations:detail", args=["bestaat-niet"])).status_code == 404


def test_it_shows_the_people_with_roles_only_to_those_who_manage_it(client):
    org = OrganisationFactory()
    worker = UserFactory(display_name="Wendy Werker", roles=[(Role.COMMUNITY_WORKER, org)])
    UserFactory(display_name="Piet Penning", roles=[(Role.FINANCE_OFFICER, org)])
    url = reverse("organisations:detail", args=[org.slug])
    assert "Piet Penning" not in client.get(url).content.decode()
    client.force_login(UserFactory(roles=[Role.COMMUNITY_WORKER]))  # works elsewhere
    assert "Piet Penning" not in client.get(url).content.decode()
    client.force_login(worker)
    html = client.get(url).content.decode()
    assert "Piet Penning" in html and "Wendy Werker" in html
    # The list is on the page, not (also) in the window title.
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Piet Penning" not in title and "<h2>" not in title
    assert "Piet Penning" in html.split("<main", 1)[1]


def test_the_detail_page_queries_do_not_grow_with_hosted_initiatives_or_members(client):
    org = OrganisationFactory(areas=[make_area()])
    worker = UserFactory(roles=[(Role.COMMUNITY_WORKER, org)])
    client.force_login(worker)
    url = reverse("organisations:detail", args=[org.slug])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        host(org, f"Plan {i}", status=Status.ACTIVE)
        UserFactory(roles=[(Role.FINANCE_OFFICER, org)])
    few = count()
    for i in range(3, 30):
        host(org, f"Plan {i}", status=Status.ACTIVE)
        UserFactory(roles=[(Role.FINANCE_OFFICER, org)])
    assert count() == few
