"""The load functions other apps read: hours per person, overload, key roles on one
person and initiatives carried by one person."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting.models import AgreementState, HostingAgreement
from buurtbasis.initiatives import services as initiative_services
from buurtbasis.initiatives.models import Initiative
from buurtbasis.volunteering import load
from buurtbasis.volunteering.models import KeyRole, KeyRoleKind, VolunteerProfile

from .helpers import hours, town

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def test_hours_by_person_sums_all_initiatives_since_the_date():
    t = town()
    other = initiative_services.start_initiative(
        creator=t.resident,
        name="Repair café",
        pitch="Samen repareren.",
        areas=[t.buurt],
        contact_email="r@example.org",
    )
    hours(t.resident, t.initiative, 120, days_ago=3)
    hours(t.resident, other, 60, days_ago=10, state="pending")
    hours(t.resident, other, 600, days_ago=40)  # before the date
    hours(t.initiator, t.initiative, 30, days_ago=2)
    result = load.hours_by_person([t.resident, t.initiator.pk, t.worker], days_ago(30))
    assert result == {t.resident.pk: 180, t.initiator.pk: 30, t.worker.pk: 0}


def test_hours_by_person_accepts_a_queryset_and_empty_input():
    t = town()
    hours(t.resident, t.initiative, 45)
    from buurtbasis.accounts.models import User

    assert load.hours_by_person(User.objects.filter(pk=t.resident.pk), days_ago(7)) == {
        t.resident.pk: 45
    }
    assert load.hours_by_person([], days_ago(7)) == {}


def test_overloaded_uses_the_default_per_week(settings):
    settings.VOLUNTEERING_MAX_HOURS_PER_WEEK = 10
    t = town()
    # 4 weeks × 10 h = 40 h allowed; 41 h is too much, 40 h is not.
    for day in range(1, 42):
        hours(t.resident, t.initiative, 60, days_ago=day % 27)
    for day in range(40):
        hours(t.initiator, t.initiative, 60, days_ago=day % 27)
    found = load.overloaded([t.resident, t.initiator, t.worker])
    assert [o.user_id for o in found] == [t.resident.pk]
    assert found[0].minutes == 41 * 60 and found[0].limit_minutes == 40 * 60
    assert not found[0].own_limit
    assert found[0].hours_per_week == 10.2


def test_overloaded_uses_the_persons_own_maximum():
    t = town()
    VolunteerProfile.objects.create(user=t.resident, max_hours_per_month=8)
    hours(t.resident, t.initiative, 9 * 60, days_ago=5)  # 9 h > 8 h/month scaled to 4 weeks
    found = load.overloaded([t.resident])
    assert len(found) == 1 and found[0].own_limit
    assert found[0].limit_minutes == round(8 * 60 * 28 / (365.25 / 12))
    VolunteerProfile.objects.filter(user=t.resident).update(max_hours_per_month=20)
    assert load.overloaded([t.resident]) == []


def test_overloaded_ignores_hours_outside_the_window():
    t = town()
    hours(t.resident, t.initiative, 24 * 60, days_ago=40)
    hours(t.resident, t.initiative, 24 * 60, days_ago=41)
    hours(t.resident, t.initiative, 24 * 60, days_ago=42)
    assert load.overloaded([t.resident], weeks=4) == []
    assert [o.user_id for o in load.overloaded([t.resident], weeks=1, today=days_ago(40))] == [
        t.resident.pk
    ]


def test_single_person_roles_names_the_holder_and_since():
    t = town()
    KeyRole.objects.create(
        initiative=t.initiative, role=KeyRoleKind.TREASURER, user=t.initiator, since=days_ago(400)
    )
    KeyRole.objects.create(
        initiative=t.initiative, role=KeyRoleKind.COORDINATOR, user=t.initiator, since=days_ago(300)
    )
    KeyRole.objects.create(
        initiative=t.initiative, role=KeyRoleKind.COORDINATOR, user=t.resident, since=days_ago(10)
    )
    # an ended role does not count as a second person
    KeyRole.objects.create(
        initiative=t.initiative,
        role=KeyRoleKind.TREASURER,
        user=t.resident,
        since=days_ago(500),
        until=days_ago(400),
    )
    gaps = load.single_person_roles(Initiative.objects.all())
    assert gaps == {
        t.initiative.pk: [load.RoleGap(KeyRoleKind.TREASURER, t.initiator.pk, days_ago(400))]
    }
    with translation.override("en"):
        assert gaps[t.initiative.pk][0].role_label == "Treasurer"


def test_single_person_roles_reads_the_hosting_treasurer():
    t = town()
    treasurer = UserFactory()
    HostingAgreement.objects.create(
        host=t.welfare,
        initiative=t.initiative,
        state=AgreementState.ACTIVE,
        start_date=days_ago(200),
        treasurer=treasurer,
    )
    gaps = load.single_person_roles([t.initiative])
    assert gaps == {
        t.initiative.pk: [
            load.RoleGap(KeyRoleKind.TREASURER, treasurer.pk, days_ago(200), from_hosting=True)
        ]
    }
    # once the initiative records its own treasurers, those win
    KeyRole.objects.create(
        initiative=t.initiative, role=KeyRoleKind.TREASURER, user=t.initiator, since=days_ago(5)
    )
    KeyRole.objects.create(
        initiative=t.initiative, role=KeyRoleKind.TREASURER, user=t.resident, since=days_ago(5)
    )
    assert load.single_person_roles([t.initiative]) == {}


def test_carried_by_one_on_hours():
    t = town()
    hours(t.initiator, t.initiative, 9 * 60, days_ago=100)
    hours(t.resident, t.initiative, 2 * 60, days_ago=50)
    result = load.carried_by_one([t.initiative])
    info = result[t.initiative.pk]
    assert info.user_id == t.initiator.pk and info.by_hours and not info.by_roles
    assert (info.minutes, info.total_minutes, info.percent) == (540, 660, 82)
    assert info.since == days_ago(100)
    hours(t.resident, t.initiative, 60, days_ago=5)  # now 540 of 720 = 75 %
    assert load.carried_by_one([t.initiative]) == {}


def test_carried_by_one_needs_enough_hours():
    t = town()
    hours(t.initiator, t.initiative, 120, days_ago=10)
    assert load.carried_by_one([t.initiative]) == {}


def test_carried_by_one_on_key_roles_held_the_whole_time():
    t = town()
    KeyRole.objects.create(
        initiative=t.initiative, role=KeyRoleKind.COORDINATOR, user=t.initiator, since=days_ago(500)
    )
    KeyRole.objects.create(
        initiative=t.initiative, role=KeyRoleKind.TREASURER, user=t.initiator, since=days_ago(30)
    )
    info = load.carried_by_one([t.initiative])[t.initiative.pk]
    assert info.user_id == t.initiator.pk and info.by_roles and not info.by_hours
    assert info.since == days_ago(500)
    # not for that long
    assert load.carried_by_one([t.initiative], days=600) == {}
    # a second person held a key role in the window
    KeyRole.objects.create(
        initiative=t.initiative,
        role=KeyRoleKind.CONTACT,
        user=t.resident,
        since=days_ago(300),
        until=days_ago(200),
    )
    assert load.carried_by_one([t.initiative]) == {}


def test_erased_hours_count_for_nobody():
    t = town()
    hours(None, t.initiative, 10 * 60, days_ago=10)
    hours(t.initiator, t.initiative, 60, days_ago=10)
    assert load.carried_by_one([t.initiative]) == {}


def test_fixed_query_counts(django_assert_max_num_queries):
    towns = [town(), town("GM0599", "Rotterdam")]
    people = []
    for t in towns:
        for i in range(6):
            person = UserFactory()
            people.append(person)
            hours(person, t.initiative, 600 + i, days_ago=i + 1)
            KeyRole.objects.create(
                initiative=t.initiative, role=KeyRoleKind.OTHER, user=person, since=days_ago(i)
            )
            VolunteerProfile.objects.create(user=person, max_hours_per_month=2)
    initiatives = Initiative.objects.all()
    with django_assert_max_num_queries(2):
        load.hours_by_person(people, days_ago(30))
    with django_assert_max_num_queries(3):
        assert len(load.overloaded([p.pk for p in people])) == 12
    with django_assert_max_num_queries(3):
        load.single_person_roles(initiatives)
    with django_assert_max_num_queries(5):
        load.carried_by_one(initiatives)


def test_one_key_role_alone_is_a_gap_not_a_carried_initiative():
    t = town()
    KeyRole.objects.create(
        initiative=t.initiative, role=KeyRoleKind.TREASURER, user=t.initiator, since=days_ago(800)
    )
    assert load.carried_by_one([t.initiative]) == {}
    assert t.initiative.pk in load.single_person_roles([t.initiative])
