"""Every write of the social map and of warm referral.

Services take plain values and an ``Origin`` (who acts); they check access themselves,
so a view, a command or a task can call them alike. Every step is in the audit trail
with the status and a category only: never the person's name, contact, reason or notes.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtbasis.organisations.access import Role
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.notifications import notify

from . import access, adapters
from .models import (
    CLOSED,
    TRANSITIONS,
    CaseNote,
    ConsentMethod,
    DeclineReason,
    Domain,
    Outcome,
    Referral,
    ReferralCount,
    ReportBack,
    Service,
    Shared,
    Status,
    Step,
)

MAX_NAME = 60
MAX_CONTACT = 120
MAX_REASON = 600
MAX_NOTE = 2000
#: How long consent may be given for at most.
MAX_CONSENT_DAYS = 366
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-()]{7,18}$")
#: Words that suggest a diagnosis or medical details in a reason; the form warns.
DIAGNOSIS_WORDS = (
    "diagnose",
    "depressie",
    "adhd",
    "autisme",
    "psychose",
    "borderline",
    "verslaving",
    "dementie",
    "medicatie",
    "medicijn",
    "bsn",
    "burgerservicenummer",
)


class ReferralError(ValueError):
    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """``days`` working days (Monday to Friday) after ``start``.

    >>> add_working_days(datetime.date(2026, 12, 4), 5)  # a Friday
    datetime.date(2026, 12, 11)
    >>> add_working_days(datetime.date(2026, 12, 5), 1)  # a Saturday
    datetime.date(2026, 12, 7)
    """
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def diagnosis_words(text: str) -> list[str]:
    """Words in a reason that look like a diagnosis or an identity number (for a warning)."""
    lowered = text.lower()
    return [w for w in DIAGNOSIS_WORDS if w in lowered]


def refuse_bsn(text: str) -> None:
    """Refuse a nine-digit number, as a citizen service number (BSN) is written."""
    if adapters.has_nine_digit_number(text):
        raise ReferralError(
            _("Remove the nine-digit number: a citizen service number (BSN) may not be recorded."),
            code="bsn",
        )


def _professionals_of(organisation):
    from buurtbasis.accounts.models import User

    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role=Role.PROFESSIONAL,
    ).distinct()


def professionals_of(organisation):
    return _professionals_of(organisation).order_by("display_name", "pk")


def receives_referrals(service: Service) -> bool:
    """Whether a professional of the service's organisation is on Buurtbasis to receive
    a referral (without one, a referral would reach nobody)."""
    return _professionals_of(service.organisation).exists()


def no_receiver_message() -> str:
    return _(
        "Nobody at this organisation receives referrals through Buurtbasis yet. Use the "
        "contact for professionals."
    )


def _log(referral: Referral, action: str, origin: Origin, **details) -> None:
    record_event(
        action=f"referrals.{action}",
        target=referral,
        details={"service": referral.service_id, **details},
        origin=origin,
    )


# -- the social map -----------------------------------------------------------------------------


@transaction.atomic
def save_service(
    *,
    code: str,
    organisation,
    name: str,
    domain: str,
    description: str,
    areas=(),
    professional_contact: str = "",
    how_to_refer: str = "",
    first_contact_days: int | None = None,
    active: bool = True,
    service: Service | None = None,
    origin: Origin,
) -> Service:
    """Put a service on the municipality's map, or change one."""
    actor = origin.actor
    allowed = access.maintainable_organisations(actor, code)
    if not allowed.filter(pk=organisation.pk).exists():
        raise ReferralError(
            _("You cannot put services of this organisation on the social map."),
            code="forbidden",
        )
    if service is not None and service.municipality_code != code:
        raise ReferralError(_("This service belongs to another municipality."), code="forbidden")
    if domain not in Domain.values:
        raise ReferralError(_("Choose a domain."), code="domain")
    name = name.strip()
    if not name or not description.strip():
        raise ReferralError(_("Give the service a name and a description."), code="empty")
    if first_contact_days is not None and not 1 <= first_contact_days <= 60:
        raise ReferralError(_("First contact must be within 1 to 60 working days."), code="days")
    areas = list(areas)
    if any(a.municipality_code != code for a in areas):
        raise ReferralError(_("Choose wijken of this municipality."), code="areas")
    created = service is None
    if created:
        service = Service(municipality_code=code)
    service.organisation = organisation
    service.name = name[:160]
    service.domain = domain
    service.description = description.strip()
    service.professional_contact = professional_contact.strip()
    service.how_to_refer = how_to_refer.strip()
    service.first_contact_days = first_contact_days
    service.active = active
    service.updated_by = actor
    service.save()
    service.areas.set(areas)
    record_event(
        action="referrals.service_created" if created else "referrals.service_changed",
        target=service,
        details={"organisation": organisation.pk, "active": active},
        origin=origin,
    )
    return service


