"""/beheer/ (the Django admin): rounds, plans, codes (hashes only) and ballots (read only)."""

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots import services as ballot_services
from buurtbasis.ballots.codes import normalise_code
from buurtbasis.ballots.models import Ballot, VotingCode
from buurtbasis.ballots.tests.factories import make_codes, voting_round
from buurtbasis.budgets.tests.factories import BudgetRoundFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:budgets_budgetround_changelist",
    "admin:budgets_plan_changelist",
    "admin:ballots_votingcode_changelist",
    "admin:ballots_codebatch_changelist",
    "admin:ballots_ballot_changelist",
    "admin:ballots_paperbatch_changelist",
]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def voted():
    budget_round, plans = voting_round()
    codes = make_codes(budget_round, 2)
    ballot_services.submit_ballot_with_code(
        budget_round=budget_round, code=codes[0], choices={plans[0].pk: 1}
    )
    return budget_round, plans, codes


@pytest.mark.parametrize("name", CHANGELISTS)
def test_a_superuser_opens_every_changelist(admin_client, voted, name):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200


def test_rounds_and_plans_can_be_opened_for_change(admin_client, voted):
    budget_round, plans, _codes = voted
    response = admin_client.get(reverse("admin:budgets_budgetround_change", args=[budget_round.pk]))
    assert response.status_code == 200
    assert b'name="title"' in response.content
    response = admin_client.get(reverse("admin:budgets_plan_change", args=[plans[0].pk]))
    assert response.status_code == 200
    assert b'name="title"' in response.content
    response = admin_client.get(reverse("admin:budgets_plan_changelist"), {"q": plans[0].title})
    assert plans[0].title.encode() in response.content


def test_voting_codes_show_only_hashes(admin_client, voted):
    budget_round, _plans, codes = voted
    code = VotingCode.objects.filter(budget_round=budget_round).first()
    for url in (
        reverse("admin:ballots_votingcode_changelist"),
        reverse("admin:ballots_votingcode_change", args=[code.pk]),
    ):
        html = admin_client.get(url).content.decode()
        assert code.code_hash in html
        for plain in codes:
            assert plain not in html
            assert normalise_code(plain) not in html


def test_ballots_cannot_be_added_changed_or_deleted(admin_client, voted):
    budget_round, _plans, _codes = voted
    ballot = Ballot.objects.get(budget_round=budget_round)
    assert admin_client.get(reverse("admin:ballots_ballot_add")).status_code == 403
    change = reverse("admin:ballots_ballot_change", args=[ballot.pk])
    page = admin_client.get(change)
    assert page.status_code == 200  # view only
    assert b'name="receipt"' not in page.content
    response = admin_client.post(change, {"receipt": "VERVALST", "channel": "paper"})
    assert response.status_code == 403
    response = admin_client.post(
        reverse("admin:ballots_ballot_delete", args=[ballot.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    response = admin_client.post(
        reverse("admin:ballots_ballot_changelist"),
        {"action": "delete_selected", "_selected_action": [ballot.pk], "post": "yes"},
    )
    ballot.refresh_from_db()
    assert ballot.receipt != "VERVALST"
    assert Ballot.objects.filter(pk=ballot.pk).exists()
    code = VotingCode.objects.filter(budget_round=budget_round).first()
    assert (
        admin_client.post(
            reverse("admin:ballots_votingcode_change", args=[code.pk]), {"code_hash": "x" * 64}
        ).status_code
        == 403
    )


def test_a_civil_servant_without_staff_rights_cannot_open_the_admin(client, voted):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:ballots_ballot_changelist"))
    assert response.status_code == 302


def test_once_voting_started_the_admin_cannot_change_what_decides_the_outcome(admin_client, voted):
    """The site refuses a new budget, rule or cost after voting began (``update_round``);
    the admin let a superuser change them without the lock or the audit trail."""
    budget_round, plans, _codes = voted
    page = admin_client.get(reverse("admin:budgets_budgetround_change", args=[budget_round.pk]))
    assert b'name="title"' in page.content  # the words may still change
    for field in (b'name="budget_cents"', b'name="rule"', b'name="ballot_type"'):
        assert field not in page.content
    assert b"category_budgets-TOTAL_FORMS" not in page.content
    page = admin_client.get(reverse("admin:budgets_plan_change", args=[plans[0].pk]))
    assert b'name="title"' in page.content
    assert b'name="cost_cents"' not in page.content
    assert b"cost_lines-TOTAL_FORMS" not in page.content


def test_before_voting_the_admin_may_change_the_budget(admin_client):
    budget_round = BudgetRoundFactory(phase="submission")
    page = admin_client.get(reverse("admin:budgets_budgetround_change", args=[budget_round.pk]))
    assert b'name="budget_cents"' in page.content
