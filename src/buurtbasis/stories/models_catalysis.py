"""Making sense together: sensemaking evenings of a round and its printable story cards.

Imported with one line at the end of ``stories/models.py``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SenseMakingSession(models.Model):
    """An evening (or afternoon) where residents and professionals looked at the stories
    of a round together, and what they concluded."""

    round = models.ForeignKey(
        "stories.StoryRound",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="sensemaking_sessions",
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    participants = models.PositiveIntegerField(_("number of participants"))
    conclusions = models.TextField(_("conclusions"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("sensemaking session")
        verbose_name_plural = _("sensemaking sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.held_on}"


class CardsStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class StoryCards(models.Model):
    """The printable story cards (PDF, four A6 cards on each A4 page) of a round, one per
    language, rendered by a background task into private storage.

    ``fingerprint`` identifies the set of cards it was made from (the public stories and
    their masked text): a story withdrawn or added makes the file stale, and a stale file
    is never served.
    """

    round = models.ForeignKey(
        "stories.StoryRound",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="story_cards",
    )
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=8, choices=CardsStatus.choices, default=CardsStatus.PENDING
    )
    requested_for = models.CharField(_("requested for"), max_length=64, blank=True)
    fingerprint = models.CharField(_("made from"), max_length=64, blank=True)
    cards = models.PositiveIntegerField(_("number of cards"), default=0)
    file = models.CharField(_("PDF in private storage"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("story cards")
        verbose_name_plural = _("story cards")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "language"], name="unique_story_cards_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.language}"

    def is_ready_for(self, fingerprint: str) -> bool:
        return (
            self.status == CardsStatus.DONE and bool(self.file) and self.fingerprint == fingerprint
        )

    def is_stuck(self, *, now=None, after_minutes: int = 15) -> bool:
        return self.status == CardsStatus.PENDING and (
            (now or timezone.now()) - self.requested_at > dt.timedelta(minutes=after_minutes)
        )


def _drop_cards_files(round_id: int) -> None:
    """Delete the story-cards PDFs of a round (they may hold a story that is gone)."""
    from buurtbasis.platform.uploads import private_storage

    storage = private_storage()
    for cards in StoryCards.objects.filter(round_id=round_id).exclude(file=""):
        StoryCards.objects.filter(pk=cards.pk, file=cards.file).update(
            file="", fingerprint="", status=CardsStatus.FAILED, error="story withdrawn"
        )
        if storage.exists(cards.file):
            storage.delete(cards.file)


@receiver(post_save, sender="stories.Story")
def _withdrawn_story_leaves_the_cards(sender, instance, **kwargs):
    """A withdrawn story must not stay in a printable file: the round's story cards are
    deleted once the withdrawal is committed (asked for again, they are made anew)."""
    if instance.withdrawn_at is not None:
        round_id = instance.round_id
        transaction.on_commit(lambda: _drop_cards_files(round_id))