# -- making a referral --------------------------------------------------------------------------


def _clean_contact(contact: str) -> str:
    contact = contact.strip()
    if not contact:
        return ""
    if _EMAIL.match(contact) or _PHONE.match(contact):
        return contact[:MAX_CONTACT]
    raise ReferralError(
        _("Give a phone number or an e-mail address to reach the person."), code="contact"
    )


@transaction.atomic
def make_referral(
    *,
    service: Service,
    person_name: str,
    contact: str,
    reason: str,
    shared: list[str],
    consent_until: datetime.date,
    consent_method: str,
    report_back: str,
    professional=None,
    origin: Origin,
) -> Referral:
    """A volunteer or community worker refers a person to a service, with consent."""
    actor = origin.actor
    code = service.municipality_code
    if not access.can_refer(actor, code):
        raise ReferralError(
            _("Only volunteers and community workers working here can refer."), code="forbidden"
        )
    if not service.active:
        raise ReferralError(_("This service is no longer on the social map."), code="inactive")
    if not receives_referrals(service):
        raise ReferralError(no_receiver_message(), code="no_receiver")
    shared = [s for s in Shared.values if s in set(shared)]
    if not shared:
        raise ReferralError(
            _("Record what the person allows to be shared with the organisation."),
            code="consent",
        )
    today = timezone.localdate()
    if consent_until is None or consent_until <= today:
        raise ReferralError(_("The consent must last until a date in the future."), code="until")
    if consent_until > today + datetime.timedelta(days=MAX_CONSENT_DAYS):
        raise ReferralError(_("Consent can be recorded for at most one year."), code="until")
    if consent_method not in ConsentMethod.values:
        raise ReferralError(_("Record how the person gave consent."), code="method")
    if report_back not in ReportBack.values:
        raise ReferralError(_("Record what may be reported back to you."), code="report")
    person_name = person_name.strip()[:MAX_NAME]
    contact = _clean_contact(contact)
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise ReferralError(_("Keep the reason short (at most 600 characters)."), code="reason")
    refuse_bsn(reason)
    refuse_bsn(person_name)
    given = {Shared.NAME: person_name, Shared.CONTACT: contact, Shared.REASON: reason}
    for item, value in given.items():
        if value and item not in shared:
            raise ReferralError(
                _("You filled in “%(what)s”, but the person did not allow it to be shared.")
                % {"what": Shared(item).label},
                code="not_shared",
            )
    if not contact and not person_name:
        raise ReferralError(
            _("Give at least a first name or a way to reach the person."), code="empty"
        )
    if (
        professional is not None
        and not _professionals_of(service.organisation).filter(pk=professional.pk).exists()
    ):
        raise ReferralError(
            _("Choose a professional of the organisation of this service."), code="professional"
        )
    now = timezone.now()
    referral = Referral.objects.create(
        municipality_code=code,
        service=service,
        organisation=service.organisation,
        domain=service.domain,
        referrer=actor,
        professional=professional,
        person_name=person_name,
        contact=contact,
        reason=reason,
        shared=shared,
        consent_until=consent_until,
        consent_method=consent_method,
        consent_recorded_by=actor,
        consent_recorded_at=now,
        report_back=report_back,
        sent_at=now,
        first_contact_due=add_working_days(timezone.localdate(now), service.contact_days()),
    )
    Step.objects.create(referral=referral, status=Status.SENT, at=now, by=actor)
    _log(
        referral,
        "sent",
        origin,
        organisation=service.organisation_id,
        consent_method=consent_method,
        shared=shared,
        consent_until=consent_until,
        report_back=report_back,
        named_professional=professional.pk if professional else None,
    )
    recipients = [professional] if professional else list(_professionals_of(service.organisation))
    link = reverse("referrals:case", args=[referral.pk])
    for person in recipients:
        notify(
            person,
            "referrals.received",
            {"service": service.name, "link": link},
            municipality=code,
        )
    return referral


