"""Every write of volunteering: tasks and shifts, sign-ups, invitations, profiles, hours
and key roles. Services take plain values and an ``Origin``; they check who acts and
raise ``VolunteeringError`` with a message for the person when a rule is broken."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.notifications import notify

from . import access
from .models import (
    DAY_PART_KEYS,
    HoursEntry,
    HoursState,
    Invitation,
    InvitationState,
    KeyRole,
    KeyRoleKind,
    Shift,
    SignUp,
    Skill,
    Task,
    VolunteerProfile,
    pack,
)

#: Invitations one person may send in an hour (they reach other people).
INVITE_LIMIT = 30
INVITE_WINDOW = 3600
#: The longest shift and the most people one shift can ask for.
MAX_SHIFT_HOURS = 24
MAX_NEEDED = 200


class VolunteeringError(Exception):
    """A rule of volunteering was broken; the message is for the person."""


def _actor(origin: Origin):
    actor = origin.actor
    if not access.signed_in(actor):
        raise PermissionDenied
    return actor


def _require_manager(origin: Origin, initiative: Initiative):
    actor = _actor(origin)
    if not access.can_manage(actor, initiative):
        raise PermissionDenied
    return actor


def _code(initiative: Initiative) -> str | None:
    return initiative.municipality_code()


# -- tasks and shifts ----------------------------------------------------------------------------


@dataclass
class TaskData:
    title: str
    area: Area
    description: str = ""
    skills: Iterable[str] = ()
    is_open: bool = True


def task_areas(initiative: Initiative):
    """The wijken and buurten a task of the initiative may be in: those of its
    municipality (its own areas first in the form)."""
    code = _code(initiative)
    areas = Area.objects.filter(level__in=[AreaLevel.DISTRICT, AreaLevel.NEIGHBOURHOOD])
    return areas.in_municipality(code) if code else areas.filter(initiatives=initiative)


def _check_task(initiative: Initiative, data: TaskData) -> dict:
    title = (data.title or "").strip()
    if not title:
        raise VolunteeringError(_("Say what the task is."))
    unknown = set(data.skills) - set(Skill.values)
    if unknown:
        raise VolunteeringError(_("Choose skills from the list."))
    if data.area is None or not task_areas(initiative).filter(pk=data.area.pk).exists():
        raise VolunteeringError(_("Choose a wijk or buurt in the municipality of the initiative."))
    return {
        "title": title,
        "description": (data.description or "").strip(),
        "skills": pack(data.skills),
        "area": data.area,
        "is_open": data.is_open,
    }


@transaction.atomic
def create_task(*, initiative: Initiative, data: TaskData, origin: Origin) -> Task:
    actor = _require_manager(origin, initiative)
    fields = _check_task(initiative, data)
    task = Task.objects.create(initiative=initiative, created_by=actor, **fields)
    return task


@transaction.atomic
def update_task(*, task: Task, data: TaskData, origin: Origin) -> Task:
    _require_manager(origin, task.initiative)
    for name, value in _check_task(task.initiative, data).items():
        setattr(task, name, value)
    task.save()
    return task


@transaction.atomic
def add_shift(
    *,
    task: Task,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    needed: int,
    origin: Origin,
) -> Shift:
    _require_manager(origin, task.initiative)
    if ends_at <= starts_at:
        raise VolunteeringError(_("A shift ends after it starts."))
    if ends_at - starts_at > datetime.timedelta(hours=MAX_SHIFT_HOURS):
        raise VolunteeringError(_("A shift lasts at most 24 hours. Add a second shift."))
    if ends_at < timezone.now():
        raise VolunteeringError(_("This shift lies in the past."))
    if not 1 <= needed <= MAX_NEEDED:
        raise VolunteeringError(_("A shift needs between 1 and 200 people."))
    return Shift.objects.create(task=task, starts_at=starts_at, ends_at=ends_at, needed=needed)


@transaction.atomic
def remove_shift(*, shift: Shift, origin: Origin) -> None:
    _require_manager(origin, shift.task.initiative)
    if shift.hours.exists():
        raise VolunteeringError(_("Hours were recorded for this shift; it stays."))
    shift.delete()


# -- signing up ----------------------------------------------------------------------------------


def _signup_problem(shift: Shift, user) -> str | None:
    if not shift.task.is_open:
        return _("This task is closed for sign-ups.")
    if shift.starts_at <= timezone.now():
        return _("This shift has already started.")
    return None


@transaction.atomic
def sign_up(*, shift: Shift, origin: Origin) -> SignUp:
    """Sign the acting person up. Full shifts and double sign-ups are refused; the shift
    row is locked so two people cannot take the last place at once."""
    user = _actor(origin)
    shift = Shift.objects.select_for_update().select_related("task__initiative").get(pk=shift.pk)
    if not access.can_view(user, shift.task.initiative):
        raise PermissionDenied
    problem = _signup_problem(shift, user)
    if problem:
        raise VolunteeringError(problem)
    if SignUp.objects.filter(shift=shift, user=user).exists():
        raise VolunteeringError(_("You are already signed up for this shift."))
    if shift.signups.count() >= shift.needed:
        raise VolunteeringError(_("This shift is full. Choose another shift."))
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(shift=shift, user=user)
    except IntegrityError:
        raise VolunteeringError(_("You are already signed up for this shift.")) from None
    Invitation.objects.filter(shift=shift, user=user, state=InvitationState.PENDING).update(
        state=InvitationState.ACCEPTED, answered_at=timezone.now()
    )
    initiative = shift.task.initiative
    for member in initiative.members.exclude(pk=user.pk):
        notify(
            member,
            "volunteering.signed_up",
            {"task": shift.task.title, "shift": shift, "link": shift.task.get_absolute_url()},
            language=origin.language,
            municipality=_code(initiative),
        )
    return signup


@transaction.atomic
def cancel_signup(*, shift: Shift, origin: Origin) -> bool:
    user = _actor(origin)
    if shift.starts_at <= timezone.now():
        raise VolunteeringError(_("This shift has already started; you can no longer cancel."))
    deleted, _rows = SignUp.objects.filter(shift=shift, user=user).delete()
    return bool(deleted)


# -- invitations ---------------------------------------------------------------------------------


@transaction.atomic
def invite(*, shift: Shift, user, reason: str, origin: Origin) -> Invitation:
    """Ask a suggested person to come; only people who opted in can be invited."""
    actor = _require_manager(origin, shift.task.initiative)
    profile = VolunteerProfile.objects.filter(user=user, suggestible=True).first()
    if profile is None or not user.is_active:
        raise VolunteeringError(_("This person does not want to be suggested."))
    problem = _signup_problem(shift, user)
    if problem:
        raise VolunteeringError(problem)
    if SignUp.objects.filter(shift=shift, user=user).exists():
        raise VolunteeringError(_("This person is already signed up."))
    if Invitation.objects.filter(shift=shift, user=user).exists():
        raise VolunteeringError(_("This person was already invited for this shift."))
    if not ratelimit.hit(
        "volunteering.invite", str(actor.pk), limit=INVITE_LIMIT, window=INVITE_WINDOW
    ):
        raise VolunteeringError(_("You sent many invitations in a short time. Try again later."))
    invitation = Invitation.objects.create(
        shift=shift, user=user, invited_by=actor, reason=reason[:300]
    )
    initiative = shift.task.initiative
    notify(
        user,
        "volunteering.invited",
        {
            "initiative": initiative.name,
            "task": shift.task.title,
            "shift": shift,
            "link": reverse("volunteering:mine"),
        },
        language=origin.language,
        municipality=_code(initiative),
    )
    return invitation


@transaction.atomic
def answer_invitation(*, invitation: Invitation, accept: bool, origin: Origin) -> Invitation:
    user = _actor(origin)
    if invitation.user_id != user.pk:
        raise PermissionDenied
    if invitation.state != InvitationState.PENDING:
        raise VolunteeringError(_("You already answered this invitation."))
    if accept:
        sign_up(shift=invitation.shift, origin=origin)  # marks the invitation accepted
        invitation.refresh_from_db()
        return invitation
    invitation.state = InvitationState.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["state", "answered_at"])
    return invitation


# -- profile -------------------------------------------------------------------------------------


@dataclass
class ProfileData:
    skills: Iterable[str] = ()
    area: Area | None = None
    availability: Iterable[str] = ()
    max_hours_per_month: int | None = None
    suggestible: bool = False


@transaction.atomic
def save_profile(*, data: ProfileData, origin: Origin) -> VolunteerProfile:
    user = _actor(origin)
    if set(data.skills) - set(Skill.values):
        raise VolunteeringError(_("Choose skills from the list."))
    if set(data.availability) - DAY_PART_KEYS:
        raise VolunteeringError(_("Choose day parts from the list."))
    if data.area is not None and data.area.level != AreaLevel.DISTRICT:
        raise VolunteeringError(_("Choose a wijk from the list."))
    if data.max_hours_per_month is not None and not 1 <= data.max_hours_per_month <= 300:
        raise VolunteeringError(_("Give at most 300 hours a month, or leave it empty."))
    profile, _created = VolunteerProfile.objects.update_or_create(
        user=user,
        defaults={
            "skills": pack(data.skills),
            "area": data.area,
            "availability": pack(data.availability),
            "max_hours_per_month": data.max_hours_per_month,
            "suggestible": data.suggestible,
        },
    )
    return profile


# -- hours ---------------------------------------------------------------------------------------

#: How far back hours may be recorded.
MAX_DAYS_BACK = 366


def _check_minutes(minutes: int) -> None:
    if not 1 <= minutes <= 24 * 60:
        raise VolunteeringError(_("Give between 1 minute and 24 hours for one day."))


def _check_date(date: datetime.date) -> None:
    today = timezone.localdate()
    if date > today:
        raise VolunteeringError(_("Hours can only be recorded after the work was done."))
    if date < today - datetime.timedelta(days=MAX_DAYS_BACK):
        raise VolunteeringError(_("Hours can be recorded up to a year back."))


def initiatives_for_hours(user):
    """Initiatives a person may record hours for: those they are an initiator of or
    signed up for a shift of."""
    return Initiative.objects.filter(
        Q(members=user)
        | Q(pk__in=SignUp.objects.filter(user=user).values("shift__task__initiative_id"))
    ).distinct()


@transaction.atomic
def record_own_hours(
    *,
    initiative: Initiative,
    date: datetime.date,
    minutes: int,
    description: str = "",
    shift: Shift | None = None,
    origin: Origin,
) -> HoursEntry:
    """A volunteer records their own hours; they wait for an initiator's confirmation."""
    user = _actor(origin)
    _check_minutes(minutes)
    _check_date(date)
    if shift is not None:
        if shift.task.initiative_id != initiative.pk:
            raise PermissionDenied
        if not SignUp.objects.filter(shift=shift, user=user).exists():
            raise VolunteeringError(_("You were not signed up for this shift."))
        if HoursEntry.objects.filter(shift=shift, user=user).exists():
            raise VolunteeringError(_("Hours for this shift were already recorded."))
    elif not initiatives_for_hours(user).filter(pk=initiative.pk).exists():
        raise VolunteeringError(
            _("You can record hours for initiatives you help with or signed up for.")
        )
    return HoursEntry.objects.create(
        user=user,
        initiative=initiative,
        shift=shift,
        date=date,
        minutes=minutes,
        description=description.strip()[:200],
        entered_by=user,
    )


