"""Matching bank lines to expected payments."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from buurtcore.bank import read_camt053
from buurtcore.bank.matching import CERTAIN, BankLine, ExpectedPayment, lines_from, match

DATA = Path(__file__).parent / "data"


def results(lines, payments):
    return [
        (m.line.key, m.payment and m.payment.key, m.confidence, m.reason)
        for m in match(lines, payments)
    ]


def test_the_ing_statement_marks_the_batch_paid_and_finds_the_return():
    lines = lines_from(read_camt053(DATA / "ing_camt053_02_batch.xml"))
    payments = [
        ExpectedPayment("claim-17", -4550, "NL44ASNB0708123456", "BB-2026-0001"),
        ExpectedPayment("invoice-412", -12000, "NL22SNSB0912345678", "BB-2026-0002"),
        ExpectedPayment("claim-19", -995, "NL27KNAB0255566677", "BB-2026-0003"),
        ExpectedPayment("grant-14", 25000, "NL57RABO0111222333", reference="plan 14"),
    ]
    by_key = {m.line.key: m for m in match(lines, payments)}
    assert by_key[(0, 1, 0)].payment.key == "claim-17"
    assert by_key[(0, 1, 1)].payment.key == "invoice-412"
    assert by_key[(0, 1, 2)][2:] == (1.0, "end_to_end_id")
    # The return of claim 19 on the same statement points at the payment the batch paid.
    assert by_key[(0, 2, 0)][1:] == (payments[2], 1.0, "return")
    # The subsidy has no end-to-end id of ours: IBAN and amount find it.
    assert by_key[(0, 0, 0)][1:] == (payments[3], 0.8, "iban_amount")
    assert by_key[(0, 3, None)].reason == "none"  # bank costs


def test_a_return_is_matched_to_its_payment_when_the_payment_is_still_open():
    lines = [BankLine("ret", 995, "NL27KNAB0255566677", end_to_end_id="BB-3", return_reason="AC04")]
    payments = [ExpectedPayment("claim-19", -995, "NL27KNAB0255566677", "BB-3")]
    assert results(lines, payments) == [("ret", "claim-19", 1.0, "return")]


def test_end_to_end_id_beats_iban_and_amount_and_is_case_insensitive():
    lines = [
        BankLine("a", -500, "NL44ASNB0708123456"),
        BankLine("b", -500, "NL44ASNB0708123456", end_to_end_id="bb-2"),
    ]
    payments = [
        ExpectedPayment("p1", -500, "NL44ASNB0708123456", "BB-1"),
        ExpectedPayment("p2", -500, "NL44 ASNB 0708 1234 56", "BB-2"),
    ]
    assert results(lines, payments) == [
        ("a", "p1", 0.8, "iban_amount"),
        ("b", "p2", 1.0, "end_to_end_id"),
    ]


def test_unsure_cases_stay_below_certain():
    lines = [
        BankLine("amount", -510, "NL44ASNB0708123456", end_to_end_id="BB-1"),
        BankLine("several", -700, "NL22SNSB0912345678"),
        BankLine("ref", -900, None, remittance="betaling Factuur 2026-17 rest"),
        BankLine("notprovided", -100, end_to_end_id="NOTPROVIDED"),
    ]
    payments = [
        ExpectedPayment("p1", -500, "NL44ASNB0708123456", "BB-1"),
        ExpectedPayment("p2", -700, "NL22SNSB0912345678"),
        ExpectedPayment("p3", -700, "NL22SNSB0912345678"),
        ExpectedPayment("p4", -1000, reference="factuur 2026-17"),
        ExpectedPayment("p5", -100, end_to_end_id="NOTPROVIDED"),
    ]
    out = results(lines, payments)
    assert out == [
        ("amount", "p1", 0.5, "end_to_end_id_amount"),
        ("several", "p2", 0.4, "iban_amount_several"),
        ("ref", "p4", 0.3, "reference"),
        ("notprovided", None, 0.0, "none"),
    ]
    assert all(confidence < CERTAIN for _, _, confidence, _ in out)


def test_a_reference_must_be_whole_words():
    lines = [BankLine("l", -100, remittance="Factuur 2026-170")]
    assert results(lines, [ExpectedPayment("p", -100, reference="2026-17")])[0][1] is None


lines_strategy = st.lists(
    st.builds(
        BankLine,
        key=st.uuids(),
        amount_cents=st.integers(-5000, 5000).filter(bool),
        counterparty_iban=st.sampled_from([None, "NL44ASNB0708123456", "NL22SNSB0912345678"]),
        end_to_end_id=st.none() | st.sampled_from(["E1", "E2", "E3", "NOTPROVIDED"]),
        remittance=st.none() | st.sampled_from(["ref R1", "R2 and R1", "nothing"]),
    ),
    max_size=20,
)


@settings(max_examples=80, deadline=None)
@given(lines=lines_strategy, data=st.data())
def test_every_line_gets_one_result_and_no_payment_is_used_twice(lines, data):
    payments = data.draw(
        st.lists(
            st.builds(
                ExpectedPayment,
                key=st.uuids(),
                amount_cents=st.integers(-5000, 5000).filter(bool),
                iban=st.sampled_from([None, "NL44ASNB0708123456", "NL22SNSB0912345678"]),
                end_to_end_id=st.none() | st.sampled_from(["E1", "E2", "E3"]),
                reference=st.none() | st.sampled_from(["R1", "R2"]),
            ),
            max_size=20,
        )
    )
    out = match(lines, payments)
    assert [m.line for m in out] == list(lines)
    used = [m.payment.key for m in out if m.payment is not None and m.reason != "return"]
    assert len(used) == len(set(used))
    for m in out:
        assert (m.payment is None) == (m.reason == "none") == (m.confidence == 0.0)


@settings(max_examples=60, deadline=None)
@given(lines=lines_strategy, data=st.data())
def test_payments_made_from_lines_with_unique_ids_all_match_certainly(lines, data):
    unique = [
        BankLine(n, line.amount_cents, end_to_end_id=f"ID-{n}") for n, line in enumerate(lines)
    ]
    payments = [
        ExpectedPayment(f"p{n}", line.amount_cents, None, f"id-{n}")
        for n, line in enumerate(unique)
    ]
    shuffled = data.draw(st.permutations(payments))
    out = match(unique, shuffled)
    assert [(m.payment.key, m.confidence) for m in out] == [
        (f"p{n}", 1.0) for n in range(len(unique))
    ]
