import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.organisations.models import Role
from buurtbasis.platform.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(name="Travers Welzijn", description="Oud")


def url(org):
    return reverse("organisations:edit", args=[org.slug])


def test_it_lets_a_community_worker_edit_the_profile_sanitised(client, org):
    area = Area.objects.create(
        year=2024, code="WK019301", name="Assendorp", level=AreaLevel.DISTRICT, slug="assendorp"
    )
    worker = UserFactory(roles=[(Role.COMMUNITY_WORKER, org)])
    client.force_login(worker)
    assert client.get(url(org)).status_code == 200
    response = client.post(
        url(org),
        {
            "description": '<p onclick="x()">Welkom <a href="javascript:alert(1)">hier</a></p>'
            "<script>alert(1)</script>",
            "website": "travers.example.nl",
            "email": "info@travers.example.nl",
            "phone": "038 123 4567",
            "areas": [area.pk],
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert "<script" not in org.description
    assert "onclick" not in org.description
    assert "javascript:" not in org.description
    assert "Welkom" in org.description
    assert org.website == "https://travers.example.nl"
    assert list(org.areas.all()) == [area]
    event = AuditEvent.objects.get(action="organisations.profile_changed")
    assert event.actor == worker
    assert "description" in event.details["fields"]


@pytest.mark.parametrize(
    "roles",
    [[], [Role.FINANCE_OFFICER], [Role.COMMUNITY_WORKER]],
    ids=["resident", "finance-officer-here", "worker-elsewhere"],
)
def test_it_refuses_people_who_may_not_edit(client, org, roles):
    if roles == [Role.FINANCE_OFFICER]:
        user = UserFactory(roles=[(Role.FINANCE_OFFICER, org)])
    else:
        user = UserFactory(roles=roles)  # a membership of another organisation
    client.force_login(user)
    assert client.get(url(org)).status_code == 403
    assert client.post(url(org), {"description": "Gehackt"}).status_code == 403
    org.refresh_from_db()
    assert org.description == "Oud"


def test_it_sends_anonymous_visitors_to_log_in(client, org):
    response = client.get(url(org))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_keeps_what_was_typed_on_an_error(client, org):
    client.force_login(UserFactory(roles=[Role.PLATFORM_ADMIN]))
    response = client.post(url(org), {"description": "Nieuw verhaal", "email": "geen-adres"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nieuw verhaal" in html and 'value="geen-adres"' in html
    assert 'href="#id_email"' in html
    org.refresh_from_db()
    assert org.description == "Oud"