@transaction.atomic
def confirm_shift_hours(*, signup: SignUp, minutes: int | None = None, origin: Origin):
    """An initiator confirms the hours of a person who came to a past shift (the shift's
    length unless ``minutes`` says otherwise). Recorded in the audit trail."""
    shift = signup.shift
    initiative = shift.task.initiative
    actor = _require_manager(origin, initiative)
    if shift.ends_at > timezone.now():
        raise VolunteeringError(_("Hours can be confirmed after the shift."))
    minutes = shift.minutes if minutes is None else minutes
    _check_minutes(minutes)
    now = timezone.now()
    entry = HoursEntry.objects.select_for_update().filter(shift=shift, user=signup.user).first()
    before = None
    if entry is None:
        entry = HoursEntry(
            user=signup.user,
            initiative=initiative,
            shift=shift,
            date=timezone.localdate(shift.starts_at),
            entered_by=actor,
            description=shift.task.title[:200],
        )
    else:
        before = {"minutes": entry.minutes, "state": entry.state}
    entry.minutes = minutes
    entry.state = HoursState.CONFIRMED
    entry.confirmed_by = actor
    entry.confirmed_at = now
    entry.save()
    _audit_hours(entry, actor, before, origin)
    return entry


@transaction.atomic
def confirm_hours(*, entry: HoursEntry, minutes: int | None = None, origin: Origin) -> HoursEntry:
    """An initiator confirms (and may correct) hours a volunteer recorded."""
    actor = _require_manager(origin, entry.initiative)
    before = {"minutes": entry.minutes, "state": entry.state}
    if minutes is not None:
        _check_minutes(minutes)
        entry.minutes = minutes
    entry.state = HoursState.CONFIRMED
    entry.confirmed_by = actor
    entry.confirmed_at = timezone.now()
    entry.save(update_fields=["minutes", "state", "confirmed_by", "confirmed_at"])
    _audit_hours(entry, actor, before, origin)
    return entry


