import datetime
import json

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent, Notification
from buurtbasis.platform.privacy import export_personal_data, run_erasers
from buurtbasis.referrals import access, services
from buurtbasis.referrals.models import CaseNote, Referral, ReferralCount, Status, Step
from buurtbasis.referrals.services import ReferralError

from .helpers import CONTACT, NAME, REASON, consent_until, refer, town

pytestmark = pytest.mark.django_db

NOTE = "Gesprek gehad over betalingsregeling met de woningcorporatie."


def _step(referral, person, to, category=""):
    return services.take_step(
        referral, to_status=to, category=category, origin=Origin(actor=person)
    )


def test_a_volunteer_refers_and_the_professional_closes_the_loop():
    t = town()
    referral = refer(t)
    assert referral.status == Status.SENT
    assert referral.organisation == t.debt_org
    assert referral.consent_recorded_by == t.volunteer
    # The organisation's professionals hear of it (the intake: nobody named).
    assert set(
        Notification.objects.filter(kind="referrals.received").values_list(
            "recipient__email", flat=True
        )
    ) == {t.professional.email, t.colleague.email}
    for to in (Status.ACCEPTED, Status.FIRST_CONTACT, Status.STARTED):
        referral = _step(referral, t.professional, to)
    referral = _step(referral, t.professional, Status.ENDED, "helped")
    assert referral.status == Status.ENDED and referral.outcome == "helped"
    assert referral.professional == t.professional  # the first step claims it
    assert [s["status"] for s in services.referrer_steps(referral)] == [
        "sent",
        "accepted",
        "first_contact",
        "started",
        "ended",
    ]
    # The referrer was told each step, without details.
    lines = Notification.objects.filter(recipient=t.volunteer, kind="referrals.status")
    assert lines.count() == 4
    for n in lines:
        assert NAME not in n.title + n.text and REASON not in n.title + n.text


def test_nothing_reported_back_when_the_person_chose_so():
    t = town()
    referral = refer(t, report_back="nothing")
    referral = _step(referral, t.professional, Status.ACCEPTED)
    assert [s["status"] for s in services.referrer_steps(referral)] == ["sent"]
    assert services.referrer_status(referral) == Status.SENT
    assert not Notification.objects.filter(recipient=t.volunteer).exists()


def test_community_workers_refer_too_residents_and_other_municipalities_do_not():
    t = town()
    other = town("GM0599", "Rotterdam")
    assert refer(t, by=t.worker).referrer == t.worker
    for person in (t.resident, t.civil_servant, t.professional, other.volunteer, other.worker):
        with pytest.raises(ReferralError) as error:
            refer(t, by=person)
        assert error.value.code == "forbidden"
    assert access.can_refer(other.volunteer, other.code)
    assert not access.can_refer(other.volunteer, t.code)


@pytest.mark.parametrize(
    "reason",
    ["Mijn BSN is 123456782, wil dat ze bellen.", "nummer 1234.56.782", "bsn 123 456 782"],
)
def test_a_nine_digit_number_is_refused(reason):
    t = town()
    with pytest.raises(ReferralError) as error:
        refer(t, reason=reason)
    assert error.value.code == "bsn"
    assert not Referral.objects.exists()


def test_consent_rules():
    t = town()
    cases = [
        ({"shared": []}, "consent"),
        ({"shared": ["name", "reason"]}, "not_shared"),  # contact given but not agreed
        ({"consent_until": timezone.localdate()}, "until"),
        ({"consent_until": consent_until(400)}, "until"),
        ({"consent_method": "telepathy"}, "method"),
        ({"report_back": "everything"}, "report"),
        ({"contact": "just call"}, "contact"),
        ({"professional": t.care_professional}, "professional"),
        ({"person_name": "", "contact": "", "shared": ["reason"]}, "empty"),
    ]
    for overrides, code in cases:
        with pytest.raises(ReferralError) as error:
            refer(t, **overrides)
        assert error.value.code == code, overrides
    # Only what is shared is stored.
    referral = refer(t, contact="", shared=["name", "reason"])
    assert referral.shared == ["name", "reason"] and referral.contact == ""


def test_a_named_professional_receives_it_alone():
    t = town()
    referral = refer(t, professional=t.colleague)
    assert referral.professional == t.colleague
    assert list(
        Notification.objects.filter(kind="referrals.received").values_list("recipient", flat=True)
    ) == [t.colleague.pk]


