"""Test data for asking peers and meetings: two municipalities (Zwolle and Rotterdam),
each with a wijk, a welfare organisation with a community worker, and an initiative
with its initiator."""

from __future__ import annotations

from dataclasses import dataclass

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area
from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.organisations.models import Organisation, OrganisationKind, Role
from buurtbasis.platform.audit import Origin


@dataclass
class Town:
    code: str
    gemeente: Area
    wijk: Area
    welfare: Organisation
    worker: object
    civil_servant: object
    initiator: object
    initiative: Initiative


def town(code: str = "GM0193", name: str = "Zwolle", year: int = 2024) -> Town:
    digits = code[2:]
    gemeente = Area.objects.create(
        year=year, code=code, name=name, level="gemeente", slug=name.lower()
    )
    wijk = Area.objects.create(
        year=year,
        code=f"WK{digits}01",
        name=f"Centrum {name}",
        level="wijk",
        parent=gemeente,
        slug=f"centrum-{name.lower()}",
    )
    municipality = OrganisationFactory(
        name=f"Gemeente {name}", kind=OrganisationKind.MUNICIPALITY, areas=[gemeente]
    )
    welfare = OrganisationFactory(
        name=f"Welzijn {name}", kind=OrganisationKind.WELFARE, areas=[wijk]
    )
    initiator = UserFactory(display_name=f"Initiatiefnemer {name}")
    initiative = Initiative.objects.create(
        name=f"Moestuin {name}",
        slug=f"moestuin-{name.lower()}",
        pitch="Samen groente kweken.",
        contact_email=f"moestuin@{name.lower()}.example.org",
        status=Status.ACTIVE,
        host_organisation=welfare,
        created_by=initiator,
    )
    initiative.areas.set([wijk])
    initiative.members.set([initiator])
    return Town(
        code=code,
        gemeente=gemeente,
        wijk=wijk,
        welfare=welfare,
        worker=UserFactory(
            display_name=f"Opbouwwerker {name}", roles=[(Role.COMMUNITY_WORKER, welfare)]
        ),
        civil_servant=UserFactory(
            display_name=f"Ambtenaar {name}", roles=[(Role.CIVIL_SERVANT, municipality)]
        ),
        initiator=initiator,
        initiative=initiative,
    )


def two_towns() -> tuple[Town, Town]:
    return town(), town("GM0599", "Rotterdam")


def opt_in(initiative: Initiative) -> None:
    from buurtbasis.exchange import services

    services.set_accepts_questions(
        initiative=initiative,
        accepts=True,
        origin=Origin(actor=initiative.members.first()),
    )
