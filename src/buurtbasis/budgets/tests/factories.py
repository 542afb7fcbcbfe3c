"""Test data for budget rounds and plans. Other apps (ballots) import these.

budget_round = BudgetRoundFactory()                       # submission phase, 2 areas
budget_round = BudgetRoundFactory(phase="voting")         # with feasible plans made by you
plan = PlanFactory(budget_round=budget_round, cost_cents=250_000, status="feasible")
officer = civil_servant_for(budget_round)                 # may manage the round
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import OrganisationKind, Role

from ..models import (
    PHASE_ORDER,
    BudgetRound,
    Phase,
    Plan,
    PlanCostLine,
    PlanStatus,
    PlanVersion,
)


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("year", "code")

    year = 2024
    code = factory.Sequence(lambda n: f"WK0193{n:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")
    level = "wijk"
    slug = factory.LazyAttribute(lambda o: o.code.lower())


class MunicipalityFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Gemeente Teststad {n}")
    kind = OrganisationKind.MUNICIPALITY


class InitiativeFactory(DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Buurtmoestuin {n}")
    slug = factory.Sequence(lambda n: f"buurtmoestuin-{n}")
    pitch = "Samen groente kweken in de buurt."
    contact_email = factory.Sequence(lambda n: f"moestuin{n}@example.org")
    status = "active"

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.set(extracted)


class BudgetRoundFactory(DjangoModelFactory):
    """A round with a full dated schedule around now (submission open for a week)."""

    class Meta:
        model = BudgetRound
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"buurtbudget-{n}")
    title = factory.Sequence(lambda n: f"Buurtbudget Teststad {n}")
    description = "Bewoners bepalen samen waar het geld naartoe gaat."
    organisation = factory.SubFactory(MunicipalityFactory)
    budget_cents = 5_000_000
    ballot_type = "approval"
    max_choices = 3
    rule = "mes"
    completion = "add1"
    tie_break = "cost-votes"
    phase = "submission"
    allow_account_voting = True

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.areas.set(extracted if extracted is not None else [AreaFactory(), AreaFactory()])

    @factory.post_generation
    def schedule(obj, create, extracted, **kwargs):
        """Dated phases: the current phase started a day ago, later ones a week apart."""
        if not create or extracted is False:
            return
        now = timezone.now()
        current = PHASE_ORDER.index(obj.phase)
        for i, kind in enumerate(PHASE_ORDER):
            start = now + timedelta(days=7 * (i - current)) - timedelta(days=1)
            end = start + timedelta(days=7) if kind != "execution" else None
            Phase.objects.create(budget_round=obj, kind=kind, starts_at=start, ends_at=end)


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    budget_round = factory.SubFactory(BudgetRoundFactory)
    title = factory.Sequence(lambda n: f"Bankjes bij het speelveld {n}")
    summary = "Drie nieuwe bankjes zodat ouderen kunnen uitrusten."
    description = "Bij het speelveld staan geen bankjes. Ouderen en ouders willen zitten."
    submitted_by = factory.SubFactory(UserFactory)
    status = PlanStatus.SUBMITTED
    cost_cents = 250_000
    submitted_cost_cents = factory.SelfAttribute("cost_cents")

    @factory.post_generation
    def cost_lines(obj, create, extracted, **kwargs):
        if not create:
            return
        lines = extracted or [("Materiaal en plaatsing", obj.cost_cents)]
        for description, amount in lines:
            PlanCostLine.objects.create(plan=obj, description=description, amount_cents=amount)
        PlanVersion.objects.create(
            plan=obj,
            number=1,
            data={"title": obj.title, "cost_cents": obj.cost_cents, "cost_lines": []},
            created_by=obj.submitted_by,
        )


def civil_servant_for(budget_round: BudgetRound, **kwargs):
    return UserFactory(roles=[(Role.CIVIL_SERVANT, budget_round.organisation)], **kwargs)


def civil_servant_elsewhere(**kwargs):
    """A civil servant of another municipality: may manage nothing in this round."""
    return UserFactory(roles=[(Role.CIVIL_SERVANT, MunicipalityFactory())], **kwargs)
