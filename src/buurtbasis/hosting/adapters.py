"""Ledger rows <-> the framework-free packages (``buurtcore``): the only module of
this app that imports them. IBAN checks and payout files (``buurtcore.sepa``),
bank-statement files and matching (``buurtcore.bank``) and the volunteer-allowance
limits (``buurtcore.allowances``) meet the ledger here.

Errors of those packages come with an English and a Dutch text; they leave this module
as :class:`AdapterError` with the text of the active language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import translation


class AdapterError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _dutch() -> bool:
    return (translation.get_language() or "nl").startswith("nl")


def _text(en: str, nl: str) -> str:
    return nl if _dutch() else en


# --- IBANs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedIban:
    iban: str
    bank_name: str
    formatted: str = ""


def check_iban(value: str) -> CheckedIban:
    """A payee IBAN, checked with the bank's name when known; AdapterError if unusable."""
    from buurtcore.sepa import IbanError
    from buurtcore.sepa import check_iban as core_check

    try:
        info = core_check(value or "")
    except IbanError as error:
        raise AdapterError(_text(error.message, error.message_nl)) from None
    return CheckedIban(info.iban, info.bank_name or "", info.formatted)


# --- Payout files -------------------------------------------------------------------------


@dataclass(frozen=True)
class Transfer:
    name: str
    iban: str
    amount_cents: int
    end_to_end_id: str
    remittance: str


def payout_file(
    *,
    debtor_name: str,
    debtor_iban: str,
    execution_date: datetime.date,
    batch_id: str,
    transfers: list[Transfer],
    pain: str,
) -> bytes:
    """The pain.001 XML, validated against its schema; AdapterError lists every problem."""
    from buurtcore.sepa import BatchError, SchemaValidationError, batch_from_dict, write_pain001

    data = {
        "debtor": {"name": debtor_name, "iban": debtor_iban},
        "execution_date": execution_date.isoformat(),
        "batch_id": batch_id,
        "payments": [
            {
                "name": t.name,
                "iban": t.iban,
                "amount_cents": t.amount_cents,
                "end_to_end_id": t.end_to_end_id,
                "remittance": t.remittance,
            }
            for t in transfers
        ],
    }
    lang = "nl" if _dutch() else "en"
    try:
        return write_pain001(batch_from_dict(data), pain)
    except BatchError as error:
        problems = []
        for problem in error.problems:
            body = problem.nl if lang == "nl" else problem.en
            if problem.index is not None:
                body = f"{transfers[problem.index].end_to_end_id}: {body}"
            problems.append(body)
        raise AdapterError(" ".join(problems)) from None
    except SchemaValidationError as error:  # a bug, never the user's input
        raise AdapterError(
            _text(f"The file does not validate: {error}", f"Het bestand is niet geldig: {error}")
        ) from None


def read_payout_file(xml: bytes) -> dict:
    from buurtcore.sepa import read_pain001

    return read_pain001(xml)


# --- Bank statements ----------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    fingerprint: str
    detail_index: int
    booking_date: datetime.date | None
    amount_cents: int
    counterparty_iban: str
    counterparty_name: str
    end_to_end_id: str
    remittance: str
    return_reason: str
    reversal: bool


@dataclass(frozen=True)
class ReadStatement:
    id: str
    iban: str
    currency: str
    opening_balance_cents: int
    closing_balance_cents: int
    closing_date: datetime.date | None
    balance_ok: bool
    lines: list[StatementLine]


