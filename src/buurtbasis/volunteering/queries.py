"""Reads of volunteering: the open tasks of a municipality, suggestions for a shift, a
person's own hours and the load overview of a community worker. Fixed query counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, Prefetch, Q, Sum, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.initiatives.models import Initiative, Status

from . import access, load
from .models import (
    DAY_PARTS,
    DAYS,
    HoursEntry,
    Invitation,
    InvitationState,
    KeyRole,
    Shift,
    SignUp,
    Task,
    VolunteerProfile,
)

#: Tasks on one page of the public list.
PER_PAGE = 20
#: Suggestions shown for one shift.
MAX_SUGGESTIONS = 10

#: How a matching skill reads in a suggestion ("can cook, lives in …").
SKILL_PHRASES = {
    "cooking": gettext_lazy("can cook"),
    "gardening": gettext_lazy("likes gardening"),
    "driving": gettext_lazy("can drive"),
    "children": gettext_lazy("is good with children"),
    "language": gettext_lazy("helps with language"),
    "computers": gettext_lazy("helps with computers"),
    "repairs": gettext_lazy("can repair things"),
    "hosting": gettext_lazy("likes welcoming people"),
    "admin": gettext_lazy("does administration"),
    "finance": gettext_lazy("can keep the books"),
    "music": gettext_lazy("makes music"),
    "sports": gettext_lazy("does sports"),
    "carrying": gettext_lazy("can carry and set up"),
    "company": gettext_lazy("likes keeping someone company"),
}


def open_shifts_prefetch(now=None):
    now = now or timezone.now()
    return Prefetch(
        "shifts",
        queryset=Shift.objects.filter(starts_at__gt=now)
        .annotate(taken=Count("signups"))
        .order_by("starts_at", "pk"),
        to_attr="upcoming",
    )


def open_tasks(code: str, *, wijk: Area | None = None, skill: str = "", day: str = ""):
    """Open tasks of public initiatives in the municipality that still have an upcoming
    shift, filtered by wijk (the task's wijk or a buurt in it), skill and weekday
    (``mon``…``sun``); soonest first. A queryset (paginate it)."""
    now = timezone.now()
    upcoming = Shift.objects.filter(starts_at__gt=now)
    if day:
        weekday = [key for key, _label in DAYS].index(day)
        # Django's week_day runs from Sunday (1) to Saturday (7).
        upcoming = upcoming.filter(starts_at__week_day=(weekday + 1) % 7 + 1)
    tasks = (
        Task.objects.in_municipality(code)
        .filter(is_open=True, initiative__in=Initiative.objects.public())
        .exclude(initiative__status__in=[Status.ENDED])
        .filter(pk__in=upcoming.values("task_id"))
    )
    if wijk is not None:
        tasks = tasks.filter(Q(area=wijk) | Q(area__parent=wijk))
    if skill:
        tasks = tasks.with_skill(skill)
    return (
        tasks.select_related("initiative", "area")
        .annotate(next_start=Min("shifts__starts_at", filter=Q(shifts__starts_at__gt=now)))
        .order_by("next_start", "pk")
    )


def with_upcoming_shifts(tasks):
    """Attach ``task.upcoming`` (shifts to come with ``taken``) to a page of tasks: one
    query."""
    prefetch_related_objects(list(tasks), open_shifts_prefetch())
    return tasks


def districts(code: str):
    return Area.objects.in_municipality(code).filter(level=AreaLevel.DISTRICT).order_by("name")


def task_shifts(task: Task, user):
    """The shifts of a task (upcoming first, then past), each with ``taken``, ``mine``
    (the user signed up) and, for managers, ``people`` (the sign-ups). Two queries."""
    shifts = list(
        task.shifts.annotate(taken=Count("signups", distinct=True)).order_by("starts_at", "pk")
    )
    mine = set()
    if access.signed_in(user):
        mine = set(
            SignUp.objects.filter(shift__task=task, user=user).values_list("shift_id", flat=True)
        )
    for s in shifts:
        s.mine = s.pk in mine
        s.full = s.taken >= s.needed
    return shifts


def shift_people(task: Task) -> dict[int, list[SignUp]]:
    """Sign-ups per shift with the person and their hours for it (managers). One query
    plus one for the hours."""
    signups = list(
        SignUp.objects.filter(shift__task=task).select_related("user").order_by("created_at")
    )
    recorded = {(h.shift_id, h.user_id): h for h in HoursEntry.objects.filter(shift__task=task)}
    by_shift: dict[int, list[SignUp]] = {}
    for s in signups:
        s.hours = recorded.get((s.shift_id, s.user_id))
        by_shift.setdefault(s.shift_id, []).append(s)
    return by_shift


@dataclass
class Suggestion:
    user: User
    reasons: list[str]
    score: int

    @property
    def explanation(self) -> str:
        return ", ".join(self.reasons)


def suggestions(shift: Shift, *, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """People who opted in to being suggested and whose skills, wijk or time fit the
    shift, best first, each explained in words. Never anyone signed up or invited
    already. One query."""
    task = shift.task
    wijk = task.area if task.area.level == AreaLevel.DISTRICT else task.area.parent
    code = task.area.municipality_code
    day_part = shift.day_part
    skills = task.skill_keys
    fits = Q(availability__contains=f",{day_part},")
    if wijk is not None:
        fits |= Q(area=wijk)
    for skill in skills:
        fits |= Q(skills__contains=f",{skill},")
    profiles = (
        VolunteerProfile.objects.filter(suggestible=True, user__is_active=True)
        .filter(Q(area__isnull=True) | Q(area__in=Area.objects.in_municipality(code)))
        .filter(fits)
        .exclude(user__in=SignUp.objects.filter(shift=shift).values("user_id"))
        .exclude(user__in=Invitation.objects.filter(shift=shift).values("user_id"))
        .select_related("user", "area")
    )
    labels = dict(DAY_PARTS)
    found = []
    for profile in profiles:
        reasons, score = [], 0
        matched = [s for s in skills if s in profile.skill_keys]
        for s in matched:
            reasons.append(str(SKILL_PHRASES[s]))
            score += 2
        if wijk is not None and profile.area_id == wijk.pk:
            reasons.append(_("lives in %(wijk)s") % {"wijk": wijk.short_name})
            score += 1
        if day_part in profile.availability_keys:
            reasons.append(_("has time on %(day_part)s") % {"day_part": labels[day_part]})
            score += 1
        found.append(Suggestion(profile.user, reasons, score))
    found.sort(key=lambda s: (-s.score, str(s.user).lower(), s.user.pk))
    return found[:limit]


@dataclass
class MyVolunteering:
    upcoming: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    hours: list = field(default_factory=list)
    per_initiative: list = field(default_factory=list)
    total_minutes: int = 0
    recent_minutes: int = 0
    overload: load.Overload | None = None
    key_roles: list = field(default_factory=list)


def my_volunteering(user, *, weeks: int = 4) -> MyVolunteering:
    """A person's own volunteering across all initiatives. A fixed number of queries."""
    now = timezone.now()
    today = timezone.localdate()
    upcoming = list(
        SignUp.objects.filter(user=user, shift__ends_at__gt=now)
        .select_related("shift__task__initiative")
        .order_by("shift__starts_at")
    )
    invitations = list(
        Invitation.objects.filter(
            user=user, state=InvitationState.PENDING, shift__starts_at__gt=now
        )
        .select_related("shift__task__initiative")
        .order_by("shift__starts_at")
    )
    hours = list(
        HoursEntry.objects.filter(user=user)
        .select_related("initiative")
        .order_by("-date", "-pk")[:50]
    )
    per_initiative = list(
        HoursEntry.objects.filter(user=user)
        .values("initiative__name", "initiative__slug")
        .annotate(total=Sum("minutes"))
        .order_by("-total")
    )
    since = today - datetime.timedelta(weeks=weeks) + datetime.timedelta(days=1)
    recent = load.hours_by_person([user.pk], since)[user.pk]
    found = load.overloaded([user.pk], weeks=weeks, today=today)
    key_roles = list(
        KeyRole.objects.current().filter(user=user).select_related("initiative").order_by("since")
    )
    return MyVolunteering(
        upcoming=upcoming,
        invitations=invitations,
        hours=hours,
        per_initiative=per_initiative,
        total_minutes=sum(row["total"] for row in per_initiative),
        recent_minutes=recent,
        overload=found[0] if found else None,
        key_roles=key_roles,
    )


@dataclass
class WorkerOverview:
    overloaded: list  # (User, Overload)
    role_gaps: list  # (Initiative, [(RoleGap, User)])
    carried: list  # (Initiative, CarrierInfo, User)
    initiatives: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.overloaded or self.role_gaps or self.carried)