def _audit_hours(entry: HoursEntry, actor, before, origin: Origin) -> None:
    """Hours confirmed or changed by someone else than the person go in the audit trail."""
    if entry.user_id == actor.pk and (before is None or before["minutes"] == entry.minutes):
        return
    record_event(
        action="volunteering.hours_confirmed",
        target=entry,
        details={
            "initiative": entry.initiative_id,
            "person": entry.user_id,
            "minutes": entry.minutes,
            "before": before,
        },
        origin=origin,
    )


@transaction.atomic
def delete_hours(*, entry: HoursEntry, origin: Origin) -> None:
    """The person removes hours still waiting; an initiator removes any (audited)."""
    actor = _actor(origin)
    own_pending = entry.user_id == actor.pk and entry.state == HoursState.PENDING
    if not own_pending:
        _require_manager(origin, entry.initiative)
        record_event(
            action="volunteering.hours_deleted",
            target=entry,
            details={"person": entry.user_id, "minutes": entry.minutes, "date": entry.date},
            origin=origin,
        )
    entry.delete()


# -- key roles -----------------------------------------------------------------------------------


def key_role_candidates(initiative: Initiative):
    """People who can hold a key role: the initiators and those who gave time."""
    return User.objects.filter(is_active=True).filter(
        Q(pk__in=Initiative.members.through.objects.filter(initiative=initiative).values("user_id"))
        | Q(pk__in=HoursEntry.objects.filter(initiative=initiative).values("user_id"))
        | Q(pk__in=SignUp.objects.filter(shift__task__initiative=initiative).values("user_id"))
    )


