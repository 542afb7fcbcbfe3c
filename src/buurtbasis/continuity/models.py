"""Hand-over and continuity: an initiative looking for successors, open roles, responses,
hand-overs with their checklist, and the strain warnings already sent.

An initiative has at most one open search (``Succession``) at a time; each search has
open roles; residents respond to a role; choosing a respondent starts a ``HandOver``
with a checklist. Completing it makes the new person an initiator of the same
initiative (same id, history, ledger and practice page).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    TREASURER = "treasurer", _("Treasurer")
    CONTACT = "contact", _("Contact person")
    OTHER = "other", _("Other role")


class Succession(models.Model):
    """An initiative that looks for people to take over (one open search per initiative)."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="successions",
    )
    #: Why the initiative looks for successors; only its managers read it.
    reason = models.TextField(_("reason"), blank=True)
    is_open = models.BooleanField(_("open"), default=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("search for successors")
        verbose_name_plural = _("searches for successors")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative"],
                condition=models.Q(is_open=True),
                name="continuity_one_open_search_per_initiative",
            )
        ]

    def __str__(self) -> str:
        return str(self.initiative)


class OpenRole(models.Model):
    succession = models.ForeignKey(
        Succession, on_delete=models.CASCADE, related_name="roles", verbose_name=_("search")
    )
    kind = models.CharField(_("kind of role"), max_length=16, choices=RoleKind.choices)
    title = models.CharField(_("title"), max_length=120)
    hours_per_month = models.PositiveSmallIntegerField(_("hours per month"), default=0)
    skills = models.CharField(_("skills that help"), max_length=300, blank=True)
    description = models.TextField(_("what it involves"), blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    filled = models.BooleanField(_("filled"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("open role")
        verbose_name_plural = _("open roles")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class ResponseStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Chosen")
    DECLINED = "declined", _("Not chosen")


class Response(models.Model):
    """A resident who is interested in an open role (one response per person and role)."""

    role = models.ForeignKey(
        OpenRole, on_delete=models.CASCADE, related_name="responses", verbose_name=_("role")
    )
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who responded"),
        on_delete=models.CASCADE,
        related_name="succession_responses",
    )
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.NEW
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "responder"], name="continuity_one_response_per_person_and_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.pk}"


class HandOverStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class OutgoingChoice(models.TextChoices):
    #: The outgoing person stops managing the initiative but stays named as former initiator.
    FORMER = "former", _("Stays named as former initiator")
    #: The outgoing person leaves without being named on the initiative's page.
    LEAVE = "leave", _("Leaves without being named")
    #: The outgoing person stays an initiator next to the new one.
    STAY = "stay", _("Stays an initiator")


class HandOver(models.Model):
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="handovers",
    )
    role = models.ForeignKey(
        OpenRole,
        verbose_name=_("role"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers",
    )
    role_title = models.CharField(_("role"), max_length=120)
    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outgoing person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers_out",
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("incoming person"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="handovers_in",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=HandOverStatus.choices,
        default=HandOverStatus.IN_PROGRESS,
        db_index=True,
    )
    outgoing_choice = models.CharField(
        _("the outgoing person"), max_length=16, choices=OutgoingChoice.choices, blank=True
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.role_title}"


class ChecklistItem(models.Model):
    handover = models.ForeignKey(
        HandOver, on_delete=models.CASCADE, related_name="items", verbose_name=_("hand-over")
    )
    #: The key of a standard item (see ``checklist.DEFAULT_ITEMS``), empty for a custom one.
    key = models.CharField(max_length=32, blank=True)
    title = models.CharField(_("item"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(_("ticked"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ticked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: For the treasurer item: when the host's finance officers were asked.
    requested_at = models.DateTimeField(_("host asked"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class StrainWarning(models.Model):
    """A finding already reported to community workers, so the weekly job does not repeat it."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="strain_warnings"
    )
    #: "carried_by_one" or "single_person_role:<role>"
    finding = models.CharField(max_length=80)
    first_sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "finding"], name="continuity_one_warning_per_finding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.finding}"
