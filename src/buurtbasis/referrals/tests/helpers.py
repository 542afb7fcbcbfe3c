"""Test data for warm referral: a municipality with a wijk, the gemeente, a
welzijnsorganisatie (volunteer, community worker), two receiving organisations with
professionals, and a service of each on the social map."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area
from buurtbasis.organisations.models import Organisation, OrganisationKind, Role
from buurtbasis.platform.audit import Origin
from buurtbasis.referrals import services
from buurtbasis.referrals.models import Referral, Service

NAME = "Sanne"
CONTACT = "06-12345678"
REASON = "Ik kom niet meer rond en de rekeningen stapelen zich op."


@dataclass
class Town:
    code: str
    gemeente: Area
    wijk: Area
    other_wijk: Area
    municipality: Organisation
    welfare: Organisation
    debt_org: Organisation
    care_org: Organisation
    civil_servant: object
    worker: object
    volunteer: object
    professional: object
    colleague: object
    care_professional: object
    resident: object
    debt_service: Service
    care_service: Service


def town(code: str = "GM0193", name: str = "Zwolle") -> Town:
    digits = code[2:]
    slug = name.lower()
    gemeente = Area.objects.create(year=2024, code=code, name=name, level="gemeente", slug=slug)
    wijk = Area.objects.create(
        year=2024,
        code=f"WK{digits}01",
        name=f"Wijk 01 Centrum {name}",
        level="wijk",
        parent=gemeente,
        slug=f"centrum-{slug}",
    )
    other_wijk = Area.objects.create(
        year=2024,
        code=f"WK{digits}02",
        name=f"Wijk 02 Noord {name}",
        level="wijk",
        parent=gemeente,
        slug=f"noord-{slug}",
    )
    municipality = OrganisationFactory(
        name=f"Gemeente {name}", kind=OrganisationKind.MUNICIPALITY, areas=[gemeente]
    )
    welfare = OrganisationFactory(
        name=f"Welzijn {name}", kind=OrganisationKind.WELFARE, areas=[wijk, other_wijk]
    )
    debt_org = OrganisationFactory(
        name=f"Schuldhulp {name}", kind=OrganisationKind.OTHER, areas=[gemeente]
    )
    care_org = OrganisationFactory(
        name=f"Wijkteam {name}", kind=OrganisationKind.CARE, areas=[wijk]
    )
    t = Town(
        code=code,
        gemeente=gemeente,
        wijk=wijk,
        other_wijk=other_wijk,
        municipality=municipality,
        welfare=welfare,
        debt_org=debt_org,
        care_org=care_org,
        civil_servant=UserFactory(
            display_name=f"Ambtenaar {name}", roles=[(Role.CIVIL_SERVANT, municipality)]
        ),
        worker=UserFactory(
            display_name=f"Opbouwwerker {name}", roles=[(Role.COMMUNITY_WORKER, welfare)]
        ),
        volunteer=UserFactory(
            display_name=f"Vrijwilliger {name}", roles=[(Role.VOLUNTEER, welfare)]
        ),
        professional=UserFactory(
            display_name=f"Schuldhulpverlener {name}", roles=[(Role.PROFESSIONAL, debt_org)]
        ),
        colleague=UserFactory(
            display_name=f"Collega {name}", roles=[(Role.PROFESSIONAL, debt_org)]
        ),
        care_professional=UserFactory(
            display_name=f"Wijkverpleegkundige {name}", roles=[(Role.PROFESSIONAL, care_org)]
        ),
        resident=UserFactory(display_name=f"Bewoner {name}"),
        debt_service=None,
        care_service=None,
    )
    t.debt_service = services.save_service(
        code=code,
        organisation=debt_org,
        name=f"Schuldhulpverlening {name}",
        domain="debt",
        description="Hulp bij schulden en geldzaken.",
        professional_contact="intake@schuldhulp.example.org",
        how_to_refer="Bel de intake of verwijs via Buurtbasis.",
        origin=Origin(actor=t.civil_servant),
    )
    t.care_service = services.save_service(
        code=code,
        organisation=care_org,
        name=f"Wijkteam {name}",
        domain="care",
        description="Zorg en ondersteuning thuis.",
        areas=[wijk],
        first_contact_days=3,
        origin=Origin(actor=t.worker),
    )
    return t


def consent_until(days: int = 60) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def refer(t: Town, *, by=None, service=None, **overrides) -> Referral:
    values = {
        "person_name": NAME,
        "contact": CONTACT,
        "reason": REASON,
        "shared": ["name", "contact", "reason"],
        "consent_until": consent_until(),
        "consent_method": "in_person",
        "report_back": "status",
        "professional": None,
    }
    values.update(overrides)
    return services.make_referral(
        service=service or t.debt_service, origin=Origin(actor=by or t.volunteer), **values
    )
