"""Writes of volunteering: tasks and shifts, signing up (full shifts, double sign-ups),
invitations only for people who opted in, suggestions in words, hours with their
confirmation and audit trail, key roles, privacy."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent, Notification
from buurtbasis.platform.privacy import export_personal_data, run_erasers
from buurtbasis.volunteering import load, queries, services
from buurtbasis.volunteering.models import (
    HoursEntry,
    HoursState,
    Invitation,
    KeyRole,
    KeyRoleKind,
    Shift,
    SignUp,
    VolunteerProfile,
    pack,
)

from .helpers import hours, shift, task, town

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def as_(user) -> Origin:
    return Origin(actor=user)


def test_an_initiator_posts_a_task_and_a_shift():
    t = town()
    made = services.create_task(
        initiative=t.initiative,
        data=services.TaskData(title=" Koken ", area=t.other_buurt, skills=["cooking"]),
        origin=as_(t.initiator),
    )
    assert made.title == "Koken" and made.skill_keys == ["cooking"]
    start = timezone.now() + datetime.timedelta(days=2)
    s = services.add_shift(
        task=made,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        needed=2,
        origin=as_(t.worker),  # the host's community worker may too
    )
    assert s.minutes == 180


def test_others_cannot_post_tasks_and_areas_stay_in_the_municipality():
    t = town()
    other = town("GM0599", "Rotterdam")
    data = services.TaskData(title="Koken", area=t.buurt)
    for outsider in (t.resident, other.worker, other.initiator):
        with pytest.raises(PermissionDenied):
            services.create_task(initiative=t.initiative, data=data, origin=as_(outsider))
    with pytest.raises(services.VolunteeringError, match="municipality"):
        services.create_task(
            initiative=t.initiative,
            data=services.TaskData(title="Koken", area=other.buurt),
            origin=as_(t.initiator),
        )


def test_shift_rules():
    t = town()
    tk = task(t)
    now = timezone.now()
    cases = [
        (now + datetime.timedelta(hours=5), now + datetime.timedelta(hours=4), 1, "ends after"),
        (now + datetime.timedelta(hours=1), now + datetime.timedelta(hours=30), 1, "24 hours"),
        (now - datetime.timedelta(hours=5), now - datetime.timedelta(hours=4), 1, "past"),
        (now + datetime.timedelta(hours=1), now + datetime.timedelta(hours=2), 0, "between 1"),
    ]
    for start, end, needed, message in cases:
        with pytest.raises(services.VolunteeringError, match=message):
            services.add_shift(
                task=tk, starts_at=start, ends_at=end, needed=needed, origin=as_(t.initiator)
            )


def test_sign_up_refuses_full_shifts_and_double_sign_ups():
    t = town()
    s = shift(task(t), needed=1)
    services.sign_up(shift=s, origin=as_(t.resident))
    with pytest.raises(services.VolunteeringError, match="already signed up"):
        services.sign_up(shift=s, origin=as_(t.resident))
    with pytest.raises(services.VolunteeringError, match="full"):
        services.sign_up(shift=s, origin=as_(UserFactory()))
    assert SignUp.objects.filter(shift=s).count() == 1
    # the initiator hears about the sign-up in the app
    assert Notification.objects.filter(
        recipient=t.initiator, kind="volunteering.signed_up"
    ).exists()


def test_the_database_refuses_a_double_sign_up():
    t = town()
    s = shift(task(t))
    SignUp.objects.create(shift=s, user=t.resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(shift=s, user=t.resident)


def test_cancel_frees_the_place_and_closed_or_started_shifts_refuse():
    t = town()
    s = shift(task(t), needed=1)
    services.sign_up(shift=s, origin=as_(t.resident))
    assert services.cancel_signup(shift=s, origin=as_(t.resident))
    services.sign_up(shift=s, origin=as_(t.initiator))
    closed = shift(task(t, is_open=False))
    with pytest.raises(services.VolunteeringError, match="closed"):
        services.sign_up(shift=closed, origin=as_(t.resident))
    started = shift(task(t), days=-1)
    with pytest.raises(services.VolunteeringError, match="started"):
        services.sign_up(shift=started, origin=as_(t.resident))


def profile(user, *, suggestible=True, **kw):
    return VolunteerProfile.objects.create(user=user, suggestible=suggestible, **kw)


def test_suggestions_only_people_who_opted_in_explained_in_words(settings):
    settings.LANGUAGE_CODE = "nl"
    t = town()
    other = town("GM0599", "Rotterdam")
    tk = task(t, skills=pack(["cooking"]))
    s = shift(tk)  # 18:00 → an evening
    fits = UserFactory(display_name="Kok")
    profile(fits, skills=pack(["cooking"]), area=t.wijk, availability=pack([s.day_part]))
    shy = UserFactory(display_name="Verlegen")
    profile(shy, suggestible=False, skills=pack(["cooking"]), area=t.wijk)
    far = UserFactory(display_name="Ver weg")
    profile(far, skills=pack(["cooking"]), area=other.wijk)
    nothing = UserFactory(display_name="Past niet")
    profile(nothing, skills=pack(["music"]))
    found = queries.suggestions(s)
    assert [x.user for x in found] == [fits]
    with translation.override("nl"):
        found = queries.suggestions(s)
    text = found[0].explanation
    assert text.startswith("kan koken, woont in Assendorp Zwolle, heeft ")
    assert text.endswith("avond tijd")


def test_invite_only_opted_in_people_and_they_decide():
    t = town()
    s = shift(task(t))
    volunteer = UserFactory()
    with pytest.raises(services.VolunteeringError, match="suggested"):
        services.invite(shift=s, user=volunteer, reason="", origin=as_(t.initiator))
    profile(volunteer)
    with pytest.raises(PermissionDenied):
        services.invite(shift=s, user=volunteer, reason="", origin=as_(t.resident))
    invitation = services.invite(
        shift=s, user=volunteer, reason="kan koken", origin=as_(t.initiator)
    )
    assert Notification.objects.filter(recipient=volunteer, kind="volunteering.invited").exists()
    with pytest.raises(services.VolunteeringError, match="already invited"):
        services.invite(shift=s, user=volunteer, reason="", origin=as_(t.initiator))
    with pytest.raises(PermissionDenied):
        services.answer_invitation(invitation=invitation, accept=True, origin=as_(t.resident))
    services.answer_invitation(invitation=invitation, accept=True, origin=as_(volunteer))
    invitation.refresh_from_db()
    assert invitation.state == "accepted"
    assert SignUp.objects.filter(shift=s, user=volunteer).exists()


def test_invitations_are_rate_limited(settings):
    settings.RATELIMIT_ENABLED = True
    from django.core.cache import cache

    cache.clear()
    t = town()
    s = shift(task(t), needed=50)
    people = [UserFactory() for _ in range(services.INVITE_LIMIT + 1)]
    for person in people:
        profile(person)
    for person in people[:-1]:
        services.invite(shift=s, user=person, reason="", origin=as_(t.initiator))
    with pytest.raises(services.VolunteeringError, match="many invitations"):
        services.invite(shift=s, user=people[-1], reason="", origin=as_(t.initiator))
    cache.clear()


def test_own_hours_wait_and_the_initiator_confirms_with_an_audit_event():
    t = town()
    s = shift(task(t), days=-2)
    SignUp.objects.create(shift=s, user=t.resident)
    entry = services.record_own_hours(
        initiative=t.initiative,
        date=timezone.localdate() - datetime.timedelta(days=2),
        minutes=150,
        shift=s,
        origin=as_(t.resident),
    )
    assert entry.state == HoursState.PENDING
    with pytest.raises(PermissionDenied):
        services.confirm_hours(entry=entry, origin=as_(UserFactory()))
    services.confirm_hours(entry=entry, minutes=180, origin=as_(t.initiator))
    entry.refresh_from_db()
    assert (entry.state, entry.minutes, entry.confirmed_by) == ("confirmed", 180, t.initiator)
    event = AuditEvent.objects.get(action="volunteering.hours_confirmed")
    assert event.details["before"] == {"minutes": 150, "state": "pending"}
    assert event.details["minutes"] == 180


def test_the_initiator_confirms_the_hours_of_a_past_shift():
    t = town()
    s = shift(task(t), days=-1, hours=3)
    signup = SignUp.objects.create(shift=s, user=t.resident)
    entry = services.confirm_shift_hours(signup=signup, origin=as_(t.initiator))
    assert (entry.minutes, entry.state) == (180, "confirmed")
    again = services.confirm_shift_hours(signup=signup, minutes=120, origin=as_(t.initiator))
    assert again.pk == entry.pk and again.minutes == 120
    assert AuditEvent.objects.filter(action="volunteering.hours_confirmed").count() == 2
    future = SignUp.objects.create(shift=shift(task(t)), user=t.resident)
    with pytest.raises(services.VolunteeringError, match="after the shift"):
        services.confirm_shift_hours(signup=future, origin=as_(t.initiator))


def test_free_hours_only_for_initiatives_one_helps_and_within_limits():
    t = town()
    today = timezone.localdate()
    with pytest.raises(services.VolunteeringError, match="help with"):
        services.record_own_hours(
            initiative=t.initiative, date=today, minutes=60, origin=as_(t.resident)
        )
    SignUp.objects.create(shift=shift(task(t)), user=t.resident)
    for minutes, date, message in [
        (0, today, "between 1 minute"),
        (25 * 60, today, "between 1 minute"),
        (60, today + datetime.timedelta(days=1), "after the work"),
        (60, today - datetime.timedelta(days=400), "a year back"),
    ]:
        with pytest.raises(services.VolunteeringError, match=message):
            services.record_own_hours(
                initiative=t.initiative, date=date, minutes=minutes, origin=as_(t.resident)
            )
    entry = services.record_own_hours(
        initiative=t.initiative, date=today, minutes=60, origin=as_(t.resident)
    )
    services.delete_hours(entry=entry, origin=as_(t.resident))
    assert not HoursEntry.objects.exists()


def test_a_volunteer_cannot_remove_confirmed_hours_an_initiator_can_with_audit():
    t = town()
    entry = hours(t.resident, t.initiative, 60)
    with pytest.raises(PermissionDenied):
        services.delete_hours(entry=entry, origin=as_(t.resident))
    services.delete_hours(entry=entry, origin=as_(t.initiator))
    assert AuditEvent.objects.filter(action="volunteering.hours_deleted").exists()


def test_key_roles_are_recorded_by_managers_for_people_of_the_initiative():
    t = town()
    since = timezone.localdate() - datetime.timedelta(days=30)
    with pytest.raises(services.VolunteeringError, match="initiators or volunteers"):
        services.add_key_role(
            initiative=t.initiative,
            role=KeyRoleKind.TREASURER,
            user=t.resident,
            since=since,
            origin=as_(t.initiator),
        )
    with pytest.raises(PermissionDenied):
        services.add_key_role(
            initiative=t.initiative,
            role=KeyRoleKind.TREASURER,
            user=t.initiator,
            since=since,
            origin=as_(t.resident),
        )
    role = services.add_key_role(
        initiative=t.initiative,
        role=KeyRoleKind.TREASURER,
        user=t.initiator,
        since=since,
        origin=as_(t.worker),
    )
    assert load.single_person_roles([t.initiative])[t.initiative.pk][0].user_id == t.initiator.pk
    services.end_key_role(key_role=role, origin=as_(t.initiator))
    assert load.single_person_roles([t.initiative]) == {}
    assert AuditEvent.objects.filter(action__startswith="volunteering.key_role").count() == 2


def test_export_and_erase_keep_anonymous_hours_for_the_initiative():
    t = town()
    s = shift(task(t))
    SignUp.objects.create(shift=s, user=t.resident)
    profile(t.resident, skills=pack(["cooking"]), max_hours_per_month=10)
    hours(t.resident, t.initiative, 90).description = "x"
    HoursEntry.objects.update(description="Soep gekookt")
    KeyRole.objects.create(
        initiative=t.initiative, role="contact", user=t.resident, since=timezone.localdate()
    )
    Invitation.objects.create(shift=s, user=t.resident, invited_by=t.initiator)
    data = export_personal_data(t.resident)["volunteering"]
    assert data["profile"]["skills"] == ["cooking"]
    assert data["hours"][0]["minutes"] == 90 and data["hours"][0]["description"] == "Soep gekookt"
    assert len(data["signups"]) == len(data["invitations"]) == len(data["key_roles"]) == 1
    run_erasers(t.resident)
    assert not VolunteerProfile.objects.filter(user=t.resident).exists()
    assert not SignUp.objects.exists() and not Invitation.objects.exists()
    assert not KeyRole.objects.exists()
    entry = HoursEntry.objects.get()
    assert entry.user is None and entry.description == "" and entry.minutes == 90
    assert export_personal_data(t.resident)["volunteering"]["hours"] == []


def test_shift_day_part():
    t = town()
    s = shift(task(t), hour=9)
    assert s.day_part.endswith("_morning")
    assert Shift.objects.count() == 1
