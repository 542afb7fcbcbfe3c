"""Budget against actuals per grant and category: budget lines set by the host's finance
officer, shown beside what was spent, over-budget categories standing out, in a fixed
number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.models import FundedPlan
from buurtbasis.budgets.tests.factories import PlanFactory
from buurtbasis.hosting import budget_lines, queries, services
from buurtbasis.hosting import fund as funds
from buurtbasis.hosting.models import Category, Grant, GrantBudgetLine, GrantSource
from buurtbasis.hosting.models_fund import FundApplication
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent

from .factories import hosted
from .fund_helpers import fund_world

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def _grant(h, amount=100_000, label="Initiatievenfonds 2026"):
    return services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label=label,
        amount_cents=amount,
        date=DAY,
        origin=h.as_officer,
    )


def _spend(h, grant, category, cents):
    services.record_expense(
        grant=grant,
        category=category,
        amount_cents=cents,
        date=DAY,
        description="Uitgave",
        origin=h.as_officer,
    )


def test_only_the_hosts_finance_officer_sets_budget_lines_and_it_is_audited():
    h = hosted()
    grant = _grant(h)
    other = hosted()
    for person in (h.coordinator, h.initiator, other.officer):
        with pytest.raises(services.HostingError):
            budget_lines.set_budget_lines(
                grant=grant, amounts={"food": 1_000}, origin=Origin(actor=person)
            )
    assert not GrantBudgetLine.objects.exists()
    budget_lines.set_budget_lines(
        grant=grant,
        amounts={"food": 40_000, "materials": 70_000, "rent": None},
        origin=h.as_officer,
    )
    assert budget_lines.current_amounts(grant) == {"food": 40_000, "materials": 70_000}
    # a category set to nothing loses its line; the change is in the audit trail
    budget_lines.set_budget_lines(
        grant=grant, amounts={"food": 40_000, "materials": 0}, origin=h.as_officer
    )
    assert budget_lines.current_amounts(grant) == {"food": 40_000}
    events = AuditEvent.objects.filter(action="hosting.budget_lines_set").order_by("pk")
    assert [e.details["after"] for e in events] == [
        {"food": 40_000, "materials": 70_000},
        {"food": 40_000},
    ]
    with pytest.raises(services.HostingError):
        budget_lines.set_budget_lines(grant=grant, amounts={"host_fee": 1_000}, origin=h.as_officer)
    with pytest.raises(services.HostingError):
        budget_lines.set_budget_lines(grant=grant, amounts={"food": -5}, origin=h.as_officer)


def test_budget_against_actuals_per_category_with_over_budget_categories():
    h = hosted()
    grant = _grant(h, 100_000)
    budget_lines.set_budget_lines(
        grant=grant, amounts={"food": 30_000, "materials": 50_000}, origin=h.as_officer
    )
    _spend(h, grant, Category.FOOD, 35_000)
    _spend(h, grant, Category.MATERIALS, 20_000)
    _spend(h, grant, Category.RENT, 5_000)
    summary = queries.books(h.initiative, with_budget=True).grants[0]
    rows = {r.category: (r.budget, r.spent, r.left, r.over) for r in summary.category_rows}
    assert rows == {
        "food": (30_000, 35_000, -5_000, True),
        "materials": (50_000, 20_000, 30_000, False),
        "rent": (None, 5_000, -5_000, True),  # spent without a budget line
    }
    assert [r.category for r in summary.over_budget] == ["food", "rent"]
    assert summary.budget_differs  # 80,000 in lines against a grant of 100,000
    # without with_budget (the reports) nothing changes
    assert queries.books(h.initiative).grants[0].budget_by_category == {}


def test_the_host_fee_is_never_over_budget():
    # the host fee cannot have a budget line, so it must not be counted as over budget
    h = hosted(fee_basis_points=500)
    grant = _grant(h, 100_000)
    budget_lines.set_budget_lines(grant=grant, amounts={"food": 95_000}, origin=h.as_officer)
    summary = queries.books(h.initiative, with_budget=True).grants[0]
    rows = {r.category: (r.spent, r.over) for r in summary.category_rows}
    assert rows["host_fee"] == (5_000, False)
    assert summary.over_budget == []


def test_the_hosting_page_shows_budget_spent_and_left_and_what_is_over(client):
    h = hosted()
    grant = _grant(h, 100_000)
    budget_lines.set_budget_lines(
        grant=grant, amounts={"food": 30_000, "materials": 70_000}, origin=h.as_officer
    )
    _spend(h, grant, Category.FOOD, 35_000)
    page = reverse("hosting:initiative", args=[h.initiative.slug])
    client.force_login(h.initiator)
    text = client.get(page).text
    assert "Budget per categorie: Initiatievenfonds 2026" in text
    assert "Boven het budget:" in text
    assert "€\xa050,00 te veel" in text or "€\xa050 te veel" in text
    assert 'class="budget-over"' in text
    assert "het budget per categorie is samen" not in text.lower()  # lines add up
    assert reverse("hosting:grant-budget", args=[grant.pk]) not in text  # not for initiators
    client.force_login(h.officer)
    assert reverse("hosting:grant-budget", args=[grant.pk]) in client.get(page).text
    budget_lines.set_budget_lines(grant=grant, amounts={"food": 30_000}, origin=h.as_officer)
    client.force_login(h.initiator)
    assert "Let op: het budget per categorie is samen" in client.get(page).text


def test_the_finance_officer_sets_lines_from_the_plans_cost_lines(client):
    h = hosted()
    plan = PlanFactory(
        initiative=h.initiative,
        cost_cents=60_000,
        cost_lines=[("Plantenbakken", 45_000), ("Koffie bij de opening", 15_000)],
    )
    FundedPlan.objects.create(
        plan=plan,
        budget_round=plan.budget_round,
        amount_cents=60_000,
        initiative=plan.initiative,
    )
    grant = Grant.objects.get(plan=plan)
    url = reverse("hosting:grant-budget", args=[grant.pk])
    for stranger in (h.initiator, h.coordinator, hosted().officer, UserFactory()):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    client.force_login(h.officer)
    text = client.get(url).text
    assert "Plantenbakken" in text and "Koffie bij de opening" in text
    response = client.post(url, {"amount_materials": "-5", "amount_food": "150"})
    assert response.status_code == 200
    assert not GrantBudgetLine.objects.exists()
    response = client.post(url, {"amount_materials": "450", "amount_food": "150"})
    assert response.status_code == 302
    assert budget_lines.current_amounts(grant) == {"materials": 45_000, "food": 15_000}
    # opened again, the form shows the lines as they are
    assert 'name="amount_materials" value="450"' in client.get(url).text


def test_a_fund_grant_shows_the_applications_cost_lines_and_proposes_categorised_ones(client):
    w = fund_world()
    application = w.apply(
        amount_cents=None,
        cost_lines=[
            {"description": "Verf", "amount_cents": 2_000},
            {"description": "Kwasten", "amount_cents": 500},
        ],
    )
    funds.decide(application=application, decision="grant", origin=Origin(actor=w.servant))
    application.refresh_from_db()
    grant = application.grant
    assert [line["description"] for line in budget_lines.source_cost_lines(grant)] == [
        "Verf",
        "Kwasten",
    ]
    assert budget_lines.proposed_amounts(grant) == {}  # the lines have no category
    FundApplication.objects.filter(pk=application.pk).update(
        cost_lines=[
            {"description": "Verf", "amount_cents": 2_000, "category": "materials"},
            {"description": "Kwasten", "amount_cents": 500, "category": "materials"},
            {"description": "Iets", "amount_cents": 700, "category": "unknown"},
        ]
    )
    assert budget_lines.proposed_amounts(grant) == {"materials": 2_500}
    client.force_login(w.h.officer)
    text = client.get(reverse("hosting:grant-budget", args=[grant.pk])).text
    assert 'name="amount_materials" value="25"' in text
    assert "De bedragen hieronder komen uit de kostenregels" in text


def test_the_hosting_page_runs_a_fixed_number_of_queries_whatever_the_grants(client):
    h = hosted()
    grant = _grant(h)
    budget_lines.set_budget_lines(grant=grant, amounts={"food": 1_000}, origin=h.as_officer)
    _spend(h, grant, Category.FOOD, 2_000)
    page = reverse("hosting:initiative", args=[h.initiative.slug])
    client.force_login(h.officer)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    for i in range(6):
        more = _grant(h, 10_000 + i, label=f"Subsidie {i}")
        budget_lines.set_budget_lines(
            grant=more, amounts={"food": 1_000, "rent": 2_000, "other": 500}, origin=h.as_officer
        )
        _spend(h, more, Category.FOOD, 1_500)
        _spend(h, more, Category.MATERIALS, 100)
    with CaptureQueriesContext(connection) as seven:
        text = client.get(page).text
    assert text.count("<caption>Budget per categorie:") == 7
    assert len(seven) == len(one), [q["sql"] for q in seven.captured_queries]
