"""Asking peers and exchange meetings.

Ask a peer: a signed-in person asks the initiators of an initiative a question. The
conversation lives on the platform (a thread with messages); nobody sees another
person's e-mail address. Initiators accept questions per initiative (off until they
turn it on), may close or report a thread and block an asker.

Exchange meetings: a community worker invites initiatives to a meeting on a theme;
initiatives register (with a waiting list when the places are taken) and the worker
publishes a short report afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

#: Longest question or reply (characters).
MAX_TEXT = 4000
MAX_SUBJECT = 150


class QuestionSettings(models.Model):
    """Whether the initiators of an initiative accept questions from peers (consent).

    Without a row an initiative does not accept questions."""

    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="question_settings"
    )
    accepts_questions = models.BooleanField(_("accepts questions from other initiatives"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question settings")
        verbose_name_plural = _("question settings")

    def __str__(self) -> str:
        return f"{self.initiative}: {self.accepts_questions}"


class ThreadStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Thread(models.Model):
    """A question of one person to the initiators of one initiative, with the replies."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="question_threads",
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="question_threads",
    )
    #: The asker's own initiative, if they ask on its behalf (shown to the initiators).
    asker_initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("on behalf of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=MAX_SUBJECT)
    status = models.CharField(
        _("status"), max_length=16, choices=ThreadStatus.choices, default=ThreadStatus.OPEN
    )
    #: True while the last message came from the asker (the initiators have not replied).
    waiting_for_initiators = models.BooleanField(default=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report_reason = models.CharField(_("why reported"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-last_message_at", "-pk"]

    def __str__(self) -> str:
        # ids only: the subject is the asker's free text and str() ends up in the audit trail
        return f"{self.initiative_id}: {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:thread", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == ThreadStatus.OPEN


class Message(models.Model):
    """The question or a reply in a thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: Written by one of the initiators (else by the asker).
    by_initiators = models.BooleanField(default=False)
    text = models.TextField(_("text"), max_length=MAX_TEXT)
    #: The author deleted their account: the text was removed.
    erased = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.text[:40]}"


class BlockedAsker(models.Model):
    """A person the initiators of an initiative no longer accept questions from."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="blocked_askers"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    blocked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"], name="exchange_block_once")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.person_id}"


# -- exchange meetings ---------------------------------------------------------------------------


class Meeting(models.Model):
    """A meeting on a theme where initiatives exchange what works."""

    municipality_code = models.CharField(_("municipality"), max_length=16, db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="exchange_meetings",
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("what it is about"), max_length=MAX_TEXT, blank=True)
    themes = models.ManyToManyField(
        "initiatives.Theme", verbose_name=_("themes"), related_name="+", blank=True
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    max_places = models.PositiveIntegerField(_("places (people)"))
    open_to_all = models.BooleanField(_("open to every initiative"), default=False)
    invited = models.ManyToManyField(
        "initiatives.Initiative",
        verbose_name=_("invited initiatives"),
        related_name="exchange_invitations",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    report_shared = models.TextField(_("what was shared"), max_length=MAX_TEXT, blank=True)
    report_lessons = models.TextField(_("key lessons"), max_length=MAX_TEXT, blank=True)
    report_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("exchange meeting")
        verbose_name_plural = _("exchange meetings")
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:meeting", kwargs={"pk": self.pk})


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """An initiative's registration for a meeting (one per initiative)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    people = models.PositiveSmallIntegerField(_("number of people"))
    names = models.CharField(_("names (optional)"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "initiative"], name="exchange_register_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.initiative_id} ({self.status})"
