"""Match bank lines to expected payments: end-to-end id, then IBAN and amount, then reference.

A pure function over plain values, so that the web app can run it inside its own transaction
and keep the decision (link, ask a person, ignore) to itself. Every line gets one result; a
payment is used by at most one line, apart from its return or reversal. The passes run in
order of strength, so a weaker rule never takes a payment that a stronger rule gives to
another line.

Confidence and reason codes:

========================  ==========  =====================================================
reason                    confidence  meaning
========================  ==========  =====================================================
``end_to_end_id``         1.0         same end-to-end id and the same amount
``return``                1.0         a return or reversal with the payment's end-to-end id
                                      (also when another line already paid that payment)
``end_to_end_id_amount``  0.5         same end-to-end id, another amount: a person checks
``iban_amount``           0.8         the only open payment to this IBAN of this amount
``iban_amount_several``   0.4         several open payments fit; the first is proposed
``reference_amount``      0.7         the payment's reference is in the remittance, same amount
``reference``             0.3         the reference is in the remittance, another amount
``none``                  0.0         nothing fits (payment None)
========================  ==========  =====================================================

Amounts are signed from the account's point of view: money out is negative, for the bank
line and for the expected payment alike. A caller links automatically at
``confidence >= CERTAIN`` and asks a person below that.

Examples
--------
>>> lines = [BankLine("L1", -4550, "NL44ASNB0708123456", end_to_end_id="BB-1"),
...          BankLine("L2", -1200, "NL22SNSB0912345678", remittance="Factuur 2026-17 flyers"),
...          BankLine("L3", 2500, "NL02RABO0123456789")]
>>> payments = [ExpectedPayment("P1", -4550, "NL44ASNB0708123456", end_to_end_id="BB-1"),
...             ExpectedPayment("P2", -1200, "NL99XXXX0000000000", reference="2026-17")]
>>> for m in match(lines, payments):
...     print(m.line.key, m.payment and m.payment.key, m.confidence, m.reason)
L1 P1 1.0 end_to_end_id
L2 P2 0.7 reference_amount
L3 None 0.0 none
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = ["CERTAIN", "BankLine", "ExpectedPayment", "Match", "lines_from", "match"]

#: From this confidence on, a match may be linked without asking a person.
CERTAIN = 0.9

_TOKEN = re.compile(r"[0-9A-Z]+")


@dataclass(frozen=True)
class BankLine:
    """One line of a statement: a transaction detail, or an entry without details."""

    key: Any
    amount_cents: int
    counterparty_iban: str | None = None
    counterparty_name: str | None = None
    end_to_end_id: str | None = None
    remittance: str | None = None
    return_reason: str | None = None
    reversal: bool = False


@dataclass(frozen=True)
class ExpectedPayment:
    """A payment the ledger expects to see on the bank account (money out negative)."""

    key: Any
    amount_cents: int
    iban: str | None = None
    end_to_end_id: str | None = None
    reference: str | None = None


class Match(NamedTuple):
    """The result for one line: ``(line, payment, confidence, reason)``."""

    line: BankLine
    payment: ExpectedPayment | None
    confidence: float
    reason: str


def _norm_id(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().upper()
    return None if not value or value == "NOTPROVIDED" else value


def _norm_iban(value: str | None) -> str | None:
    return value.replace(" ", "").upper() if value else None


def _tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text.upper()) if text else []


def lines_from(bank_file: Any) -> list[BankLine]:
    """Bank lines of a read file: one per transaction detail, one per entry without details.

    Only booked entries count. Keys are ``(statement index, entry index, detail index)``
    (detail index None for an entry without details).

    >>> from buurtcore.bank import parse_camt053
    >>> from buurtcore.bank.writer import example_statement_xml
    >>> read = parse_camt053(example_statement_xml())
    >>> [(line.key, line.amount_cents) for line in lines_from(read)]
    [((0, 0, 0), 2500), ((0, 1, 0), -10000), ((0, 1, 1), -5000), ((0, 2, None), 50)]
    """
    result: list[BankLine] = []
    for s, statement in enumerate(bank_file.statements):
        for e, entry in enumerate(statement.entries):
            if entry.status != "BOOK":
                continue
            if not entry.details:
                result.append(
                    BankLine(
                        (s, e, None),
                        entry.amount_cents,
                        remittance=entry.additional_info,
                        return_reason=entry.return_reason,
                        reversal=entry.reversal,
                    )
                )
                continue
            for d, detail in enumerate(entry.details):
                amount = detail.amount_cents
                result.append(
                    BankLine(
                        (s, e, d),
                        amount if amount is not None else entry.amount_cents,
                        detail.counterparty_iban,
                        detail.counterparty_name,
                        detail.end_to_end_id,
                        detail.remittance,
                        detail.return_reason or entry.return_reason,
                        entry.reversal,
                    )
                )
    return result


def match(lines: Sequence[BankLine], expected_payments: Iterable[ExpectedPayment]) -> list[Match]:
    """One :class:`Match` per line, in the order of ``lines`` (see the module docstring)."""
    payments = list(expected_payments)
    taken: set[int] = set()
    found: dict[int, tuple[int, float, str]] = {}

    # Pass 1: end-to-end id.
    by_e2e: dict[str, list[int]] = defaultdict(list)
    for p, payment in enumerate(payments):
        key = _norm_id(payment.end_to_end_id)
        if key:
            by_e2e[key].append(p)
    returns = []
    for n, line in enumerate(lines):
        key = _norm_id(line.end_to_end_id)
        if not key:
            continue
        if line.return_reason or line.reversal:
            returns.append((n, key))
            continue
        for p in by_e2e.get(key, ()):
            if p in taken:
                continue
            same = line.amount_cents == payments[p].amount_cents
            found[n] = (p, 1.0, "end_to_end_id") if same else (p, 0.5, "end_to_end_id_amount")
            taken.add(p)
            break
    # A return or reversal points at its payment even when another line already paid it.
    for n, key in returns:
        for p in by_e2e.get(key, ()):
            if abs(lines[n].amount_cents) == abs(payments[p].amount_cents):
                found[n] = (p, 1.0, "return")
            else:
                found[n] = (p, 0.5, "end_to_end_id_amount")
            taken.add(p)
            break

    # Pass 2: IBAN and amount, among the payments still open.
    by_iban: dict[tuple[str, int], list[int]] = defaultdict(list)
    for p, payment in enumerate(payments):
        iban = _norm_iban(payment.iban)
        if iban and p not in taken:
            by_iban[(iban, payment.amount_cents)].append(p)
    for n, line in enumerate(lines):
        iban = _norm_iban(line.counterparty_iban)
        if n in found or not iban or line.return_reason or line.reversal:
            continue
        open_ = [p for p in by_iban.get((iban, line.amount_cents), ()) if p not in taken]
        if open_:
            if len(open_) == 1:
                found[n] = (open_[0], 0.8, "iban_amount")
            else:
                found[n] = (open_[0], 0.4, "iban_amount_several")
            taken.add(open_[0])

    # Pass 3: the payment's reference in the remittance (as whole words, case-insensitive).
    by_first_token: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for p, payment in enumerate(payments):
        tokens = tuple(_tokens(payment.reference))
        if tokens and p not in taken:
            by_first_token[tokens[0]].append((p, tokens))
    for n, line in enumerate(lines):
        if n in found or line.return_reason or line.reversal:
            continue
        words = _tokens(line.remittance)
        best: tuple[int, float, str] | None = None
        for i, word in enumerate(words):
            for p, tokens in by_first_token.get(word, ()):
                if p in taken or tuple(words[i : i + len(tokens)]) != tokens:
                    continue
                if payments[p].amount_cents == line.amount_cents:
                    best = (p, 0.7, "reference_amount")
                    break
                if best is None:
                    best = (p, 0.3, "reference")
            if best is not None and best[1] == 0.7:
                break
        if best is not None:
            found[n] = best
            taken.add(best[0])

    result = []
    for n, line in enumerate(lines):
        if n in found:
            p, confidence, reason = found[n]
            result.append(Match(line, payments[p], confidence, reason))
        else:
            result.append(Match(line, None, 0.0, "none"))
    return result
