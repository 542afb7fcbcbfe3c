"""Expense claims: submitting, approving with a quorum, payout batches, bank statements."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting import adapters, expenses, queries
from buurtbasis.hosting.models import LedgerTransaction
from buurtbasis.hosting.models_expenses import (
    BankLine,
    BankStatement,
    Expense,
    ExpenseEvent,
    ExpenseState,
    LineState,
    PayoutItem,
)
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.models.notifications import Notification

from .expense_helpers import PAYEE_IBAN, World, receipt_pdf, statement_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "buurtbasis.platform.uploads.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.LANGUAGE_CODE = "nl"


# --- submitting ------------------------------------------------------------------------------


def test_a_member_submits_a_claim_with_a_checked_iban_and_a_private_receipt(tmp_path):
    w = World()
    expense = w.submit()
    assert expense.state == ExpenseState.SUBMITTED
    assert expense.payee_iban == PAYEE_IBAN
    assert expense.payee_bank  # the bank's name from the IBAN registry
    assert len(expense.receipt_sha256) == 64
    stored = tmp_path / "private" / expense.receipt
    assert stored.exists() and oct(stored.stat().st_mode & 0o777) == "0o600"
    assert [e.new_state for e in ExpenseEvent.objects.filter(expense=expense)] == [
        "draft",
        "submitted",
    ]
    # the treasurer hears about it, the submitter does not hear about their own act
    assert Notification.objects.filter(
        recipient=w.treasurer, kind="hosting.expense_changed"
    ).exists()
    assert not Notification.objects.filter(recipient=w.member).exists()


def test_a_pdf_invoice_is_accepted():
    w = World()
    expense = w.submit(receipt=receipt_pdf(), kind="invoice", reference="2026-77")
    assert expense.receipt_type == "application/pdf"
    assert expense.receipt.endswith(".pdf")


def test_someone_outside_the_initiative_cannot_submit():
    w = World()
    with pytest.raises(expenses.HostingError):
        w.submit(by=w.officer)
    assert not Expense.objects.exists()


# --- approving ---------------------------------------------------------------------------------


def test_below_the_threshold_the_treasurers_check_approves():
    w = World()
    expense = w.submit(amount=5_000)  # the agreement's threshold is 100 euros
    expenses.approve(expense=expense, origin=Origin(actor=w.treasurer))
    expense.refresh_from_db()
    assert expense.state == ExpenseState.APPROVED
    assert Notification.objects.filter(recipient=w.member, kind="hosting.expense_changed").exists()


def test_nobody_approves_their_own_claim():
    w = World()
    expense = w.submit(by=w.treasurer, amount=5_000)
    with pytest.raises(expenses.HostingError, match="eigen|own"):
        expenses.approve(expense=expense, origin=Origin(actor=w.treasurer))
    # the treasurer submitted it, so the host does the first check
    expenses.approve(expense=expense, origin=Origin(actor=w.officer))
    expense.refresh_from_db()
    assert expense.state == ExpenseState.APPROVED


def test_the_host_cannot_skip_the_treasurers_first_check():
    w = World()
    expense = w.submit(amount=5_000)
    with pytest.raises(expenses.HostingError):
        expenses.approve(expense=expense, origin=Origin(actor=w.officer))
    expense.refresh_from_db()
    assert expense.state == ExpenseState.SUBMITTED


def test_above_the_band_two_different_host_approvers_are_needed():
    w = World()
    expense = w.submit(amount=60_000)  # two approvers from 500 euros
    expenses.approve(expense=expense, origin=Origin(actor=w.treasurer))
    expenses.approve(expense=expense, origin=Origin(actor=w.officer))
    expense.refresh_from_db()
    assert expense.state == ExpenseState.SUBMITTED
    with pytest.raises(expenses.HostingError):
        expenses.approve(expense=expense, origin=Origin(actor=w.officer))
    status = expenses.approval_status(expense)
    assert status.host_needed == 2 and status.host_missing == 1
    expenses.approve(expense=expense, origin=Origin(actor=w.officer2))
    expense.refresh_from_db()
    assert expense.state == ExpenseState.APPROVED
    assert expense.approvals.count() == 3


def test_between_threshold_and_band_one_host_approver_is_enough():
    w = World()
    expense = w.approve_fully(w.submit(amount=20_000))
    assert expense.state == ExpenseState.APPROVED
    assert expense.approvals.count() == 2


def test_an_expense_larger_than_the_earmark_cannot_be_approved():
    w = World(grant_cents=10_000)
    first = w.approve_fully(w.submit(amount=6_000))
    assert first.state == ExpenseState.APPROVED
    second = w.submit(amount=6_000)  # 100 euros in the grant, 60 already promised
    with pytest.raises(expenses.HostingError, match="Initiatievenfonds"):
        expenses.approve(expense=second, origin=Origin(actor=w.treasurer))
    second.refresh_from_db()
    assert second.state == ExpenseState.SUBMITTED
    assert not second.approvals.exists()  # nothing stored half


def test_needs_more_information_and_back_starts_a_new_round():
    w = World()
    expense = w.submit(amount=20_000)
    expenses.approve(expense=expense, origin=Origin(actor=w.treasurer))
    expenses.request_information(
        expense=expense, question="Welke winkel?", origin=Origin(actor=w.officer)
    )
    expense.refresh_from_db()
    assert expense.state == ExpenseState.NEEDS_INFO
    note = Notification.objects.filter(recipient=w.member).latest("pk")
    assert "Welke winkel?" in note.text
    with pytest.raises(expenses.HostingError):
        expenses.submit(expense=expense, origin=Origin(actor=w.member))  # no answer
    expenses.submit(expense=expense, answer="De Jumbo", origin=Origin(actor=w.member))
    expense.refresh_from_db()
    assert expense.state == ExpenseState.SUBMITTED and expense.approval_round == 2
    assert not expenses.approval_status(expense).treasurer_checked


def test_rejecting_needs_a_reason_and_is_audited():
    w = World()
    expense = w.submit()
    with pytest.raises(expenses.HostingError):
        expenses.reject(expense=expense, reason=" ", origin=Origin(actor=w.treasurer))
    expenses.reject(expense=expense, reason="Geen bon", origin=Origin(actor=w.treasurer))
    expense.refresh_from_db()
    assert expense.state == ExpenseState.REJECTED
    event = AuditEvent.objects.filter(action="hosting.expense_rejected").get()
    assert event.details["reason"] == "Geen bon"


# --- payout batches and paying -------------------------------------------------------------------


def test_a_batch_makes_one_valid_sepa_file_and_schedules_the_expenses():
    w = World()
    one = w.approve_fully(w.submit(amount=4_550))
    two = w.approve_fully(w.submit(amount=20_000, payee_name="Bakkerij Groß & Zn"))
    batch = w.batch(one, two)
    read = adapters.read_payout_file(bytes(batch.xml))
    assert batch.total_cents == 24_550 and batch.count == 2
    text = bytes(batch.xml).decode()
    assert "pain.001.001.09" in text and "Zoe Celik" in text and "Bakkerij Gross + Zn" in text
    assert read["nb_of_txs"] == 2 and read["ctrl_sum_cents"] == 24_550
    paid = {p["end_to_end_id"]: (p["amount_cents"], p["iban"]) for p in read["payments"]}
    assert paid == {
        item.end_to_end_id: (item.amount_cents, item.expense.payee_iban)
        for item in batch.items.select_related("expense")
    }
    assert sorted(a for a, _iban in paid.values()) == [4_550, 20_000]
    for e in (one, two):
        e.refresh_from_db()
        assert e.state == ExpenseState.SCHEDULED


def test_an_expense_is_never_in_two_batches():
    w = World()
    one = w.approve_fully(w.submit())
    w.batch(one)
    with pytest.raises(expenses.HostingError):
        w.batch(one)
    assert PayoutItem.objects.count() == 1


def test_the_database_refuses_a_second_live_payout_item():
    w = World()
    one = w.approve_fully(w.submit())
    batch = w.batch(one)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayoutItem.objects.create(batch=batch, expense=one, end_to_end_id="X", amount_cents=1)


def test_paid_by_hand_posts_the_payment_once():
    w = World()
    expense = w.approve_fully(w.submit(amount=4_550))
    with pytest.raises(expenses.HostingError):
        expenses.mark_paid_by_hand(expense=expense, reason="", origin=Origin(actor=w.officer))
    expenses.mark_paid_by_hand(
        expense=expense, reason="Contant betaald", origin=Origin(actor=w.officer)
    )
    expense.refresh_from_db()
    assert expense.state == ExpenseState.PAID
    assert expense.payment.entries.count() == 2
    with pytest.raises(expenses.HostingError):
        expenses.mark_paid_by_hand(
            expense=expense, reason="Nog eens", origin=Origin(actor=w.officer2)
        )
    assert LedgerTransaction.objects.filter(kind="expense").count() == 1
    books = queries.books(w.initiative)
    assert books.spent == 4_550 and books.left == 100_000 - 4_550


# --- bank statements ---------------------------------------------------------------------------


def test_a_statement_marks_the_batch_paid_and_twice_changes_nothing():
    w = World()
    one = w.approve_fully(w.submit(amount=4_550))
    two = w.approve_fully(w.submit(amount=20_000))
    batch = w.batch(one, two)
    data = statement_for(list(batch.items.select_related("expense")), opening=100_000)
    result = expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    assert result.linked == 2 and result.to_confirm == 0 and result.lines == 2
    for e in (one, two):
        e.refresh_from_db()
        assert e.state == ExpenseState.PAID
    statement = BankStatement.objects.get()
    assert statement.closing_balance_cents == 100_000 - 24_550
    assert statement.ledger_balance_cents == 100_000  # before the payments were posted
    assert expenses.ledger_cash_cents(w.host) == statement.closing_balance_cents

    again = expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    assert again.already_imported == 1 and again.lines == 0
    assert BankStatement.objects.count() == 1 and BankLine.objects.count() == 2
    assert LedgerTransaction.objects.filter(kind="expense").count() == 2


def test_an_unsure_match_waits_for_a_person():
    w = World()
    one = w.approve_fully(w.submit(amount=4_550))
    batch = w.batch(one)
    item = batch.items.get()
    extra = [
        {
            "amount_cents": -4_550,
            "details": [{"amount_cents": -4_550, "iban": PAYEE_IBAN, "name": "Z. Celik"}],
        }
    ]
    data = statement_for([], extra=extra)  # no end-to-end id: IBAN and amount only
    result = expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    assert result.linked == 0 and result.to_confirm == 1
    line = BankLine.objects.get()
    assert line.state == LineState.PENDING and line.proposed == item
    one.refresh_from_db()
    assert one.state == ExpenseState.SCHEDULED
    expenses.confirm_line(line=line, origin=Origin(actor=w.officer))
    one.refresh_from_db()
    line.refresh_from_db()
    assert one.state == ExpenseState.PAID and line.state == LineState.LINKED


def test_a_returned_payment_fails_the_expense_and_reverses_the_ledger():
    w = World()
    one = w.approve_fully(w.submit(amount=4_550))
    batch = w.batch(one)
    items = list(batch.items.select_related("expense"))
    expenses.import_statement(
        host=w.host, data=statement_for(items), origin=Origin(actor=w.officer)
    )
    back = [
        {
            "amount_cents": 4_550,
            "return_reason": "AC04",
            "bank_code": ("PMNT", "ICDT", "RRTN"),
            "details": [
                {
                    "amount_cents": 4_550,
                    "iban": PAYEE_IBAN,
                    "end_to_end_id": items[0].end_to_end_id,
                    "return_reason": "AC04",
                }
            ],
        }
    ]
    data = statement_for([], statement_id="ABN-2", opening=100_000 - 4_550, extra=back)
    result = expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    assert result.linked == 1
    one.refresh_from_db()
    assert one.state == ExpenseState.FAILED
    assert queries.books(w.initiative).left == 100_000
    expenses.retry(expense=one, origin=Origin(actor=w.officer))
    one.refresh_from_db()
    assert one.state == ExpenseState.APPROVED
    w.batch(one)  # a failed item no longer holds the expense


def test_a_payment_that_cannot_be_booked_goes_on_hold_and_the_rest_of_the_statement_is_paid():
    from buurtbasis.hosting import services
    from buurtbasis.hosting.models import GrantSource, LedgerEntry, TransactionKind

    w = World()
    other = services.record_grant(
        initiative=w.initiative,
        source=GrantSource.FUND,
        label="Buurtbudget 2026",
        amount_cents=10_000,
        date=datetime.date(2026, 3, 2),
        origin=Origin(actor=w.officer),
    )
    good = w.approve_fully(w.submit(amount=4_550))
    short = w.approve_fully(w.submit(amount=6_000, grant=other))
    batch = w.batch(good, short)
    # A booking written past the services (an old import, a repair in the database) took
    # money out of the second grant: its payment no longer fits the earmark.
    drained = LedgerTransaction.objects.create(
        date=datetime.date(2026, 3, 3),
        kind=TransactionKind.TRANSFER,
        description="Overboeking buiten de dienst om",
        host=w.host,
        initiative=w.initiative,
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                transaction=drained, account=services.earmark_account(other), amount_cents=-9_000
            ),
            LedgerEntry(
                transaction=drained, account=services.host_bank_account(w.host), amount_cents=9_000
            ),
        ]
    )
    data = statement_for(list(batch.items.select_related("expense")), opening=110_000)
    with translation.override("nl"):
        result = expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))

    assert (result.lines, result.linked, result.on_hold) == (2, 1, 1)
    good.refresh_from_db()
    short.refresh_from_db()
    assert good.state == ExpenseState.PAID and good.payment is not None
    assert short.state == ExpenseState.SCHEDULED and short.payment is None
    lines = {line.linked_id or line.proposed_id: line for line in BankLine.objects.all()}
    paid_line = lines[batch.items.get(expense=good).pk]
    held_line = lines[batch.items.get(expense=short).pk]
    assert paid_line.state == LineState.LINKED
    assert held_line.state == LineState.ON_HOLD and held_line.linked is None
    assert held_line.note == (
        "Deze regel kon niet worden geboekt: Er is niet genoeg geld over in Buurtbudget 2026."
    )
    # Nothing half: one payment in the ledger, one history row and audit event for it.
    assert LedgerTransaction.objects.filter(kind="expense").count() == 1
    assert not ExpenseEvent.objects.filter(expense=short, new_state=ExpenseState.PAID).exists()
    assert AuditEvent.objects.filter(action="hosting.expense_paid").count() == 1
    # The same statement again changes nothing; a person can still decide on the held line.
    again = expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    assert again.already_imported == 1 and again.lines == 0
    assert LedgerTransaction.objects.filter(kind="expense").count() == 1


def test_a_return_that_cannot_be_booked_goes_on_hold_and_the_other_payment_is_paid():
    from buurtbasis.hosting import services

    w = World()
    first = w.approve_fully(w.submit(amount=4_550))
    second = w.approve_fully(w.submit(amount=2_000))
    one = w.batch(first)
    expenses.import_statement(
        host=w.host,
        data=statement_for(list(one.items.select_related("expense"))),
        origin=Origin(actor=w.officer),
    )
    first.refresh_from_db()
    # The officer corrected the payment in the ledger by hand before the bank returned it.
    services.reverse(first.payment, "Dubbel geboekt", Origin(actor=w.officer))
    two = w.batch(second)
    item = one.items.get()
    back = [
        {
            "amount_cents": 4_550,
            "return_reason": "AC04",
            "bank_code": ("PMNT", "ICDT", "RRTN"),
            "details": [
                {
                    "amount_cents": 4_550,
                    "iban": PAYEE_IBAN,
                    "end_to_end_id": item.end_to_end_id,
                    "return_reason": "AC04",
                }
            ],
        }
    ]
    data = statement_for(
        list(two.items.select_related("expense")), statement_id="ABN-2", extra=back
    )
    with translation.override("nl"):
        result = expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    assert (result.linked, result.on_hold) == (1, 1)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.state == ExpenseState.PAID and first.state == ExpenseState.PAID
    held = BankLine.objects.get(statement__statement_id="ABN-2", state=LineState.ON_HOLD)
    assert held.proposed == item
    assert held.note == "Deze regel kon niet worden geboekt: Deze boeking is al gecorrigeerd."


def test_a_payment_and_its_return_in_one_statement_end_failed_whatever_their_order():
    w = World()
    one = w.approve_fully(w.submit(amount=4_550))
    batch = w.batch(one)
    item = batch.items.select_related("expense").get()
    back = {
        "amount_cents": 4_550,
        "return_reason": "AC04",
        "bank_code": ("PMNT", "ICDT", "RRTN"),
        "details": [
            {
                "amount_cents": 4_550,
                "iban": PAYEE_IBAN,
                "end_to_end_id": item.end_to_end_id,
                "return_reason": "AC04",
            }
        ],
    }
    paid = {
        "amount_cents": -4_550,
        "details": [
            {"amount_cents": -4_550, "iban": PAYEE_IBAN, "end_to_end_id": item.end_to_end_id}
        ],
    }
    data = statement_for([], extra=[back, paid])  # the return is listed first
    result = expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    assert (result.linked, result.on_hold) == (2, 0)
    one.refresh_from_db()
    assert one.state == ExpenseState.FAILED
    assert queries.books(w.initiative).left == 100_000
    assert LedgerTransaction.objects.filter(kind="expense").count() == 1
    assert LedgerTransaction.objects.filter(kind="reversal").count() == 1


def test_a_line_can_be_ignored_or_put_on_hold_with_a_reason():
    w = World()
    data = statement_for([], extra=[{"amount_cents": -150, "info": "Kosten"}])
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    line = BankLine.objects.get()
    with pytest.raises(expenses.HostingError):
        expenses.set_line_state(line=line, state="ignored", note="", origin=Origin(actor=w.officer))
    expenses.set_line_state(
        line=line, state="ignored", note="Bankkosten", origin=Origin(actor=w.officer)
    )
    line.refresh_from_db()
    assert line.state == LineState.IGNORED


def test_a_batch_for_execution_in_the_past_is_refused():
    w = World()
    one = w.approve_fully(w.submit())
    with pytest.raises(expenses.HostingError):
        w.batch(one, day=datetime.date(2020, 1, 1))
    one.refresh_from_db()
    assert one.state == ExpenseState.APPROVED


def test_a_batch_made_on_a_past_day_may_be_executed_from_that_day():
    """The demo replays a past year: ``today`` is the day the file is made."""
    w = World()
    one = w.approve_fully(w.submit())
    made = datetime.date(2026, 3, 3)
    with pytest.raises(expenses.HostingError):
        expenses.create_batch(
            host=w.host,
            expense_ids=[one.pk],
            execution_date=made - datetime.timedelta(days=1),
            origin=Origin(actor=w.officer),
            today=made,
        )
    batch = expenses.create_batch(
        host=w.host,
        expense_ids=[one.pk],
        execution_date=made,
        origin=Origin(actor=w.officer),
        today=made,
    )
    assert batch.execution_date == made and b"2026-03-03" in bytes(batch.xml)


# --- volunteer allowances ------------------------------------------------------------------------


def _allowance(w, person, amount, day=datetime.date(2026, 3, 5), hours=None):
    return w.submit(
        by=person,
        amount=amount,
        category="allowances",
        description="Vrijwilligersvergoeding maart",
        payee_name="Vrijwilliger",
        date=day,
        hours=hours,
    )


def test_allowances_count_across_initiatives_and_warn_before_the_month_goes_over():
    first, second = World(), World()
    volunteer = first.member
    second.initiative.members.add(volunteer)
    paid = first.approve_fully(_allowance(first, volunteer, 15_000))
    assert paid.volunteer == volunteer
    expenses.mark_paid_by_hand(expense=paid, reason="Contant", origin=Origin(actor=first.officer))
    proposed = _allowance(second, volunteer, 10_000)
    check = expenses.expense_allowance_check(proposed)
    assert check.exceeded and check.taxable
    assert check.month_total_cents == 25_000 and check.month_limit_cents == 22_000
    assert any("maart 2026" in line and "€ 30,00 te veel" in line for line in check.lines)
    assert "hele vergoeding belast" in check.taxable_text


def test_what_the_volunteer_declared_elsewhere_counts_too():
    w = World()
    volunteer = w.member
    with pytest.raises(expenses.HostingError):
        expenses.declare_allowance(
            year=2026, month=3, amount_cents=-5, origin=Origin(actor=volunteer)
        )
    expenses.declare_allowance(
        year=2026, month=3, amount_cents=20_000, origin=Origin(actor=volunteer)
    )
    proposed = _allowance(w, volunteer, 5_000)
    check = expenses.expense_allowance_check(proposed)
    assert check.exceeded and check.taxable
    assert check.month_total_cents == 25_000
    other = expenses.allowance_check(
        UserFactory(), day=datetime.date(2026, 3, 5), amount_cents=5_000
    )
    assert not other.exceeded  # declarations are per person


def test_an_ordinary_expense_has_no_allowance_check():
    w = World()
    assert expenses.expense_allowance_check(w.submit()) is None


def test_an_approved_expense_holds_its_money_against_other_spending():
    from buurtbasis.hosting import services

    w = World(grant_cents=100_000)
    expense = w.approve_fully(w.submit(amount=60_000))
    with pytest.raises(expenses.HostingError):
        services.record_expense(
            grant=w.grant,
            category="materials",
            amount_cents=50_000,
            date=datetime.date(2026, 3, 3),
            description="Iets anders",
            origin=Origin(actor=w.officer),
        )
    assert expenses.available_cents(w.grant) == 40_000
    expenses.mark_paid_by_hand(expense=expense, reason="Contant", origin=Origin(actor=w.officer))
    assert expenses.available_cents(w.grant) == 40_000


def test_export_shows_the_expenses_and_erasure_keeps_the_financial_records(tmp_path):
    from buurtbasis.platform import privacy

    w = World()
    submitted = w.submit()
    draft = w.submit(draft=True)
    expenses.declare_allowance(
        year=2026, month=2, amount_cents=1_000, origin=Origin(actor=w.member)
    )
    data = privacy.export_personal_data(w.member)["hosting_expenses"]
    assert {e["description"] for e in data["expenses"]} == {submitted.description}
    assert data["expenses"][0]["payee_iban"] == PAYEE_IBAN
    assert data["allowances_declared_elsewhere"][0]["amount_cents"] == 1_000
    draft_file = tmp_path / "private" / draft.receipt
    assert draft_file.exists()
    privacy.run_erasers(w.member)
    assert Expense.objects.filter(pk=submitted.pk).exists()  # a financial record stays
    assert not Expense.objects.filter(pk=draft.pk).exists()
    assert not draft_file.exists()


def test_a_batch_and_an_import_tell_the_submitters_after_commit(
    django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    w = World()
    one = w.approve_fully(w.submit(amount=4_550))
    before = Notification.objects.filter(recipient=w.member).count()
    with django_capture_on_commit_callbacks(execute=True):
        batch = w.batch(one)
    scheduled = Notification.objects.filter(recipient=w.member).order_by("pk")[before:]
    assert [n.title for n in scheduled] == [
        "Uitgave “Koffie en koek buurtfeest”: Klaar om te betalen"
    ]
    assert batch.batch_id in scheduled[0].text
    with django_capture_on_commit_callbacks(execute=True):
        expenses.import_statement(
            host=w.host,
            data=statement_for(list(batch.items.select_related("expense"))),
            origin=Origin(actor=w.officer),
        )
    assert Notification.objects.filter(recipient=w.member).latest("pk").title.endswith("Betaald")


# --- approving: who may, and what the money allows ---------------------------------------------


def test_a_finance_officer_who_is_a_member_cannot_approve_their_own_expense():
    w = World()
    w.initiative.members.add(w.officer)
    expense = w.submit(by=w.officer, amount=20_000)  # the treasurer, then one host approver
    expenses.approve(expense=expense, origin=Origin(actor=w.treasurer))
    with pytest.raises(expenses.HostingError) as caught:
        expenses.approve(expense=expense, origin=Origin(actor=w.officer))
    assert caught.value.code == "forbidden"
    expense.refresh_from_db()
    assert expense.state == ExpenseState.SUBMITTED
    expenses.approve(expense=expense, origin=Origin(actor=w.officer2))
    expense.refresh_from_db()
    assert expense.state == ExpenseState.APPROVED


def test_people_without_the_role_cannot_approve():
    w = World()
    expense = w.submit(amount=20_000)
    stranger = World().officer  # a finance officer of another host
    for person in (stranger, w.h.coordinator, UserFactory()):
        with pytest.raises(expenses.HostingError) as caught:
            expenses.approve(expense=expense, origin=Origin(actor=person))
        assert caught.value.code == "forbidden"
    expenses.approve(expense=expense, origin=Origin(actor=w.treasurer))
    for person in (stranger, w.h.coordinator, w.member):
        with pytest.raises(expenses.HostingError):
            expenses.approve(expense=expense, origin=Origin(actor=person))
    expense.refresh_from_db()
    assert expense.state == ExpenseState.SUBMITTED
    assert expense.approvals.count() == 1


def test_rejecting_an_approved_expense_frees_its_money():
    w = World()  # 1,000 euros
    first = w.approve_fully(w.submit(amount=80_000))
    assert first.state == ExpenseState.APPROVED
    second = w.submit(amount=30_000)  # 1,000 - 800 promised: 200 euros left
    expenses.approve(expense=second, origin=Origin(actor=w.treasurer))
    with pytest.raises(expenses.HostingError) as caught:
        expenses.approve(expense=second, origin=Origin(actor=w.officer))
    assert caught.value.code == "insufficient"
    expenses.reject(expense=first, reason="Dubbel ingediend", origin=Origin(actor=w.officer))
    expenses.approve(expense=second, origin=Origin(actor=w.officer))
    second.refresh_from_db()
    assert second.state == ExpenseState.APPROVED


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("payee_iban", "NL91 ABNA 0417 1643 01", "iban"),
        ("amount_cents", -100, "amount"),
        ("amount_cents", 0, "amount"),
        ("category", "host_fee", "category"),
        ("category", "transfer", "category"),
        ("date", datetime.date(2099, 1, 1), "date"),
        ("description", "  ", "description"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_stores_nothing(field, value, code):
    w = World()
    with pytest.raises(expenses.HostingError) as caught:
        w.submit(**{"amount": 1_000, field: value})
    assert caught.value.code == code
    assert caught.value.messages[0]
    if code == "iban":
        assert "controlegetallen" in caught.value.messages[0]
    assert not Expense.objects.exists()


# --- ending the agreement ----------------------------------------------------------------------


def test_an_agreement_does_not_end_while_approved_expenses_wait_for_payment():
    from buurtbasis.hosting import services

    w = World()
    expense = w.approve_fully(w.submit(amount=20_000))
    officer = Origin(actor=w.officer)  # money is left: the finance officer ends it

    def end():
        return services.end(
            agreement=w.h.agreement,
            reason="Het project is klaar",
            settle_to="teruggestort aan de gemeente",
            origin=officer,
        )

    with pytest.raises(expenses.HostingError) as caught:
        end()
    assert caught.value.code == "expenses_open"
    w.batch(expense)  # scheduled for payment: still waiting
    with pytest.raises(expenses.HostingError) as caught:
        end()
    assert caught.value.code == "expenses_open"
    expense.refresh_from_db()
    expenses.mark_paid_by_hand(expense=expense, reason="Contant", origin=Origin(actor=w.officer))
    agreement = end()
    assert agreement.state == "ended"
    assert queries.books(w.initiative).left == 0


def test_a_person_cannot_confirm_a_line_that_moved_another_amount():
    """A line proposed by IBAN and reference may move a different amount than the
    payment; confirming it booked the payment's amount, money the bank never moved."""
    w = World()
    one = w.approve_fully(w.submit(amount=4_550))
    batch = w.batch(one)
    item = batch.items.get()
    extra = [
        {
            "amount_cents": -4_000,
            "details": [
                {"amount_cents": -4_000, "iban": PAYEE_IBAN, "name": "Z. Celik"},
            ],
        }
    ]
    data = statement_for([], extra=extra)
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    line = BankLine.objects.get()
    with pytest.raises(expenses.HostingError) as caught:
        expenses.confirm_line(line=line, origin=Origin(actor=w.officer), item=item)
    assert caught.value.code == "amount"
    one.refresh_from_db()
    line.refresh_from_db()
    assert one.state == ExpenseState.SCHEDULED and line.state != LineState.LINKED
    assert LedgerTransaction.objects.filter(kind="expense").count() == 0
