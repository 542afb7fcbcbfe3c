"""Any sequence of grants, donations, spending, expenses, approvals, rejections, payout
batches, payments, failed payments, bank-statement imports (payments and returns, each
imported twice), reversals and transfers keeps the ledger whole.

A stateful property-based test: hypothesis chooses the steps, a plain Python model
says what the balances must be, and after every step the invariants are checked
against the database: every transaction sums to zero, every balance shown equals the
sum of its entries, no earmark is below zero, refused steps store nothing, an expense
is paid once, and approvals never promise more than the earmark holds.
"""

import datetime

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as run_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting import expenses, queries, services
from buurtbasis.hosting.models import (
    AccountKind,
    AgreementState,
    Category,
    Grant,
    GrantSource,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    TransactionKind,
)
from buurtbasis.hosting.models_expenses import Expense, ExpenseState, PayoutItem
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin

from .expense_helpers import HOST_IBAN, PAYEE_IBAN, receipt_png
from .factories import hosted

DAY = datetime.date(2026, 5, 1)
amounts = st.integers(min_value=1, max_value=500_000)
categories = st.sampled_from([c for c in Category.values if c != Category.HOST_FEE])
WAITING = [ExpenseState.APPROVED, ExpenseState.SCHEDULED]
ACTION_NAMES = [
    "approve0",
    "approve1",
    "approve2",
    "approve3",
    "ask",
    "reject",
    "schedule",
    "pay",
    "fail",
    "bank",
    "bank",  # twice: a statement needs an approved expense, so it is reached less often
]
ACTIONS = st.sampled_from(ACTION_NAMES)
STEPS = st.tuples(
    st.booleans(),  # earlier: a step on an earlier expense, or a new expense
    ACTIONS,
    st.integers(0, 63),  # pick: which expense or grant
    st.integers(min_value=1, max_value=120),  # share: percent of what is left in the grant
    st.integers(0, 4),  # approvals that follow a new expense
    st.lists(ACTIONS, max_size=3),  # then: steps that follow a new expense
)