def worker_overview(
    user, *, code: str | None = None, weeks: int = 4, days: int = 365
) -> WorkerOverview | None:
    """The load in the initiatives a community worker's organisations host (in the
    municipality with CBS code ``code``, when given): people who carry too much, key
    roles on one person, initiatives carried by one person. None for someone who is no
    community worker. A fixed number of queries."""
    if not access.worker_organisation_ids(user):
        return None
    supported = access.supported_initiatives(user).exclude(status=Status.ENDED)
    if code:
        supported = supported.filter(pk__in=Initiative.objects.in_municipality(code).values("pk"))
    initiatives = {i.pk: i for i in supported.only("pk", "name", "slug")}
    ids = list(initiatives)
    people = load.people_of(ids)
    overloaded = load.overloaded(people, weeks=weeks)
    gaps = load.single_person_roles(ids)
    carried = load.carried_by_one(ids, days=days)
    wanted = {o.user_id for o in overloaded}
    wanted |= {g.user_id for gs in gaps.values() for g in gs}
    wanted |= {c.user_id for c in carried.values()}
    users = User.objects.in_bulk(wanted) if wanted else {}

    def order(pk):
        return initiatives[pk].name.lower()

    return WorkerOverview(
        overloaded=[(users[o.user_id], o) for o in overloaded if o.user_id in users],
        role_gaps=[
            (initiatives[pk], [(g, users.get(g.user_id)) for g in gaps[pk]])
            for pk in sorted(gaps, key=order)
        ],
        carried=[
            (initiatives[pk], carried[pk], users.get(carried[pk].user_id))
            for pk in sorted(carried, key=order)
        ],
        initiatives=len(ids),
    )


