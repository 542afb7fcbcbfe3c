"""Test data for the logbook: two municipalities with wijken and buurten, professionals of
each kind, stories and departments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area
from buurtbasis.initiatives import services as initiative_services
from buurtbasis.logbook.models import Department
from buurtbasis.organisations.models import Organisation, OrganisationKind, Role
from buurtbasis.platform.audit import Origin
from buurtbasis.stories import services as story_services
from buurtbasis.stories.models import Consent, ContactChannel, Story, StoryRound


@dataclass
class Town:
    code: str
    gemeente: Area
    wijk: Area
    buurt: Area
    other_buurt: Area
    municipality: Organisation
    welfare: Organisation
    civil_servant: object
    worker: object
    resident: object
    department: Department


def town(code: str = "GM0193", name: str = "Zwolle", year: int = 2024) -> Town:
    digits = code[2:]
    gemeente = Area.objects.create(
        year=year, code=code, name=name, level="gemeente", slug=name.lower()
    )
    wijk = Area.objects.create(
        year=year,
        code=f"WK{digits}01",
        name=f"Wijk 01 Centrum {name}",
        level="wijk",
        parent=gemeente,
        slug=f"centrum-{name.lower()}",
    )
    buurt = Area.objects.create(
        year=year,
        code=f"BU{digits}0101",
        name="Binnenstad",
        level="buurt",
        parent=wijk,
        slug=f"binnenstad-{name.lower()}",
    )
    other_buurt = Area.objects.create(
        year=year,
        code=f"BU{digits}0102",
        name="Stationskwartier",
        level="buurt",
        parent=wijk,
        slug=f"stationskwartier-{name.lower()}",
    )
    municipality = OrganisationFactory(
        name=f"Gemeente {name}", kind=OrganisationKind.MUNICIPALITY, areas=[gemeente]
    )
    welfare = OrganisationFactory(
        name=f"Welzijn {name}", kind=OrganisationKind.WELFARE, areas=[wijk]
    )
    return Town(
        code=code,
        gemeente=gemeente,
        wijk=wijk,
        buurt=buurt,
        other_buurt=other_buurt,
        municipality=municipality,
        welfare=welfare,
        civil_servant=UserFactory(
            display_name="Ambtenaar", roles=[(Role.CIVIL_SERVANT, municipality)]
        ),
        worker=UserFactory(display_name="Opbouwwerker", roles=[(Role.COMMUNITY_WORKER, welfare)]),
        resident=UserFactory(display_name="Bewoner"),
        department=Department.objects.create(municipality_code=code, name="Openbare ruimte"),
    )


def story_round(t: Town) -> StoryRound:
    now = timezone.now()
    origin = Origin(actor=t.worker)
    story_round = story_services.create_round(
        data=story_services.RoundData(
            title="Veilig in de wijk",
            prompt="Vertel over een moment dat u zich veilig of onveilig voelde.",
            areas=[t.wijk, t.buurt, t.other_buurt],
            opens_at=now - datetime.timedelta(days=10),
            closes_at=now + datetime.timedelta(days=10),
            organisation=t.welfare,
        ),
        origin=origin,
        municipality=t.code,
    )
    return story_services.set_round_status(story_round=story_round, status="open", origin=origin)


def story(
    t: Town,
    text: str = "De bushalte is 's avonds donker en ik voel me er niet veilig.",
    *,
    teller=None,
    withdrawn: bool = False,
    **contact,
) -> Story:
    """A story told through the stories app (by ``teller``, or anonymously)."""
    r = StoryRound.objects.filter(municipality_code=t.code).first() or story_round(t)
    told, _code = story_services.tell_story(
        story_round=r,
        data=story_services.StoryData(
            text=text, consent=Consent.PROFESSIONALS_ONLY, area=t.buurt, **contact
        ),
        origin=Origin(actor=teller),
    )
    if withdrawn:
        told = story_services.withdraw_story(
            story=told, origin=Origin(actor=teller), reason="teller" if teller else "code"
        )
    return told


def contact_story(t: Town, teller=None, email: str = "", **fields) -> Story:
    """A story whose teller allowed contact (by account, or by e-mail without one)."""
    if email:
        contact = {"contact_channel": ContactChannel.EMAIL, "contact_detail": email}
    else:
        contact = {"contact_channel": ContactChannel.VIA_WORKER}
    return story(t, teller=teller, may_contact=True, **contact, **fields)


def initiative(t: Town, creator=None, name: str = "Moestuin Binnenstad", areas=None, **kw):
    return initiative_services.start_initiative(
        creator=creator or t.resident,
        name=name,
        pitch="Samen groente kweken.",
        areas=areas if areas is not None else [t.buurt],
        contact_email="moestuin@example.org",
        **kw,
    )
