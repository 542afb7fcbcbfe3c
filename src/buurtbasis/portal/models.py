"""The portal's own tables: the wijkprofiel's precomputed figures and its PDF."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtbasis.hosting.models_reports import BackgroundPdf

__all__ = ["WijkProfileSnapshot", "WijkReport"]


class WijkProfileSnapshot(models.Model):
    """The aggregates of one wijk's (or buurt's) profile, computed by a background task
    (``portal.profile.refresh``) so the page reads one row."""

    area = models.OneToOneField(
        "areas.Area",
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        related_name="profile_snapshot",
    )
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    data = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("wijk profile snapshot")
        verbose_name_plural = _("wijk profile snapshots")

    def __str__(self) -> str:
        return f"{self.area}: {self.computed_at:%Y-%m-%d %H:%M}"


class WijkReport(BackgroundPdf):
    """The printable wijkanalyse (PDF) of one area, one per language. Its version: the
    time the area's snapshot was computed."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("wijkanalyse (PDF)")
        verbose_name_plural = _("wijkanalyses (PDF)")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "language"], name="portal_one_wijk_report_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.language}"
