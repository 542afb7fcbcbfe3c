"""The neighbourhood logbook: per wijk an append-only timeline of what happened and was decided.

Entries come in by themselves from the apps below (rounds opened, results published,
initiatives started, handed over and ended, hosting agreements; see ``receivers.py``),
from signals and their answers, and as notes by professionals. An entry is never
changed or deleted: the model and its queryset refuse (``AppendOnlyError``); a
correction is a new entry that points to the one it corrects (``corrects``).

Personal data stays out: automatic entries name only rounds, initiatives and
organisations; notes are written by professionals and read by professionals only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Logbook entries are never changed or deleted; add a correcting entry instead."""


class EntryKind(models.TextChoices):
    ROUND_OPENED = "round_opened", _("Round opened")
    RESULTS_PUBLISHED = "results_published", _("Results published")
    INITIATIVE_STARTED = "initiative_started", _("Initiative started")
    INITIATIVE_HANDED_OVER = "initiative_handed_over", _("Initiative handed over")
    INITIATIVE_ENDED = "initiative_ended", _("Initiative ended")
    HOSTING = "hosting", _("Hosting agreement")
    SIGNAL = "signal", _("Signal to the municipality")
    SIGNAL_ANSWERED = "signal_answered", _("Signal answered")
    NOTE = "note", _("Note")
    STORY_ROUND_OPENED = "story_round_opened", _("Story round opened")
    STORY_ROUND_CLOSED = "story_round_closed", _("Story round closed")
    SENSEMAKING = "sensemaking", _("Sensemaking session")


class Audience(models.TextChoices):
    #: Residents and visitors see it too (rounds, results, public initiatives).
    PUBLIC = "public", _("Everyone")
    #: Civil servants of the municipality and community workers working there.
    PROFESSIONALS = "professionals", _("Professionals only")


#: Kinds that may ever be public; everything else is for professionals only.
PUBLIC_KINDS = frozenset(
    {
        EntryKind.ROUND_OPENED,
        EntryKind.RESULTS_PUBLISHED,
        EntryKind.INITIATIVE_STARTED,
        EntryKind.INITIATIVE_HANDED_OVER,
        EntryKind.INITIATIVE_ENDED,
        EntryKind.STORY_ROUND_OPENED,
        EntryKind.STORY_ROUND_CLOSED,
    }
)


class LogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("logbook entries are never updated")

    def delete(self):
        raise AppendOnlyError("logbook entries are never deleted")

    _raw_delete = delete

    def for_district(self, area):
        """Entries of a wijk: on the wijk itself, on one of its buurten, or on the whole
        gemeente. Matched on CBS codes, so entries of an earlier CBS year still show."""
        return self.filter(
            models.Q(area__code=area.code)
            | models.Q(area__parent__code=area.code, area__level="buurt")
            | models.Q(area__code=area.municipality_code, area__level="gemeente")
        )

    def public(self):
        return self.filter(audience=Audience.PUBLIC)


