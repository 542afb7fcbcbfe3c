from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The lifecycle of an initiative: idea → active → paused → handed over → ended."""

    IDEA = "idea", _("Idea")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    HANDED_OVER = "handed_over", _("Handed over")
    ENDED = "ended", _("Ended")


class Theme(models.Model):
    """What an initiative is about (greenery, language, food, youth…)."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        # Seeded names are English msgids (see vocabulary.py); custom ones show as typed.
        return gettext(self.name)


class TargetGroup(models.Model):
    """Who an initiative is for (children, older people, newcomers…)."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return gettext(self.name)


# What an initiative can ask for: (key used in URLs and forms, model field, label).
NEEDS: list[tuple[str, str, str]] = [
    ("money", "needs_money", _("Money")),
    ("room", "needs_room", _("A room or place")),
    ("volunteers", "needs_volunteers", _("Volunteers")),
    ("knowledge", "needs_knowledge", _("Knowledge or advice")),
    ("host", "needs_host", _("A host organisation")),
]


class InitiativeQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=Status.IDEA, is_public=False)

    def active(self):
        return self.filter(status=Status.ACTIVE)

    def in_municipality(self, code: str):
        """Initiatives in the municipality with this CBS code: one of their areas lies
        there. Initiatives without any area (only possible through the Django admin)
        are not tied to a municipality and count for every one."""
        from buurtbasis.areas.models import Area

        through = Initiative.areas.through
        there = through.objects.filter(area__in=Area.objects.in_municipality(code))
        return self.filter(
            models.Q(pk__in=there.values("initiative_id"))
            | ~models.Q(pk__in=through.objects.values("initiative_id"))
        )


class Initiative(models.Model):
    """A resident group's initiative."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    pitch = models.CharField(_("short pitch"), max_length=280)
    description = models.TextField(_("description"), blank=True)
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("areas"), related_name="initiatives", blank=True
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="initiatives", blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), related_name="initiatives", blank=True
    )
    needs_money = models.BooleanField(_("needs money"), default=False)
    needs_room = models.BooleanField(_("needs a room"), default=False)
    needs_volunteers = models.BooleanField(_("needs volunteers"), default=False)
    needs_knowledge = models.BooleanField(_("needs knowledge"), default=False)
    needs_host = models.BooleanField(_("needs a host organisation"), default=False)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail address"))
    contact_phone = models.CharField(_("contact phone number"), max_length=32, blank=True)
    host_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_initiatives",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IDEA, db_index=True
    )
    is_public = models.BooleanField(_("visible to everyone"), default=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="created_initiatives",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("initiators"),
        related_name="initiatives",
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", kwargs={"slug": self.slug})

    def municipality_code(self) -> str | None:
        """The CBS code of the municipality of its first area (links in mail), if any."""
        area = self.areas.order_by("pk").first()
        return area.municipality_code if area is not None else None

    @property
    def needs(self) -> list[tuple[str, str]]:
        """The (key, label) pairs of what this initiative asks for."""
        return [(key, label) for key, field, label in NEEDS if getattr(self, field)]


class StatusChange(models.Model):
    """One step in an initiative's lifecycle, kept as history."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    changed_on = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=280, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.from_status or '-'} → {self.to_status}"
