"""Following an initiative: the button on its page, and a notification (in-app and
e-mail, in Dutch) for its followers when its status changes."""

import pytest
from django.core import mail
from django.urls import reverse

from buurtbasis.initiatives import services
from buurtbasis.platform.models import Notification
from buurtbasis.platform.notifications import followers_of
from buurtbasis.platform.testing import run_queued_tasks

from .factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_resident_follows_an_initiative_from_its_page(client):
    initiative = InitiativeFactory(is_public=True)
    resident = UserFactory()
    client.force_login(resident)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert f'value="initiatives.initiative:{initiative.pk}"' in page
    response = client.post(
        reverse("platform:follow"),
        {
            "target": f"initiatives.initiative:{initiative.pk}",
            "next": initiative.get_absolute_url(),
        },
    )
    assert response["Location"] == initiative.get_absolute_url()
    assert list(followers_of(initiative)) == [resident]
    assert "Niet meer volgen" in client.get(initiative.get_absolute_url()).content.decode()


def test_a_hidden_idea_cannot_be_followed_by_others(client):
    initiative = InitiativeFactory(is_public=False)
    client.force_login(UserFactory())
    response = client.post(
        reverse("platform:follow"), {"target": f"initiatives.initiative:{initiative.pk}"}
    )
    assert response.status_code == 404


def test_followers_hear_about_a_status_change_but_not_the_one_who_made_it(
    client, django_capture_on_commit_callbacks
):
    initiative = InitiativeFactory(is_public=True, name="Buurtmoestuin Oost")
    initiator = initiative.created_by
    follower = UserFactory()
    for person in (initiator, follower):
        client.force_login(person)
        client.post(
            reverse("platform:follow"), {"target": f"initiatives.initiative:{initiative.pk}"}
        )
    client.force_login(initiator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("initiatives:status", kwargs={"slug": initiative.slug}),
            {"to_status": "active", "note": "Eerste tuindag!"},
        )
    run_queued_tasks()
    [row] = Notification.objects.all()
    assert row.recipient == follower
    assert row.title == "Buurtmoestuin Oost is nu “Actief”"
    assert row.text == "Eerste tuindag!"
    assert row.link == initiative.get_absolute_url()
    [message] = mail.outbox
    assert message.to == [follower.email]
    assert "van “Idee” naar “Actief”" in message.body
    assert "http://127.0.0.1:8000" + initiative.get_absolute_url() in message.body


def test_nothing_is_sent_when_the_change_is_refused():
    initiative = InitiativeFactory(is_public=True)
    follower = UserFactory()
    from buurtbasis.platform.notifications import follow

    follow(user=follower, obj=initiative)
    with pytest.raises(services.InitiativeError):
        services.change_status(initiative=initiative, to_status="paused", by=initiative.created_by)
    assert not Notification.objects.exists()
