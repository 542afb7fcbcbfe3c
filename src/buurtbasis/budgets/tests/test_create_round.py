from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.models import BudgetRound, PhaseChange
from buurtbasis.organisations.models import Role
from buurtbasis.platform.models import AuditEvent

from .factories import AreaFactory, BudgetRoundFactory, MunicipalityFactory, civil_servant_for

pytestmark = pytest.mark.django_db


def _post_data(org, areas, **overrides):
    start = timezone.localtime() + timedelta(days=1)
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "title": "Buurtbudget Assendorp 2026",
        "description": "Samen beslissen over de buurt.",
        "organisation": org.pk,
        "areas": [a.pk for a in areas],
        "budget": "25.000,50",
        "ballot_type": "approval",
        "max_choices": "3",
        "rule": "mes",
        "completion": "add1",
        "tie_break": "cost-votes",
        "min_voter_age": "12",
        "allow_code_voting": "on",
        "is_public": "on",
        "submission_starts_at": start.strftime(fmt),
        "submission_ends_at": (start + timedelta(days=14)).strftime(fmt),
        "assessment_starts_at": (start + timedelta(days=14)).strftime(fmt),
        "voting_starts_at": (start + timedelta(days=28)).strftime(fmt),
        "voting_ends_at": (start + timedelta(days=42)).strftime(fmt),
        "results_starts_at": (start + timedelta(days=42)).strftime(fmt),
    }
    data.update(overrides)
    return data


def test_it_creates_a_round_with_budget_in_cents_phases_and_a_seed(client):
    org = MunicipalityFactory()
    officer = UserFactory(roles=[(Role.CIVIL_SERVANT, org)])
    areas = [AreaFactory(), AreaFactory()]
    client.force_login(officer)
    response = client.post(reverse("budgets:round-create"), _post_data(org, areas))
    assert response.status_code == 302, response.context["form"].errors
    budget_round = BudgetRound.objects.get()
    assert budget_round.budget_cents == 2_500_050
    assert budget_round.phase == "submission"
    assert set(budget_round.areas.all()) == set(areas)
    assert budget_round.created_by == officer
    assert budget_round.tie_break_seed > 0
    kinds = sorted(budget_round.phases.values_list("kind", flat=True))
    assert kinds == ["assessment", "results", "submission", "voting"]
    assert PhaseChange.objects.filter(budget_round=budget_round, to_phase="submission").exists()
    assert AuditEvent.objects.filter(action="budgets.round_created").exists()
    assert response["Location"] == budget_round.get_absolute_url()


def test_it_keeps_the_seed_when_the_round_is_edited(client):
    budget_round = BudgetRoundFactory()
    seed = budget_round.tie_break_seed
    officer = civil_servant_for(budget_round)
    client.force_login(officer)
    data = _post_data(budget_round.organisation, list(budget_round.areas.all()), budget="30000")
    response = client.post(reverse("budgets:round-edit", args=[budget_round.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    budget_round.refresh_from_db()
    assert budget_round.budget_cents == 3_000_000
    assert budget_round.tie_break_seed == seed


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("vijfduizend", "format"),
        ("-100", "negative"),
        ("12,345", None),
        ("1,234", None),
        ("10,001", None),
        ("12.3456", "format"),
        ("", "required"),
    ],
)
def test_it_explains_bad_budget_input_and_keeps_what_was_typed(client, typed, code):
    org = MunicipalityFactory()
    officer = UserFactory(roles=[(Role.CIVIL_SERVANT, org)])
    client.force_login(officer)
    response = client.post(
        reverse("budgets:round-create"), _post_data(org, [AreaFactory()], budget=typed)
    )
    if code is None:  # thousands separator: accepted
        assert response.status_code == 302
        return
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["budget"]] == [code]
    assert not BudgetRound.objects.exists()
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_budget"' in html
    if typed:
        assert f'value="{typed}"' in html


def test_it_requires_the_number_of_choices_for_an_approval_ballot(client):
    org = MunicipalityFactory()
    client.force_login(UserFactory(roles=[(Role.CIVIL_SERVANT, org)]))
    response = client.post(
        reverse("budgets:round-create"), _post_data(org, [AreaFactory()], max_choices="")
    )
    assert response.status_code == 200
    assert "max_choices" in response.context["form"].errors


def test_it_refuses_phases_out_of_order(client):
    org = MunicipalityFactory()
    client.force_login(UserFactory(roles=[(Role.CIVIL_SERVANT, org)]))
    data = _post_data(org, [AreaFactory()])
    data["voting_starts_at"] = data["submission_starts_at"].replace(
        data["submission_starts_at"][:4], str(int(data["submission_starts_at"][:4]) - 1)
    )
    response = client.post(reverse("budgets:round-create"), data)
    assert response.status_code == 200
    assert "voting_starts_at" in response.context["form"].errors


def test_it_only_offers_the_officers_own_municipality(client):
    org = MunicipalityFactory()
    other = MunicipalityFactory()
    client.force_login(UserFactory(roles=[(Role.CIVIL_SERVANT, org)]))
    response = client.post(reverse("budgets:round-create"), _post_data(other, [AreaFactory()]))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not BudgetRound.objects.exists()


def test_it_locks_the_rule_once_voting_has_started(client):
    budget_round = BudgetRoundFactory(phase="voting")
    client.force_login(civil_servant_for(budget_round))
    data = _post_data(
        budget_round.organisation,
        list(budget_round.areas.all()),
        rule="greedy",
        completion="none",
        budget="1",
        title="Nieuwe titel",
    )
    response = client.post(reverse("budgets:round-edit", args=[budget_round.slug]), data)
    assert response.status_code == 302
    budget_round.refresh_from_db()
    assert budget_round.title == "Nieuwe titel"  # other settings still change
    assert (budget_round.rule, budget_round.budget_cents) == ("mes", 5_000_000)


def test_the_service_refuses_to_change_the_rule_after_voting_started():
    from buurtbasis.budgets.forms import RoundForm
    from buurtbasis.budgets.services import BudgetError, update_round

    budget_round = BudgetRoundFactory(phase="voting")
    officer = civil_servant_for(budget_round)
    form = RoundForm(user=officer, instance=budget_round)
    data = form.initial
    from buurtbasis.budgets.services import RoundData

    changed = RoundData(
        title=budget_round.title,
        description="",
        areas=data["areas"],
        organisation=budget_round.organisation,
        budget_cents=1,
        max_choices=3,
        rule="greedy",
        completion="none",
    )
    with pytest.raises(BudgetError) as exc:
        update_round(budget_round=budget_round, data=changed, actor=officer)
    assert exc.value.code == "locked"
