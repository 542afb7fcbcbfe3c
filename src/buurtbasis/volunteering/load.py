"""The load on volunteers and on initiatives, read from the hours and key roles.

Other apps (continuity) read these; the names and return shapes are a contract:

- ``hours_by_person(users_or_ids, since)`` → ``{user_id: minutes}``
- ``overloaded(people, *, weeks=4)`` → ``[Overload, ...]`` (most minutes first)
- ``single_person_roles(initiatives)`` → ``{initiative_id: [RoleGap, ...]}``
- ``carried_by_one(initiatives, *, days=365)`` → ``{initiative_id: CarrierInfo}``

Hours count when they are recorded, confirmed or still waiting for confirmation: the
time was given either way. Hours of an erased account (no person) count in an
initiative's total but for nobody. Every function runs a fixed number of queries,
however many people or initiatives it is asked about.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Min, Sum
from django.utils import timezone

from buurtbasis.hosting.models import AgreementState, HostingAgreement

from .models import HoursEntry, KeyRole, KeyRoleKind, VolunteerProfile

__all__ = [
    "CarrierInfo",
    "Overload",
    "RoleGap",
    "carried_by_one",
    "default_hours_per_week",
    "hours_by_person",
    "overloaded",
    "single_person_roles",
]

#: Days in an average month (a maximum per month is scaled to the window with it).
DAYS_PER_MONTH = 365.25 / 12
#: An initiative with fewer recorded hours than this in the window is not "carried by
#: one person" on hours alone (two hours by one person say little).
MIN_CARRIER_MINUTES = 10 * 60


def default_hours_per_week() -> int:
    return int(getattr(settings, "VOLUNTEERING_MAX_HOURS_PER_WEEK", 16))


def _carrier_share_percent() -> int:
    return int(getattr(settings, "VOLUNTEERING_CARRIER_SHARE_PERCENT", 80))


def _ids(objects) -> list[int]:
    """Ids from a queryset, model instances or plain ids (one query for a queryset)."""
    if isinstance(objects, models.QuerySet):
        return list(objects.values_list("pk", flat=True))
    ids = []
    for obj in objects:
        ids.append(obj if isinstance(obj, int) else obj.pk)
    return ids


@dataclass(frozen=True)
class Overload:
    """Someone who gave more time in the window than their own maximum (scaled to the
    window) or, without one, more than the default hours a week."""

    user_id: int
    minutes: int
    limit_minutes: int
    weeks: int
    own_limit: bool  # True: the person's own maximum per month; False: the default

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def limit_hours(self) -> float:
        return round(self.limit_minutes / 60, 1)

    @property
    def hours_per_week(self) -> float:
        return round(self.minutes / 60 / self.weeks, 1)


@dataclass(frozen=True)
class RoleGap:
    """A key role of an initiative that rests on one person: no second person holds it."""

    role: str  # a KeyRoleKind value
    user_id: int
    since: datetime.date | None
    from_hosting: bool = False  # read from the hosting agreement's treasurer

    @property
    def role_label(self) -> str:
        return str(KeyRoleKind(self.role).label)


@dataclass(frozen=True)
class CarrierInfo:
    """An initiative carried by one person in the window: they logged at least the
    carrier share of its hours (``by_hours``), or they held all (at least two) key roles
    and nobody else held one, one of them throughout (``by_roles``), or both."""

    user_id: int
    since: datetime.date | None
    minutes: int  # the person's minutes in the window
    total_minutes: int  # everyone's minutes in the window
    by_hours: bool
    by_roles: bool

    @property
    def share(self) -> float:
        """The person's share of the hours, 0.0–1.0."""
        return self.minutes / self.total_minutes if self.total_minutes else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)


def hours_by_person(users_or_ids, since: datetime.date) -> dict[int, int]:
    """Minutes each person gave (all initiatives, on or after ``since``), 0 for none.
    One query (two for a queryset of people)."""
    ids = _ids(users_or_ids)
    result = dict.fromkeys(ids, 0)
    if not ids:
        return result
    rows = (
        HoursEntry.objects.filter(user_id__in=ids, date__gte=since)
        .values("user_id")
        .annotate(total=Sum("minutes"))
    )
    for row in rows:
        result[row["user_id"]] = int(row["total"] or 0)
    return result