class LedgerMachine(RuleBasedStateMachine):
    grants = Bundle("grants")
    txns = Bundle("txns")

    @initialize(fee=st.sampled_from([0, 250, 1000]))
    def setup(self, fee):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.h = hosted(fee_basis_points=fee)
        self.member = UserFactory()
        self.h.initiative.members.add(self.member)
        # the treasurer (the initiator who accepted) checks first, then the host approves
        self.checkers = [
            self.h.initiator,
            self.h.officer,
            UserFactory(roles=[(Role.FINANCE_OFFICER, self.h.host)]),
            UserFactory(roles=[(Role.FINANCE_OFFICER, self.h.host)]),
        ]
        expenses.set_bank_account(
            host=self.h.host,
            name="Stichting Welzijn",
            iban=HOST_IBAN,
            pain_version="001.001.09",
            origin=self.origin,
        )
        self.fee = fee
        self.left: dict[int, int] = {}  # grant pk -> what the model expects is left
        self.reversed: set[int] = set()
        self.statements = 0
        self.spends = 0  # direct spending that is not reversed
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
        # approved expenses that wait for payment hold their part of the earmark
        held = (
            Expense.objects.filter(grant=grant, state__in=WAITING).aggregate(s=Sum("amount_cents"))[
                "s"
            ]
            or 0
        )
        if amount > self.left[grant.pk] - held:
            assert self._refused(call, "insufficient")
            return None
        txn = call()
        self.left[grant.pk] -= amount
        self.spends += 1
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
        self.spends -= txn.kind == TransactionKind.EXPENSE
        grant_pk = txn.entries.get(account__kind=AccountKind.EARMARK).account.grant_id
        self.left[grant_pk] += -txn.earmark_delta_cents

    @rule(now=st.integers(0, 5))
    def end_and_host_again(self, now):
        """Now and then the agreement ends, the balance is returned, and the initiative is
        hosted anew."""
        if now:
            return
        if self.hosted_now:
            waiting = list(Expense.objects.filter(state__in=WAITING))
            if waiting:
                with pytest.raises(services.HostingError) as caught:
                    services.end(
                        agreement=self.h.agreement,
                        reason="Nieuwe afspraken",
                        settle_to="teruggestort",
                        origin=Origin(actor=self.h.coordinator),
                    )
                assert caught.value.code == "expenses_open"
            for expense in waiting:
                if expense.state == ExpenseState.APPROVED:
                    expenses.reject(expense=expense, reason="De afspraak stopt", origin=self.origin)
                else:
                    expenses.mark_failed(expense=expense, reason="Teruggehaald", origin=self.origin)
            if any(self.left.values()):
                # money leaves the initiative: only the host's finance officer books that
                with pytest.raises(services.HostingError) as caught:
                    services.end(
                        agreement=self.h.agreement,
                        reason="Nieuwe afspraken",
                        settle_to="teruggestort aan de gemeente",
                        origin=Origin(actor=self.h.coordinator),
                    )
                assert caught.value.code == "finance_needed"
            services.end(
                agreement=self.h.agreement,
                reason="Nieuwe afspraken",
                settle_to="teruggestort aan de gemeente",
                origin=self.origin,
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

    @precondition(lambda self: hasattr(self, "h"))
    @rule(steps=st.lists(STEPS, min_size=1, max_size=4))
    def act(self, steps):
        """Expense steps, each either: a member submits an expense on one of the grants
        (``pick``) for ``share`` percent of what is left in it, the treasurer and then host
        approvers approve it one after the other (``approvals`` of them), and more steps
        follow on it; or (``earlier``) one ``action`` on an earlier expense in whatever
        state it is (a refused step stores nothing)."""
        for step in steps:
            self._step(*step)

    def _step(self, earlier, action, pick, share, approvals, then):
        found = list(Expense.objects.order_by("pk"))
        if earlier and found:
            self._do(action, found[pick % len(found)])
            return
        grants = list(Grant.objects.filter(initiative=self.h.initiative).order_by("pk"))
        if not grants:
            return
        grant = grants[pick % len(grants)]
        # ``share`` percent of what is left: often more than what other approvals leave
        amount = max(1, self.left.get(grant.pk, 0) * share // 100)
        call = lambda: expenses.submit_expense(  # noqa: E731
            initiative=self.h.initiative,
            grant=grant,
            description="Bon",
            amount_cents=amount,
            date=DAY,
            category=Category.MATERIALS,
            payee_name="Zoë Çelik",
            payee_iban=PAYEE_IBAN,
            receipt=receipt_png(),
            origin=Origin(actor=self.member),
        )
        if not self.hosted_now:
            assert self._refused(call, "not_hosted")
            return
        expense = call()
        for action in [f"approve{which}" for which in range(approvals)] + then:
            self._do(action, expense)

    def _do(self, action, expense):
        expense.refresh_from_db()
        if action.startswith("approve"):
            self._approve(expense, int(action[-1]))
        else:
            getattr(self, f"_{action}")(expense)

    def _try(self, call, allowed):
        before = LedgerEntry.objects.count()
        try:
            with transaction.atomic():
                call()
        except services.HostingError as error:
            assert error.code in allowed, error.code
            assert LedgerEntry.objects.count() == before
            return error
        return None

    def _approve(self, expense, which):
        """0 is the treasurer (the first check), 1-3 are the host's finance officers."""
        error = self._try(
            lambda: expenses.approve(expense=expense, origin=Origin(actor=self.checkers[which])),
            ("state", "forbidden", "twice", "insufficient", "not_hosted"),
        )
        if error is not None and error.code == "insufficient":
            assert expense.amount_cents > expenses.available_cents(expense.grant, excluding=expense)

    def _ask(self, expense):
        """The treasurer asks for more information; the member answers (a new round)."""

        def call():
            expenses.request_information(
                expense=expense, question="Welke winkel?", origin=Origin(actor=self.h.initiator)
            )
            expenses.submit(expense=expense, answer="De Gamma", origin=Origin(actor=self.member))

        self._try(call, ("state", "forbidden", "not_hosted"))

    def _reject(self, expense):
        self._try(
            lambda: expenses.reject(expense=expense, reason="Geen bon", origin=self.origin),
            ("state", "forbidden", "not_hosted"),
        )

    def _schedule(self, expense):
        """A payout batch with this one expense: it is scheduled for payment."""
        self._try(
            lambda: expenses.create_batch(
                host=self.h.host,
                expense_ids=[expense.pk],
                execution_date=timezone.localdate(),
                origin=self.origin,
            ),
            ("state",),
        )

    def _pay(self, expense):
        """Marked paid by hand (approved or scheduled); a second time is refused."""
        error = self._try(
            lambda: expenses.mark_paid_by_hand(
                expense=expense, reason="Betaald", origin=self.origin, date=DAY
            ),
            ("state", "paid"),
        )
        if error is None:
            self.left[expense.grant_id] -= expense.amount_cents

    def _fail(self, expense):
        """A scheduled payment fails, or a paid one comes back (the payment is reversed);
        then it is approved again when the money is still there."""
        was_paid = expense.state == ExpenseState.PAID
        error = self._try(
            lambda: expenses.mark_failed(expense=expense, reason="Retour", origin=self.origin),
            ("state",),
        )
        if error is not None:
            return
        if was_paid:
            self.reversed.add(expense.payment_id)
            self.left[expense.grant_id] += expense.amount_cents
        self._try(lambda: expenses.retry(expense=expense, origin=self.origin), (None,))

    def _bank(self, expense):
        """The host imports a bank statement that shows the payment of this expense (an
        approved one goes into a payout batch first), or the return of a paid one; importing
        the same statement again changes nothing."""
        from buurtbasis.portal.demo.expenses import statement_for

        if expense.state == ExpenseState.APPROVED:
            self._schedule(expense)
            expense.refresh_from_db()
        item = (
            PayoutItem.objects.filter(expense=expense, failed=False)
            .select_related("expense")
            .order_by("-pk")
            .first()
        )
        if item is None or expense.state not in (ExpenseState.SCHEDULED, ExpenseState.PAID):
            return
        was_paid = expense.state == ExpenseState.PAID
        payment = expense.payment_id
        self.statements += 1
        data = statement_for(
            [] if was_paid else [item],
            statement_id=f"ST-{self.statements}",
            iban=HOST_IBAN,
            opening=0,
            returns=[item] if was_paid else [],
        )
        expenses.import_statement(host=self.h.host, data=data, origin=self.origin)
        expense.refresh_from_db()
        if not was_paid and expense.state == ExpenseState.PAID:
            self.left[expense.grant_id] -= expense.amount_cents
        elif was_paid and expense.state == ExpenseState.FAILED:
            self.reversed.add(payment)
            self.left[expense.grant_id] += expense.amount_cents
        entries = LedgerEntry.objects.count()
        states = list(Expense.objects.order_by("pk").values_list("state", flat=True))
        again = expenses.import_statement(host=self.h.host, data=data, origin=self.origin)
        assert again.already_imported == 1
        assert LedgerEntry.objects.count() == entries
        assert list(Expense.objects.order_by("pk").values_list("state", flat=True)) == states

    @invariant()
    def expenses_are_paid_once_and_never_approved_beyond_the_earmark(self):
        if not hasattr(self, "h"):
            return
        reversed_ids = set(
            LedgerTransaction.objects.filter(reverses__isnull=False).values_list(
                "reverses_id", flat=True
            )
        )
        paid = 0
        for expense in Expense.objects.all():
            live = expense.payment_id is not None and expense.payment_id not in reversed_ids
            assert live == (expense.state == ExpenseState.PAID), expense.state
            paid += live
            assert PayoutItem.objects.filter(expense=expense, failed=False).count() <= 1
        # every booked expense payment is a direct spend or exactly one paid expense
        live_payments = (
            LedgerTransaction.objects.filter(kind=TransactionKind.EXPENSE)
            .exclude(pk__in=reversed_ids)
            .count()
        )
        assert live_payments == self.spends + paid
        for grant in Grant.objects.all():
            committed = (
                Expense.objects.filter(grant=grant, state__in=WAITING).aggregate(
                    s=Sum("amount_cents")
                )["s"]
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
def test_the_ledger_keeps_its_invariants(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "buurtbasis.platform.uploads.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    run_state_machine_as_test(
        LedgerMachine,
        settings=run_settings(
            max_examples=25,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