def initiative_overview(initiative: Initiative):
    """For the managers of one initiative: hours waiting for confirmation, key roles, and
    the load warnings of the initiative. A fixed number of queries."""
    pending = list(
        HoursEntry.objects.filter(initiative=initiative, state="pending")
        .select_related("user", "shift")
        .order_by("date", "pk")
    )
    key_roles = list(KeyRole.objects.current().filter(initiative=initiative).select_related("user"))
    past_roles = list(
        KeyRole.objects.filter(initiative=initiative, until__lte=timezone.localdate())
        .select_related("user")
        .order_by("-until")[:20]
    )
    tasks = list(
        initiative.volunteer_tasks.select_related("area").annotate(
            shift_count=Count("shifts", distinct=True)
        )
    )
    gaps = load.single_person_roles([initiative.pk]).get(initiative.pk, [])
    carried = load.carried_by_one([initiative.pk]).get(initiative.pk)
    names = {}
    wanted = {g.user_id for g in gaps} | ({carried.user_id} if carried else set())
    if wanted:
        names = User.objects.in_bulk(wanted)
    totals = list(
        HoursEntry.objects.filter(
            initiative=initiative, date__gte=timezone.localdate() - datetime.timedelta(days=365)
        )
        .values("user_id", "user__display_name")
        .annotate(total=Sum("minutes"))
        .order_by("-total")
    )
    return {
        "pending": pending,
        "key_roles": key_roles,
        "past_roles": past_roles,
        "tasks": tasks,
        "gaps": [(g, names.get(g.user_id)) for g in gaps],
        "carried": carried,
        "carrier": names.get(carried.user_id) if carried else None,
        "totals": totals,
    }