def overloaded(
    people_qs_or_ids, *, weeks: int = 4, today: datetime.date | None = None
) -> list[Overload]:
    """The people who carry too much over the last ``weeks`` weeks: over their own
    maximum per month (scaled to the window) or, when they set none, over
    ``VOLUNTEERING_MAX_HOURS_PER_WEEK`` hours a week on average. Three queries at most."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    today = today or timezone.localdate()
    since = today - datetime.timedelta(weeks=weeks) + datetime.timedelta(days=1)
    minutes = hours_by_person(people_qs_or_ids, since)
    busy = [uid for uid, m in minutes.items() if m > 0]
    if not busy:
        return []
    own = dict(
        VolunteerProfile.objects.filter(
            user_id__in=busy, max_hours_per_month__isnull=False
        ).values_list("user_id", "max_hours_per_month")
    )
    default_limit = default_hours_per_week() * 60 * weeks
    found = []
    for uid in busy:
        own_limit = round(own[uid] * 60 * weeks * 7 / DAYS_PER_MONTH) if uid in own else None
        limit = default_limit if own_limit is None else own_limit
        if minutes[uid] > limit:
            found.append(Overload(uid, minutes[uid], limit, weeks, uid in own))
    found.sort(key=lambda o: (-o.minutes, o.user_id))
    return found


def _current_holders(initiative_ids: list[int], on: datetime.date) -> dict:
    """{initiative_id: {role: {user_id: since}}} of the key roles held on ``on``, with the
    treasurer of an active hosting agreement for initiatives that recorded no treasurer.
    Two queries."""
    holders: dict[int, dict[str, dict[int, tuple[datetime.date | None, bool]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    rows = (
        KeyRole.objects.current(on)
        .filter(initiative_id__in=initiative_ids)
        .values_list("initiative_id", "role", "user_id", "since")
    )
    for initiative_id, role, user_id, since in rows:
        earlier = holders[initiative_id][role].get(user_id)
        if earlier is None or since < earlier[0]:
            holders[initiative_id][role][user_id] = (since, False)
    agreements = HostingAgreement.objects.filter(
        initiative_id__in=initiative_ids,
        state=AgreementState.ACTIVE,
        treasurer__isnull=False,
        treasurer__is_active=True,
    ).values_list("initiative_id", "treasurer_id", "start_date", "accepted_at")
    for initiative_id, treasurer_id, start, accepted_at in agreements:
        if KeyRoleKind.TREASURER in holders.get(initiative_id, {}):
            continue  # what the initiative recorded itself wins
        since = start or (timezone.localdate(accepted_at) if accepted_at else None)
        holders[initiative_id][KeyRoleKind.TREASURER.value][treasurer_id] = (since, True)
    return holders


def single_person_roles(
    initiatives, *, today: datetime.date | None = None
) -> dict[int, list[RoleGap]]:
    """For each initiative, the key roles that rest on one person only (held now by
    exactly one person), in the order coordinator, treasurer, contact, other.
    Initiatives without such a role are left out. Two queries (three for a queryset)."""
    today = today or timezone.localdate()
    ids = _ids(initiatives)
    if not ids:
        return {}
    order = [k.value for k in KeyRoleKind]
    result: dict[int, list[RoleGap]] = {}
    for initiative_id, roles in _current_holders(ids, today).items():
        gaps = []
        for role in sorted(roles, key=order.index):
            people = roles[role]
            if len(people) == 1:
                ((user_id, (since, from_hosting)),) = people.items()
                gaps.append(RoleGap(role, user_id, since, from_hosting))
        if gaps:
            result[initiative_id] = gaps
    return result


def carried_by_one(
    initiatives, *, days: int = 365, today: datetime.date | None = None
) -> dict[int, CarrierInfo]:
    """Initiatives that one person carried over the last ``days`` days: they logged at
    least ``VOLUNTEERING_CARRIER_SHARE_PERCENT`` of its hours (and the initiative logged
    at least ``MIN_CARRIER_MINUTES``), or they held two or more key roles, one of them
    the whole time, while nobody else held any. Four queries (five for a queryset)."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=days)
    ids = _ids(initiatives)
    if not ids:
        return {}
    share = _carrier_share_percent()

    per_person: dict[int, dict[int | None, tuple[int, datetime.date]]] = defaultdict(dict)
    rows = (
        HoursEntry.objects.filter(initiative_id__in=ids, date__gte=start, date__lte=today)
        .values("initiative_id", "user_id")
        .annotate(total=Sum("minutes"), first=Min("date"))
    )
    for row in rows:
        per_person[row["initiative_id"]][row["user_id"]] = (int(row["total"]), row["first"])

    # Key roles held at any time in the window (and the hosting treasurer now).
    role_rows = (
        KeyRole.objects.filter(initiative_id__in=ids, since__lte=today)
        .filter(models.Q(until__isnull=True) | models.Q(until__gte=start))
        .values_list("initiative_id", "user_id", "since", "until", "role")
    )
    role_people: dict[int, dict[int, datetime.date]] = defaultdict(dict)
    role_continuous: dict[int, dict[int, bool]] = defaultdict(dict)
    role_kinds: dict[int, set[str]] = defaultdict(set)
    for initiative_id, user_id, since, until, role in role_rows:
        role_kinds[initiative_id].add(role)
        known = role_people[initiative_id].get(user_id)
        role_people[initiative_id][user_id] = since if known is None else min(known, since)
        held_all_along = since <= start and (until is None or until >= today)
        role_continuous[initiative_id][user_id] = (
            role_continuous[initiative_id].get(user_id, False) or held_all_along
        )
    for initiative_id, roles in _current_holders(ids, today).items():
        for user_id, (since, from_hosting) in roles.get(KeyRoleKind.TREASURER.value, {}).items():
            if from_hosting:
                role_kinds[initiative_id].add(KeyRoleKind.TREASURER.value)
                role_people[initiative_id].setdefault(user_id, since or today)
                if since is not None and since <= start:
                    role_continuous[initiative_id][user_id] = True

    result: dict[int, CarrierInfo] = {}
    for initiative_id in ids:
        people = per_person.get(initiative_id, {})
        total = sum(m for m, _first in people.values())
        top_id, top_minutes, top_first = None, 0, None
        for user_id, (m, first) in people.items():
            if user_id is not None and m > top_minutes:
                top_id, top_minutes, top_first = user_id, m, first
        by_hours = (
            top_id is not None
            and total >= MIN_CARRIER_MINUTES
            and top_minutes * 100 >= share * total
        )
        holders = role_people.get(initiative_id, {})
        # one person, holding at least two different key roles (one role alone is a
        # role gap, see single_person_roles, not an initiative carried by one person)
        role_holder = (
            next(iter(holders))
            if len(holders) == 1 and len(role_kinds.get(initiative_id, ())) >= 2
            else None
        )
        continuous = role_continuous.get(initiative_id, {})
        by_roles = role_holder is not None and continuous.get(role_holder, False)
        if by_hours and by_roles and role_holder != top_id:
            by_roles = False  # two different people; the hours tell the clearer story
        if by_hours:
            since = top_first
            if by_roles:
                since = min(since, holders[role_holder])
            result[initiative_id] = CarrierInfo(top_id, since, top_minutes, total, True, by_roles)
        elif by_roles:
            minutes = people.get(role_holder, (0, None))[0]
            result[initiative_id] = CarrierInfo(
                role_holder, holders[role_holder], minutes, total, False, True
            )
    return result


def people_of(initiatives: Iterable) -> list[int]:
    """Ids of the people with hours or a current key role in these initiatives (for a
    community worker's overview). Two queries (three for a queryset)."""
    ids = _ids(initiatives)
    found = set(
        HoursEntry.objects.filter(initiative_id__in=ids, user__isnull=False)
        .values_list("user_id", flat=True)
        .distinct()
    )
    found |= set(
        KeyRole.objects.current().filter(initiative_id__in=ids).values_list("user_id", flat=True)
    )
    return sorted(found)
