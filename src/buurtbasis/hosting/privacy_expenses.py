"""Expenses and the AVG: what a person submitted, approved and received, and what erasure keeps.

Submitted expenses, their approvals and payments are financial records, kept for seven years
(fiscal retention); after the account is deleted they are no longer linked to the account.
The payee's name and IBAN on an expense, the payment file sent to the bank and the bank's
statement stay as they are (the note says so): they are what the bank and the tax
inspector check.
Erasure removes what is not a financial record: drafts that were never submitted (with their
proof of purchase) and what the person declared they received elsewhere as a volunteer.
"""

from __future__ import annotations

from typing import Any

from buurtbasis.platform import uploads

from .models_expenses import AllowanceDeclaration, Expense, ExpenseApproval, ExpenseState

RETENTION_NOTE = (
    "Submitted expenses, their approvals and payments are financial records and are kept for "
    "seven years (fiscal retention). After deleting your account they are no longer linked to "
    "it, but the payee's name and IBAN on an expense, the payment file sent to the bank and the "
    "bank statement stay as they are: the bank and the tax inspector check them."
)


def export_expenses(user) -> dict[str, Any]:
    submitted = Expense.objects.filter(submitted_by=user).select_related("initiative")
    return {
        "expenses": [
            {
                "initiative": e.initiative.name,
                "description": e.description,
                "amount_cents": e.amount_cents,
                "date": e.date,
                "state": e.state,
                "payee_name": e.payee_name,
                "payee_iban": e.payee_iban,
                "receipt_sha256": e.receipt_sha256,
            }
            for e in submitted
        ],
        "allowances_received": [
            {"date": e.date, "amount_cents": e.amount_cents, "state": e.state}
            for e in Expense.objects.filter(volunteer=user)
        ],
        "allowances_declared_elsewhere": [
            {"year": d.year, "month": d.month, "amount_cents": d.amount_cents}
            for d in AllowanceDeclaration.objects.filter(person=user)
        ],
        "approvals_given": [
            {"expense": a.expense.description, "stage": a.stage, "at": a.at}
            for a in ExpenseApproval.objects.filter(approver=user).select_related("expense")
        ],
        "retention": RETENTION_NOTE,
    }


def erase_expenses(user) -> None:
    AllowanceDeclaration.objects.filter(person=user).delete()
    for draft in Expense.objects.filter(submitted_by=user, state=ExpenseState.DRAFT):
        if draft.receipt:
            uploads.private_storage().delete(draft.receipt)
        draft.delete()
