"""Test data for volunteering: two municipalities, each with a wijk and buurten, a
welfare organisation with a community worker, residents and an initiative it hosts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area
from buurtbasis.initiatives import services as initiative_services
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Organisation, OrganisationKind, Role
from buurtbasis.volunteering.models import HoursEntry, HoursState, Shift, Task


@dataclass
class Town:
    code: str
    gemeente: Area
    wijk: Area
    buurt: Area
    other_buurt: Area
    welfare: Organisation
    worker: object
    initiator: object
    resident: object
    initiative: Initiative


def town(code: str = "GM0193", name: str = "Zwolle", year: int = 2024) -> Town:
    digits = code[2:]
    slug = name.lower()
    gemeente = Area.objects.create(year=year, code=code, name=name, level="gemeente", slug=slug)
    wijk = Area.objects.create(
        year=year,
        code=f"WK{digits}01",
        name=f"Assendorp {name}",
        level="wijk",
        parent=gemeente,
        slug=f"assendorp-{slug}",
    )
    buurt = Area.objects.create(
        year=year,
        code=f"BU{digits}0101",
        name=f"Binnenstad {name}",
        level="buurt",
        parent=wijk,
        slug=f"binnenstad-{slug}",
    )
    other_buurt = Area.objects.create(
        year=year,
        code=f"BU{digits}0102",
        name=f"Stationskwartier {name}",
        level="buurt",
        parent=wijk,
        slug=f"stationskwartier-{slug}",
    )
    welfare = OrganisationFactory(
        name=f"Welzijn {name}", kind=OrganisationKind.WELFARE, areas=[wijk]
    )
    worker = UserFactory(
        display_name=f"Opbouwwerker {name}", roles=[(Role.COMMUNITY_WORKER, welfare)]
    )
    initiator = UserFactory(display_name=f"Initiatiefnemer {name}")
    resident = UserFactory(display_name=f"Bewoner {name}")
    initiative = initiative_services.start_initiative(
        creator=initiator,
        name=f"Buurtkeuken {name}",
        pitch="Samen koken en eten.",
        areas=[buurt],
        contact_email="keuken@example.org",
    )
    Initiative.objects.filter(pk=initiative.pk).update(host_organisation=welfare, status="active")
    initiative.refresh_from_db()
    return Town(
        code, gemeente, wijk, buurt, other_buurt, welfare, worker, initiator, resident, initiative
    )


def task(t: Town, *, title: str = "Koken voor de buurtmaaltijd", skills=",cooking,", **kw) -> Task:
    return Task.objects.create(
        initiative=kw.pop("initiative", t.initiative),
        title=title,
        skills=skills,
        area=kw.pop("area", t.buurt),
        created_by=t.initiator,
        **kw,
    )


def shift(task_: Task, *, days: int = 3, hour: int = 18, hours: int = 3, needed: int = 2) -> Shift:
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=days)
    return Shift.objects.create(
        task=task_, starts_at=start, ends_at=start + datetime.timedelta(hours=hours), needed=needed
    )


def hours(
    user, initiative, minutes: int, *, days_ago: int = 1, state=HoursState.CONFIRMED, shift_=None
):
    return HoursEntry.objects.create(
        user=user,
        initiative=initiative,
        shift=shift_,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        minutes=minutes,
        state=state,
        entered_by=user,
    )
