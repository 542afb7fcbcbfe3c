import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.platform.audit import Origin, hash_client_address, record_event
from buurtbasis.platform.models import AuditEvent, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def test_it_records_who_did_what_to_which_object():
    actor = UserFactory()
    org = OrganisationFactory(name="Travers Welzijn")
    event = record_event(
        actor=actor,
        action="organisations.profile_changed",
        target=org,
        details={
            "fields": ["description"],
            "on": datetime.date(2026, 11, 24),
            "eur": Decimal("1.50"),
        },
    )
    event.refresh_from_db()
    assert event.actor == actor
    assert event.action == "organisations.profile_changed"
    assert event.object_type == "organisations.organisation"
    assert event.object_id == str(org.pk)
    assert event.object_repr == "Travers Welzijn"
    assert event.details == {"fields": ["description"], "on": "2026-11-24", "eur": "1.50"}
    assert event.created_at is not None


def test_it_stores_the_client_address_only_as_a_keyed_hash():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    event = record_event(actor=None, action="system.test", origin=Origin.from_request(request))
    assert event.ip_hash == hash_client_address("192.0.2.7")
    assert "192.0.2.7" not in event.ip_hash
    assert event.ip_hash != hash_client_address("192.0.2.8")


def test_it_records_anonymous_actors_as_none():
    event = record_event(actor=AnonymousUser(), action="accounts.password_reset_requested")
    assert event.actor is None


def test_it_keeps_names_of_people_out_of_the_log():
    person = UserFactory(display_name="Fatima de Vries")
    event = record_event(actor=None, action="accounts.deleted", target=person)
    assert event.object_id == str(person.pk)
    assert "Fatima" not in event.object_repr


def test_it_refuses_to_change_or_delete_an_event():
    event = record_event(actor=None, action="system.test")
    event.action = "system.changed"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "system.test"


def test_it_keeps_the_events_of_a_deleted_user_without_the_actor():
    actor = UserFactory()
    event = record_event(actor=actor, action="system.test")
    actor.delete()
    event.refresh_from_db()
    assert event.actor is None
    assert event.action == "system.test"


def test_an_origin_acts_for_its_actor_unless_the_service_says_otherwise(rf):
    """A service passes actor=None for system events (e.g. a deleted account): the
    origin's user must then not be written into the trail."""
    from buurtbasis.accounts.tests.factories import UserFactory

    user = UserFactory()
    request = rf.get("/")
    request.user = user
    origin = Origin.from_request(request)
    assert record_event(action="system.test", origin=origin).actor == user
    assert record_event(action="system.test", actor=None, origin=origin).actor is None
    assert origin.base_url == "http://testserver"


def test_many_events_are_appended_at_once_with_what_one_event_records(
    django_assert_num_queries,
):
    from buurtbasis.platform.audit import audit_event, record_events

    actor = UserFactory()
    orgs = [OrganisationFactory(name=f"Welzijn {n}") for n in range(3)]
    origin = Origin(actor=actor, ip_hash="abc")
    events = [
        audit_event(action="system.bulk", target=org, origin=origin, details={"n": n})
        for n, org in enumerate(orgs)
    ]
    assert all(event.pk is None for event in events)  # nothing stored yet
    with django_assert_num_queries(1):
        record_events(events)
    stored = list(AuditEvent.objects.filter(action="system.bulk").order_by("pk"))
    assert [(e.object_id, e.object_repr, e.details) for e in stored] == [
        (str(org.pk), org.name, {"n": n}) for n, org in enumerate(orgs)
    ]
    assert all(e.actor == actor and e.ip_hash == "abc" and e.created_at for e in stored)
    with pytest.raises(ValueError):
        record_events(stored)  # appended once
