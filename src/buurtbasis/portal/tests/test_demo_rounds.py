from io import StringIO

import pytest
from django.core.management import call_command

from buurtbasis.ballots.services import find_voting_code
from buurtbasis.budgets.models import BudgetRound, FundedPlan, Outcome, Plan, ProgressUpdate
from buurtbasis.portal.demo.budgets import DEMO_SLUGS, load_demo_rounds

pytestmark = pytest.mark.django_db


def _counts():
    return (
        BudgetRound.objects.count(),
        Plan.objects.count(),
        Outcome.objects.count(),
        FundedPlan.objects.count(),
        ProgressUpdate.objects.count(),
    )


def test_it_makes_a_round_in_each_phase_and_is_idempotent():
    report = load_demo_rounds()
    phases = dict(BudgetRound.objects.filter(slug__in=DEMO_SLUGS).values_list("phase", "slug"))
    assert set(phases) == {"submission", "assessment", "voting", "results", "execution"}
    first = _counts()
    again = load_demo_rounds()
    assert _counts() == first
    assert again["created"] == []
    assert report["voting_codes"]


def test_the_demo_has_outcomes_progress_and_working_codes():
    report = load_demo_rounds()
    results = BudgetRound.objects.get(phase="results", slug__in=DEMO_SLUGS)
    outcome = Outcome.objects.get(budget_round=results)
    assert outcome.funded_plan_ids
    assert outcome.n_ballots == 120
    assert outcome.greedy_plan_ids is not None
    execution = BudgetRound.objects.get(phase="execution", slug__in=DEMO_SLUGS)
    assert ProgressUpdate.objects.filter(funded_plan__budget_round=execution).exists()
    voting = BudgetRound.objects.get(phase="voting", slug__in=DEMO_SLUGS)
    assert find_voting_code(voting, report["voting_codes"][0]) is not None
    assessment = BudgetRound.objects.get(phase="assessment", slug__in=DEMO_SLUGS)
    statuses = set(assessment.plans.values_list("status", flat=True))
    assert {"feasible", "merged", "not_feasible", "submitted"} <= statuses


def test_the_command_prints_codes_and_log_ins():
    out = StringIO()
    call_command("load_demo_rounds", stdout=out)
    text = out.getvalue()
    assert "Demo voting codes" in text
    assert "ambtenaar@zwolle.example" in text or "@" in text


def test_every_demo_page_renders(client):
    from django.urls import reverse

    from buurtbasis.accounts.models import User
    from buurtbasis.portal.demo.budgets import DEMO_CIVIL_SERVANT

    load_demo_rounds()
    officer = User.objects.get(email=DEMO_CIVIL_SERVANT)
    for who in (None, officer):
        if who:
            client.force_login(who)
        assert client.get(reverse("budgets:round-list")).status_code == 200
        for budget_round in BudgetRound.objects.filter(slug__in=DEMO_SLUGS):
            assert client.get(budget_round.get_absolute_url()).status_code == 200
            assert (
                client.get(reverse("budgets:round-results", args=[budget_round.slug])).status_code
                == 200
            )
            for plan in budget_round.plans.all():
                assert client.get(plan.get_absolute_url()).status_code == 200
            if who:
                url = reverse("budgets:assessment", args=[budget_round.slug])
                assert client.get(url).status_code == 200


def test_the_demo_account_voter_may_vote_in_the_voting_round():
    from buurtbasis.accounts.models import User
    from buurtbasis.ballots.services import check_account_eligibility
    from buurtbasis.portal.demo.budgets import DEMO_ACCOUNT_VOTER

    load_demo_rounds()
    voting = BudgetRound.objects.get(phase="voting", slug__in=DEMO_SLUGS)
    check_account_eligibility(voting, User.objects.get(email=DEMO_ACCOUNT_VOTER))  # no error
    assert str(load_demo_rounds()).startswith("Buurtbudget demo rounds:")
