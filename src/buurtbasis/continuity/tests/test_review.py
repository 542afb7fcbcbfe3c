"""Defects found in review, each with a test that failed before its fix."""

import pytest

from buurtbasis.continuity import services
from buurtbasis.continuity.models import HandOver, ResponseStatus

from .helpers import origin, setup

pytestmark = pytest.mark.django_db


def test_nobody_is_chosen_after_the_search_was_closed():
    """Closing the search ends it: a response still waiting must not start a hand-over
    (that would make someone an initiator through a search the initiators stopped)."""
    s = setup()
    response = services.respond(role=s.role, message="Ik help graag.", origin=origin(s.candidate))
    services.close_search(search=s.search, origin=origin(s.initiator))
    with pytest.raises(services.ContinuityError) as error:
        services.choose_successor(response=response, origin=origin(s.initiator))
    assert error.value.code == "closed"
    assert not HandOver.objects.exists()
    response.refresh_from_db()
    assert response.status == ResponseStatus.NEW


def _tick_all(handover, user):
    for item in handover.items.all():
        services.tick(item=item, origin=origin(user))


def test_a_hand_over_completed_meanwhile_is_not_cancelled_from_an_older_page():
    """Two managers at once: one completes, the other (page loaded before) cancels. The
    cancel must see the completed state, or the role opens again for a hand-over that
    already made the new person an initiator."""
    s = setup()
    response = services.respond(role=s.role, message="Ik help graag.", origin=origin(s.candidate))
    handover = services.choose_successor(response=response, origin=origin(s.initiator))
    stale = HandOver.objects.get(pk=handover.pk)
    _tick_all(handover, s.initiator)
    services.complete(handover=handover, outgoing_choice="stay", origin=origin(s.initiator))
    with pytest.raises(services.ContinuityError) as error:
        services.cancel(handover=stale, origin=origin(s.t.worker))
    assert error.value.code == "state"
    assert HandOver.objects.get(pk=handover.pk).status == "completed"
    s.role.refresh_from_db()
    assert s.role.filled


def test_a_chosen_response_is_not_declined_from_an_older_page():
    s = setup()
    response = services.respond(role=s.role, message="Ik help graag.", origin=origin(s.candidate))
    from buurtbasis.continuity.models import Response

    stale = Response.objects.get(pk=response.pk)
    services.choose_successor(response=response, origin=origin(s.initiator))
    with pytest.raises(services.ContinuityError) as error:
        services.decline_response(response=stale, origin=origin(s.t.worker))
    assert error.value.code == "answered"
    response.refresh_from_db()
    assert response.status == ResponseStatus.ACCEPTED


def test_the_host_is_asked_about_the_treasurer_once_a_day_not_at_every_click():
    """Every click on "ask the host" sent a notification to each finance officer of the
    host: a person-to-person message without a limit."""
    from buurtbasis.accounts.tests.factories import UserFactory
    from buurtbasis.hosting.models import AgreementState, HostingAgreement
    from buurtbasis.organisations.models import Role
    from buurtbasis.platform.models import Notification

    s = setup()
    HostingAgreement.objects.create(
        host=s.t.welfare, initiative=s.initiative, state=AgreementState.ACTIVE
    )
    UserFactory(display_name="Penningmeester host", roles=[(Role.FINANCE_OFFICER, s.t.welfare)])
    response = services.respond(role=s.role, message="Ik help graag.", origin=origin(s.candidate))
    handover = services.choose_successor(response=response, origin=origin(s.initiator))
    item = handover.items.get(key="treasurer")
    assert services.ask_host_for_treasurer(item=item, origin=origin(s.initiator)) == 1
    item.refresh_from_db()
    with pytest.raises(services.ContinuityError) as error:
        services.ask_host_for_treasurer(item=item, origin=origin(s.candidate))
    assert error.value.code == "asked"
    assert Notification.objects.filter(kind="continuity.treasurer_request").count() == 1
