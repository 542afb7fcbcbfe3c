"""Who leaves at a hand-over: the person who holds the role, never the one who chooses."""

import datetime

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.continuity import services
from buurtbasis.initiatives import services as initiative_services
from buurtbasis.volunteering.models import KeyRole

from .helpers import origin, setup

pytestmark = pytest.mark.django_db


def _with_treasurer(s):
    treasurer = UserFactory(display_name="Penningmeester Zwolle")
    initiative_services.add_initiator(
        initiative=s.initiative, user=treasurer, origin=origin(s.initiator)
    )
    KeyRole.objects.create(
        initiative=s.initiative,
        role="treasurer",
        user=treasurer,
        since=datetime.date.today() - datetime.timedelta(days=400),
    )
    role = services.add_role(
        search=s.search, kind="treasurer", title="Penningmeester", origin=origin(s.initiator)
    )
    response = services.respond(role=role, message="Ik reken graag.", origin=origin(s.candidate))
    return treasurer, response


def _tick_all(handover, user):
    for item in handover.items.all():
        services.tick(item=item, origin=origin(user))


def test_the_coordinator_choosing_a_new_treasurer_hands_over_for_the_treasurer():
    s = setup()
    treasurer, response = _with_treasurer(s)
    handover = services.choose_successor(response=response, origin=origin(s.initiator))
    assert handover.outgoing == treasurer
    _tick_all(handover, s.initiator)
    services.complete(handover=handover, outgoing_choice="former", origin=origin(s.initiator))
    assert set(s.initiative.members.all()) == {s.initiator, s.candidate}


def test_without_load_records_nobody_is_removed():
    s = setup()
    response = services.respond(role=s.role, message="Graag", origin=origin(s.candidate))
    handover = services.choose_successor(response=response, origin=origin(s.initiator))
    assert handover.outgoing is None
    _tick_all(handover, s.initiator)
    services.complete(handover=handover, outgoing_choice="former", origin=origin(s.initiator))
    assert set(s.initiative.members.all()) == {s.initiator, s.candidate}


def test_the_initiators_pick_the_outgoing_person_on_the_hand_over_page(client):
    s = setup()
    treasurer, response = _with_treasurer(s)
    handover = services.choose_successor(response=response, origin=origin(s.initiator))
    _tick_all(handover, s.initiator)
    client.force_login(s.initiator)
    page = client.get(reverse("continuity:handover", kwargs={"pk": handover.pk})).content.decode()
    assert 'name="outgoing"' in page and "Penningmeester Zwolle" in page
    # an outsider cannot be named as the outgoing person
    url = reverse("continuity:complete", kwargs={"pk": handover.pk})
    refused = client.post(url, {"outgoing": UserFactory().pk, "outgoing_choice": "leave"})
    assert refused.status_code == 400
    assert set(s.initiative.members.all()) == {s.initiator, treasurer}
    # "nobody leaves": a new person joins, nobody is removed
    done = client.post(url, {"outgoing": "", "outgoing_choice": "leave"})
    assert done.status_code == 302
    assert set(s.initiative.members.all()) == {s.initiator, treasurer, s.candidate}
    handover.refresh_from_db()
    assert handover.outgoing is None


def test_the_initiators_may_name_another_outgoing_person():
    s = setup()
    treasurer, response = _with_treasurer(s)
    handover = services.choose_successor(response=response, origin=origin(s.initiator))
    _tick_all(handover, s.initiator)
    services.complete(
        handover=handover, outgoing=s.initiator, outgoing_choice="leave", origin=origin(treasurer)
    )
    assert set(s.initiative.members.all()) == {treasurer, s.candidate}
    with pytest.raises(services.ContinuityError):
        other = services.choose_successor(
            response=services.respond(
                role=services.add_role(
                    search=s.search, kind="other", title="Hulp", origin=origin(treasurer)
                ),
                message="Ik",
                origin=origin(UserFactory()),
            ),
            outgoing=s.initiator,  # no longer an initiator
            origin=origin(treasurer),
        )
        assert other is None
