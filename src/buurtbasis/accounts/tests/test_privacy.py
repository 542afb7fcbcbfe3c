import json

import pytest
from django.urls import reverse

from buurtbasis.accounts.models import User
from buurtbasis.accounts.services import anonymous_email
from buurtbasis.accounts.tests.factories import DEFAULT_PASSWORD, OrganisationFactory, UserFactory
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Membership, Role
from buurtbasis.platform import privacy
from buurtbasis.platform.audit import record_event
from buurtbasis.platform.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    org = OrganisationFactory(name="Travers Welzijn")
    user = UserFactory(
        email="anna@example.nl", display_name="Anna de Boer", roles=[(Role.COMMUNITY_WORKER, org)]
    )
    Initiative.objects.create(
        name="Taalcafé Holtenbroek",
        slug="taalcafe-holtenbroek",
        pitch="Samen Nederlands praten",
        contact_email="anna@example.nl",
        created_by=user,
    )
    joined = Initiative.objects.create(
        name="Repair café Dieze",
        slug="repair-cafe-dieze",
        pitch="Repareren",
        contact_email="x@y.nl",
    )
    joined.members.add(user)
    return user


def test_it_shows_my_data(client, person):
    client.force_login(person)
    response = client.get(reverse("accounts:my_data"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "anna@example.nl" in html
    assert "Travers Welzijn" in html
    assert "Taalcafé Holtenbroek" in html and "Repair café Dieze" in html


def test_it_downloads_all_personal_data_as_json(client, person):
    client.force_login(person)
    response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "anna@example.nl"
    assert data["account"]["name"] == "Anna de Boer"
    assert data["memberships"][0]["organisation"] == "Travers Welzijn"
    assert data["memberships"][0]["role"] == Role.COMMUNITY_WORKER
    relations = {row["name"]: row["relation"] for row in data["initiatives"]}
    assert relations == {"Taalcafé Holtenbroek": "created", "Repair café Dieze": "member"}
    assert AuditEvent.objects.filter(action="accounts.data_exported", actor=person).exists()


def test_it_needs_a_log_in_for_my_data(client):
    assert client.get(reverse("accounts:my_data_download")).status_code == 302


def test_other_apps_can_add_their_data(client, person):
    privacy.register_exporter("test_votes", lambda user: [{"round": "Buurtbudget 2026"}])
    try:
        data = privacy.export_personal_data(person)
    finally:
        privacy._exporters.pop("test_votes")
    assert data["test_votes"] == [{"round": "Buurtbudget 2026"}]


def test_it_deletes_an_account_by_anonymising_it(client, person):
    other_event = record_event(actor=person, action="budgets.round_closed")
    erased = []
    privacy.register_eraser("test_votes", lambda user: erased.append(user.pk))
    client.force_login(person)
    try:
        response = client.post(
            reverse("accounts:delete"), {"password": DEFAULT_PASSWORD, "confirm": "on"}
        )
    finally:
        privacy._erasers.pop("test_votes")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    user = User.objects.get(pk=person.pk)
    assert user.email == anonymous_email(person.pk)
    assert user.display_name == ""
    assert user.is_active is False
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert not user.initiatives.exists()
    # What others rely on stays: the initiative and the audit trail.
    started = Initiative.objects.get(slug="taalcafe-holtenbroek")
    assert started.created_by_id == person.pk
    assert AuditEvent.objects.get(pk=other_event.pk).actor_id == person.pk
    event = AuditEvent.objects.get(action="accounts.deleted")
    assert event.object_id == str(person.pk)
    assert "anna" not in json.dumps(event.details).lower()
    assert erased == [person.pk]
    # The old address can register again and cannot log in to the old account.
    assert not client.login(email="anna@example.nl", password=DEFAULT_PASSWORD)


def test_it_needs_the_password_and_the_tick_to_delete(client, person):
    client.force_login(person)
    response = client.post(reverse("accounts:delete"), {"password": "fout", "confirm": "on"})
    assert response.status_code == 200
    assert "Dit wachtwoord klopt niet" in response.content.decode()
    response = client.post(reverse("accounts:delete"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "Vink het vakje aan" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active and person.email == "anna@example.nl"


def test_it_rolls_back_when_an_eraser_fails(client, person):
    def broken(user):
        raise RuntimeError("eraser failed")

    privacy.register_eraser("test_broken", broken)
    client.raise_request_exception = True
    client.force_login(person)
    try:
        with pytest.raises(RuntimeError):
            client.post(reverse("accounts:delete"), {"password": DEFAULT_PASSWORD, "confirm": "on"})
    finally:
        privacy._erasers.pop("test_broken")
    person.refresh_from_db()
    assert person.email == "anna@example.nl"
    assert Membership.objects.filter(user=person).exists()


def test_my_data_and_deletion_include_notifications_and_follows(client, person):
    from buurtbasis.platform import notifications
    from buurtbasis.platform.models import Follow, Notification

    initiative = Initiative.objects.get(slug="repair-cafe-dieze")
    notifications.follow(user=person, obj=initiative)
    notifications.set_language(person, "en")
    Notification.objects.create(recipient=person, kind="x.y", title="Repair café: active")
    client.force_login(person)
    data = client.get(reverse("accounts:my_data_download")).json()["notifications"]
    assert data["language"] == "en"
    assert data["follows"] == [{"object": f"initiatives.initiative:{initiative.pk}"}]
    assert data["notifications"][0]["title"] == "Repair café: active"
    response = client.post(
        reverse("accounts:delete"), {"password": DEFAULT_PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert not Follow.objects.filter(user=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    assert notifications.language_of(person) == "nl"