# -- the loop (professionals of the receiving organisation) ---------------------------------------


def _handler_or_error(referral: Referral, origin: Origin) -> None:
    if not access.can_handle(origin.actor, referral):
        raise ReferralError(
            _("Only professionals of the receiving organisation can do this."), code="forbidden"
        )


@transaction.atomic
def claim(referral: Referral, *, origin: Origin) -> Referral:
    """A professional takes a referral from the organisation's intake queue."""
    _handler_or_error(referral, origin)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.professional_id and referral.professional_id != origin.actor.pk:
        raise ReferralError(_("A colleague has already taken this referral."), code="taken")
    referral.professional = origin.actor
    referral.save(update_fields=["professional"])
    _log(referral, "claimed", origin)
    return referral


@transaction.atomic
def take_step(
    referral: Referral, *, to_status: str, category: str = "", origin: Origin
) -> Referral:
    """Move the referral on: accepted or declined (with a reason category), first contact,
    started, ended (with an outcome category). No free text: the referrer may see it."""
    _handler_or_error(referral, origin)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if to_status not in TRANSITIONS.get(referral.status, ()):
        raise ReferralError(_("This step is not possible now."), code="transition")
    if to_status == Status.DECLINED and category not in DeclineReason.values:
        raise ReferralError(_("Choose why you decline the referral."), code="category")
    if to_status == Status.ENDED and category not in Outcome.values:
        raise ReferralError(_("Choose how the help ended."), code="category")
    if to_status not in (Status.DECLINED, Status.ENDED):
        category = ""
    now = timezone.now()
    referral.status = to_status
    if referral.professional_id is None:
        referral.professional = origin.actor
    if to_status == Status.DECLINED:
        referral.decline_reason = category
    if to_status == Status.ENDED:
        referral.outcome = category
    if to_status in CLOSED:
        referral.closed_at = now
    referral.save()
    Step.objects.create(
        referral=referral, status=to_status, category=category, at=now, by=origin.actor
    )
    _log(referral, "step", origin, to=to_status, category=category)
    if referral.referrer_id and referral.report_back == ReportBack.STATUS:
        notify(
            referral.referrer,
            "referrals.status",
            {
                "service": referral.service.name,
                "status": Status(to_status).label,
                "link": reverse("referrals:mine-detail", args=[referral.pk]),
            },
            municipality=referral.municipality_code,
        )
    return referral


@transaction.atomic
def add_note(referral: Referral, *, text: str, origin: Origin) -> CaseNote:
    _handler_or_error(referral, origin)
    text = text.strip()
    if not text:
        raise ReferralError(_("Write a note."), code="empty")
    if len(text) > MAX_NOTE:
        raise ReferralError(_("A note is at most 2000 characters."), code="long")
    refuse_bsn(text)
    note = CaseNote.objects.create(referral=referral, author=origin.actor, text=text)
    _log(referral, "note_added", origin)
    return note


def record_view(referral: Referral, *, origin: Origin) -> None:
    """A professional opened the details of a referral: in the audit trail."""
    _handler_or_error(referral, origin)
    _log(referral, "details_viewed", origin)


# -- what the referrer sees ---------------------------------------------------------------------


def referrer_steps(referral: Referral) -> list[dict]:
    """The steps the referrer may see: all status steps when the person agreed, only
    "sent" otherwise. Plain values, no details."""
    steps = list(referral.steps.all())
    if referral.report_back != ReportBack.STATUS:
        steps = [s for s in steps if s.status == Status.SENT]
    return [{"status": s.status, "label": Status(s.status).label, "at": s.at} for s in steps]


def referrer_status(referral: Referral) -> str:
    if referral.report_back != ReportBack.STATUS:
        return Status.SENT
    return referral.status


# -- export, erasure and retention ---------------------------------------------------------------


