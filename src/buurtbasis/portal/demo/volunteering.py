"""Demo data for volunteers and tasks, in both municipalities.

Tasks with shifts (coming and past), sign-ups, volunteer profiles, half a year of hours,
key roles, one volunteer who carries too much (``vrijwilliger@…``: 70 hours in the last
four weeks) and one initiative whose treasurer role rests on one person (Buurtkoor
Assendorp: its treasurer comes from the hosting agreement and has no second). Dates are
relative to the day of loading; the loader does nothing when its tasks exist already.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.hosting.models import AgreementState, HostingAgreement
from buurtbasis.initiatives.models import Initiative
from buurtbasis.volunteering.models import (
    HoursEntry,
    HoursState,
    KeyRole,
    KeyRoleKind,
    Shift,
    SignUp,
    Task,
    VolunteerProfile,
    pack,
)

from .initiatives import DEMO_DOMAIN, Result, _user

SEED = 20261205

# (local part, name, wijk code, skills, availability, max hours a month, suggestible)
VOLUNTEERS = [
    (
        "vrijwilliger",
        "Henk Mulder",
        "WK019313",
        ["cooking", "carrying", "hosting"],
        ["tue_evening", "thu_evening", "sat_morning"],
        24,
        True,
    ),
    (
        "vrijwilliger.anja",
        "Anja Smit",
        "WK019313",
        ["cooking", "company"],
        ["tue_evening"],
        None,
        True,
    ),
    (
        "vrijwilliger.bram",
        "Bram Kok",
        "WK019311",
        ["repairs", "carrying"],
        ["sat_morning"],
        12,
        True,
    ),
    (
        "vrijwilliger.chantal",
        "Chantal Peters",
        "WK019314",
        ["children", "sports"],
        ["wed_afternoon"],
        None,
        True,
    ),
    (
        "vrijwilliger.dirk",
        "Dirk Hendriks",
        "WK019320",
        ["finance", "admin"],
        ["mon_evening"],
        8,
        False,
    ),
    (
        "vrijwilliger.rotterdam",
        "Samira Bouali",
        "WK059903",
        ["cooking", "language"],
        ["tue_evening", "thu_evening"],
        None,
        True,
    ),
    (
        "vrijwilliger.erik",
        "Erik de Graaf",
        "WK059910",
        ["gardening", "carrying"],
        ["sat_morning"],
        16,
        True,
    ),
    (
        "vrijwilliger.fleur",
        "Fleur Janssen",
        "WK059903",
        ["cooking", "hosting"],
        ["thu_evening"],
        None,
        False,
    ),
]

# (initiative slug, title, description, skills, [(days from today, hour, hours, needed)])
TASKS = [
    (
        "buurtkoor-assendorp",
        "Stoelen klaarzetten en koffie schenken bij de repetitie",
        "Voor de repetitie zetten we de stoelen in een halve kring en zetten we koffie en thee. "
        "Na afloop ruimen we samen op.",
        ["carrying", "hosting"],
        [(-2, 19, 3, 3), (5, 19, 3, 3), (12, 19, 3, 3)],
    ),
    (
        "buurtkoor-assendorp",
        "Kerstconcert in de wijk: ontvangst en kassa",
        "Mensen welkom heten bij de deur, kaartjes nakijken en de weg wijzen.",
        ["hosting", "admin"],
        [(18, 18, 4, 4)],
    ),
    (
        "jongerenpodium-assendorp",
        "Koken voor de buurtmaaltijd",
        "Eén keer per maand koken we met jongeren voor dertig buren. Wij zorgen voor de "
        "boodschappen; u helpt met snijden, koken en opscheppen.",
        ["cooking"],
        [(-9, 16, 4, 3), (3, 16, 4, 3), (31, 16, 4, 3)],
    ),
    (
        "speelstraat-diezerpoort",
        "Begeleiding speelmiddag",
        "Spellen uitzetten, een oogje in het zeil houden en limonade schenken.",
        ["children", "sports"],
        [(6, 14, 3, 4), (13, 14, 3, 4)],
    ),
    (
        "kookclub-delfshaven",
        "Koken voor de buurtmaaltijd in Delfshaven",
        "Samen koken voor buren die graag gezelschap hebben aan tafel.",
        ["cooking", "language"],
        [(-5, 17, 3, 3), (2, 17, 3, 3), (9, 17, 3, 3)],
    ),
    (
        "buurttuin-feijenoord",
        "Onkruid wieden en oogsten",
        "In de buurttuin is altijd werk: wieden, water geven en oogsten.",
        ["gardening"],
        [(4, 10, 3, 5), (11, 10, 3, 5)],
    ),
]

# Who gives time where: (local part, [initiative slugs]); hours are spread over 26 weeks.
GIVERS = [
    ("vrijwilliger.anja", ["buurtkoor-assendorp", "jongerenpodium-assendorp"]),
    ("vrijwilliger.bram", ["speelstraat-diezerpoort", "buurtkoor-assendorp"]),
    ("vrijwilliger.chantal", ["speelstraat-diezerpoort"]),
    ("vrijwilliger.dirk", ["jongerenpodium-assendorp"]),
    ("bewoner", ["buurtkoor-assendorp"]),
    ("initiatiefnemer", ["buurtkoor-assendorp"]),
    ("vrijwilliger.erik", ["buurttuin-feijenoord"]),
    ("vrijwilliger.fleur", ["kookclub-delfshaven"]),
    ("vrijwilliger.rotterdam", ["buurttuin-feijenoord"]),
]
#: Kookclub Delfshaven is carried by its initiator: most of its hours are theirs.
CARRIER = ("bewoner.rotterdam", "kookclub-delfshaven")
#: Henk Mulder gives 70 hours in the last four weeks, 3.5 hours at a time.
OVERLOADED = ("vrijwilliger", ["buurtkoor-assendorp", "jongerenpodium-assendorp"], 20, 210)

# Key roles recorded by the initiatives themselves: (slug, role, local part, days ago).
KEY_ROLES = [
    ("buurtkoor-assendorp", KeyRoleKind.COORDINATOR, "initiatiefnemer", 700),
    ("buurtkoor-assendorp", KeyRoleKind.COORDINATOR, "bewoner", 200),
    ("buurtkoor-assendorp", KeyRoleKind.CONTACT, "bewoner", 200),
    ("buurtkoor-assendorp", KeyRoleKind.CONTACT, "vrijwilliger.anja", 90),
    ("jongerenpodium-assendorp", KeyRoleKind.COORDINATOR, "vrijwilliger", 400),
    ("jongerenpodium-assendorp", KeyRoleKind.COORDINATOR, "vrijwilliger.dirk", 150),
    ("kookclub-delfshaven", KeyRoleKind.COORDINATOR, "bewoner.rotterdam", 500),
]
# Initiatives that share their treasurer role (a second treasurer next to the hosting one).
SECOND_TREASURERS = [
    ("jongerenpodium-assendorp", "vrijwilliger.dirk"),
    ("speelstraat-diezerpoort", "vrijwilliger.bram"),
    ("buurttuin-feijenoord", "vrijwilliger.erik"),
]
# Sign-ups for shifts: (task index, shift index, local parts).
SIGNUPS = [
    (0, 0, ["vrijwilliger.anja", "vrijwilliger.bram", "vrijwilliger"]),
    (0, 1, ["vrijwilliger.anja"]),
    (2, 0, ["vrijwilliger", "vrijwilliger.dirk"]),
    (2, 1, ["vrijwilliger", "vrijwilliger.anja"]),
    (3, 0, ["vrijwilliger.chantal"]),
    (4, 0, ["vrijwilliger.fleur", "vrijwilliger.rotterdam"]),
    (4, 1, ["vrijwilliger.fleur"]),
    (5, 0, ["vrijwilliger.erik", "vrijwilliger.rotterdam"]),
]


def _people(result: Result) -> dict[str, User]:
    people = {}
    for local, name, wijk_code, skills, available, max_hours, suggestible in VOLUNTEERS:
        user = _user(f"{local}@{DEMO_DOMAIN}", name, result)
        people[local] = user
        if not VolunteerProfile.objects.filter(user=user).exists():
            VolunteerProfile.objects.create(
                user=user,
                skills=pack(skills),
                area=Area.objects.filter(code=wijk_code, level=AreaLevel.DISTRICT)
                .order_by("-year")
                .first(),
                availability=pack(available),
                max_hours_per_month=max_hours,
                suggestible=suggestible,
            )
    for local in ("bewoner", "initiatiefnemer", "bewoner.rotterdam"):
        user = User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()
        if user is not None:
            people[local] = user
    return people


def _at(today: datetime.date, days: int, hour: int) -> datetime.datetime:
    day = today + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def load_demo_volunteering(stdout=None):
    """Load the demo's volunteers and tasks (nothing when they are there already)."""
    initiatives = {
        i.slug: i
        for i in Initiative.objects.filter(slug__in={t[0] for t in TASKS}).prefetch_related("areas")
    }
    if Task.objects.filter(initiative__in=initiatives.values()).exists() or len(initiatives) < len(
        {t[0] for t in TASKS}
    ):
        if stdout is not None:
            stdout.write("Volunteering: the demo tasks were already there; nothing has changed.")
        return 0
    rng = random.Random(SEED)
    today = timezone.localdate()
    result = Result()
    people = _people(result)
    creator = people.get("initiatiefnemer")

    shifts: list[list[Shift]] = []
    for slug, title, description, skills, slots in TASKS:
        initiative = initiatives[slug]
        task = Task.objects.create(
            initiative=initiative,
            title=title,
            description=description,
            skills=pack(skills),
            area=initiative.areas.all()[0],
            created_by=initiative.members.first() or creator,
        )
        made = []
        for days, hour, hours, needed in slots:
            start = _at(today, days, hour)
            made.append(
                Shift.objects.create(
                    task=task,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=hours),
                    needed=needed,
                )
            )
        shifts.append(made)
    signups = 0
    for task_index, shift_index, locals_ in SIGNUPS:
        for local in locals_:
            SignUp.objects.create(shift=shifts[task_index][shift_index], user=people[local])
            signups += 1

    entries = []

    def add(user, initiative, date, minutes, state=HoursState.CONFIRMED, what=""):
        entries.append(
            HoursEntry(
                user=user,
                initiative=initiative,
                date=date,
                minutes=minutes,
                state=state,
                description=what,
                entered_by=user,
                confirmed_at=timezone.now() if state == HoursState.CONFIRMED else None,
            )
        )

    for local, slugs in GIVERS:
        for week in range(1, 27):
            if rng.random() < 0.55:
                slug = rng.choice(slugs)
                date = today - datetime.timedelta(days=7 * week - rng.randint(0, 6))
                add(
                    people[local],
                    initiatives.get(slug) or _initiative(slug),
                    date,
                    rng.choice([90, 120, 150, 180]),
                )
    # the carrier of Kookclub Delfshaven: three evenings a week for half a year
    local, slug = CARRIER
    for day in range(2, 180, 2):
        add(people[local], initiatives[slug], today - datetime.timedelta(days=day), 180)
    # the volunteer who carries too much: 20 × 3.5 hours in the last four weeks
    local, slugs, count, minutes = OVERLOADED
    for n in range(count):
        state = HoursState.PENDING if n < 3 else HoursState.CONFIRMED
        add(
            people[local],
            initiatives[slugs[n % 2]],
            today - datetime.timedelta(days=1 + n * 27 // count),
            minutes,
            state,
            "Koken en opruimen",
        )
    # two hours that wait for the initiator's confirmation
    add(
        people["vrijwilliger.anja"],
        initiatives["buurtkoor-assendorp"],
        today - datetime.timedelta(days=4),
        120,
        HoursState.PENDING,
        "Bladmuziek gekopieerd",
    )
    HoursEntry.objects.bulk_create(entries)

    roles = 0
    for slug, role, local, days in KEY_ROLES:
        KeyRole.objects.create(
            initiative=_initiative(slug, initiatives),
            role=role,
            user=people[local],
            since=today - datetime.timedelta(days=days),
            recorded_by=creator,
        )
        roles += 1
    for slug, local in SECOND_TREASURERS:
        initiative = _initiative(slug, initiatives)
        agreement = HostingAgreement.objects.filter(
            initiative=initiative, state=AgreementState.ACTIVE, treasurer__isnull=False
        ).first()
        since = today - datetime.timedelta(days=300)
        if agreement is not None:
            KeyRole.objects.create(
                initiative=initiative,
                role=KeyRoleKind.TREASURER,
                user=agreement.treasurer,
                since=agreement.start_date or since,
                recorded_by=creator,
            )
            roles += 1
        KeyRole.objects.create(
            initiative=initiative,
            role=KeyRoleKind.TREASURER,
            user=people[local],
            since=since,
            recorded_by=creator,
        )
        roles += 1
    if stdout is not None:
        stdout.write(
            f"Volunteering: {len(TASKS)} tasks with {sum(len(s) for s in shifts)} shifts, "
            f"{signups} sign-ups, {len(entries)} hour entries, {roles} key roles, "
            f"{result.created.get('users', 0)} volunteers."
        )
    return len(TASKS)


def _initiative(slug: str, known: dict | None = None) -> Initiative:
    if known and slug in known:
        return known[slug]
    return Initiative.objects.get(slug=slug)
