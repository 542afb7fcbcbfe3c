"""Reading statement files shaped like the exports of Dutch banks (written for these tests)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from buurtcore.bank import parse_camt053, read_camt053

DATA = Path(__file__).parent / "data"
GOOD = sorted(p for p in DATA.glob("*.xml") if not p.name.startswith("broken_"))


def one(name: str):
    return read_camt053(DATA / name)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_every_bank_file_reads_and_its_balances_add_up(path):
    result = read_camt053(path)
    assert result.statements
    assert result.warnings == ()
    for statement in result.statements:
        assert statement.balance_ok
        booked = sum(e.amount_cents for e in statement.entries if e.status == "BOOK")
        assert statement.opening_balance_cents + booked == statement.closing_balance_cents
        for entry in statement.entries:
            # Details of an entry never add up to more than the entry.
            amounts = [d.amount_cents for d in entry.details if d.amount_cents is not None]
            if amounts and len(amounts) == len(entry.details):
                assert sum(amounts) == entry.amount_cents


def test_the_version_comes_from_the_namespace():
    assert one("ing_camt053_02_batch.xml").version == "camt.053.001.02"
    assert one("abnamro_camt053_04_structured.xml").version == "camt.053.001.04"
    assert one("bunq_camt053_08.xml").version == "camt.053.001.08"


def test_ing_batch_entry_has_one_detail_per_payment_and_a_return_with_its_reason():
    (statement,) = one("ing_camt053_02_batch.xml").statements
    assert statement.iban == "NL20INGB0001234567"
    assert statement.currency == "EUR"
    assert (statement.opening_balance_cents, statement.closing_balance_cents) == (
        1234567,
        1243242,
    )
    assert statement.electronic_sequence_number == "331"
    subsidy, batch, returned, costs, donation = statement.entries

    assert subsidy.amount_cents == 25000
    assert subsidy.bank_transaction_code == "PMNT-RCDT-ESCT"
    (detail,) = subsidy.details
    assert detail.counterparty_iban == "NL57RABO0111222333"
    assert detail.counterparty_name == "Gemeente Voorbeeldstad"
    assert detail.end_to_end_id == "GEM-2026-000914"

    assert batch.amount_cents == -17545
    assert [d.amount_cents for d in batch.details] == [-4550, -12000, -995]
    assert [d.end_to_end_id for d in batch.details] == [
        "BB-2026-0001",
        "BB-2026-0002",
        "BB-2026-0003",
    ]
    assert batch.details[2].counterparty_name == "Zoë Çelik"
    assert batch.details[1].remittance == "Factuur 2026-0412 flyers"

    # The return of BB-2026-0003: a credit whose parties are still those of the original
    # payment. The counterparty is the payee, not our own account.
    assert returned.amount_cents == 995
    assert returned.return_reason == "AC04"
    assert returned.reversal is False
    (detail,) = returned.details
    assert detail.return_reason == "AC04"
    assert detail.counterparty_iban == "NL27KNAB0255566677"
    assert detail.end_to_end_id == "BB-2026-0003"

    assert costs.amount_cents == -1275
    assert costs.details == ()
    assert costs.additional_info == "Kosten zakelijk betalingsverkeer november"

    (detail,) = donation.details
    assert detail.end_to_end_id is None  # NOTPROVIDED
    assert detail.counterparty_name == "P. Jansen & A. Bakker"
    assert detail.remittance == "Donatie voor de moestuin"


def test_rabobank_file_with_several_statements_a_refund_md06_and_a_reversal():
    result = one("rabobank_camt053_02_multi.xml")
    assert [s.id for s in result.statements] == [
        "NL30RABO0301234567-EUR-2026-11-25",
        "NL30RABO0301234567-EUR-2026-11-26",
        "NL57RABO0111222333-EUR-2026-11-26",
    ]
    first, second, savings = result.statements
    # PRCD (previously closed booked) is the opening balance.
    assert first.opening_balance_cents == 50000
    assert second.opening_balance_cents == first.closing_balance_cents == 51200
    assert savings.entries == ()
    collected, refund, reversal = first.entries
    assert refund.amount_cents == -3000
    assert refund.return_reason == "MD06"
    # A refund of our direct debit: the debtor is the member, the creditor our own account.
    assert refund.details[0].counterparty_iban == "NL49RABO0155443322"
    assert refund.details[0].counterparty_name == "H. Öztürk"
    assert reversal.reversal is True
    assert reversal.amount_cents == 1200
    assert reversal.value_date == date(2026, 11, 24)
    assert reversal.details[0].counterparty_name == "Webwinkel Groen"
    assert second.entries[0].details[0].remittance == "Huur zaal 21 november kenmerk HA-2026-311"


def test_abn_amro_structured_remittance_negative_opening_and_pending_entry():
    (statement,) = one("abnamro_camt053_04_structured.xml").statements
    assert statement.opening_balance_cents == -4010
    grant, payment, pending = statement.entries
    assert grant.details[0].remittance == "7001234567890123"
    assert grant.details[0].remittance_structured is True
    # Only the ultimate creditor has a name.
    assert payment.details[0].counterparty_name == "Speeltuinvereniging De Wip"
    assert payment.details[0].counterparty_iban == "DE89370400440532013000"
    assert pending.status == "PDNG"
    assert statement.booked_total_cents == 125000 - 5000


def test_bunq_has_no_value_dates_and_booking_times_become_dates():
    (statement,) = one("bunq_camt053_08.xml").statements
    assert all(e.value_date is None for e in statement.entries)
    assert [e.booking_date for e in statement.entries] == [
        date(2026, 11, 3),
        date(2026, 11, 8),
        date(2026, 11, 30),
    ]
    assert [e.status for e in statement.entries] == ["BOOK", "BOOK", "PDNG"]
    donation, payment, _ = statement.entries
    assert donation.details[0].counterparty_name == "Noor <&> Visser"
    assert donation.details[0].remittance == "Startbedrag moestuin 🌱"
    assert payment.details[0].counterparty_iban == "BE68539007547034"
    assert payment.details[0].counterparty_name == "Tuincentrum 't Groentje"


def test_triodos_latin1_file_detail_without_amount_takes_the_entry_amount():
    (statement,) = one("triodos_camt053_04_nodetails.xml").statements
    assert statement.currency == "EUR"  # no Acct/Ccy: taken from the balance
    assert statement.opening_balance_cents == 31050  # "310.5"
    payment, costs = statement.entries
    (detail,) = payment.details
    assert detail.amount_cents == -1750
    assert detail.counterparty_iban == "NL44ASNB0708123456"  # spaces removed
    assert detail.counterparty_name == "Café De Buurvrouw"
    assert detail.remittance == "Koffie vrijwilligersavond café"
    assert costs.details == ()
    assert costs.bank_transaction_code == "KOSTEN"


def test_a_fingerprint_changes_with_its_entry_only():
    source = (DATA / "ing_camt053_02_batch.xml").read_bytes()
    before = parse_camt053(source).statements[0].entries
    after = parse_camt053(source.replace(b"Factuur 2026-0412 flyers", b"Factuur 2026-0413"))
    same = [
        a.fingerprint == b.fingerprint
        for a, b in zip(before, after.statements[0].entries, strict=True)
    ]
    assert same == [True, False, True, True, True]
