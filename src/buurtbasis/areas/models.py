import re

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    MUNICIPALITY = "gemeente", _("Municipality")
    DISTRICT = "wijk", _("District")
    NEIGHBOURHOOD = "buurt", _("Neighbourhood")


class AreaQuerySet(models.QuerySet):
    def municipalities(self):
        return self.filter(level=AreaLevel.MUNICIPALITY)

    def districts(self):
        return self.filter(level=AreaLevel.DISTRICT)

    def in_municipality(self, code: str):
        """The gemeente with this CBS code and its wijken and buurten (every year).

        A wijk or buurt belongs to it through its parents, or through its code: CBS
        codes carry the municipality's four digits (GM0193 → WK0193xx, BU0193xxxx).
        """
        digits = code[2:] if len(code) == 6 and code.upper().startswith("GM") else None
        by_tree = (
            models.Q(code=code, level=AreaLevel.MUNICIPALITY)
            | models.Q(parent__code=code, parent__level=AreaLevel.MUNICIPALITY)
            | models.Q(parent__parent__code=code, parent__parent__level=AreaLevel.MUNICIPALITY)
        )
        if digits:
            by_tree |= models.Q(
                code__startswith=f"WK{digits}", level=AreaLevel.DISTRICT
            ) | models.Q(code__startswith=f"BU{digits}", level=AreaLevel.NEIGHBOURHOOD)
        return self.filter(by_tree)


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

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_area_year_code"),
            models.UniqueConstraint(fields=["year", "slug"], name="unique_area_year_slug"),
        ]
        indexes = [models.Index(fields=["level", "year"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("areas:detail", kwargs={"year": self.year, "code": self.code})

    @property
    def municipality_code(self) -> str:
        """The CBS code of the gemeente this area lies in (GM0193 for WK019310)."""
        if self.level == AreaLevel.MUNICIPALITY:
            return self.code
        return f"GM{self.code[2:6]}"

    @property
    def short_name(self) -> str:
        """The name without CBS's "Wijk 10 " numbering prefix (used in tight spaces)."""
        return re.sub(r"^(Wijk|Buurt)\s+\d+\s+", "", self.name) or self.name


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("Number (compared as a share of the municipality)")
    RATE = "rate", _("Rate, percentage or average (compared with the municipal value)")
    CODE = "code", _("Classification (shown as is)")


class Indicator(models.Model):
    """One CBS key figure, such as ``AantalInwoners_5`` in table 85984NED."""

    key = models.CharField(_("CBS key"), max_length=80, unique=True)
    table_id = models.CharField(_("CBS table"), max_length=80, blank=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    unit_nl = models.CharField(_("unit (Dutch)"), max_length=80, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=80, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)
    description_nl = models.TextField(_("definition (Dutch)"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.RATE
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return f"{self.title} ({self.key})"

    @property
    def title(self) -> str:
        if (get_language() or "nl").startswith("en") and self.title_en:
            return self.title_en
        return self.title_nl

    @property
    def unit(self) -> str:
        if (get_language() or "nl").startswith("en") and self.unit_en:
            return self.unit_en
        return self.unit_nl

    @property
    def is_numeric(self) -> bool:
        return self.kind != IndicatorKind.CODE


class MissingReason(models.TextChoices):
    NONE = "", _("not missing")
    SUPPRESSED = "suppressed", _("kept secret by CBS")
    UNAVAILABLE = "unavailable", _("not available")


class IndicatorValue(models.Model):
    """The value of one indicator for one area in one year, with its source.

    A missing or suppressed CBS value is stored with ``value=None`` and a reason,
    never as CBS's sentinel number (-99997, -99995).
    """

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="figures"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    missing_reason = models.CharField(
        _("why the value is missing"),
        max_length=16,
        choices=MissingReason.choices,
        blank=True,
        default=MissingReason.NONE,
    )
    source = models.CharField(_("source"), max_length=200)
    table_id = models.CharField(_("CBS table"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["area", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "indicator", "year"], name="unique_value_area_indicator_year"
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False, missing_reason="")
                | models.Q(value__isnull=True) & ~models.Q(missing_reason=""),
                name="value_or_missing_reason",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"])]

    def __str__(self) -> str:
        return f"{self.area} · {self.indicator.key} · {self.year}: {self.value}"
