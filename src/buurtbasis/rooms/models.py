"""Rooms that partners offer, and the bookings of initiatives.

A room belongs to a partner organisation (a school, a housing corporation's buurtkamer,
a care home, a community centre run by a welzijnsorganisatie) and lies in a wijk.
Accepted bookings of one room never overlap: on PostgreSQL an exclusion constraint
(``rooms_booking_no_overlap``, added by migration ``0002`` only on PostgreSQL, so it is
not in ``Meta.constraints``) refuses them; on every database ``services.decide`` checks
inside a transaction that holds a lock on the room.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """An unguessable token for a calendar feed URL (256 bits)."""
    return secrets.token_urlsafe(32)


class RoomQuerySet(models.QuerySet):
    def in_municipality(self, code: str):
        from buurtbasis.areas.models import Area

        return self.filter(area__in=Area.objects.in_municipality(code))

    def active(self):
        return self.filter(is_active=True)


class Room(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="rooms",
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("wijk"), on_delete=models.PROTECT, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    wheelchair = models.BooleanField(_("wheelchair accessible"), default=False)
    step_free = models.BooleanField(_("step-free entrance"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    facilities = models.TextField(_("facilities"), blank=True)
    key_instructions = models.TextField(_("how to get the key"), blank=True)
    price_cents_per_hour = models.PositiveIntegerField(_("price per hour (cents)"), default=0)
    free_for_initiatives = models.BooleanField(_("free for resident initiatives"), default=False)
    waiver_rules = models.TextField(_("waiver rules"), blank=True)
    show_titles_in_feed = models.BooleanField(
        _("show activity titles in the public calendar"), default=False
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    is_active = models.BooleanField(_("bookable"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rooms:detail", kwargs={"pk": self.pk})

    @property
    def accessibility(self) -> list[str]:
        labels = []
        for field in ("wheelchair", "step_free", "accessible_toilet", "hearing_loop"):
            if getattr(self, field):
                labels.append(str(self._meta.get_field(field).verbose_name))
        return labels


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AvailabilityWindow(models.Model):
    """A weekly window in which the room may be booked (local time)."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="windows"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="rooms_window_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class Blackout(models.Model):
    """A date on which the room cannot be booked (holidays, maintenance)."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="blackouts"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("closed date")
        verbose_name_plural = _("closed dates")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["room", "date"], name="rooms_blackout_once")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """One slot of a room for an activity of an initiative.

    A weekly repeated request is several bookings that share ``series``; the partner
    answers the series at once, either side may cancel one date.
    """

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="bookings"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="room_bookings",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="room_requests",
    )
    series = models.UUIDField(_("series"), db_index=True)
    title = models.CharField(_("activity"), max_length=150)
    expected_people = models.PositiveIntegerField(_("expected people"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BookingStatus.choices,
        default=BookingStatus.REQUESTED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["room", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="rooms_booking_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("rooms:booking", kwargs={"pk": self.pk})


class InitiativeCalendar(models.Model):
    """The secret token of an initiative's calendar feed (made on first use, rotatable)."""

    initiative = models.OneToOneField(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="room_calendar",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)

    class Meta:
        verbose_name = _("calendar feed of an initiative")
        verbose_name_plural = _("calendar feeds of initiatives")

    def __str__(self) -> str:
        return str(self.initiative)