def export_data(referral: Referral) -> dict:
    """Everything kept about the person in one referral (for their request)."""
    return {
        "service": referral.service.name,
        "organisation": referral.organisation.name,
        "sent": referral.sent_at,
        "status": referral.get_status_display(),
        "first_name_or_initials": referral.person_name,
        "contact": referral.contact,
        "reason": referral.reason,
        "consent": {
            "shared": [str(Shared(s).label) for s in referral.shared],
            "until": referral.consent_until,
            "given": referral.get_consent_method_display(),
            "recorded": referral.consent_recorded_at,
            "reported_back": referral.get_report_back_display(),
        },
        "steps": [
            {"status": Status(s.status).label, "at": s.at, "category": s.category}
            for s in referral.steps.all()
        ],
        "notes": [{"written": n.created_at, "note": n.text} for n in referral.notes.all()],
    }


@transaction.atomic
def export_referral(referral: Referral, *, origin: Origin) -> dict:
    _handler_or_error(referral, origin)
    _log(referral, "exported", origin)
    return export_data(referral)


def _count_and_delete(referrals) -> int:
    """Delete referrals, keeping an anonymous count per month, service, domain and end."""
    n = 0
    for referral in referrals:
        month = timezone.localdate(referral.sent_at).replace(day=1)
        category = referral.decline_reason or referral.outcome
        row, _created = ReferralCount.objects.get_or_create(
            municipality_code=referral.municipality_code,
            month=month,
            service_id=referral.service_id,
            domain=referral.domain,
            final_status=referral.status,
            category=category,
        )
        ReferralCount.objects.filter(pk=row.pk).update(count=F("count") + 1)
        referral.delete()
        n += 1
    return n


@transaction.atomic
def erase_referral(referral: Referral, *, origin: Origin) -> None:
    """At the person's request the receiving organisation deletes the referral."""
    _handler_or_error(referral, origin)
    _log(referral, "erased", origin)
    _count_and_delete([referral])


def retention_due(now=None):
    """Referrals whose details must go: closed longer than the retention period ago, or
    whose consent has ended."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.REFERRALS_RETENTION_DAYS)
    from django.db.models import Q

    return Referral.objects.filter(
        Q(status__in=CLOSED, closed_at__lt=limit) | Q(consent_until__lt=timezone.localdate(now))
    )


def apply_retention(now=None) -> int:
    """Delete what is past its retention (scheduled daily); returns how many."""
    deleted = 0
    origin = Origin.system()
    while True:
        with transaction.atomic():
            batch = list(retention_due(now).select_related("service")[:500])
            if not batch:
                break
            for referral in batch:
                _log(referral, "deleted_by_retention", origin, status=referral.status)
            deleted += _count_and_delete(batch)
    return deleted


def notify_overdue(now=None) -> int:
    """Tell the referrer and the receiving organisation's professionals about referrals
    without first contact in time (once per referral); returns how many referrals."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    n = 0
    overdue = (
        Referral.objects.overdue(today)
        .filter(overdue_notified_at__isnull=True)
        .select_related("service", "referrer", "professional", "organisation")
    )
    for referral in overdue[:1000]:
        with transaction.atomic():
            people = (
                [referral.professional]
                if referral.professional_id
                else list(_professionals_of(referral.organisation))
            )
            for person in people:
                notify(
                    person,
                    "referrals.overdue",
                    {
                        "service": referral.service.name,
                        "link": reverse("referrals:case", args=[referral.pk]),
                    },
                    municipality=referral.municipality_code,
                )
            # The referrer hears only when the person agreed that steps are reported back.
            if referral.referrer_id and referral.report_back == ReportBack.STATUS:
                notify(
                    referral.referrer,
                    "referrals.overdue",
                    {
                        "service": referral.service.name,
                        "link": reverse("referrals:mine-detail", args=[referral.pk]),
                    },
                    municipality=referral.municipality_code,
                )
            Referral.objects.filter(pk=referral.pk).update(overdue_notified_at=now)
            _log(referral, "overdue_notified", Origin.system())
            n += 1
    return n


__all__ = [
    "ReferralError",
    "add_note",
    "add_working_days",
    "apply_retention",
    "claim",
    "erase_referral",
    "export_referral",
    "make_referral",
    "notify_overdue",
    "record_view",
    "referrer_steps",
    "save_service",
    "take_step",
]