def test_only_the_receiving_organisations_professionals_act():
    t = town()
    other = town("GM0599", "Rotterdam")
    referral = refer(t)
    outsiders = [t.volunteer, t.worker, t.care_professional, t.civil_servant, other.professional]
    admin = UserFactory(is_superuser=True)
    for person in [*outsiders, admin]:
        origin = Origin(actor=person)
        for action in (
            lambda origin=origin: services.take_step(referral, to_status="accepted", origin=origin),
            lambda origin=origin: services.add_note(referral, text=NOTE, origin=origin),
            lambda origin=origin: services.record_view(referral, origin=origin),
            lambda origin=origin: services.claim(referral, origin=origin),
            lambda origin=origin: services.export_referral(referral, origin=origin),
            lambda origin=origin: services.erase_referral(referral, origin=origin),
        ):
            with pytest.raises(ReferralError) as error:
                action()
            assert error.value.code == "forbidden"
    assert Referral.objects.filter(pk=referral.pk, status="sent").exists()
    assert not CaseNote.objects.exists()


def test_steps_follow_the_loop_and_categories_are_required():
    t = town()
    referral = refer(t)
    with pytest.raises(ReferralError):
        _step(referral, t.professional, Status.STARTED)
    with pytest.raises(ReferralError) as error:
        _step(referral, t.professional, Status.DECLINED)
    assert error.value.code == "category"
    referral = _step(referral, t.professional, Status.DECLINED, "no_capacity")
    assert referral.closed_at is not None and referral.decline_reason == "no_capacity"
    with pytest.raises(ReferralError):
        _step(referral, t.professional, Status.ACCEPTED)


def test_claiming_from_the_intake():
    t = town()
    referral = refer(t)
    referral = services.claim(referral, origin=Origin(actor=t.colleague))
    assert referral.professional == t.colleague
    with pytest.raises(ReferralError) as error:
        services.claim(referral, origin=Origin(actor=t.professional))
    assert error.value.code == "taken"


def test_the_audit_trail_has_every_step_and_view_but_never_details():
    t = town()
    referral = refer(t)
    services.record_view(referral, origin=Origin(actor=t.professional))
    services.add_note(referral, text=NOTE, origin=Origin(actor=t.professional))
    _step(referral, t.professional, Status.ACCEPTED)
    services.export_referral(referral, origin=Origin(actor=t.professional))
    actions = list(
        AuditEvent.objects.filter(object_type="referrals.referral")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "referrals.sent",
        "referrals.details_viewed",
        "referrals.note_added",
        "referrals.step",
        "referrals.exported",
    ]
    for event in AuditEvent.objects.all():
        text = json.dumps(event.details) + event.object_repr
        for secret in (NAME, CONTACT, REASON, NOTE, "12345678"):
            assert secret not in text, (event.action, secret)


def test_working_days_skip_the_weekend():
    friday = datetime.date(2026, 12, 4)
    assert services.add_working_days(friday, 1) == datetime.date(2026, 12, 7)
    assert services.add_working_days(friday, 5) == datetime.date(2026, 12, 11)
    assert services.add_working_days(datetime.date(2026, 12, 7), 3) == datetime.date(2026, 12, 10)


@override_settings(REFERRALS_FIRST_CONTACT_DAYS=7)
def test_first_contact_due_from_the_service_or_the_setting():
    t = town()
    today = timezone.localdate()
    assert refer(t).first_contact_due == services.add_working_days(today, 7)
    care = refer(t, service=t.care_service)
    assert care.first_contact_due == services.add_working_days(today, 3)