def read_statements(data: bytes) -> list[ReadStatement]:
    """The statements of a CAMT.053 file, booked lines only; AdapterError if unreadable."""
    from buurtcore.bank import BankFileError, parse_camt053

    try:
        bank_file = parse_camt053(data)
    except BankFileError as error:
        raise AdapterError(_text(error.message, error.message_nl)) from None
    result = []
    for statement in bank_file.statements:
        lines = []
        for entry in statement.entries:
            if entry.status != "BOOK":
                continue
            details = entry.details or (None,)
            for index, detail in enumerate(details):
                amount = entry.amount_cents
                if detail is not None and detail.amount_cents is not None:
                    amount = detail.amount_cents
                lines.append(
                    StatementLine(
                        fingerprint=entry.fingerprint,
                        detail_index=index if detail is not None else -1,
                        booking_date=entry.booking_date,
                        amount_cents=amount,
                        counterparty_iban=(detail.counterparty_iban or "") if detail else "",
                        counterparty_name=((detail.counterparty_name or "") if detail else "")[
                            :140
                        ],
                        end_to_end_id=((detail.end_to_end_id or "") if detail else "")[:35],
                        remittance=((detail.remittance if detail else entry.additional_info) or ""),
                        return_reason=(
                            (detail.return_reason if detail else None) or entry.return_reason or ""
                        )[:8],
                        reversal=entry.reversal,
                    )
                )
        balance_ok = (
            statement.opening_balance_cents
            + sum(e.amount_cents for e in statement.entries if e.status == "BOOK")
            == statement.closing_balance_cents
        )
        result.append(
            ReadStatement(
                id=statement.id,
                iban=(statement.iban or statement.account_id or "").replace(" ", "").upper(),
                currency=statement.currency,
                opening_balance_cents=statement.opening_balance_cents,
                closing_balance_cents=statement.closing_balance_cents,
                closing_date=statement.closing_balance_date,
                balance_ok=balance_ok,
                lines=lines,
            )
        )
    return result


@dataclass(frozen=True)
class Proposal:
    line_key: object
    payment_key: object | None
    confidence: float
    reason: str
    certain: bool


def match_lines(lines: list[tuple], payments: list[tuple]) -> list[Proposal]:
    """Match bank lines to expected payments (both signed: money out negative).

    ``lines``: ``(key, amount_cents, iban, name, end_to_end_id, remittance, return_reason,
    reversal)``; ``payments``: ``(key, amount_cents, iban, end_to_end_id, reference)``.
    """
    from buurtcore.bank.matching import CERTAIN, BankLine, ExpectedPayment, match

    bank_lines = [
        BankLine(k, a, i or None, n or None, e or None, r or None, rr or None, rev)
        for k, a, i, n, e, r, rr, rev in lines
    ]
    expected = [
        ExpectedPayment(k, a, i or None, e or None, ref or None) for k, a, i, e, ref in payments
    ]
    return [
        Proposal(
            m.line.key,
            m.payment.key if m.payment else None,
            m.confidence,
            m.reason,
            m.confidence >= CERTAIN,
        )
        for m in match(bank_lines, expected)
    ]


# --- Volunteer allowances -----------------------------------------------------------------


@dataclass(frozen=True)
class AllowanceWarning:
    exceeded: bool
    taxable: bool
    lines: list[str]
    taxable_text: str
    month_total_cents: int
    month_limit_cents: int
    year_total_cents: int
    year_limit_cents: int
    #: The hour check in words (the rate used, for 21 and older or under 21, and whether
    #: the age was known), also when it is not exceeded; empty when the hours are unknown.
    hour_text: str = ""


def check_allowance(
    *,
    paid: list[tuple[datetime.date, int]],
    declared: list[tuple[datetime.date, int]],
    day: datetime.date,
    amount_cents: int,
    hours=None,
    age: int | None = None,
) -> AllowanceWarning:
    """The three legal limits at once for a proposed allowance; AdapterError if unusable.

    ``age`` is the volunteer's age on ``day`` (the lower hour rate under 21); unknown, the
    rate for 21 and older is used and the hour warning says so.
    """
    from buurtcore.allowances import (
        AllowanceError,
        AllowancePayment,
        DeclaredAmount,
    )
    from buurtcore.allowances import check_allowance as core_check
    from buurtcore.allowances.check import TAXABLE_EN, TAXABLE_NL

    try:
        result = core_check(
            [AllowancePayment(d, a) for d, a in paid],
            AllowancePayment(day, amount_cents, hours=hours, age=age),
            declared=[DeclaredAmount(d, a) for d, a in declared],
        )
    except AllowanceError as error:
        raise AdapterError(_text(error.message, error.message_nl)) from None
    lines = [
        _text(c.explanation_en, c.explanation_nl) for c in result.checks if c.applies and c.exceeded
    ]
    hour = next((c for c in result.checks if c.limit == "hour" and c.applies), None)
    return AllowanceWarning(
        hour_text=_text(hour.explanation_en, hour.explanation_nl) if hour else "",
        exceeded=result.exceeded,
        taxable=result.taxable,
        lines=lines,
        taxable_text=_text(TAXABLE_EN, TAXABLE_NL),
        month_total_cents=result.month.total_cents,
        month_limit_cents=result.month.limit_cents,
        year_total_cents=result.year.total_cents,
        year_limit_cents=result.year.limit_cents,
    )