@transaction.atomic
def add_key_role(
    *, initiative: Initiative, role: str, user, since: datetime.date, origin: Origin
) -> KeyRole:
    _require_manager(origin, initiative)
    if role not in KeyRoleKind.values:
        raise VolunteeringError(_("Choose a role from the list."))
    if not key_role_candidates(initiative).filter(pk=user.pk).exists():
        raise VolunteeringError(_("Choose one of the initiators or volunteers."))
    if since > timezone.localdate():
        raise VolunteeringError(_("Record a key role from the day it started."))
    if KeyRole.objects.current().filter(initiative=initiative, role=role, user=user).exists():
        raise VolunteeringError(_("This person already holds this role."))
    key_role = KeyRole.objects.create(
        initiative=initiative, role=role, user=user, since=since, recorded_by=origin.actor
    )
    record_event(
        action="volunteering.key_role_added",
        target=initiative,
        details={"role": role, "person": user.pk, "since": since},
        origin=origin,
    )
    return key_role


@transaction.atomic
def end_key_role(
    *, key_role: KeyRole, until: datetime.date | None = None, origin: Origin
) -> KeyRole:
    _require_manager(origin, key_role.initiative)
    until = until or timezone.localdate()
    if until < key_role.since:
        raise VolunteeringError(_("A role ends after it started."))
    key_role.until = until
    key_role.save(update_fields=["until"])
    record_event(
        action="volunteering.key_role_ended",
        target=key_role.initiative,
        details={"role": key_role.role, "person": key_role.user_id, "until": until},
        origin=origin,
    )
    return key_role
