"""Buddy households (maatjes): programmes, households with their intake, pairs, check-ins.

A programme is run by one organisation (e.g. a welzijnsorganisatie) in one
municipality; its matchers are the organisation's members with role ``MATCHER``.
A household keeps only what the matching needs. Children are counted by age, never
named. Sensitive facts are kept only when a household volunteers them, and count in
matching only with the separate consent flag (``consent_sensitive``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtbasis.areas.models import Area
from buurtbasis.organisations.models import Organisation


class Programme(models.Model):
    """A buddy programme of one organisation in one municipality."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="buddy_programmes",
    )
    municipality_code = models.CharField(_("municipality (CBS code)"), max_length=8)
    name = models.CharField(_("name"), max_length=120)
    term_months = models.PositiveSmallIntegerField(_("term in months"), default=6)
    max_km = models.DecimalField(
        _("maximum distance (km)"), max_digits=5, decimal_places=1, default=10
    )
    #: Raised by every write that changes households or pairs (services); the matcher's
    #: encoded households are cached per version (adapters.programme_matcher).
    matching_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("buddy programme")
        verbose_name_plural = _("buddy programmes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "municipality_code"], name="buddies_one_programme_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    NEWCOMER = "newcomer", _("Newcomer household")
    LOCAL = "local", _("Local household")


class HouseholdStatus(models.TextChoices):
    INTAKE = "intake", _("In intake")
    WAITING = "waiting", _("Waiting for a buddy household")
    PAIRED = "paired", _("Paired")
    CLOSED = "closed", _("Closed")


class Level(models.TextChoices):
    BASIC = "basic", _("basic")
    GOOD = "good", _("good")
    NATIVE = "native", _("native")


class Household(models.Model):
    """One household in a programme: only what the matching needs."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="households"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=HouseholdStatus.choices, default=HouseholdStatus.INTAKE
    )
    #: A short label the matcher uses (e.g. "Familie H."), not a full name.
    label = models.CharField(_("label"), max_length=80)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person (account)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buddy_households",
    )
    adults = models.PositiveSmallIntegerField(_("adults"), default=1)
    children_ages = models.JSONField(_("ages of the children"), default=list, blank=True)
    #: [{"code": "ar", "level": "native"}, ...]
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    #: ["sat-afternoon", ...]
    availability = models.JSONField(_("availability"), default=list, blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("wijk or buurt"), on_delete=models.PROTECT, null=True, blank=True
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    wishes = models.JSONField(_("wishes"), default=list, blank=True)
    language_required = models.BooleanField(_("a shared language is a must"), default=False)
    #: Volunteered sensitive facts ({"religion": "..."}), only when the household offers them.
    sensitive = models.JSONField(_("volunteered sensitive facts"), default=dict, blank=True)
    consent_sensitive = models.BooleanField(
        _("consent to use the volunteered facts for matching"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    #: Set when the retention job or an erasure removed the details.
    erased_at = models.DateTimeField(null=True, blank=True)
    #: An e-mail address a matcher gave for the contact person. It is never looked up for
    #: the matcher: an account with this (verified) address gets an invitation, and only
    #: when its holder confirms does the account become ``contact``.
    invited_email = models.EmailField(_("invited contact person (e-mail)"), blank=True)

    class Meta:
        verbose_name = _("buddy household")
        verbose_name_plural = _("buddy households")
        ordering = ["label", "pk"]
        indexes = [models.Index(fields=["programme", "status", "kind"])]

    def __str__(self) -> str:
        return self.label

    @property
    def match_id(self) -> str:
        return f"h{self.pk}"


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")
    EVALUATED = "evaluated", _("Evaluated")
    DECLINED = "declined", _("Declined")


OPEN_PAIR_STATUSES = (PairStatus.PROPOSED, PairStatus.ACTIVE)


class Pair(models.Model):
    """A newcomer household and a local household, from proposal to evaluation."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="pairs"
    )
    newcomer = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="pairs_as_newcomer"
    )
    local = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="pairs_as_local")
    status = models.CharField(
        _("status"), max_length=12, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    score = models.FloatField(_("fit"), default=0)
    explanation = models.CharField(_("why they fit"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    newcomer_accepted_at = models.DateTimeField(null=True, blank=True)
    newcomer_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    newcomer_on_behalf = models.BooleanField(default=False)
    local_accepted_at = models.DateTimeField(null=True, blank=True)
    local_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    local_on_behalf = models.BooleanField(default=False)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending early"), max_length=300, blank=True)
    evaluation_newcomer = models.CharField(
        _("evaluation by the newcomer household"), max_length=500, blank=True
    )
    evaluation_local = models.CharField(
        _("evaluation by the local household"), max_length=500, blank=True
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("buddy pair")
        verbose_name_plural = _("buddy pairs")
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"{self.newcomer} + {self.local}"

    def household_side(self, household: Household) -> str:
        return "newcomer" if household.pk == self.newcomer_id else "local"


class CheckIn(models.Model):
    """A planned check-in of an active pair (weeks 2, 6, 12 and 24 by default)."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="checkins")
    week = models.PositiveSmallIntegerField(_("week"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Short and masked: no names, addresses or numbers.
    note = models.CharField(_("note"), max_length=300, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "week"], name="buddies_one_checkin_per_week")
        ]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.pair} week {self.week}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Being computed")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class BatchProposal(models.Model):
    """A batch proposal asked by a matcher: computed (in the background when large)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="batches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    max_km = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    language_code = models.CharField(max_length=8, blank=True)
    require_shared_language = models.BooleanField(default=False)
    status = models.CharField(
        max_length=8, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    #: The core's propose() output, with household ids as "h<pk>".
    result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme} {self.requested_at:%Y-%m-%d %H:%M}"
