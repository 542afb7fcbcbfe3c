"""Test data for the initiatives fund: two municipalities with a civil servant each, a
hosted initiative in Zwolle (the default tenant), and Zwolle's fund for this year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.hosting import fund as funds
from buurtbasis.hosting.models_fund import InitiativesFund
from buurtbasis.organisations.models import OrganisationKind, Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import ensure_tenant

from .factories import Hosted, hosted


def municipality(code: str, name: str):
    """(a district of the municipality, a civil servant of its gemeente organisation)."""
    city = Area.objects.create(
        year=2024, code=code, name=name, level=AreaLevel.MUNICIPALITY, slug=name.lower()
    )
    district = Area.objects.create(
        year=2024,
        code=f"WK{code[2:]}01",
        name=f"Centrum {name}",
        level=AreaLevel.DISTRICT,
        parent=city,
        slug=f"centrum-{name.lower()}",
    )
    gemeente = OrganisationFactory(
        name=f"Gemeente {name}", kind=OrganisationKind.MUNICIPALITY, areas=[city]
    )
    servant = UserFactory(roles=[(Role.CIVIL_SERVANT, gemeente)])
    return district, servant, gemeente


@dataclass
class FundWorld:
    zwolle: object
    servant: object
    servant2: object
    rotterdam: object
    rotterdam_servant: object
    h: Hosted
    fund: InitiativesFund

    def apply(self, amount_cents=50_000, h: Hosted | None = None, **extra):
        h = h or self.h
        values = {
            "what": "Een buurtfeest op het plein met muziek en eten.",
            "for_whom": "Alle buren van de straat, jong en oud.",
            "when": "Zaterdag 13 juni",
            "amount_cents": amount_cents,
            **extra,
        }
        return funds.apply(
            fund=self.fund, initiative=h.initiative, origin=Origin(actor=h.initiator), **values
        )

    def hosted_here(self) -> Hosted:
        other = hosted()
        other.initiative.areas.set([self.zwolle])
        return other


def fund_world(budget_cents=100_000, max_cents=75_000, fee_basis_points=0) -> FundWorld:
    ensure_tenant(cbs_code="GM0193", name="Zwolle", slug="zwolle", hosts=[])
    zwolle, servant, gemeente = municipality("GM0193", "Zwolle")
    servant2 = UserFactory(roles=[(Role.CIVIL_SERVANT, gemeente)])
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam", hosts=[])
    rotterdam, rotterdam_servant, _gemeente = municipality("GM0599", "Rotterdam")
    h = hosted(fee_basis_points=fee_basis_points)
    h.initiative.areas.set([zwolle])
    today = timezone.localdate()
    fund = funds.create_fund(
        cbs_code="GM0193",
        year=today.year,
        name=f"Initiatievenfonds Zwolle {today.year}",
        description="Geld voor plannen van bewoners die de buurt mooier maken.",
        budget_cents=budget_cents,
        max_per_application_cents=max_cents,
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
        origin=Origin(actor=servant),
    )
    return FundWorld(zwolle, servant, servant2, rotterdam, rotterdam_servant, h, fund)
