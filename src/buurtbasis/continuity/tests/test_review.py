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
