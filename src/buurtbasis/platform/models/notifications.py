"""Notifications: the in-app list, per-person preferences and language, and follows.

Written through ``buurtbasis.platform.notifications`` (``notify``, ``follow``, ...),
never directly. Keyed on ``settings.AUTH_USER_MODEL`` so the ground floor does not
import ``accounts``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person wants to hear about one kind of notification."""

    IMMEDIATELY = "immediately", _("Immediately by e-mail")
    DIGEST = "digest", _("Once a day, in a summary e-mail")
    OFF = "off", _("Only on this site, no e-mail")


class NotificationSettings(models.Model):
    """One person's notification settings that are not per kind: the language of their e-mails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    language = models.CharField(_("language of e-mails"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class NotificationPreference(models.Model):
    """A person's choice for one kind; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=80)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} = {self.delivery}"


class Notification(models.Model):
    """One line in a person's in-app list, rendered in their language when it was made."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # True while the item waits for the person's daily summary e-mail.
    digest_pending = models.BooleanField(_("waiting for the daily e-mail"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # the unread count in every page header
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(digest_pending=True),
                name="notification_digest_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Follow(models.Model):
    """A person follows an object (a round, a plan, an initiative) to hear about its changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="follow_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_object")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"


class OutgoingEmail(models.Model):
    """A rendered e-mail waiting for the ``send_email`` task; deleted once it is sent.

    The queue carries only its id, so secret links never sit in the task tables.
    """

    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    #: When its id went into the queue; empty while it waits for the commit, or when
    #: enqueueing failed (the queue was down): ``sweep_outbox`` enqueues those again.
    enqueued_at = models.DateTimeField(_("enqueued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.pk}"