class LogEntry(models.Model):
    municipality_code = models.CharField(_("municipality CBS code"), max_length=16, db_index=True)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="log_entries"
    )
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind"), max_length=32, choices=EntryKind.choices)
    audience = models.CharField(
        _("who may read it"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.PROFESSIONALS,
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    #: Facts of an automatic entry (amounts, counts, states), shown in the reader's language.
    details = models.JSONField(_("details"), default=dict, blank=True)
    # What the entry is about (a round, an initiative, an agreement, a signal), for the
    # link and for idempotency: one entry per source, kind, event and area.
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    event_key = models.CharField(max_length=64, blank=True, default="")
    # PROTECT: accounts are pseudonymised, never deleted (SET NULL would be an UPDATE).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    for_handover = models.BooleanField(_("for the hand-over"), default=False)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        ordering = ["-happened_on", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind", "event_key", "area"],
                condition=models.Q(source_type__isnull=False),
                name="logbook_one_entry_per_source_event",
            ),
            models.CheckConstraint(
                condition=models.Q(audience="professionals")
                | models.Q(kind__in=sorted(k.value for k in PUBLIC_KINDS)),
                name="logbook_only_public_kinds_are_public",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality_code", "happened_on"]),
            models.Index(fields=["area", "happened_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.happened_on}: {self.title}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("logbook entries are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("logbook entries are never deleted")


# -- signals with answers -----------------------------------------------------------------------


class SignalStatus(models.TextChoices):
    """The vocabulary of Amsterdam's Signalen."""

    REPORTED = "gemeld", _("Reported")
    IN_PROGRESS = "in_behandeling", _("In progress")
    RESPONSE_REQUESTED = "reactie_gevraagd", _("Response requested")
    RESPONSE_RECEIVED = "reactie_ontvangen", _("Response received")
    HANDLED = "afgehandeld", _("Handled")
    REOPENED = "heropend", _("Reopened")
    CANCELLED = "geannuleerd", _("Cancelled")


#: From each status, where a signal may go next.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    SignalStatus.REPORTED: (
        SignalStatus.IN_PROGRESS,
        SignalStatus.RESPONSE_REQUESTED,
        SignalStatus.HANDLED,
        SignalStatus.CANCELLED,
    ),
    SignalStatus.IN_PROGRESS: (
        SignalStatus.RESPONSE_REQUESTED,
        SignalStatus.HANDLED,
        SignalStatus.CANCELLED,
    ),
    SignalStatus.RESPONSE_REQUESTED: (
        SignalStatus.RESPONSE_RECEIVED,
        SignalStatus.HANDLED,
        SignalStatus.CANCELLED,
    ),
    SignalStatus.RESPONSE_RECEIVED: (
        SignalStatus.IN_PROGRESS,
        SignalStatus.RESPONSE_REQUESTED,
        SignalStatus.HANDLED,
        SignalStatus.CANCELLED,
    ),
    SignalStatus.HANDLED: (SignalStatus.REOPENED,),
    SignalStatus.REOPENED: (
        SignalStatus.IN_PROGRESS,
        SignalStatus.RESPONSE_REQUESTED,
        SignalStatus.HANDLED,
        SignalStatus.CANCELLED,
    ),
    SignalStatus.CANCELLED: (),
}

#: Statuses in which the municipality still owes an answer.
OPEN_STATUSES = (
    SignalStatus.REPORTED,
    SignalStatus.IN_PROGRESS,
    SignalStatus.RESPONSE_REQUESTED,
    SignalStatus.RESPONSE_RECEIVED,
    SignalStatus.REOPENED,
)


class Urgency(models.TextChoices):
    HIGH = "high", _("High: answer within 5 days")
    NORMAL = "normal", _("Normal: answer within 15 days")
    LOW = "low", _("Low: answer within 30 days")


#: Days the municipality has for an answer, per urgency.
ANSWER_DAYS = {Urgency.HIGH: 5, Urgency.NORMAL: 15, Urgency.LOW: 30}


class Department(models.Model):
    """A department of a municipality that signals are addressed to (a short list per
    municipality, kept by its civil servants in the admin)."""

    municipality_code = models.CharField(_("municipality CBS code"), max_length=16)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code", "name"], name="logbook_unique_department"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SignalQuerySet(models.QuerySet):
    def in_municipality(self, code: str):
        return self.filter(municipality_code=code)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class Signal(models.Model):
    """What a community worker hears in stories, put to a department of the municipality."""

    municipality_code = models.CharField(_("municipality CBS code"), max_length=16, db_index=True)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("where"), on_delete=models.PROTECT, related_name="signals"
    )
    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("description"))
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="signals",
    )
    stories = models.ManyToManyField(
        "stories.Story", verbose_name=_("stories"), related_name="signals", blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SignalStatus.choices,
        default=SignalStatus.REPORTED,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made"), default=timezone.now)
    #: When the answer is due (from the urgency; set again when the signal is reopened).
    due_at = models.DateTimeField(_("answer due"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality_code", "status", "due_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("signals:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())


class SignalChange(models.Model):
    """One status change of a signal: who, when, why. Never changed afterwards."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(
        _("from"), max_length=20, choices=SignalStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=SignalStatus.choices)
    reason = models.TextField(_("why"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("signal status change")
        verbose_name_plural = _("signal status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.from_status or '-'} → {self.to_status}"


class SignalAnswer(models.Model):
    """The municipality's answer: for the professionals and the tellers who allowed contact."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    tellers_notified = models.PositiveIntegerField(_("tellers told"), default=0)

    class Meta:
        verbose_name = _("answer to a signal")
        verbose_name_plural = _("answers to signals")
        ordering = ["answered_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.answered_at:%Y-%m-%d}"
