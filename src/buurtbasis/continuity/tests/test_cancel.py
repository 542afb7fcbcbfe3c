"""A cancelled hand-over leaves no loose ends: the respondents are waiting again."""

import pytest

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.continuity import services
from buurtbasis.continuity.models import Response, ResponseStatus
from buurtbasis.platform.models import Notification

from .helpers import origin, setup

pytestmark = pytest.mark.django_db


def test_cancelling_puts_the_responses_of_the_role_back_to_waiting():
    s = setup()
    other, turned_down = UserFactory(), UserFactory()
    declined = services.respond(role=s.role, message="Ik niet", origin=origin(turned_down))
    services.decline_response(response=declined, origin=origin(s.initiator))
    chosen = services.respond(role=s.role, message="Ik wil", origin=origin(s.candidate))
    waiting = services.respond(role=s.role, message="Ik ook", origin=origin(other))
    handover = services.choose_successor(response=chosen, origin=origin(s.initiator))
    Notification.objects.all().delete()

    services.cancel(handover=handover, origin=origin(s.initiator))

    for response in (chosen, waiting):
        response.refresh_from_db()
        assert response.status == ResponseStatus.NEW and response.answered_at is None
    # a response turned down on its own before stays turned down
    assert Response.objects.get(pk=declined.pk).status == ResponseStatus.DECLINED
    # both hear the role is open again; the initiators may choose again
    told = Notification.objects.filter(kind="continuity.role_reopened")
    assert {n.recipient_id for n in told} == {s.candidate.pk, other.pk}
    again = services.choose_successor(response=waiting, origin=origin(s.initiator))
    assert again.incoming == other
