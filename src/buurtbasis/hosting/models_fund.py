"""The municipality's initiatives fund: a budget per municipality and year, light
applications from hosted initiatives, and a civil servant's decision.

An application moves through these states::

    submitted -> granted | refused
    submitted -> question -> submitted (the applicant answered)

A granted application becomes one earmarked :class:`~buurtbasis.hosting.models.Grant`
of the initiative (``FundApplication.grant``, unique), booked through the ledger
services in the same transaction. The fund never grants more than its budget: the
decision locks the fund's row and counts what it granted before.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InitiativesFund(models.Model):
    """The initiatives fund of one municipality (CBS code) for one year."""

    cbs_code = models.CharField(_("municipality (CBS code)"), max_length=16, db_index=True)
    municipality_name = models.CharField(_("municipality"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what the fund pays for"))
    budget_cents = models.BigIntegerField(_("budget (cents)"))
    max_per_application_cents = models.BigIntegerField(_("at most per application (cents)"))
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("initiatives fund")
        verbose_name_plural = _("initiatives funds")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cbs_code", "year"], name="hosting_one_fund_a_year"),
            models.CheckConstraint(
                condition=models.Q(budget_cents__gte=0), name="hosting_fund_budget_nonneg"
            ),
            models.CheckConstraint(
                condition=models.Q(max_per_application_cents__gt=0),
                name="hosting_fund_max_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="hosting_fund_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for a decision")
    QUESTION = "question", _("Question to the applicant")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


OPEN_APPLICATION_STATES = (ApplicationState.SUBMITTED, ApplicationState.QUESTION)


class FundApplication(models.Model):
    """A light application: what, for whom, when, how much (a total or a few cost lines)."""

    fund = models.ForeignKey(
        InitiativesFund,
        verbose_name=_("fund"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_applications",
    )
    what = models.TextField(_("what you want to do"))
    for_whom = models.TextField(_("for whom"))
    when = models.CharField(_("when"), max_length=200)
    amount_cents = models.BigIntegerField(_("amount asked (cents)"))
    #: ``[{"description": str, "amount_cents": int}, ...]``; empty when one total is asked.
    cost_lines = models.JSONField(_("cost lines"), default=list, blank=True)
    attachment = models.CharField(_("attachment"), max_length=255, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    question = models.TextField(_("question"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    granted_cents = models.BigIntegerField(_("amount granted (cents)"), default=0)
    reason = models.TextField(_("reason"), blank=True)
    grant = models.OneToOneField(
        "hosting.Grant",
        verbose_name=_("grant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_application",
    )

    class Meta:
        verbose_name = _("fund application")
        verbose_name_plural = _("fund applications")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="hosting_application_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(granted_cents__gte=0)
                & models.Q(granted_cents__lte=models.F("amount_cents")),
                name="hosting_application_granted_within_asked",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="granted") | models.Q(grant__isnull=False),
                name="hosting_granted_application_has_grant",
            ),
            models.UniqueConstraint(
                fields=["fund", "initiative"],
                condition=models.Q(state__in=["submitted", "question"]),
                name="hosting_one_open_application_per_fund",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} – {self.initiative}"
