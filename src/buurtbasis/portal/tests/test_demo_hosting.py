"""The demo has hosts and hosted initiatives in both municipalities with a year of money."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE
from buurtbasis.hosting import queries
from buurtbasis.hosting.models import Category, Grant, HostingAgreement, LedgerTransaction
from buurtbasis.hosting.models_expenses import (
    BankStatement,
    Expense,
    ExpenseEvent,
    ExpenseState,
    PayoutBatch,
)
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.uploads import private_storage
from buurtcore.sepa import schema_errors

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_hosts_initiatives_in_both_municipalities_with_a_year_of_money(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Fiscal hosting:" in out.getvalue()
    active = HostingAgreement.objects.filter(state="active")
    for code in (ZWOLLE_CODE, ROTTERDAM_CODE):
        there = Initiative.objects.in_municipality(code).filter(hosting_agreements__in=active)
        assert there.exists(), code
    assert Grant.objects.filter(plan__isnull=False).exists()  # from funded plans
    assert LedgerTransaction.objects.filter(kind="donation").exists()
    dates = LedgerTransaction.objects.values_list("date", flat=True)
    assert (max(dates) - min(dates)).days > 300
    unbalanced = (
        LedgerTransaction.objects.annotate(total=Sum("entries__amount_cents"), n=Count("entries"))
        .exclude(total=0, n__gte=2)
        .count()
    )
    assert unbalanced == 0
    for agreement in active:
        assert all(g.left >= 0 for g in queries.books(agreement.initiative).grants)
    before = (HostingAgreement.objects.count(), LedgerTransaction.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (HostingAgreement.objects.count(), LedgerTransaction.objects.count()) == before
    # the finance officer's demo log-in sees the host overview
    client.login(email="penningmeester@demo.buurtbasis.nl", password="Fietsbel-Zwolle-2024")
    assert client.get("/gastorganisatie/host/samenkracht-centrum/").status_code == 200


def test_the_demo_agreements_have_proof_rules_bands_and_the_grants_budget_lines():
    call_command("load_demo", stdout=io.StringIO())
    active = HostingAgreement.objects.filter(state="active")
    rules = {(a.receipt_rule, a.receipt_from_cents) for a in active}
    assert ("from_amount", 25_00) in rules and ("always", 0) in rules
    three = [a for a in active if len(a.approver_bands) == 2]
    assert three and three[0].approvers_needed(2_500_00) == 3
    assert three[0].approvers_needed(600_00) == 2 and three[0].approvers_needed(300_00) == 1
    # the host of three bands has three finance officers to approve the biggest expenses
    assert three[0].host.memberships.filter(role="finance_officer").count() >= 3
    # most grants have budget lines over two to four categories; plan grants all of them
    grants = Grant.objects.exclude(source="donations")
    with_lines = grants.filter(budget_lines__isnull=False).distinct()
    assert with_lines.count() * 2 > grants.count()
    assert not grants.filter(plan__isnull=False, budget_lines__isnull=True).exists()
    over = 0
    for agreement in active:
        for summary in queries.books(agreement.initiative, with_budget=True).grants:
            if summary.budget_by_category:
                assert 2 <= len(summary.budget_by_category) <= 4
                assert summary.budget_lines_total == summary.grant.budget_cents
                over += bool(summary.over_budget)
    assert over >= 1  # somewhere a category is over budget, so the page warns


def test_the_demo_year_of_expenses_goes_through_every_state_in_both_municipalities(client):
    call_command("load_demo", stdout=io.StringIO())
    for code in (ZWOLLE_CODE, ROTTERDAM_CODE):
        there = Expense.objects.filter(initiative__in=Initiative.objects.in_municipality(code))
        assert set(there.values_list("state", flat=True)) >= {
            ExpenseState.DRAFT,
            ExpenseState.SUBMITTED,
            ExpenseState.NEEDS_INFO,
            ExpenseState.APPROVED,
            ExpenseState.REJECTED,
            ExpenseState.SCHEDULED,
            ExpenseState.PAID,
        }, code
        # a payment came back from the bank and was paid after all
        assert there.filter(
            state=ExpenseState.PAID, events__new_state=ExpenseState.FAILED
        ).exists(), code
    assert Expense.objects.filter(category=Category.ALLOWANCES, state=ExpenseState.PAID).exists()
    # waiting for a second host approver: the treasurer and one host approver said yes
    waiting = Expense.objects.filter(state=ExpenseState.SUBMITTED, amount_cents__gte=1_000_00)
    assert waiting.exists()
    assert all(e.approvals.count() == 2 for e in waiting)
    assert ExpenseEvent.objects.filter(new_state=ExpenseState.REJECTED).exclude(reason="").exists()
    # a year of monthly payout batches, each a valid pain.001, paid by bank statements
    paid = Expense.objects.filter(state=ExpenseState.PAID)
    dates = sorted(paid.values_list("payment__date", flat=True))
    assert (dates[-1] - dates[0]).days > 300
    assert all(e.payment_id for e in paid)
    # proof with every expense, except small claims where the host asks it from an amount
    for expense in paid.filter(receipt_sha256="").select_related("initiative"):
        agreement = HostingAgreement.objects.get(initiative=expense.initiative, state="active")
        assert agreement.receipt_rule == "from_amount", expense.pk
        assert expense.amount_cents < agreement.receipt_from_cents, expense.pk
    assert paid.filter(receipt_sha256="").exists()  # a small claim without a till slip
    batches = list(PayoutBatch.objects.all())
    assert len(batches) >= 40 and BankStatement.objects.count() >= 40
    assert all(schema_errors(bytes(b.xml)) == [] for b in batches[:5])
    receipt = Expense.objects.exclude(receipt="").first().receipt
    assert private_storage().exists(receipt)
    # the buurtbudget money is public: the plan's initiative and its ledger can be seen
    for grant in Grant.objects.filter(plan__isnull=False).select_related("initiative"):
        ledger = f"/gastorganisatie/initiatief/{grant.initiative.slug}/kasboek/"
        assert client.get(ledger).status_code == 200, grant.initiative.slug
    # the resident of the README submits for such an initiative, with two host approvers
    resident_grants = Grant.objects.filter(
        plan__isnull=False, initiative__members__email="bewoner@demo.buurtbasis.nl"
    )
    assert resident_grants.exists()
    host = resident_grants.first().host
    officers = set(host.memberships.filter(role="finance_officer").values_list("user__email"))
    assert {("penningmeester@demo.buurtbasis.nl",), ("penningmeester2@demo.buurtbasis.nl",)} <= (
        officers
    )


def test_the_demo_statements_bring_in_the_grants_so_bank_and_ledger_agree():
    """The municipality's money for a grant arrives on the host's next statement and is
    booked as that grant's payment: the balance check of every demo statement agrees."""
    from buurtbasis.hosting import queries_banklines
    from buurtbasis.hosting.models_expenses import BankStatement
    from buurtbasis.organisations.models import Organisation

    call_command("load_demo", stdout=io.StringIO())
    paid_in = Grant.objects.filter(paid_in_line__isnull=False)
    assert paid_in.exists()
    assert all(g.paid_in_line.state == "linked" for g in paid_in)
    hosts = Organisation.objects.filter(pk__in=BankStatement.objects.values("host"))
    assert hosts.exists()
    for host in hosts:
        statements = list(BankStatement.objects.filter(host=host))
        for check in queries_banklines.balance_checks(host, statements):
            assert check.difference_cents == 0, (host.name, check)
