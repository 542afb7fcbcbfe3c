"""The hand-over from search to completion, with its rules, audit trail and logbook entry."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.continuity import services, strain
from buurtbasis.continuity.models import (
    HandOverStatus,
    OpenRole,
    ResponseStatus,
    StrainWarning,
)
from buurtbasis.initiatives.models import Initiative, StatusChange
from buurtbasis.logbook.models import EntryKind, LogEntry
from buurtbasis.platform.models import AuditEvent, Notification
from buurtbasis.volunteering.models import KeyRole

from .helpers import holds_role, origin, setup

pytestmark = pytest.mark.django_db


def _respond_and_choose(s, message="Ik wil graag helpen."):
    response = services.respond(role=s.role, message=message, origin=origin(s.candidate))
    return services.choose_successor(response=response, origin=origin(s.initiator))


def _tick_all(handover, user):
    for item in handover.items.all():
        services.tick(item=item, origin=origin(user))


def test_only_managers_start_a_search():
    s = setup()
    with pytest.raises(services.ContinuityError) as error:
        services.start_search(initiative=s.initiative, origin=origin(s.candidate))
    assert error.value.code == "forbidden"
    # the host's community worker may; the open search is returned, not duplicated
    again = services.start_search(initiative=s.initiative, origin=origin(s.t.worker))
    assert again == s.search


def test_a_response_notifies_the_initiators_and_community_worker_without_addresses():
    s = setup()
    services.respond(role=s.role, message="Ik heb tijd op zaterdag.", origin=origin(s.candidate))
    notified = set(
        Notification.objects.filter(kind="continuity.response_received").values_list(
            "recipient_id", flat=True
        )
    )
    assert notified == {s.initiator.pk, s.t.worker.pk}
    row = Notification.objects.filter(kind="continuity.response_received").first()
    assert s.candidate.email not in row.title + row.text


def test_one_response_per_person_and_none_from_initiators_or_to_closed_roles():
    s = setup()
    services.respond(role=s.role, message="Ja!", origin=origin(s.candidate))
    with pytest.raises(services.ContinuityError) as error:
        services.respond(role=s.role, message="Nog eens", origin=origin(s.candidate))
    assert error.value.code == "duplicate"
    with pytest.raises(services.ContinuityError) as error:
        services.respond(role=s.role, message="Ik zelf", origin=origin(s.initiator))
    assert error.value.code == "member"
    with pytest.raises(services.ContinuityError) as error:
        services.respond(role=s.role, message="   ", origin=origin(UserFactory()))
    assert error.value.code == "empty"


def test_choosing_starts_a_hand_over_with_the_default_checklist_and_tells_the_others():
    s = setup()
    holds_role(s)
    other = UserFactory()
    services.respond(role=s.role, message="Ik ook", origin=origin(other))
    handover = _respond_and_choose(s)
    assert handover.incoming == s.candidate and handover.outgoing == s.initiator
    keys = list(handover.items.values_list("key", flat=True))
    # no active hosting agreement: no treasurer item
    assert keys == ["accounts", "keys", "contacts", "practice", "bank_card", "social_media"]
    assert OpenRole.objects.get(pk=s.role.pk).filled
    assert other.succession_responses.get().status == ResponseStatus.DECLINED
    answered = Notification.objects.filter(kind="continuity.response_answered")
    assert {n.recipient_id for n in answered} == {s.candidate.pk, other.pk}
    assert AuditEvent.objects.filter(action="continuity.successor_chosen").count() == 1


def test_completing_needs_the_whole_checklist():
    s = setup()
    handover = _respond_and_choose(s)
    with pytest.raises(services.ContinuityError) as error:
        services.complete(handover=handover, outgoing_choice="former", origin=origin(s.initiator))
    assert error.value.code == "checklist"
    assert not s.initiative.members.filter(pk=s.candidate.pk).exists()


def test_the_incoming_person_ticks_but_a_stranger_does_not():
    s = setup()
    handover = _respond_and_choose(s)
    item = handover.items.first()
    services.tick(item=item, origin=origin(s.candidate))
    item.refresh_from_db()
    assert item.done_by == s.candidate and item.done_at is not None
    with pytest.raises(services.ContinuityError):
        services.tick(item=item, done=False, origin=origin(UserFactory()))


def test_completing_keeps_the_initiative_and_records_audit_and_logbook():
    s = setup()
    holds_role(s)
    history_before = StatusChange.objects.filter(initiative=s.initiative).count()
    handover = _respond_and_choose(s)
    _tick_all(handover, s.initiator)
    done = services.complete(
        handover=handover, outgoing_choice="former", origin=origin(s.initiator)
    )
    assert done.status == HandOverStatus.COMPLETED
    initiative = Initiative.objects.get(pk=s.initiative.pk)  # same id
    assert list(initiative.members.all()) == [s.candidate]
    # the outgoing person's address is no longer the contact address, and the incoming
    # person's address is not published without asking: the contact is empty
    assert initiative.contact_email == ""
    assert StatusChange.objects.filter(initiative=initiative).count() == history_before
    assert AuditEvent.objects.filter(action="continuity.handover_completed").count() == 1
    entry = LogEntry.objects.get(
        kind=EntryKind.INITIATIVE_HANDED_OVER,
        source_type=ContentType.objects.get_for_model(Initiative),
        source_id=initiative.pk,
    )
    # on the initiative's buurt: it shows in the wijk's timeline, for everyone
    assert entry in LogEntry.objects.for_district(s.t.wijk).public()
    assert entry.title == initiative.name
    assert s.candidate.display_name not in entry.title + entry.body  # no names in the logbook
    # the search closes when no role is open any more
    s.search.refresh_from_db()
    assert not s.search.is_open
    with pytest.raises(services.ContinuityError):
        services.complete(handover=handover, outgoing_choice="former", origin=origin(s.initiator))


def test_the_outgoing_person_may_stay_an_initiator():
    s = setup()
    handover = _respond_and_choose(s)
    _tick_all(handover, s.candidate)
    services.complete(handover=handover, outgoing_choice="stay", origin=origin(s.t.worker))
    assert set(s.initiative.members.all()) == {s.initiator, s.candidate}


def test_a_stranger_cannot_complete_or_choose():
    s = setup()
    response = services.respond(role=s.role, message="Hallo", origin=origin(s.candidate))
    with pytest.raises(services.ContinuityError):
        services.choose_successor(response=response, origin=origin(UserFactory()))
    handover = services.choose_successor(response=response, origin=origin(s.initiator))
    _tick_all(handover, s.candidate)
    # the incoming person ticks, but completing is for the initiators and the worker
    with pytest.raises(services.ContinuityError):
        services.complete(handover=handover, outgoing_choice="leave", origin=origin(s.candidate))


def test_cancelling_opens_the_role_again():
    s = setup()
    handover = _respond_and_choose(s)
    services.cancel(handover=handover, origin=origin(s.initiator))
    assert not OpenRole.objects.get(pk=s.role.pk).filled


def _key_role(initiative, user, role="coordinator", years=2):
    return KeyRole.objects.create(
        initiative=initiative,
        role=role,
        user=user,
        since=datetime.date.today() - datetime.timedelta(days=365 * years),
    )


def test_strain_warnings_come_from_the_load_records_and_are_sent_once_per_finding():
    s = setup()
    assert strain.send_weekly_warnings() == 0  # no load records: nothing to say
    _key_role(s.initiative, s.initiator)
    _key_role(s.initiative, s.initiator, role="treasurer")
    keys = [f.key for f in strain.findings([s.initiative])]
    assert keys == [
        "carried_by_one",
        "single_person_role:coordinator",
        "single_person_role:treasurer",
    ]
    assert strain.send_weekly_warnings() == 3
    assert StrainWarning.objects.filter(initiative=s.initiative).count() == 3
    rows = Notification.objects.filter(kind="continuity.strain_warning")
    assert [n.recipient_id for n in rows] == [s.t.worker.pk]
    assert "Moestuin Zwolle" in rows[0].text
    assert strain.send_weekly_warnings() == 0
    assert Notification.objects.filter(kind="continuity.strain_warning").count() == 1


def test_a_second_person_in_the_key_role_removes_the_findings():
    s = setup()
    _key_role(s.initiative, s.initiator)
    _key_role(s.initiative, s.initiator, role="treasurer")
    second = UserFactory()
    _key_role(s.initiative, second, years=1)
    _key_role(s.initiative, second, role="treasurer", years=1)
    assert strain.findings(strain.hosted_by([s.t.welfare.pk])) == []


def test_the_dashboard_block_query_count_does_not_grow(client, django_assert_max_num_queries):
    s = setup()
    _key_role(s.initiative, s.initiator)
    client.force_login(s.t.worker)
    client.get(reverse("portal:dashboard"))  # warm caches (tenant, content types)
    with CaptureQueriesContext(connection) as few:
        first = client.get(reverse("portal:dashboard"))
    assert "Moestuin Zwolle" in first.content.decode()
    for n in range(5):
        other = setup(t=s.t, suffix=f" {n}")
        _key_role(other.initiative, other.initiator)
    with django_assert_max_num_queries(len(few)):
        html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Moestuin Zwolle 4" in html


def test_completing_passes_the_key_role_on_in_the_load_records():
    s = setup()
    held = _key_role(s.initiative, s.initiator)
    handover = _respond_and_choose(s)
    _tick_all(handover, s.candidate)
    services.complete(handover=handover, outgoing_choice="former", origin=origin(s.initiator))
    held.refresh_from_db()
    assert held.until == datetime.date.today()
    current = KeyRole.objects.current().filter(initiative=s.initiative, role="coordinator")
    assert [k.user for k in current] == [s.candidate]
    # no longer carried by one person for a year: the new coordinator started today
    assert "carried_by_one" not in [f.key for f in strain.findings([s.initiative])]


def test_a_community_worker_chooses_for_the_initiator_who_holds_the_role():
    s = setup()
    holds_role(s)
    response = services.respond(role=s.role, message="Graag", origin=origin(s.candidate))
    handover = services.choose_successor(response=response, origin=origin(s.t.worker))
    assert handover.outgoing == s.initiator
