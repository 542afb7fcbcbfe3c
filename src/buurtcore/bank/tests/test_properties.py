"""Property tests: generated statements written as camt.053 read back exactly."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtcore.bank import BankFileError, parse_camt053
from buurtcore.bank.writer import statement_xml

OWN_IBAN = "NL20INGB0001234567"

names = (
    st.one_of(
        st.sampled_from(["A & B", "<script>", "Zoë Çelik", "Ünal > Ödül", "'t Hoekje", "Ŧeşt 😀"]),
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co")),
            min_size=1,
            max_size=70,
        ),
    )
    .map(str.strip)
    .filter(bool)
)
ibans = st.from_regex(r"\A(NL[0-9]{2}[A-Z]{4}[0-9]{10}|BE[0-9]{14})\Z").filter(
    lambda s: s != OWN_IBAN
)
e2e = st.one_of(st.just("NOTPROVIDED"), st.from_regex(r"\A[A-Z0-9][A-Z0-9-]{0,34}\Z"))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
cents = st.integers(min_value=1, max_value=10**11)


@st.composite
def details(draw, sign: int, count: int):
    result = []
    for _ in range(count):
        result.append(
            {
                "amount_cents": sign * draw(cents),
                "iban": draw(st.none() | ibans),
                "name": draw(st.none() | names),
                "ultimate": draw(st.booleans()),
                "end_to_end_id": draw(st.none() | e2e),
                "ustrd": draw(st.lists(names, max_size=3)),
                "strd_ref": draw(st.none() | st.from_regex(r"\A[0-9]{16}\Z")),
                "return_reason": draw(st.none() | st.sampled_from(["AC04", "MD06", "AM04"])),
                "own_side": draw(st.booleans()),
            }
        )
    return result


@st.composite
def entries(draw):
    sign = draw(st.sampled_from([-1, 1]))
    count = draw(st.integers(min_value=0, max_value=4))
    dets = draw(details(sign, count))
    if dets:
        amount = sum(d["amount_cents"] for d in dets)
        if count == 1 and draw(st.booleans()):
            dets[0]["amount_cents"] = None  # the single detail takes the entry's amount
    else:
        amount = sign * draw(cents)
    booking = draw(days)
    return {
        "amount_cents": amount,
        "booking_date": booking.isoformat(),
        "value_date": draw(st.none() | st.just((booking + timedelta(days=1)).isoformat())),
        "datetime": draw(st.booleans()),
        "reversal": draw(st.booleans()),
        "status": draw(st.sampled_from(["BOOK", "BOOK", "BOOK", "PDNG"])),
        "batch": count > 1,
        "details": dets,
    }


@st.composite
def statements(draw):
    return [
        {
            "id": draw(st.from_regex(r"\A[A-Za-z0-9./-]{1,35}\Z")),
            "iban": OWN_IBAN,
            "opening_cents": draw(st.integers(min_value=-(10**11), max_value=10**11)),
            "opening_code": draw(st.sampled_from(["OPBD", "PRCD"])),
            "entries": draw(st.lists(entries(), max_size=8)),
        }
        for _ in range(draw(st.integers(min_value=1, max_value=3)))
    ]


def expected_counterparty(d: dict) -> tuple:
    return d["iban"], d["name"]


def expected_remittance(d: dict) -> tuple[str | None, bool]:
    if d["ustrd"]:
        return " ".join(d["ustrd"]), False
    if d["strd_ref"]:
        return d["strd_ref"], True
    return None, False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    generated=statements(),
    version=st.sampled_from(["02", "04", "06", "08", "10"]),
    amount_style=st.sampled_from(["2", "short"]),
    indent=st.booleans(),
)
def test_written_statements_read_back_exactly(generated, version, amount_style, indent):
    data = statement_xml(generated, version=version, amount_style=amount_style, indent=indent)
    result = parse_camt053(data)
    assert result.version == f"camt.053.001.{version}"
    assert result.warnings == ()
    assert len(result.statements) == len(generated)
    for want, got in zip(generated, result.statements, strict=True):
        assert got.id == want["id"]
        assert got.iban == OWN_IBAN
        assert got.opening_balance_cents == want["opening_cents"]
        booked = sum(e["amount_cents"] for e in want["entries"] if e["status"] == "BOOK")
        assert got.closing_balance_cents == want["opening_cents"] + booked
        assert got.balance_ok
        assert len(got.entries) == len(want["entries"])
        for we, ge in zip(want["entries"], got.entries, strict=True):
            assert ge.amount_cents == we["amount_cents"]
            assert ge.booking_date.isoformat() == we["booking_date"]
            assert (ge.value_date.isoformat() if ge.value_date else None) == we["value_date"]
            assert ge.reversal == we["reversal"]
            assert ge.status == we["status"]
            assert len(ge.details) == len(we["details"])
            if ge.details:
                assert sum(d.amount_cents for d in ge.details) == ge.amount_cents
            reasons = [d["return_reason"] for d in we["details"] if d["return_reason"]]
            assert ge.return_reason == (reasons[0] if reasons else None)
            for wd, gd in zip(we["details"], ge.details, strict=True):
                if wd["amount_cents"] is not None:
                    assert gd.amount_cents == wd["amount_cents"]
                assert (gd.counterparty_iban, gd.counterparty_name) == expected_counterparty(wd)
                want_e2e = None if wd["end_to_end_id"] == "NOTPROVIDED" else wd["end_to_end_id"]
                assert gd.end_to_end_id == want_e2e
                assert (gd.remittance, gd.remittance_structured) == expected_remittance(wd)
                assert gd.return_reason == wd["return_reason"]


@settings(max_examples=25, deadline=None)
@given(generated=statements(), off_by=st.integers(min_value=-(10**6), max_value=10**6))
def test_a_closing_balance_off_by_any_amount_is_flagged_and_nothing_else(generated, off_by):
    for s in generated:
        booked = sum(e["amount_cents"] for e in s["entries"] if e["status"] == "BOOK")
        s["closing_cents"] = s["opening_cents"] + booked + off_by
    result = parse_camt053(statement_xml(generated))
    assert all(s.balance_ok == (off_by == 0) for s in result.statements)
    assert len(result.warnings) == (len(generated) if off_by else 0)


@settings(max_examples=60, deadline=None)
@given(generated=statements(), cut=st.floats(min_value=0, max_value=1), data=st.data())
def test_damaged_files_give_a_bank_file_error_or_a_result_never_a_crash(generated, cut, data):
    xml = statement_xml(generated, version=data.draw(st.sampled_from(["02", "08"])))
    damaged = xml[: int(len(xml) * cut)]
    position = data.draw(st.integers(min_value=0, max_value=len(xml) - 1))
    flipped = xml[:position] + bytes([data.draw(st.integers(0, 255))]) + xml[position + 1 :]
    for candidate in (damaged, flipped):
        try:
            parse_camt053(candidate)
        except BankFileError as err:
            assert err.message and err.message_nl


@settings(max_examples=30, deadline=None)
@given(generated=statements(), versions=st.permutations(["02", "04", "08"]))
def test_fingerprints_are_unique_and_the_same_in_every_version(generated, versions):
    prints = []
    for version in versions[:2]:
        result = parse_camt053(statement_xml(generated, version=version))
        prints.append([e.fingerprint for s in result.statements for e in s.entries])
    assert prints[0] == prints[1]
    # Unique within a statement, also for identical entries.
    for s in parse_camt053(statement_xml(generated)).statements:
        fingerprints = [e.fingerprint for e in s.entries]
        assert len(set(fingerprints)) == len(fingerprints)
