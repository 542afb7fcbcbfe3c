"""Test data for fiscal hosting: a host with staff and an initiative it hosts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.budgets.tests.factories import InitiativeFactory
from buurtbasis.hosting import services
from buurtbasis.hosting.models import HostingAgreement
from buurtbasis.organisations.models import Organisation, Role
from buurtbasis.platform.audit import Origin


@dataclass
class Hosted:
    host: Organisation
    officer: object
    coordinator: object
    initiator: object
    initiative: object
    agreement: HostingAgreement

    @property
    def as_officer(self) -> Origin:
        return Origin(actor=self.officer)


def hosted(fee_basis_points: int = 0, host: Organisation | None = None) -> Hosted:
    """An initiative with an active agreement with ``host`` (a new one by default)."""
    host = host or OrganisationFactory()
    officer = UserFactory(roles=[(Role.FINANCE_OFFICER, host)])
    coordinator = UserFactory(roles=[(Role.COMMUNITY_WORKER, host)])
    initiator = UserFactory()
    initiative = InitiativeFactory(members=[initiator])
    agreement = services.request_hosting(
        initiative=initiative, host=host, message="Graag!", origin=Origin(actor=initiator)
    )
    services.offer(
        agreement=agreement,
        start_date=datetime.date(2026, 1, 1),
        fee_basis_points=fee_basis_points,
        approval_threshold_cents=10_000,
        approver_bands=[{"from_cents": 50_000, "approvers": 2}],
        required_receipts="Bon of factuur",
        origin=Origin(actor=coordinator),
    )
    agreement = services.accept(agreement=agreement, origin=Origin(actor=initiator))
    return Hosted(host, officer, coordinator, initiator, initiative, agreement)
