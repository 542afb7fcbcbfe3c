"""Test data for partnerships: a municipality with a wijk, an initiative with three
initiators, a school with three partner contacts, a civil servant, and pulse answers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area
from buurtbasis.initiatives import services as initiative_services
from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.organisations.models import Organisation, OrganisationKind, Role
from buurtbasis.partnerships import services
from buurtbasis.partnerships.models import Partnership, PulseRound
from buurtbasis.partnerships.pulse import STATEMENT_KEYS
from buurtbasis.platform.audit import Origin


@dataclass
class Town:
    code: str
    gemeente: Area
    wijk: Area
    municipality: Organisation
    school: Organisation
    housing: Organisation
    civil_servant: object
    initiators: list
    contacts: list
    housing_contact: object
    stranger: object
    initiative: Initiative
    extra: dict = field(default_factory=dict)


def town(code: str = "GM0193", name: str = "Zwolle") -> Town:
    digits = code[2:]
    gemeente = Area.objects.create(
        year=2024, code=code, name=name, level="gemeente", slug=name.lower()
    )
    wijk = Area.objects.create(
        year=2024,
        code=f"WK{digits}01",
        name=f"Centrum {name}",
        level="wijk",
        parent=gemeente,
        slug=f"centrum-{name.lower()}",
    )
    municipality = OrganisationFactory(
        name=f"Gemeente {name}", kind=OrganisationKind.MUNICIPALITY, areas=[gemeente]
    )
    school = OrganisationFactory(
        name=f"Basisschool {name}", kind=OrganisationKind.SCHOOL, areas=[wijk]
    )
    housing = OrganisationFactory(
        name=f"Woonstichting {name}", kind=OrganisationKind.HOUSING, areas=[wijk]
    )
    initiators = [UserFactory(display_name=f"Initiatiefnemer {i} {name}") for i in range(3)]
    initiative = initiative_services.start_initiative(
        creator=initiators[0],
        name=f"Moestuin {name}",
        pitch="Samen groente kweken.",
        areas=[wijk],
        contact_email="moestuin@example.org",
    )
    initiative.members.add(*initiators)
    Initiative.objects.filter(pk=initiative.pk).update(status=Status.ACTIVE)
    initiative.refresh_from_db()
    return Town(
        code=code,
        gemeente=gemeente,
        wijk=wijk,
        municipality=municipality,
        school=school,
        housing=housing,
        civil_servant=UserFactory(
            display_name=f"Ambtenaar {name}", roles=[(Role.CIVIL_SERVANT, municipality)]
        ),
        initiators=initiators,
        contacts=[
            UserFactory(
                display_name=f"Leerkracht {i} {name}", roles=[(Role.PARTNER_CONTACT, school)]
            )
            for i in range(3)
        ],
        housing_contact=UserFactory(
            display_name=f"Wijkbeheerder {name}", roles=[(Role.PARTNER_CONTACT, housing)]
        ),
        stranger=UserFactory(display_name=f"Buurman {name}"),
        initiative=initiative,
    )


def partnership(t: Town, *, confirm: bool = True, housing: bool = False) -> Partnership:
    orgs = [t.school] + ([t.housing] if housing else [])
    p = services.create_partnership(
        initiative=t.initiative,
        title="Schoolplein groen",
        purpose="Samen het schoolplein vergroenen.",
        initiator_tasks="Wij zorgen voor de planten.",
        organisations=orgs,
        origin=Origin(actor=t.initiators[0]),
    )
    if confirm:
        for side in p.sides.exclude(organisation=None):
            person = t.contacts[0] if side.organisation_id == t.school.pk else t.housing_contact
            services.confirm_side(side=side, tasks="Wij geven ruimte.", origin=Origin(actor=person))
    return p


def scores(value: int = 4, **overrides) -> dict:
    return {key: overrides.get(key, value) for key in STATEMENT_KEYS}


def past_round(p: Partnership, number: int, days_ago: int) -> PulseRound:
    today = timezone.localdate()
    return PulseRound.objects.create(
        partnership=p,
        number=number,
        opens_on=today - datetime.timedelta(days=days_ago),
        closes_on=today - datetime.timedelta(days=days_ago - 28),
    )


def answer(pulse_round, person, value=4, *, text="", show_name=False, on=None, **overrides):
    return services.answer_pulse(
        pulse_round=pulse_round,
        scores=scores(value, **overrides),
        open_text=text,
        show_name=show_name,
        origin=Origin(actor=person),
        today=on or pulse_round.opens_on,
    )
