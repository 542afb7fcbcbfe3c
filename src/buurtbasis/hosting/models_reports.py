"""Light accountability: the initiative's short story and its report (PDF).

At the end of a grant or a period the initiative writes what happened and who took
part, with a few photos; a background task renders the accountability report (the
story plus the financial summary from the ledger) into private storage.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AccountabilityReport",
    "AccountabilityReportStatus",
    "AccountabilityStory",
    "MunicipalityReport",
    "StoryPhoto",
]


class AccountabilityStory(models.Model):
    """What an initiative tells about a grant (or a period) when it ends."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="accountability_stories",
    )
    host = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grant = models.ForeignKey(
        "hosting.Grant",
        verbose_name=_("grant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
    )
    period = models.CharField(_("period"), max_length=100, blank=True)
    what_happened = models.TextField(_("what happened"))
    who_took_part = models.TextField(_("who took part"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("accountability story")
        verbose_name_plural = _("accountability stories")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.grant or self.period}"


class StoryPhoto(models.Model):
    """A photo of a story: cleaned of metadata, stored privately with its checksum."""

    story = models.ForeignKey(AccountabilityStory, on_delete=models.CASCADE, related_name="photos")
    file = models.CharField(_("file in private storage"), max_length=200)
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file


class AccountabilityReportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class BackgroundPdf(models.Model):
    """A PDF that a background task renders into private storage, for one ``version`` of
    what it shows; a download of another version has it made again."""

    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=AccountabilityReportStatus.choices,
        default=AccountabilityReportStatus.PENDING,
    )
    made_for = models.CharField(max_length=64, blank=True)
    requested_for = models.CharField(max_length=64, blank=True)
    file = models.CharField(_("PDF in private storage"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_ready_for(self, version: str) -> bool:
        return (
            self.status == AccountabilityReportStatus.DONE
            and bool(self.file)
            and self.made_for == version
        )

    def is_stuck(self, *, now=None, after_minutes: int = 15) -> bool:
        return self.status == AccountabilityReportStatus.PENDING and (
            (now or timezone.now()) - self.requested_at > dt.timedelta(minutes=after_minutes)
        )


class AccountabilityReport(BackgroundPdf):
    """The PDF of one story, one per language. Its version: the story's last change and
    the initiative's last ledger transaction."""

    story = models.ForeignKey(AccountabilityStory, on_delete=models.CASCADE, related_name="reports")

    class Meta:
        verbose_name = _("accountability report")
        verbose_name_plural = _("accountability reports")
        constraints = [
            models.UniqueConstraint(
                fields=["story", "language"], name="hosting_one_report_per_story_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.story}: {self.language}"


class MunicipalityReport(BackgroundPdf):
    """The municipality's report across hosts (PDF), one per municipality and language.
    Its version: the last grant and the last ledger transaction on the install."""

    cbs_code = models.CharField(_("municipality (CBS code)"), max_length=8)

    class Meta:
        verbose_name = _("municipality report on fiscal hosting")
        verbose_name_plural = _("municipality reports on fiscal hosting")
        constraints = [
            models.UniqueConstraint(
                fields=["cbs_code", "language"], name="hosting_one_municipality_report_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cbs_code}: {self.language}"
