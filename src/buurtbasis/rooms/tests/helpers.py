"""Test data for rooms: a municipality with a school (and its partner contact), a
community centre run by a welzijnsorganisatie, a care home, an initiative with its
initiator, and a room open every day from 09:00 to 22:00."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area
from buurtbasis.initiatives import services as initiative_services
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Organisation, OrganisationKind, Role
from buurtbasis.platform.audit import Origin
from buurtbasis.rooms import services
from buurtbasis.rooms.models import AvailabilityWindow, Room


@dataclass
class Town:
    code: str
    wijk: Area
    school: Organisation
    welfare: Organisation
    care: Organisation
    municipality: Organisation
    contact: object  # partner contact of the school
    care_contact: object
    worker: object  # community worker of the welzijnsorganisatie
    civil_servant: object
    initiator: object
    resident: object
    initiative: Initiative
    room: Room
    centre: Room  # the community centre's room


def make_room(org, wijk, name="Aula", capacity=40, **kw) -> Room:
    room = Room.objects.create(
        organisation=org,
        area=wijk,
        name=name,
        address="Schoolstraat 1",
        capacity=capacity,
        key_instructions="Sleutel bij de conciërge, code 4711.",
        **kw,
    )
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(room=room, weekday=d, starts=dt.time(9), ends=dt.time(22))
        for d in range(7)
    )
    return room


def town(code: str = "GM0193", name: str = "Zwolle") -> Town:
    digits = code[2:]
    gemeente = Area.objects.create(
        year=2024, code=code, name=name, level="gemeente", slug=name.lower()
    )
    wijk = Area.objects.create(
        year=2024,
        code=f"WK{digits}01",
        name=f"Wijk 01 Centrum {name}",
        level="wijk",
        parent=gemeente,
        slug=f"centrum-{name.lower()}",
    )
    school = OrganisationFactory(name=f"School {name}", kind=OrganisationKind.SCHOOL, areas=[wijk])
    welfare = OrganisationFactory(
        name=f"Welzijn {name}", kind=OrganisationKind.WELFARE, areas=[wijk]
    )
    care = OrganisationFactory(name=f"Zorg {name}", kind=OrganisationKind.CARE, areas=[wijk])
    municipality = OrganisationFactory(
        name=f"Gemeente {name}", kind=OrganisationKind.MUNICIPALITY, areas=[gemeente]
    )
    initiator = UserFactory(display_name=f"Initiatiefnemer {name}")
    initiative = initiative_services.start_initiative(
        creator=initiator,
        name=f"Taalcafé {name}",
        pitch="Samen Nederlands oefenen.",
        areas=[wijk],
        contact_email="taalcafe@example.org",
    )
    return Town(
        code=code,
        wijk=wijk,
        school=school,
        welfare=welfare,
        care=care,
        municipality=municipality,
        contact=UserFactory(display_name=f"Contact {name}", roles=[(Role.PARTNER_CONTACT, school)]),
        care_contact=UserFactory(roles=[(Role.PARTNER_CONTACT, care)]),
        worker=UserFactory(roles=[(Role.COMMUNITY_WORKER, welfare)]),
        civil_servant=UserFactory(roles=[(Role.CIVIL_SERVANT, municipality)]),
        initiator=initiator,
        resident=UserFactory(),
        initiative=initiative,
        room=make_room(school, wijk, name=f"Aula {name}"),
        centre=make_room(welfare, wijk, name=f"Buurthuis {name}", capacity=60),
    )


def next_weekday(weekday: int = 1, weeks: int = 1) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


def request(
    t: Town,
    *,
    day=None,
    start=(19, 0),
    end=(21, 0),
    people=20,
    weeks=1,
    room=None,
    title="Taalcafé",
    by=None,
):
    return services.request_booking(
        room=room or t.room,
        initiative=t.initiative,
        title=title,
        expected_people=people,
        day=day or next_weekday(),
        start=dt.time(*start),
        end=dt.time(*end),
        weeks=weeks,
        origin=Origin(actor=by or t.initiator),
    )


def accept(t: Town, booking, by=None):
    return services.decide(booking=booking, accept=True, origin=Origin(actor=by or t.contact))
