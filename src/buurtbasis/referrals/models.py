"""The social map (sociale kaart) and warm referral.

A *service* is something an organisation offers in a municipality (schuldhulp, wijkteam,
woonconsulent, ...), with the wijken it serves and how to refer. A *referral* hands a
person over to a service, with the person's explicit consent: what may be shared, with
which organisation, until when, and whether the referrer hears the status steps back.

Minimal data: a first name or initials, one way to reach the person, a short reason in
the person's words. No diagnoses, no citizen service number (nine-digit numbers are
refused). These details, and the professional's case notes, are only for the receiving
organisation's professionals; the referrer sees the status steps only. After the
retention period (or when the consent ends) the referral is deleted and only an
anonymous count remains (``ReferralCount``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    DEBT = "debt", _("Debt and money")
    CARE = "care", _("Care and health")
    HOUSING = "housing", _("Housing")
    PARENTING = "parenting", _("Parenting")
    WORK = "work", _("Work and income")
    LONELINESS = "loneliness", _("Loneliness and contact")
    OTHER = "other", _("Other")


class ServiceQuerySet(models.QuerySet):
    def in_municipality(self, code: str):
        return self.filter(municipality_code=code)

    def active(self):
        return self.filter(active=True)


class Service(models.Model):
    """One service on the social map of a municipality."""

    municipality_code = models.CharField(_("municipality"), max_length=12, db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="referral_services",
    )
    name = models.CharField(_("name"), max_length=160)
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    description = models.TextField(_("what it offers (in plain language)"), max_length=1500)
    areas = models.ManyToManyField(
        "areas.Area",
        verbose_name=_("wijken served"),
        blank=True,
        related_name="referral_services",
        help_text=_("Leave empty when the service is for the whole municipality."),
    )
    professional_contact = models.CharField(
        _("contact for professionals"), max_length=300, blank=True
    )
    how_to_refer = models.TextField(_("how to refer"), max_length=1000, blank=True)
    first_contact_days = models.PositiveSmallIntegerField(
        _("first contact within (working days)"), null=True, blank=True
    )
    active = models.BooleanField(_("on the map"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("referrals:service", args=[self.pk])

    def contact_days(self) -> int:
        if self.first_contact_days:
            return self.first_contact_days
        return settings.REFERRALS_FIRST_CONTACT_DAYS


class Status(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    FIRST_CONTACT = "first_contact", _("First contact made")
    STARTED = "started", _("Help started")
    ENDED = "ended", _("Ended")


#: The steps a professional may take from each status.
TRANSITIONS = {
    Status.SENT: (Status.ACCEPTED, Status.DECLINED),
    Status.ACCEPTED: (Status.FIRST_CONTACT, Status.ENDED),
    Status.FIRST_CONTACT: (Status.STARTED, Status.ENDED),
    Status.STARTED: (Status.ENDED,),
    Status.DECLINED: (),
    Status.ENDED: (),
}
#: Statuses in which the first contact is still to come (so the referral may be overdue).
WAITING = (Status.SENT, Status.ACCEPTED)
CLOSED = (Status.DECLINED, Status.ENDED)


class DeclineReason(models.TextChoices):
    NOT_OUR_SERVICE = "not_our_service", _("Not something we offer")
    OUTSIDE_AREA = "outside_area", _("Outside our area")
    NO_CAPACITY = "no_capacity", _("No room at the moment")
    ALREADY_KNOWN = "already_known", _("Already receives help")
    OTHER = "other", _("Other reason")


class Outcome(models.TextChoices):
    HELPED = "helped", _("Help completed")
    REFERRED_ON = "referred_on", _("Referred on to another service")
    PERSON_STOPPED = "person_stopped", _("The person stopped")
    NO_CONTACT = "no_contact", _("No contact possible")
    OTHER = "other", _("Other")


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Said in person")
    PAPER = "paper", _("On paper")
    DIGITAL = "digital", _("Digitally")


class ReportBack(models.TextChoices):
    STATUS = "status", _("The status steps only")
    NOTHING = "nothing", _("Nothing")


class Shared(models.TextChoices):
    """What the person allows to be shared with the receiving organisation."""

    NAME = "name", _("First name or initials")
    CONTACT = "contact", _("Phone number or e-mail address")
    REASON = "reason", _("The reason in their own words")


class ReferralQuerySet(models.QuerySet):
    def in_municipality(self, code: str):
        return self.filter(municipality_code=code)

    def waiting(self):
        return self.filter(status__in=WAITING)

    def overdue(self, today):
        return self.waiting().filter(first_contact_due__lt=today)


class Referral(models.Model):
    """A warm referral of one person to one service."""

    municipality_code = models.CharField(_("municipality"), max_length=12, db_index=True)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="referrals"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("receiving organisation"),
        on_delete=models.CASCADE,
        related_name="received_referrals",
    )
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals_made",
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals_received",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    # -- the person: minimal, for the receiving organisation's professionals only --
    person_name = models.CharField(_("first name or initials"), max_length=60, blank=True)
    contact = models.CharField(_("phone or e-mail"), max_length=120, blank=True)
    reason = models.TextField(_("reason in the person's words"), max_length=600, blank=True)
    # -- consent --
    shared = models.JSONField(_("may be shared"), default=list)
    consent_until = models.DateField(_("consent valid until"))
    consent_method = models.CharField(
        _("consent given"), max_length=16, choices=ConsentMethod.choices
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded"))
    report_back = models.CharField(
        _("may be reported back"), max_length=16, choices=ReportBack.choices
    )
    # -- the loop --
    sent_at = models.DateTimeField(_("sent"), db_index=True)
    first_contact_due = models.DateField(_("first contact due"), db_index=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        # Never the person's details: this text goes into the audit trail.
        return f"{_('Referral')} {self.pk}"

    def is_overdue(self, today) -> bool:
        return self.status in WAITING and self.first_contact_due < today


class Step(models.Model):
    """One step of the loop, as the referrer may see it: a status, when, and a category
    (never a free text)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    category = models.CharField(_("category"), max_length=20, blank=True)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_status_display()


class CaseNote(models.Model):
    """A professional's note on a referral: only for the receiving organisation."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{_('Note')} {self.pk}"


class ReferralCount(models.Model):
    """What remains of deleted referrals: an anonymous count per month, service and end."""

    municipality_code = models.CharField(max_length=12, db_index=True)
    month = models.DateField()
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, related_name="+")
    domain = models.CharField(max_length=16, choices=Domain.choices)
    final_status = models.CharField(max_length=16, choices=Status.choices)
    category = models.CharField(max_length=20, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "municipality_code",
                    "month",
                    "service",
                    "domain",
                    "final_status",
                    "category",
                ],
                name="referrals_unique_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.domain} {self.final_status}: {self.count}"