def test_overdue_referrals_are_notified_once_to_referrer_and_organisation():
    t = town()
    late = refer(t)
    on_time = refer(t)
    contacted = refer(t)
    _step(contacted, t.professional, Status.ACCEPTED)
    _step(contacted, t.professional, Status.FIRST_CONTACT)
    Referral.objects.filter(pk__in=[late.pk, contacted.pk]).update(
        first_contact_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    Notification.objects.all().delete()
    assert services.notify_overdue() == 1
    told = set(
        Notification.objects.filter(kind="referrals.overdue").values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {t.volunteer.email, t.professional.email, t.colleague.email}
    assert services.notify_overdue() == 0  # once
    assert not on_time.is_overdue(timezone.localdate())
    assert AuditEvent.objects.filter(action="referrals.overdue_notified").count() == 1


def test_the_referrer_hears_nothing_of_overdue_when_the_person_chose_nothing():
    t = town()
    referral = refer(t, report_back="nothing")
    Referral.objects.filter(pk=referral.pk).update(
        first_contact_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert services.notify_overdue() == 1
    overdue = Notification.objects.filter(kind="referrals.overdue")
    assert t.volunteer.pk not in set(overdue.values_list("recipient", flat=True))
    assert overdue.filter(recipient=t.professional).exists()


def test_retention_deletes_details_after_the_period_with_a_moved_clock(settings):
    settings.REFERRALS_RETENTION_DAYS = 30
    t = town()
    ended = refer(t)
    for to in (Status.ACCEPTED, Status.FIRST_CONTACT, Status.STARTED):
        ended = _step(ended, t.professional, to)
    ended = _step(ended, t.professional, Status.ENDED, "helped")
    services.add_note(ended, text=NOTE, origin=Origin(actor=t.professional))
    declined = _step(refer(t), t.professional, Status.DECLINED, "no_capacity")
    running = _step(refer(t), t.professional, Status.ACCEPTED)
    now = timezone.now()
    assert services.apply_retention(now + datetime.timedelta(days=29)) == 0
    assert services.apply_retention(now + datetime.timedelta(days=31)) == 2
    assert list(Referral.objects.values_list("pk", flat=True)) == [running.pk]
    assert not CaseNote.objects.exists()
    assert not Step.objects.exclude(referral=running).exists()
    counts = {(c.final_status, c.category, c.domain): c.count for c in ReferralCount.objects.all()}
    assert counts == {("ended", "helped", "debt"): 1, ("declined", "no_capacity", "debt"): 1}
    # The running one goes when its consent ends, whatever its status.
    assert services.apply_retention(now + datetime.timedelta(days=61)) == 1
    assert not Referral.objects.exists()
    assert ReferralCount.objects.get(final_status="accepted").count == 1
    assert declined.pk not in Referral.objects.values_list("pk", flat=True)


def test_erasure_on_request_keeps_only_a_count():
    t = town()
    referral = refer(t)
    services.add_note(referral, text=NOTE, origin=Origin(actor=t.professional))
    data = services.export_referral(referral, origin=Origin(actor=t.professional))
    assert data["contact"] == CONTACT and data["notes"][0]["note"] == NOTE
    services.erase_referral(referral, origin=Origin(actor=t.professional))
    assert not Referral.objects.exists() and not CaseNote.objects.exists()
    assert ReferralCount.objects.get().count == 1
    assert AuditEvent.objects.filter(action="referrals.erased").exists()


def test_a_person_with_an_account_exports_and_erases_their_referral():
    t = town()
    person = UserFactory(email="sanne@example.org")
    about = refer(t, contact="Sanne@Example.org")
    refer(t)  # someone else
    exported = export_personal_data(person)["referrals"]
    assert [r["contact"] for r in exported["referrals_about_me"]] == ["Sanne@Example.org"]
    # The referrer's export has no details of the person.
    made = export_personal_data(t.volunteer)["referrals"]
    assert len(made["referrals_i_made"]) == 2
    assert NAME not in json.dumps(made, default=str)
    run_erasers(person)
    assert not Referral.objects.filter(pk=about.pk).exists()
    assert Referral.objects.count() == 1


def test_the_map_is_maintained_by_civil_servants_and_welfare_workers_of_the_municipality():
    t = town()
    other = town("GM0599", "Rotterdam")

    def add(person, organisation=None, code=t.code):
        return services.save_service(
            code=code,
            organisation=organisation or t.debt_org,
            name="Budgetcoach",
            domain="debt",
            description="Samen uw post ordenen.",
            origin=Origin(actor=person),
        )

    assert add(t.civil_servant).municipality_code == t.code
    assert add(t.worker).organisation == t.debt_org
    for person in (t.volunteer, t.professional, t.resident, other.civil_servant, other.worker):
        with pytest.raises(ReferralError):
            add(person)
    with pytest.raises(ReferralError):  # an organisation that does not work here
        add(t.civil_servant, organisation=other.debt_org)
    with pytest.raises(ReferralError) as error:
        services.save_service(
            code=t.code,
            organisation=t.debt_org,
            name="X",
            domain="debt",
            description="Y",
            areas=[other.wijk],
            origin=Origin(actor=t.civil_servant),
        )
    assert error.value.code == "areas"


def test_no_mail_carries_details():
    t = town()
    referral = refer(t)
    _step(referral, t.professional, Status.ACCEPTED)
    from buurtbasis.platform.models import OutgoingEmail

    texts = [m.subject + m.body for m in mail.outbox] + [
        json.dumps([o.subject, o.text]) for o in OutgoingEmail.objects.all()
    ]
    assert texts
    for text in texts:
        assert NAME not in text and REASON not in text and CONTACT not in text


@given(
    start=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)),
    days=st.integers(min_value=1, max_value=60),
)
def test_working_days_count_only_weekdays(start, days):
    end = services.add_working_days(start, days)
    assert end.weekday() < 5
    between = [start + datetime.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(d.weekday() < 5 for d in between) == days
