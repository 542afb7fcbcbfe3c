"""Co-initiators: invited by e-mail, joining with a button, leaving unless last."""

import re

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.urls import reverse

from buurtbasis.initiatives import services
from buurtbasis.organisations.models import Role
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.testing import delivered

from .factories import InitiativeFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache and are keyed by user id: start with none."""
    cache.clear()
    yield
    cache.clear()


def members_url(initiative):
    return reverse("initiatives:members", kwargs={"slug": initiative.slug})


def link_in(message) -> str:
    return re.search(r"http://testserver(/initiatieven/\S+/uitnodiging/\S+/)", message.body).group(
        1
    )


def invite(client, initiative, email):
    """Post an invitation; the queued mail is sent (as a worker would)."""
    with delivered():
        return client.post(members_url(initiative), {"email": email}, HTTP_ACCEPT_LANGUAGE="nl")


def test_an_initiator_invites_someone_who_joins_with_the_mailed_link(client):
    initiative = InitiativeFactory(name="Taalcafé De Brug")
    founder = initiative.created_by
    client.force_login(founder)
    response = invite(client, initiative, "  Sanne@Example.NL ")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["sanne@example.nl"]
    assert "Taalcafé De Brug" in message.subject
    assert list(initiative.members.all()) == [founder]  # nothing stored yet
    link = link_in(message)

    sanne = UserFactory(email="sanne@example.nl")
    client.force_login(sanne)
    page = client.get(link, HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 200
    assert "Word initiatiefnemer van Taalcafé De Brug" in page.content.decode()
    assert not initiative.members.filter(pk=sanne.pk).exists()  # opening changes nothing
    response = client.post(link)
    assert response.status_code == 302
    assert set(initiative.members.all()) == {founder, sanne}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"initiatives.coinitiator_invited", "initiatives.coinitiator_joined"} <= actions
    # the new initiator may now edit
    assert (
        client.get(reverse("initiatives:edit", kwargs={"slug": initiative.slug})).status_code == 200
    )
    # accepting twice changes nothing
    assert client.post(link).status_code == 302
    assert initiative.members.count() == 2


def test_a_forwarded_invitation_does_not_work_for_another_account(client):
    initiative = InitiativeFactory()
    token = services.make_invitation(initiative, "sanne@example.nl", initiative.created_by)
    url = reverse("initiatives:invitation", kwargs={"slug": initiative.slug, "token": token})
    other = UserFactory(email="piet@example.nl")
    client.force_login(other)
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "ander e-mailadres" in response.content.decode()
    assert not initiative.members.filter(pk=other.pk).exists()


def test_an_invitation_needs_a_login_first(client):
    initiative = InitiativeFactory()
    token = services.make_invitation(initiative, "sanne@example.nl", initiative.created_by)
    url = reverse("initiatives:invitation", kwargs={"slug": initiative.slug, "token": token})
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response["Location"]


def test_broken_old_and_withdrawn_invitations_are_refused(client, monkeypatch):
    initiative = InitiativeFactory()
    founder = initiative.created_by
    sanne = UserFactory(email="sanne@example.nl")
    client.force_login(sanne)

    def post(token):
        kwargs = {"slug": initiative.slug, "token": token}
        return client.post(reverse("initiatives:invitation", kwargs=kwargs))

    token = services.make_invitation(initiative, "sanne@example.nl", founder)
    assert post(token[:-2] + "xx").status_code == 400
    forged = signing.dumps({"i": initiative.pk, "e": "sanne@example.nl", "by": founder.pk})
    assert post(forged).status_code == 400  # not signed with the invitation salt
    monkeypatch.setattr(services, "INVITE_DAYS", -1)
    assert post(token).status_code == 400
    monkeypatch.setattr(services, "INVITE_DAYS", 14)
    # the inviter is no longer an initiator: the invitation is withdrawn
    second = UserFactory()
    initiative.members.add(second)
    services.leave_initiative(initiative=initiative, user=founder)
    assert post(token).status_code == 400
    assert not initiative.members.filter(pk=sanne.pk).exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Vul een e-mailadres in"),
        ("geen-adres", "Vul een geldig e-mailadres in"),
        ("founder@example.nl", "al initiatiefnemer"),
    ],
)
def test_it_explains_a_wrong_invitation(client, email, message):
    founder = UserFactory(email="founder@example.nl")
    initiative = InitiativeFactory(created_by=founder)
    client.force_login(founder)
    response = invite(client, initiative, email)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert mail.outbox == []


def test_only_those_who_manage_it_see_and_invite(client):
    initiative = InitiativeFactory()
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(members_url(initiative)).status_code == 403
    assert invite(client, initiative, "x@example.nl").status_code == 403
    assert mail.outbox == []
    # the host's community worker may
    host = OrganisationFactory()
    initiative.host_organisation = host
    initiative.save()
    worker = MembershipFactory(organisation=host, role=Role.COMMUNITY_WORKER).user
    client.force_login(worker)
    assert client.get(members_url(initiative)).status_code == 200
    assert invite(client, initiative, "x@example.nl").status_code == 302


def test_invitations_are_rate_limited(client):
    initiative = InitiativeFactory()
    client.force_login(initiative.created_by)
    codes = [invite(client, initiative, f"p{i}@example.nl").status_code for i in range(22)]
    assert codes[0] == 302 and codes[-1] == 200
    assert len(mail.outbox) == 20


def test_an_initiator_leaves_but_the_last_one_cannot(client):
    founder = UserFactory()
    partner = UserFactory()
    initiative = InitiativeFactory(created_by=founder, members=[founder, partner])
    client.force_login(founder)
    leave = reverse("initiatives:leave", kwargs={"slug": initiative.slug})
    assert client.get(leave).status_code == 302  # only a POST leaves
    assert initiative.members.count() == 2
    assert client.post(leave).status_code == 302
    assert list(initiative.members.all()) == [partner]
    client.force_login(partner)
    response = client.post(leave, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    assert "enige initiatiefnemer" in response.content.decode()
    assert list(initiative.members.all()) == [partner]
    # someone who is no initiator is not told they stopped
    client.force_login(UserFactory())
    page = client.post(leave, follow=True, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "geen initiatiefnemer meer" not in page
    assert list(initiative.members.all()) == [partner]
    assert AuditEvent.objects.filter(action="initiatives.coinitiator_left").count() == 1


def test_the_detail_page_links_to_the_initiators_for_those_who_manage(client):
    initiative = InitiativeFactory()
    client.force_login(initiative.created_by)
    assert members_url(initiative) in client.get(initiative.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert members_url(initiative) not in client.get(initiative.get_absolute_url()).content.decode()
