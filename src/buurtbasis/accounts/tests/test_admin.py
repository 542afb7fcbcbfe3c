"""The admin (/beheer/): users by e-mail and role, read-only audit log, audited role grants."""

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.organisations.models import Membership, Role
from buurtbasis.platform.audit import record_event
from buurtbasis.platform.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_it_lists_and_searches_users_by_e_mail_and_filters_by_role(admin_client):
    UserFactory(email="worker@example.nl", roles=[Role.COMMUNITY_WORKER])
    UserFactory(email="resident@example.nl")
    url = reverse("admin:accounts_user_changelist")
    html = admin_client.get(url, {"q": "worker@"}).content.decode()
    assert "worker@example.nl" in html and "resident@example.nl" not in html
    html = admin_client.get(url, {"role": Role.COMMUNITY_WORKER}).content.decode()
    assert "worker@example.nl" in html and "resident@example.nl" not in html


def test_it_adds_a_user_with_e_mail_and_password(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "nieuw@example.nl",
            "password1": "Lang-Wachtwoord-Zwolle-1",
            "password2": "Lang-Wachtwoord-Zwolle-1",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from buurtbasis.accounts.models import User

    assert User.objects.get(email="nieuw@example.nl").check_password("Lang-Wachtwoord-Zwolle-1")


def test_it_shows_the_audit_log_read_only(admin_client):
    event = record_event(actor=None, action="budgets.round_closed")
    assert admin_client.get(reverse("admin:platform_auditevent_changelist")).status_code == 200
    change = admin_client.get(reverse("admin:platform_auditevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert admin_client.get(reverse("admin:platform_auditevent_add")).status_code == 403
    delete_url = reverse("admin:platform_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_records_roles_granted_in_the_admin(admin_client):
    org = OrganisationFactory()
    person = UserFactory()
    response = admin_client.post(
        reverse("admin:organisations_membership_add"),
        {"user": person.pk, "organisation": org.pk, "role": Role.FINANCE_OFFICER},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    event = AuditEvent.objects.get(action="organisations.role_granted")
    assert event.details == {"user_id": person.pk, "role": Role.FINANCE_OFFICER}
    assert event.object_id == str(org.pk)
    admin_client.post(
        reverse("admin:organisations_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="organisations.role_removed").count() == 1


def test_it_records_roles_granted_inline_on_an_organisation(admin_client):
    org = OrganisationFactory(name="Travers Welzijn")
    person = UserFactory()
    url = reverse("admin:organisations_organisation_change", args=[org.pk])
    data = {
        "name": org.name,
        "slug": org.slug,
        "kind": org.kind,
        "description": org.description,
        "website": "",
        "email": org.email,
        "phone": "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-user": person.pk,
        "memberships-0-role": Role.COMMUNITY_WORKER,
        "memberships-0-organisation": org.pk,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.filter(user=person, role=Role.COMMUNITY_WORKER).exists()
    assert AuditEvent.objects.filter(action="organisations.role_granted").count() == 1


def test_it_keeps_ordinary_users_out_of_the_admin(client):
    client.force_login(UserFactory(roles=[Role.COMMUNITY_WORKER]))
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
