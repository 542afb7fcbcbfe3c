from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    MUNICIPALITY = "gemeente", _("Municipality")
    DISTRICT = "wijk", _("District")
    NEIGHBOURHOOD = "buurt", _("Neighbourhood")


class Area(models.Model):
    """A gemeente, wijk or buurt in one year's CBS classification.

    CBS codes change between years (Amsterdam moved to WK0363AA in 2022), so an
    area is keyed on (year, code).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("CBS code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    slug = models.SlugField(_("slug"), max_length=200)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_area_year_code"),
        ]
        indexes = [models.Index(fields=["level", "year"])]

    def __str__(self) -> str:
        return self.name
