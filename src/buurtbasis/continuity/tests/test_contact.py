"""The incoming person's e-mail address is never published without asking."""

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.continuity import services
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.models import Notification

from .helpers import holds_role, origin, setup

pytestmark = pytest.mark.django_db


def _ready(s):
    holds_role(s)
    response = services.respond(role=s.role, message="Graag", origin=origin(s.candidate))
    handover = services.choose_successor(response=response, origin=origin(s.initiator))
    for item in handover.items.all():
        services.tick(item=item, origin=origin(s.candidate))
    return handover


def test_the_outgoing_contact_address_is_cleared_not_replaced_by_the_incoming_one(client):
    s = setup()
    handover = _ready(s)
    client.force_login(s.initiator)
    done = client.post(
        reverse("continuity:complete", args=[handover.pk]),
        {"outgoing": s.initiator.pk, "outgoing_choice": "leave"},
        follow=True,
    )
    assert done.status_code == 200
    initiative = Initiative.objects.get(pk=s.initiative.pk)
    # without consent the incoming person's address is never the public contact
    assert s.candidate.email not in initiative.contact_email
    for viewer in (s.candidate, UserFactory()):
        client.force_login(viewer)
        assert s.candidate.email not in client.get(initiative.get_absolute_url()).content.decode()
    # nor is the outgoing person's: the contact is empty and the new initiator is told
    assert initiative.contact_email == "" and initiative.contact_name == ""
    assert "contactadres" in done.content.decode()
    note = Notification.objects.get(kind="continuity.handover_completed", recipient=s.candidate)
    assert "contactadres" in note.text
