"""Volunteer tasks and shifts of initiatives, sign-ups, invitations, volunteer profiles,
hours per person and key roles (see docs/volunteering.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtbasis.initiatives.models import Initiative


class Skill(models.TextChoices):
    """What a task asks for and what a volunteer can do (a fixed, short vocabulary, so
    that a filter and a suggestion mean the same thing for everyone)."""

    COOKING = "cooking", _("Cooking")
    GARDENING = "gardening", _("Gardening")
    DRIVING = "driving", _("Driving")
    CHILDREN = "children", _("Working with children")
    LANGUAGE = "language", _("Language help")
    COMPUTERS = "computers", _("Computer help")
    REPAIRS = "repairs", _("Repairs and odd jobs")
    HOSTING = "hosting", _("Welcoming people")
    ADMIN = "admin", _("Administration")
    FINANCE = "finance", _("Bookkeeping")
    MUSIC = "music", _("Music")
    SPORTS = "sports", _("Sports")
    CARRYING = "carrying", _("Carrying and setting up")
    COMPANY = "company", _("Keeping someone company")


DAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]
PARTS = ["morning", "afternoon", "evening"]
#: Day parts a volunteer can be available in, "tue_evening" and so on.
DAY_PARTS = [
    ("mon_morning", _("Monday morning")),
    ("mon_afternoon", _("Monday afternoon")),
    ("mon_evening", _("Monday evening")),
    ("tue_morning", _("Tuesday morning")),
    ("tue_afternoon", _("Tuesday afternoon")),
    ("tue_evening", _("Tuesday evening")),
    ("wed_morning", _("Wednesday morning")),
    ("wed_afternoon", _("Wednesday afternoon")),
    ("wed_evening", _("Wednesday evening")),
    ("thu_morning", _("Thursday morning")),
    ("thu_afternoon", _("Thursday afternoon")),
    ("thu_evening", _("Thursday evening")),
    ("fri_morning", _("Friday morning")),
    ("fri_afternoon", _("Friday afternoon")),
    ("fri_evening", _("Friday evening")),
    ("sat_morning", _("Saturday morning")),
    ("sat_afternoon", _("Saturday afternoon")),
    ("sat_evening", _("Saturday evening")),
    ("sun_morning", _("Sunday morning")),
    ("sun_afternoon", _("Sunday afternoon")),
    ("sun_evening", _("Sunday evening")),
]
DAY_PART_KEYS = frozenset(key for key, _label in DAY_PARTS)


def day_part_of(moment) -> str:
    """The day-part key of a moment in local time: "tue_evening" for a Tuesday at 19:30.
    Mornings run until 12:00, afternoons until 18:00, evenings after that."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    day = DAYS[local.weekday()][0]
    part = "morning" if local.hour < 12 else "afternoon" if local.hour < 18 else "evening"
    return f"{day}_{part}"


def pack(keys) -> str:
    """Keys stored as ",a,b," so that one key is found with ``contains=",a,"``."""
    keys = sorted({k for k in keys if k})
    return f",{','.join(keys)}," if keys else ""


def unpack(value: str) -> list[str]:
    return [k for k in (value or "").split(",") if k]


class TaskQuerySet(models.QuerySet):
    def in_municipality(self, code: str):
        return self.filter(initiative__in=Initiative.objects.in_municipality(code))

    def with_skill(self, skill: str):
        return self.filter(skills__contains=f",{skill},")


class Task(models.Model):
    """Something an initiative needs volunteers for, with one or more shifts."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="volunteer_tasks",
    )
    title = models.CharField(_("what"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("wijk or buurt"),
        on_delete=models.PROTECT,
        related_name="volunteer_tasks",
    )
    is_open = models.BooleanField(_("open for sign-ups"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer task")
        verbose_name_plural = _("volunteer tasks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteering:task", kwargs={"pk": self.pk})

    @property
    def skill_keys(self) -> list[str]:
        return unpack(self.skills)

    @property
    def skill_labels(self) -> list[str]:
        labels = dict(Skill.choices)
        return [str(labels[k]) for k in self.skill_keys if k in labels]


class Shift(models.Model):
    """A time slot of a task and how many people it needs."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    needed = models.PositiveSmallIntegerField(_("people needed"), default=1)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="volunteering_shift_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(needed__gte=1), name="volunteering_shift_needs_someone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def day_part(self) -> str:
        return day_part_of(self.starts_at)


class SignUp(models.Model):
    """A person who will come to a shift. Cancelling deletes the row."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_signups"
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="volunteering_one_signup"),
        ]

    def __str__(self) -> str:
        return f"{self.shift} – {self.user_id}"


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Invitation(models.Model):
    """An initiator asks a suggested volunteer to come to a shift; the person decides."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("why this person was suggested"), max_length=300, blank=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=InvitationState.choices,
        default=InvitationState.PENDING,
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="volunteering_one_invitation"),
        ]

    def __str__(self) -> str:
        return f"{self.shift} – {self.user_id}"


class VolunteerProfile(models.Model):
    """What a volunteer offers (optional). Only people with ``suggestible`` set are ever
    suggested to initiators."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("wijk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    availability = models.CharField(_("available"), max_length=400, blank=True)
    max_hours_per_month = models.PositiveSmallIntegerField(
        _("at most hours per month"), null=True, blank=True
    )
    suggestible = models.BooleanField(_("initiators may suggest me for shifts"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self) -> str:
        return f"volunteer profile {self.user_id}"

    @property
    def skill_keys(self) -> list[str]:
        return unpack(self.skills)

    @property
    def availability_keys(self) -> list[str]:
        return unpack(self.availability)


class HoursState(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the initiative")


class HoursEntry(models.Model):
    """Time a person gave to an initiative: for a shift, or free work outside shifts.

    An entry by the volunteer waits for an initiator's confirmation; an entry by an
    initiator for someone else's shift is confirmed at once. After the person's account
    is erased ``user`` is empty: the minutes stay as an anonymous total of the initiative.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_hours",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="volunteer_hours",
    )
    shift = models.ForeignKey(
        Shift, on_delete=models.SET_NULL, null=True, blank=True, related_name="hours"
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    description = models.CharField(_("what was done"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=HoursState.choices, default=HoursState.PENDING
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hours")
        verbose_name_plural = _("hours")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["user", "date"]),
            models.Index(fields=["initiative", "date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "user"],
                condition=models.Q(shift__isnull=False, user__isnull=False),
                name="volunteering_hours_once_per_shift",
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=24 * 60),
                name="volunteering_hours_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.minutes} min on {self.date}"


class KeyRoleKind(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    TREASURER = "treasurer", _("Treasurer")
    CONTACT = "contact", _("Contact person")
    OTHER = "other", _("Other key role")


class KeyRoleQuerySet(models.QuerySet):
    def current(self, on=None):
        """Roles held on ``on`` (today): ``until`` is the day the role ended."""
        on = on or timezone.localdate()
        return self.filter(since__lte=on).filter(
            models.Q(until__isnull=True) | models.Q(until__gt=on)
        )


class KeyRole(models.Model):
    """Who holds a role an initiative cannot do without, and since when."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="key_roles",
    )
    role = models.CharField(_("role"), max_length=16, choices=KeyRoleKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="key_roles",
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = KeyRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("key role")
        verbose_name_plural = _("key roles")
        ordering = ["initiative", "role", "since", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="volunteering_keyrole_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.get_role_display()}"
