"""Demo rooms offered by partners in Zwolle and Rotterdam: a school, a housing
corporation's buurtkamer, a care home and a community centre in each, with accepted,
waiting and declined bookings of demo initiatives (made through the real services, so
the audit trail has them too). Idempotent: rooms and bookings are made once.

Dates are relative to the day of the first load, so the demo has bookings ahead.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE
from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.organisations.models import Membership, Organisation, OrganisationKind, Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.notifications import quiet
from buurtbasis.rooms import services
from buurtbasis.rooms.models import AvailabilityWindow, Booking, Room

from .initiatives import DEMO_DOMAIN, Result, _user

#: Partner organisations the demo adds in Rotterdam (Zwolle's exist already):
#: (slug, name, kind, wijk code).
ROTTERDAM_PARTNERS = [
    ("obs-de-maasbrug", "OBS De Maasbrug", OrganisationKind.SCHOOL, "WK059910"),
    ("woonstichting-maasstad", "Woonstichting Maasstad", OrganisationKind.HOUSING, "WK059903"),
    ("zorgcentrum-de-kade", "Zorgcentrum De Kade", OrganisationKind.CARE, "WK059915"),
]

#: Partner contacts: (local part, name, organisation slug).
CONTACTS = [
    ("school", "Els van Dijk", "basisschool-de-vlieger"),
    ("corporatie", "Rik Hendriks", "woonstichting-ijsselhof"),
    ("zorg", "Anja Kok", "zorggroep-vechtzicht"),
    ("school.rotterdam", "Samira Ouali", "obs-de-maasbrug"),
    ("corporatie.rotterdam", "Tim de Graaf", "woonstichting-maasstad"),
    ("zorg.rotterdam", "Ellen Brouwer", "zorgcentrum-de-kade"),
]

WEEKDAYS = (0, 1, 2, 3, 4)
EVENINGS = [(d, dt.time(15, 30), dt.time(21, 30)) for d in WEEKDAYS] + [
    (5, dt.time(9, 0), dt.time(17, 0))
]
DAYTIME = [(d, dt.time(9, 0), dt.time(17, 0)) for d in WEEKDAYS]
ALL_WEEK = [(d, dt.time(9, 0), dt.time(22, 0)) for d in range(7)]

SCHOOL_KEY = (
    "Meld u bij de conciërge, meneer Bos, via de hoofdingang. Na 18.00 uur haalt u de sleutel "
    "op bij Schoolstraat 12 (bel 038 123 45 67). Leg de sleutel na afloop in de brievenbus."
)

#: (organisation slug, municipality, wijk code or number, name, address, capacity, access
#: flags, facilities, key, price cents, free for initiatives, waiver, windows)
ROOMS = [
    (
        "basisschool-de-vlieger",
        ZWOLLE_CODE,
        13,
        "Aula De Vlieger",
        "Schoolstraat 10, Zwolle",
        80,
        ("wheelchair", "step_free", "accessible_toilet"),
        "Keuken, beamer, 80 stoelen, geluidsinstallatie",
        SCHOOL_KEY,
        2500,
        True,
        "Gratis voor bewonersinitiatieven; andere groepen betalen € 25 per uur.",
        EVENINGS,
    ),
    (
        "basisschool-de-vlieger",
        ZWOLLE_CODE,
        13,
        "Lokaal 4 (De Vlieger)",
        "Schoolstraat 10, Zwolle",
        25,
        ("step_free",),
        "Digibord, 30 stoelen",
        SCHOOL_KEY,
        1000,
        True,
        "Gratis voor bewonersinitiatieven.",
        EVENINGS,
    ),
    (
        "woonstichting-ijsselhof",
        ZWOLLE_CODE,
        13,
        "Buurtkamer Assendorp",
        "Assendorperstraat 88, Zwolle",
        20,
        ("wheelchair", "step_free"),
        "Keuken, koffie en thee, 20 stoelen",
        "De sleutel ligt in het sleutelkastje naast de deur; de code krijgt u van de huismeester "
        "(06 12 34 56 78).",
        0,
        True,
        "",
        ALL_WEEK,
    ),
    (
        "zorggroep-vechtzicht",
        ZWOLLE_CODE,
        31,
        "Ontmoetingsruimte Vechtzicht",
        "Vechtstraat 5, Zwolle",
        40,
        ("wheelchair", "step_free", "accessible_toilet", "hearing_loop"),
        "Ringleiding, piano, 40 stoelen",
        "Meld u bij de receptie; die opent de zaal.",
        1500,
        False,
        "Gratis als bewoners van Vechtzicht mee kunnen doen.",
        DAYTIME,
    ),
    (
        "samenkracht-centrum",
        ZWOLLE_CODE,
        13,
        "Buurthuis De Kandelaar, grote zaal",
        "Kandelaarstraat 3, Zwolle",
        60,
        ("wheelchair", "step_free", "accessible_toilet"),
        "Bar, keuken, podium",
        "De beheerder van het buurthuis opent de zaal.",
        0,
        True,
        "",
        ALL_WEEK,
    ),
    (
        "obs-de-maasbrug",
        ROTTERDAM_CODE,
        "WK059910",
        "Gymzaal De Maasbrug",
        "Maasbrugstraat 2, Rotterdam",
        50,
        ("wheelchair", "step_free"),
        "Kleedkamers, matten",
        "Bel aan bij de conciërge; na 18.00 uur de sleutel bij de buren op nummer 4.",
        2000,
        True,
        "Gratis voor bewonersinitiatieven.",
        EVENINGS,
    ),
    (
        "woonstichting-maasstad",
        ROTTERDAM_CODE,
        "WK059903",
        "Buurtkamer Delfshaven",
        "Schiedamseweg 100, Rotterdam",
        15,
        ("step_free",),
        "Keuken, tafel voor 12",
        "Code van het sleutelkastje via de wijkbeheerder.",
        0,
        True,
        "",
        ALL_WEEK,
    ),
    (
        "zorgcentrum-de-kade",
        ROTTERDAM_CODE,
        "WK059915",
        "Restaurant De Kade",
        "Kadestraat 7, Rotterdam",
        35,
        ("wheelchair", "step_free", "accessible_toilet", "hearing_loop"),
        "Ringleiding, keuken",
        "Meld u bij de receptie.",
        1500,
        False,
        "Gratis als bewoners van het zorgcentrum mee kunnen doen.",
        DAYTIME,
    ),
    (
        "buurtwerk-maasoever",
        ROTTERDAM_CODE,
        "WK059901",
        "Wijkcentrum De Brug, zaal 1",
        "Brugstraat 1, Rotterdam",
        45,
        ("wheelchair", "step_free", "accessible_toilet"),
        "Keuken, beamer",
        "De sleutel ligt bij de balie van het wijkcentrum.",
        0,
        True,
        "",
        ALL_WEEK,
    ),
]


def _wijk(code: str, which) -> Area | None:
    wijken = Area.objects.in_municipality(code).filter(level=AreaLevel.DISTRICT)
    if isinstance(which, int):
        return wijken.filter(code__endswith=f"{which:02d}").order_by("-year").first()
    return wijken.filter(code=which).order_by("-year").first()


def _next(weekday: int, weeks_ahead: int) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def _member_initiative(email: str, code: str) -> Initiative | None:
    return (
        Initiative.objects.in_municipality(code)
        .filter(members__email=email)
        .exclude(status__in=[Status.ENDED, Status.HANDED_OVER])
        .order_by("pk")
        .first()
    )


def _bookings(rooms: dict[str, Room], result: Result) -> None:
    """Accepted, waiting and declined requests of demo initiatives (once)."""
    zwolle = _member_initiative(f"initiatiefnemer@{DEMO_DOMAIN}", ZWOLLE_CODE)
    rotterdam = _member_initiative(f"bewoner.rotterdam@{DEMO_DOMAIN}", ROTTERDAM_CODE)
    # (room, initiative, requester, title, people, weekday, start, end, weeks, answer)
    plan = []
    if zwolle is not None:
        who = f"initiatiefnemer@{DEMO_DOMAIN}"
        plan += [
            ("Aula De Vlieger", zwolle, who, "Buurtavond", 50, 1, (19, 0), (21, 0), 4, "accept"),
            (
                "Buurtkamer Assendorp",
                zwolle,
                who,
                "Koffieochtend",
                12,
                2,
                (10, 0),
                (12, 0),
                6,
                "accept",
            ),
            (
                "Lokaal 4 (De Vlieger)",
                zwolle,
                who,
                "Huiswerkhulp",
                15,
                3,
                (16, 0),
                (17, 30),
                1,
                None,
            ),
            (
                "Ontmoetingsruimte Vechtzicht",
                zwolle,
                who,
                "Zangmiddag",
                30,
                4,
                (14, 0),
                (16, 0),
                1,
                "Die middag is er al een activiteit voor onze bewoners. Een week later kan wel.",
            ),
        ]
    if rotterdam is not None:
        who = f"bewoner.rotterdam@{DEMO_DOMAIN}"
        plan += [
            (
                "Gymzaal De Maasbrug",
                rotterdam,
                who,
                "Buurtsport",
                20,
                0,
                (19, 0),
                (20, 30),
                4,
                "accept",
            ),
            (
                "Buurtkamer Delfshaven",
                rotterdam,
                who,
                "Overleg buurttuin",
                8,
                3,
                (19, 0),
                (21, 0),
                1,
                None,
            ),
            (
                "Restaurant De Kade",
                rotterdam,
                who,
                "Kookworkshop",
                20,
                1,
                (10, 0),
                (12, 0),
                1,
                "De keuken wordt die week verbouwd.",
            ),
        ]
    for room_name, initiative, email, title, people, weekday, start, end, weeks, answer in plan:
        room = rooms[room_name]
        if Booking.objects.filter(room=room).exists():
            continue
        requester = User.objects.get(email=email)
        made = services.request_booking(
            room=room,
            initiative=initiative,
            title=title,
            expected_people=people,
            day=_next(weekday, 1),
            start=dt.time(*start),
            end=dt.time(*end),
            weeks=weeks,
            origin=Origin(actor=requester),
        )
        result.add("bookings", len(made))
        if answer is None:
            continue
        manager = services.managers_of(room).first()
        services.decide(
            booking=made[0],
            accept=answer == "accept",
            reason="" if answer == "accept" else answer,
            origin=Origin(actor=manager),
        )


def load_demo_rooms(stdout=None) -> Result:
    """Create the demo partners, contacts, rooms and bookings that are missing."""
    result = Result()
    with transaction.atomic(), quiet():
        orgs = {}
        for slug, name, kind, code in ROTTERDAM_PARTNERS:
            org, created = Organisation.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "kind": kind, "email": f"info@{slug}.example.org"},
            )
            if created:
                result.add("organisations")
                wijk = _wijk(ROTTERDAM_CODE, code)
                if wijk is not None:
                    org.areas.set([wijk])
            orgs[slug] = org
        for local, name, slug in CONTACTS:
            org = orgs.get(slug) or Organisation.objects.filter(slug=slug).first()
            if org is None:
                continue
            user = _user(f"{local}@{DEMO_DOMAIN}", name, result)
            _m, created = Membership.objects.get_or_create(
                user=user, organisation=org, role=Role.PARTNER_CONTACT
            )
            result.add("memberships", int(created))
        rooms: dict[str, Room] = {}
        for (
            slug,
            code,
            wijk_ref,
            name,
            address,
            capacity,
            flags,
            facilities,
            key,
            price,
            free,
            waiver,
            windows,
        ) in ROOMS:
            org = Organisation.objects.filter(slug=slug).first()
            wijk = _wijk(code, wijk_ref)
            if org is None or wijk is None:
                continue
            room = Room.objects.filter(organisation=org, name=name).first()
            if room is None:
                room = Room.objects.create(
                    organisation=org,
                    area=wijk,
                    name=name,
                    address=address,
                    capacity=capacity,
                    facilities=facilities,
                    key_instructions=key,
                    price_cents_per_hour=price,
                    free_for_initiatives=free,
                    waiver_rules=waiver,
                    **{flag: True for flag in flags},
                )
                AvailabilityWindow.objects.bulk_create(
                    AvailabilityWindow(room=room, weekday=d, starts=s, ends=e)
                    for d, s, e in windows
                )
                result.add("rooms")
            rooms[name] = room
        _bookings(rooms, result)
    if stdout is not None:
        if result.created:
            made = ", ".join(f"{n} {label}" for label, n in sorted(result.created.items()))
            stdout.write(f"Rooms: created {made}.")
        else:
            stdout.write("Rooms: already there; nothing has changed.")
        stdout.write(
            f"Rooms: partner contact of a school (answers room requests): school@{DEMO_DOMAIN}"
        )
    return result
