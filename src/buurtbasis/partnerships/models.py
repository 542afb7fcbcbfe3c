"""Partnerships between an initiative and organisations, their pulse and follow-up actions.

A partnership has sides: the initiative's initiators (``Side.organisation`` is empty) and
one side per partner organisation, which confirms its participation. Each quarter a pulse
round asks every participant a few statements per aspect on a five-point scale; answers
are shown only in aggregate (see ``results.py``) unless their author chose otherwise.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Partnership(models.Model):
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="partnerships",
    )
    #: CBS code of the municipality (of the initiative when it was made): tenant scoping.
    municipality_code = models.CharField(_("municipality"), max_length=16, db_index=True)
    title = models.CharField(_("name of the partnership"), max_length=150)
    purpose = models.TextField(_("what we do together"))
    plans = models.ManyToManyField(
        "budgets.Plan", verbose_name=_("joint buurtbudget plans"), blank=True, related_name="+"
    )
    grants = models.ManyToManyField(
        "hosting.Grant", verbose_name=_("grants"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", kwargs={"pk": self.pk})


class Side(models.Model):
    """One side of a partnership: the initiators (no organisation) or a partner organisation."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="sides")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partnership_sides",
    )
    tasks = models.TextField(_("what this side does"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["partnership", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partnership_side_once"
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(organisation__isnull=True),
                name="partnership_one_initiator_side",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_initiators(self) -> bool:
        return self.organisation_id is None

    @property
    def name(self) -> str:
        if self.organisation_id is None:
            return str(_("Initiators"))
        return self.organisation.name

    @property
    def is_confirmed(self) -> bool:
        return self.is_initiators or self.confirmed_at is not None


class Agreement(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    text = models.CharField(_("agreement"), max_length=300)
    side = models.ForeignKey(
        Side, verbose_name=_("who does it"), on_delete=models.CASCADE, related_name="agreements"
    )
    due_on = models.DateField(_("before"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class PulseRound(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="pulse_rounds"
    )
    number = models.PositiveIntegerField(_("round"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["partnership", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="pulse_round_number"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} #{self.number}"

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class PulseAnswer(models.Model):
    """One person's answer in one round. ``scores`` holds the statement keys and their
    score (1–5); the five aspect fields are the mean of that person's statements per aspect
    (for sums in the database). Erasure keeps the numbers and removes person and text."""

    pulse_round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="answers")
    side = models.ForeignKey(Side, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pulse_answers",
    )
    scores = models.JSONField(default=dict)
    ambition = models.FloatField()
    interests = models.FloatField()
    process = models.FloatField()
    organisation = models.FloatField()
    relationship = models.FloatField()
    open_text = models.TextField(_("what would make our collaboration better"), blank=True)
    show_name = models.BooleanField(_("show my answer with my name"), default=False)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["pulse_round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pulse_round", "person"],
                condition=models.Q(person__isnull=False),
                name="pulse_answer_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pulse_round} ({self.pk})"


class FollowUpAction(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="partnership_actions",
    )
    due_on = models.DateField(_("before"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text

    def is_overdue(self, today=None) -> bool:
        return self.done_at is None and self.due_on < (today or timezone.localdate())
