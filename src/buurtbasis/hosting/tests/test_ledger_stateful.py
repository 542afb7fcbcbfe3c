"""Any sequence of grants, donations, expenses, claims, approvals, payments, reversals and
transfers keeps the ledger whole.

A stateful property-based test: hypothesis chooses the steps, a plain Python model
says what the balances must be, and after every step the invariants are checked
against the database: every transaction sums to zero, every balance shown equals the
sum of its entries, no earmark is below zero, refused steps store nothing, a claim is
paid once, and approvals never promise more than the earmark holds.
"""

import datetime

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting import queries, services
from buurtbasis.hosting.models import (
    AccountKind,
    AgreementState,
    Category,
    ClaimState,
    ExpenseClaim,
    Grant,
    GrantSource,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
)
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin

from .factories import hosted

DAY = datetime.date(2026, 5, 1)
amounts = st.integers(min_value=1, max_value=500_000)
categories = st.sampled_from([c for c in Category.values if c != Category.HOST_FEE])


class LedgerMachine(RuleBasedStateMachine):
    grants = Bundle("grants")
    txns = Bundle("txns")
    claims = Bundle("claims")

    @initialize(fee=st.sampled_from([0, 250, 1000]))
    def setup(self, fee):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.h = hosted(fee_basis_points=fee)
        self.officers = [
            self.h.officer,
            UserFactory(roles=[(Role.FINANCE_OFFICER, self.h.host)]),
        ]
        self.fee = fee
        self.left: dict[int, int] = {}  # grant pk -> what the model expects is left
        self.reversed: set[int] = set()
        self.hosted_now = True

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    @property
    def origin(self):
        return self.h.as_officer

    def _refused(self, call, code=None):
        before = LedgerEntry.objects.count()
        try:
            with transaction.atomic():
                call()
        except services.HostingError as error:
            assert code is None or error.code == code, error.code
            assert LedgerEntry.objects.count() == before
            return True
        return False

    @rule(target=grants, amount=amounts)
    def grant(self, amount):
        if not self.hosted_now:
            assert self._refused(lambda: self._grant(amount), "not_hosted")
            return None
        g = self._grant(amount)
        self.left[g.pk] = amount - amount * self.fee // 10000
        return g

    def _grant(self, amount):
        return services.record_grant(
            initiative=self.h.initiative,
            source=GrantSource.FUND,
            label="Initiatievenfonds",
            amount_cents=amount,
            date=DAY,
            origin=self.origin,
        )

    @rule(amount=amounts)
    def donate(self, amount):
        call = lambda: services.record_donation(  # noqa: E731
            initiative=self.h.initiative,
            amount_cents=amount,
            date=DAY,
            description="Gift uit de buurt",
            origin=self.origin,
        )
        if not self.hosted_now:
            assert self._refused(call, "not_hosted")
            return
        txn = call()
        grant = services.donations_grant(self.h.agreement)
        self.left[grant.pk] = self.left.get(grant.pk, 0) + txn.earmark_delta_cents

    @rule(target=txns, grant=grants, amount=amounts, category=categories)
    def spend(self, grant, amount, category):
        if grant is None:
            return None
        call = lambda: services.record_expense(  # noqa: E731
            grant=grant,
            category=category,
            amount_cents=amount,
            date=DAY,
            description="Uitgave",
            origin=self.origin,
        )
        if amount > self.left[grant.pk]:
            assert self._refused(call, "insufficient")
            return None
        txn = call()
        self.left[grant.pk] -= amount
        return txn

    @rule(txn=txns)
    def reverse(self, txn):
        if txn is None:
            return
        call = lambda: services.reverse(txn, "Verkeerd geboekt", self.origin)  # noqa: E731
        if txn.pk in self.reversed:
            assert self._refused(call, "reversed")
            return
        call()
        self.reversed.add(txn.pk)
        grant_pk = txn.entries.get(account__kind=AccountKind.EARMARK).account.grant_id
        self.left[grant_pk] += -txn.earmark_delta_cents

    @rule()
    def end_and_host_again(self):
        """The agreement ends, the balance is returned, and the initiative is hosted anew."""
        if self.hosted_now:
            for claim in ExpenseClaim.objects.filter(
                state__in=[ClaimState.APPROVED, ClaimState.SCHEDULED]
            ):
                with pytest.raises(services.HostingError) as caught:
                    services.end(
                        agreement=self.h.agreement,
                        reason="Nieuwe afspraken",
                        settle_to="teruggestort",
                        origin=Origin(actor=self.h.coordinator),
                    )
                assert caught.value.code == "claims_open"
                services.reject_claim(claim, "De afspraak stopt", self.origin)
            services.end(
                agreement=self.h.agreement,
                reason="Nieuwe afspraken",
                settle_to="teruggestort aan de gemeente",
                origin=Origin(actor=self.h.coordinator),
            )
            self.left = {pk: 0 for pk in self.left}
            self.hosted_now = False
        else:
            agreement = services.request_hosting(
                initiative=self.h.initiative,
                host=self.h.host,
                origin=Origin(actor=self.h.initiator),
            )
            services.offer(
                agreement=agreement,
                start_date=DAY,
                fee_basis_points=self.fee,
                approval_threshold_cents=0,
                approver_bands=[],
                required_receipts="",
                origin=Origin(actor=self.h.coordinator),
            )
            self.h.agreement = services.accept(
                agreement=agreement, origin=Origin(actor=self.h.initiator)
            )
            assert self.h.agreement.state == AgreementState.ACTIVE
            self.hosted_now = True

    @rule(target=claims, grant=grants, amount=amounts)
    def claim(self, grant, amount):
        if grant is None or not self.hosted_now or grant.source == GrantSource.DONATIONS:
            return None
        if services.active_agreement(self.h.initiative).host_id != grant.host_id:
            return None
        claim = services.create_claim(
            grant=grant,
            description="Bon",
            amount_cents=amount,
            spent_on=DAY,
            category=Category.MATERIALS,
            payee_name="Zoë Çelik",
            payee_iban="NL91ABNA0417164300",
            origin=Origin(actor=self.h.initiator),
        )
        return services.submit_claim(claim, Origin(actor=self.h.initiator))

    @rule(claim=claims, which=st.integers(0, 1))
    def approve(self, claim, which):
        if claim is None:
            return
        claim.refresh_from_db()
        try:
            with transaction.atomic():
                services.approve_claim(claim, Origin(actor=self.officers[which]))
        except services.HostingError as error:
            assert error.code in ("state", "insufficient", "twice", "not_hosted"), error.code
            if error.code == "insufficient":
                assert claim.amount_cents > services.available_cents(claim.grant, excluding=claim)

    @rule(claim=claims)
    def schedule_and_pay(self, claim):
        if claim is None:
            return
        claim.refresh_from_db()
        try:
            with transaction.atomic():
                services.schedule_claim(claim, self.origin)
                services.mark_paid(claim, self.origin)
        except services.HostingError as error:
            assert error.code in ("state", "insufficient"), error.code
            return
        self.left[claim.grant_id] -= claim.amount_cents

    @invariant()
    def claims_are_paid_once_and_never_approved_beyond_the_earmark(self):
        if not hasattr(self, "h"):
            return
        for claim in ExpenseClaim.objects.all():
            if claim.state == ClaimState.PAID:
                assert claim.payment_id is not None
            else:
                assert claim.payment_id is None
        paid = ExpenseClaim.objects.filter(state=ClaimState.PAID).count()
        assert ExpenseClaim.objects.filter(payment__isnull=False).count() == paid
        for grant in Grant.objects.all():
            committed = (
                ExpenseClaim.objects.filter(
                    grant=grant, state__in=[ClaimState.APPROVED, ClaimState.SCHEDULED]
                ).aggregate(s=Sum("amount_cents"))["s"]
                or 0
            )
            left = services.account_balance(services.earmark_account(grant))
            assert committed <= left  # approvals never promise more than is left

    @invariant()
    def every_transaction_sums_to_zero(self):
        if not hasattr(self, "h"):
            return
        unbalanced = (
            LedgerTransaction.objects.annotate(
                total=Sum("entries__amount_cents"), n=Count("entries")
            )
            .exclude(total=0, n__gte=2)
            .count()
        )
        assert unbalanced == 0

    @invariant()
    def balances_are_the_sums_of_their_entries_and_never_negative(self):
        if not hasattr(self, "h"):
            return
        books = queries.books(self.h.initiative)
        for summary in books.grants:
            accounts = LedgerAccount.objects.filter(grant=summary.grant)
            raw = {
                kind: LedgerEntry.objects.filter(
                    account__in=accounts, account__kind=kind
                ).aggregate(s=Sum("amount_cents"))["s"]
                or 0
                for kind in (AccountKind.EARMARK, AccountKind.INCOME, AccountKind.EXPENSE)
            }
            assert summary.left == raw[AccountKind.EARMARK] == self.left.get(summary.grant.pk, 0)
            assert summary.received == -raw[AccountKind.INCOME]
            assert summary.spent == raw[AccountKind.EXPENSE]
            assert summary.received - summary.spent == summary.left
            assert summary.left >= 0
        # the public ledger's running balance ends at what is left in total
        latest = queries.public_ledger(self.h.initiative).first()
        assert (latest.balance if latest else 0) == books.left
        # the denormalised change of each transaction equals its earmark entries
        for txn in LedgerTransaction.objects.filter(initiative=self.h.initiative):
            earmark = txn.entries.filter(account__kind=AccountKind.EARMARK).aggregate(
                s=Sum("amount_cents")
            )["s"]
            assert txn.earmark_delta_cents == (earmark or 0)


@pytest.mark.django_db
@pytest.mark.slow
def test_the_ledger_keeps_its_invariants():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
