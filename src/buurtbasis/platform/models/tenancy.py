"""Tenants: one municipality per tenant, chosen by host name or a path prefix.

The platform knows a municipality only by its CBS code (``GM0193``). The apps above
link their rows to it through that code: the gemeente ``areas.Area`` with that code
and its wijken and buurten, the organisations working there, and so on. The ground
floor never imports those apps.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

cbs_code_validator = RegexValidator(
    r"^GM\d{4}$",
    _("Enter a CBS municipality code: GM followed by four digits, e.g. GM0193."),
)
colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$",
    _("Enter a colour as # followed by six hexadecimal digits, e.g. #00689e."),
)
host_validator = RegexValidator(
    r"^(\[[0-9a-fA-F:]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$",
    _("Enter a host name without scheme, port or path, in lower case, e.g. buurtbasis.zwolle.nl."),
)
logo_validator = RegexValidator(
    r"^(https://[^\s\"'<>]+|/[^\s\"'<>]*)$",
    _("Enter an https address or a path on this site that starts with /."),
)


class Tenant(models.Model):
    """A municipality served by this installation."""

    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Zwolle"))
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Used in the address /g/<slug>/ when the site has one host name."),
    )
    cbs_code = models.CharField(
        _("CBS municipality code"),
        max_length=6,
        unique=True,
        validators=[cbs_code_validator],
        help_text=_("The code of the gemeente in the CBS files, e.g. GM0193."),
    )
    logo_url = models.CharField(
        _("logo address"), max_length=500, blank=True, validators=[logo_validator]
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, blank=True, validators=[colour_validator]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("municipality (tenant)")
        verbose_name_plural = _("municipalities (tenants)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.cbs_code

    def save(self, *args, **kwargs):
        self.cbs_code = self.cbs_code.upper()
        super().save(*args, **kwargs)


class TenantHost(models.Model):
    """A host name that shows one tenant (``buurtbasis.zwolle.nl``)."""

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="hosts"
    )
    host = models.CharField(
        _("host name"), max_length=253, unique=True, validators=[host_validator]
    )

    class Meta:
        verbose_name = _("host name")
        verbose_name_plural = _("host names")
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.strip().lower()
        super().save(*args, **kwargs)
