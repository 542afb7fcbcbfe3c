"""Test data for expenses: receipts, a hosted initiative with a grant, statements."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting import expenses, services
from buurtbasis.hosting.models import Category, GrantSource
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin

from .factories import hosted

DAY = datetime.date(2026, 3, 2)
HOST_IBAN = "NL91ABNA0417164300"
PAYEE_IBAN = "NL44RABO0123456789"


def receipt_png(name="bon.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), (250, 250, 240)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def receipt_pdf(name="factuur.pdf") -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


class World:
    """A hosted initiative with a grant, a treasurer, a member and three host approvers."""

    def __init__(self, grant_cents=100_000, fee_basis_points=0):
        self.h = hosted(fee_basis_points=fee_basis_points)
        self.host = self.h.host
        self.initiative = self.h.initiative
        self.treasurer = self.h.initiator  # the initiator who accepted is the treasurer
        self.member = UserFactory()
        self.initiative.members.add(self.member)
        self.officer = self.h.officer
        self.officer2 = UserFactory(roles=[(Role.FINANCE_OFFICER, self.host)])
        self.officer3 = UserFactory(roles=[(Role.FINANCE_OFFICER, self.host)])
        self.grant = services.record_grant(
            initiative=self.initiative,
            source=GrantSource.FUND,
            label="Initiatievenfonds 2026",
            amount_cents=grant_cents,
            date=DAY,
            origin=Origin(actor=self.officer),
        )
        expenses.set_bank_account(
            host=self.host,
            name="Stichting Welzijn Verbindt",
            iban=HOST_IBAN,
            pain_version="001.001.09",
            origin=Origin(actor=self.officer),
        )

    def submit(self, amount=4_550, by=None, **kwargs):
        values = {
            "initiative": self.initiative,
            "grant": self.grant,
            "description": "Koffie en koek buurtfeest",
            "amount_cents": amount,
            "date": DAY,
            "category": Category.FOOD,
            "payee_name": "Zoë Çelik",
            "payee_iban": PAYEE_IBAN,
            "receipt": receipt_png(),
            "origin": Origin(actor=by or self.member),
        }
        values.update(kwargs)
        return expenses.submit_expense(**values)

    def approve_fully(self, expense):
        expenses.approve(expense=expense, origin=Origin(actor=self.treasurer))
        needed = self.h.agreement.approvers_needed(expense.amount_cents)
        for officer in [self.officer, self.officer2, self.officer3][:needed]:
            expenses.approve(expense=expense, origin=Origin(actor=officer))
        expense.refresh_from_db()
        return expense

    def batch(self, *items, day=None):
        return expenses.create_batch(
            host=self.host,
            expense_ids=[e.pk for e in items],
            execution_date=day or datetime.date.today(),
            origin=Origin(actor=self.officer),
        )


def statement_for(batch_items, *, statement_id="ABN-1", opening=100_000, iban=HOST_IBAN, extra=()):
    """A camt.053 of the host's account: the batch as one debit with one detail per payment
    (the demo's statement builder, which the demo year uses as well)."""
    from buurtbasis.portal.demo.expenses import statement_for as build

    return build(batch_items, statement_id=statement_id, iban=iban, opening=opening, extra=extra)
