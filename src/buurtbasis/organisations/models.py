from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "gemeente", _("Municipality")
    WELFARE = "welzijnsorganisatie", _("Social-work organisation")
    HOUSING = "woningcorporatie", _("Housing corporation")
    SCHOOL = "school", _("School")
    CARE = "zorginstelling", _("Care organisation")
    RESIDENTS_ASSOCIATION = "bewonersorganisatie", _("Residents' association")
    RESIDENT_GROUP = "bewonersgroep", _("Informal resident group")
    OTHER = "overig", _("Other")


class Role(models.TextChoices):
    """The roles the platform knows. A role is held within an organisation."""

    RESIDENT = "resident", _("Resident")
    INITIATOR = "initiator", _("Initiator")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    FINANCE_OFFICER = "finance_officer", _("Host finance officer")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")
    #: Pairs buddy households (a coordinator or an experienced peer, often a former newcomer).
    MATCHER = "matcher", _("Buddy matcher")
    #: Volunteers with an organisation (e.g. of a welzijnsorganisatie) who may refer people warmly.
    VOLUNTEER = "volunteer", _("Volunteer")
    #: A named professional of an organisation on the social map who receives referrals.
    PROFESSIONAL = "professional", _("Professional (receives referrals)")
    #: A contact person of a partner (school, housing corporation, care home): rooms, partnerships.
    PARTNER_CONTACT = "partner_contact", _("Partner contact")


class OrganisationQuerySet(models.QuerySet):
    def in_municipality(self, code: str):
        """Organisations that work in the municipality with this CBS code (one of their
        areas lies there; a welzijnsorganisatie may work in several), and those that have
        no areas at all, which are not tied to one municipality."""
        from buurtbasis.areas.models import Area

        through = Organisation.areas.through
        there = through.objects.filter(area__in=Area.objects.in_municipality(code))
        return self.filter(
            models.Q(pk__in=there.values("organisation_id"))
            | ~models.Q(pk__in=through.objects.values("organisation_id"))
        )

    def municipality_of(self, code: str):
        """The gemeente organisations of the municipality with this CBS code."""
        return self.filter(
            kind=OrganisationKind.MUNICIPALITY, areas__code=code, areas__level="gemeente"
        ).distinct()


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("areas"), blank=True, related_name="organisations"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"
