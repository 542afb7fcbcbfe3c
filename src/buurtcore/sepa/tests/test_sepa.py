# ruff: noqa: E501  (expected messages are kept whole, on one line)
"""Tests of the SEPA package: character set, IBANs, pain.001 files and the CLI."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtcore.cli import main
from buurtcore.sepa import (
    EPC_ALLOWED,
    PAIN_VERSIONS,
    Batch,
    BatchError,
    Debtor,
    Payment,
    SchemaValidationError,
    batch_from_dict,
    check_iban,
    is_epc,
    read_pain001,
    to_epc,
    transfer_xml,
    write_pain001,
)
from buurtcore.sepa.iban import IbanError
from buurtcore.sepa.transfer import _schema_path

DATA = Path(__file__).parent / "data"
BATCH_FILE = DATA / "batch.json"
SRC = Path(__file__).resolve().parents[3]

# Valid IBANs of the Dutch banks (made-up account numbers) and two foreign ones.
IBANS = {
    "NL44RABO0123456789": ("RABONL2U", "RABOBANK"),
    "NL69INGB0123456789": ("INGBNL2A", "ING"),
    "NL23BUNQ0123456789": ("BUNQNL2A", "BUNQ"),
    "NL70TRIO0123456789": ("TRIONL2U", "TRIODOS BANK"),
    "NL57ASNB0123456789": ("ASNBNL21", "ASN BANK"),
    "NL12SNSB0123456789": ("SNSBNL2A", "SNS"),
    "NL68KNAB0123456789": ("KNABNL2H", "KNAB"),
    "NL32RBRB0123456789": ("RBRBNL21", "REGIOBANK"),
    "NL91ABNA0417164300": ("ABNANL2A", "ABN AMRO BANK N.V."),
}
FOREIGN = ["DE89370400440532013000", "BE68539007547034"]


def load_batch() -> dict:
    return json.loads(BATCH_FILE.read_text(encoding="utf-8"))


def schema_valid(xml: bytes, version: str) -> bool:
    """An independent validation: a fresh schema object from the bundled XSD."""
    schema = xmlschema.XMLSchema(str(_schema_path(f"pain.{version}")))
    return schema.is_valid(xml.decode("utf-8"))


# --------------------------------------------------------------------------- charset


def test_transliteration_examples():
    assert to_epc("Zoë Çelik") == "Zoe Celik"
    assert to_epc("Ömer Şahin-Öztürk") == "Omer Sahin-Ozturk"
    assert to_epc("Anaïs d’Hondt") == "Anais d'Hondt"
    assert to_epc("Ærøskøbing Straße") == "AEroskobing Strasse"
    assert to_epc("Łódź") == "Lodz"
    assert to_epc("Факт 12/2026 #3 & co") == "Fakt 12/2026 3 + co"
    assert to_epc("a\tb\n c") == "a b c"
    assert to_epc("😀") == ""


@given(st.text(max_size=200))
def test_transliteration_always_epc_and_idempotent(text):
    out = to_epc(text)
    assert set(out) <= EPC_ALLOWED
    assert out == out.strip() and "  " not in out
    assert to_epc(out) == out


@given(st.text(alphabet=sorted(EPC_ALLOWED - {" "}), min_size=1, max_size=50))
def test_epc_text_is_kept(text):
    assert to_epc(text) == text
    assert is_epc(text)


# --------------------------------------------------------------------------- IBAN


@pytest.mark.parametrize(("iban", "expected"), sorted(IBANS.items()))
def test_dutch_banks_known(iban, expected):
    info = check_iban(iban.lower())
    assert (info.bic, info.bank_name, info.country) == (*expected, "NL")
    assert info.formatted.replace(" ", "") == iban


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("NL91ABNA0417164301", "check digits"),
        ("NL91ABNA041716430", "wrong length"),
        ("ZZ91ABNA0417164300", "country code"),
        ("hello", "not built like an IBAN"),
        ("", "missing"),
        ("   ", "missing"),
        ("BR1500000000000010932840814P2", "outside the SEPA zone"),
    ],
)
def test_bad_ibans_have_specific_reasons(value, reason):
    with pytest.raises(IbanError) as exc:
        check_iban(value)
    assert reason in exc.value.message
    assert exc.value.message_nl and exc.value.message_nl != exc.value.message


def test_iban_registry_works_without_network():
    # A child process where every socket fails: the bank registry is inside the package.
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('no network in this test')\n"
        "socket.socket = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from buurtcore.sepa import check_iban\n"
        "i = check_iban('NL70TRIO0123456789'); print(i.bic, i.bank_name)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "TRIONL2U TRIODOS BANK"


# --------------------------------------------------------------------------- writing


@pytest.mark.parametrize("version", PAIN_VERSIONS)
def test_example_batch_validates_and_reads_back(version):
    data = load_batch()
    batch = batch_from_dict(data)
    xml = write_pain001(batch, version, created_at=datetime(2026, 12, 4, 9, 30))
    assert schema_valid(xml, version)
    parsed = read_pain001(xml)
    assert parsed["version"] == f"pain.{version}"
    assert parsed["msg_id"] == "UITBET-2026-0042"
    assert parsed["nb_of_txs"] == 3
    assert parsed["ctrl_sum_cents"] == 1250 + 48999 + 7 == batch.total_cents
    assert parsed["payment_infos"] == [
        {
            "id": "UITBET-2026-0042",
            "batch_booking": True,
            "execution_date": "2026-12-07",
            "nb_of_txs": 3,
            "ctrl_sum_cents": 50256,
        }
    ]
    assert parsed["debtor"] == {
        "name": "Stichting Welzijn Verbindt",
        "iban": "NL91ABNA0417164300",
        "bic": "ABNANL2A",  # derived from the IBAN
    }
    assert [
        (p["name"], p["iban"], p["amount_cents"], p["end_to_end_id"]) for p in parsed["payments"]
    ] == [
        ("Zoe Celik", "NL44RABO0123456789", 1250, "EXP-118"),
        ("Buurtvereniging De Pol", "NL69INGB0123456789", 48999, "EXP-119"),
        ("Jurgen Gross", "DE89370400440532013000", 7, "EXP-120"),
    ]
    assert parsed["payments"][0]["remittance"] == "Declaratie buurtfeest Assendorp - bon 118"
    assert parsed["payments"][2]["remittance"] == ""  # no empty RmtInf element
    assert b"<RmtInf><Ustrd></Ustrd>" not in xml
    assert {p["currency"] for p in parsed["payments"]} == {"EUR"}
    assert b"2026-12-04T09:30:00" in xml


def test_amounts_are_exact_decimals():
    data = load_batch()
    amounts = [1, 10, 99_999_999_999]
    for payment, amount in zip(data["payments"], amounts, strict=True):
        payment["amount_cents"] = amount
    xml = transfer_xml(data)
    assert b">0.01</InstdAmt>" in xml and b">0.10</InstdAmt>" in xml
    assert b">999999999.99</InstdAmt>" in xml
    assert b"<CtrlSum>1000000000.10</CtrlSum>" in xml
    assert read_pain001(xml)["ctrl_sum_cents"] == sum(amounts)


def test_structured_creditor_address_and_optional_bics():
    data = load_batch()
    data["debtor"]["bic"] = "ABNANL2A"
    data["payments"][2]["bic"] = "COBADEFFXXX"
    data["payments"][2]["address"] = {
        "street_name": "Domstraße",
        "building_number": "1a",
        "postcode": "50667",
        "town": "Köln",
        "country": "DE",
    }
    for version in PAIN_VERSIONS:
        xml = transfer_xml(data, version)
        assert schema_valid(xml, version)
        assert b"<StrtNm>Domstrasse</StrtNm>" in xml and b"<TwnNm>Koln</TwnNm>" in xml
        assert b"AdrLine" not in xml


def test_unknown_debtor_bic_is_notprovided():
    data = load_batch()
    data["debtor"]["iban"] = "BE68539007547034"
    for version in PAIN_VERSIONS:
        xml = transfer_xml(data, version)
        assert schema_valid(xml, version)
        assert read_pain001(xml)["debtor"]["bic"] in (None, "GKCCBEBB")


def test_schema_failure_is_an_error_not_a_file():
    # Bypass the checks: a name too long for pain.001.001.03's Max70Text.
    batch = Batch(
        debtor=Debtor(name="Host", iban="NL91ABNA0417164300"),
        execution_date=datetime(2026, 12, 7).date(),
        batch_id="B-1",
        payments=(
            Payment(name="x" * 200, iban="NL44RABO0123456789", amount_cents=5, end_to_end_id="E"),
        ),
    )
    with pytest.raises(SchemaValidationError):
        write_pain001(batch, "001.001.03")


def test_names_cut_at_70_remittance_refused_over_140():
    data = load_batch()
    data["payments"][0]["name"] = "Ö" * 100
    data["payments"][1]["remittance"] = "ß" * 71  # 142 characters once transliterated
    with pytest.raises(BatchError) as exc:
        batch_from_dict(data)
    assert len(exc.value.problems) == 1
    problem = exc.value.problems[0]
    assert problem.index == 1 and "142 characters" in problem.en and "EXP-119" in problem.text()
    data["payments"][1]["remittance"] = "ß" * 70  # exactly 140
    batch = batch_from_dict(data)
    assert batch.payments[0].name == "O" * 70
    assert len(batch.payments[1].remittance) == 140
    assert schema_valid(write_pain001(batch), "001.001.09")


# --------------------------------------------------------------------------- properties

NAME_CHARS = st.characters(
    codec="utf-8", categories=("L", "M", "N", "P", "Zs"), exclude_characters="\x00"
)


@st.composite
def batches(draw, max_payments=300):
    n = draw(st.integers(1, max_payments))
    payments = []
    for i in range(n):
        payments.append(
            {
                "name": draw(
                    st.text(NAME_CHARS, max_size=90).filter(lambda s: any(c.isalnum() for c in s))
                )
                + "a",
                "iban": draw(st.sampled_from(sorted(IBANS) + FOREIGN)),
                "amount_cents": draw(st.integers(1, 10**9)),
                "end_to_end_id": f"E2E-{i}",
                "remittance": draw(st.text(NAME_CHARS, max_size=60)),
            }
        )
    return {
        "debtor": {
            "name": draw(st.text(NAME_CHARS, max_size=40)) + "Host",
            "iban": "NL91ABNA0417164300",
        },
        "execution_date": "2026-12-07",
        "batch_id": "B-" + str(draw(st.integers(0, 10**9))),
        "payments": payments,
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batches(), st.sampled_from(PAIN_VERSIONS))
def test_random_batches_always_valid_and_exact(data, version):
    original = copy.deepcopy(data)
    xml = transfer_xml(data, version)
    assert data == original  # the input is not changed
    assert schema_valid(xml, version)
    parsed = read_pain001(xml)
    amounts = [p["amount_cents"] for p in original["payments"]]
    assert parsed["ctrl_sum_cents"] == sum(amounts)
    assert parsed["payment_infos"][0]["ctrl_sum_cents"] == sum(amounts)
    assert parsed["nb_of_txs"] == len(amounts)
    assert [p["amount_cents"] for p in parsed["payments"]] == amounts
    assert [p["end_to_end_id"] for p in parsed["payments"]] == [
        p["end_to_end_id"] for p in original["payments"]
    ]
    assert [p["iban"] for p in parsed["payments"]] == [p["iban"] for p in original["payments"]]
    for written, given_ in zip(parsed["payments"], original["payments"], strict=True):
        assert is_epc(written["name"]) and 1 <= len(written["name"]) <= 70
        assert written["name"] == to_epc(given_["name"])[:70].rstrip()
        assert written["remittance"] == to_epc(given_["remittance"])


@pytest.mark.slow
def test_2000_payments():
    data = load_batch()
    template = data["payments"][0]
    data["payments"] = [
        {**template, "end_to_end_id": f"EXP-{i:05d}", "amount_cents": 1 + i * 997}
        for i in range(2000)
    ]
    xml = transfer_xml(data)
    parsed = read_pain001(xml)
    assert parsed["nb_of_txs"] == 2000
    assert parsed["ctrl_sum_cents"] == sum(1 + i * 997 for i in range(2000))
    assert schema_valid(xml, "001.001.09")


# --------------------------------------------------------------------------- CLI


def run_cli(capsysbinary, *args):
    code = main(["sepa", *args])
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8")


@pytest.mark.parametrize("version", PAIN_VERSIONS)
def test_cli_writes_valid_xml(capsysbinary, version):
    code, out, err = run_cli(capsysbinary, "transfer", str(BATCH_FILE), "--pain", version)
    assert code == 0 and err == ""
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert schema_valid(out.strip(), version)
    assert read_pain001(out)["ctrl_sum_cents"] == 50256


def test_cli_default_is_09_and_reads_stdin(monkeypatch, capsysbinary):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BATCH_FILE.read_bytes())))
    code, out, _ = run_cli(capsysbinary, "transfer", "-")
    assert code == 0 and read_pain001(out)["version"] == "pain.001.001.09"


def refusal(tmp_path, capsysbinary, data, *extra):
    path = tmp_path / "batch.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    code, out, err = run_cli(capsysbinary, "transfer", str(path), *extra)
    assert code == 1
    assert out == b""
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["payments"][1].update(iban="NL69INGB0123456788"),
            "payments[1] ('Buurtvereniging De Pol', end-to-end id 'EXP-119'): NL69INGB0123456788 is not a valid IBAN",
        ),
        (
            lambda d: d["payments"][0].update(amount_cents=0),
            "payments[0] ('Zoë Çelik', end-to-end id 'EXP-118'): the amount must be more than 0 cents",
        ),
        (
            lambda d: d["payments"][2].update(amount_cents=-100),
            "payments[2] ('Jürgen Groß', end-to-end id 'EXP-120'): the amount must be more than 0",
        ),
        (
            lambda d: d["payments"][2].update(amount_cents=12.5),
            "payments[2] ('Jürgen Groß', end-to-end id 'EXP-120'): amount_cents must be a whole number of cents, not 12.5",
        ),
        (
            lambda d: d["payments"][2].update(amount_cents="12"),
            "amount_cents must be a whole number",
        ),
        (
            lambda d: d["payments"][2].update(amount_cents=True),
            "amount_cents must be a whole number",
        ),
        (lambda d: d["payments"][2].update(amount_cents=10**11), "above the SEPA maximum"),
        (
            lambda d: d["payments"][2].update(end_to_end_id="EXP-118"),
            "payments[2] ('Jürgen Groß', end-to-end id 'EXP-118'): the end-to-end id 'EXP-118' is also used by payments[0]",
        ),
        (lambda d: d["payments"][2].update(end_to_end_id="X" * 36), "the end_to_end_id 'XXXX"),
        (lambda d: d["payments"][2].update(end_to_end_id="a&b"), "the end_to_end_id 'a&b'"),
        (
            lambda d: d["payments"][2].pop("end_to_end_id"),
            "payments[2] ('Jürgen Groß'): the end_to_end_id is missing",
        ),
        (
            lambda d: d["payments"][0].update(name="  "),
            "payments[0] (end-to-end id 'EXP-118'): the payee name is missing",
        ),
        (lambda d: d["payments"][0].update(name="🎉"), "has no letters or digits a bank accepts"),
        (
            lambda d: d["payments"][0].update(remittance="x" * 141),
            "the remittance is 141 characters; at most 140",
        ),
        (
            lambda d: d["payments"][0].update(
                address={"lines": ["Dorpsstraat 1"], "country": "NL"}
            ),
            "only structured addresses",
        ),
        (lambda d: d["payments"][0].update(address={"town": "Zwolle"}), "two-letter country code"),
        (
            lambda d: d["payments"][0].update(
                address={"street_name": "Dorpsstraat", "country": "NL"}
            ),
            "at least a town and a country",
        ),
        (lambda d: d["payments"][0].update(bic="NOTABIC"), "'NOTABIC' is not a valid BIC"),
        (lambda d: d.__setitem__("payments", [1]), "payments[0]: a payment must be a JSON object"),
        (lambda d: d.__setitem__("payments", []), "payments must be a non-empty list"),
        (
            lambda d: d.__setitem__("execution_date", "7-12-2026"),
            "execution_date must be a date as YYYY-MM-DD",
        ),
        (lambda d: d.__setitem__("execution_date", "2026-02-30"), "execution_date must be a date"),
        (lambda d: d.__setitem__("batch_id", "/B1"), "the batch_id '/B1' must be"),
        (
            lambda d: d["debtor"].update(iban="NL91ABNA0417164301"),
            "debtor: NL91ABNA0417164301 is not a valid IBAN",
        ),
        (lambda d: d.pop("debtor"), "the debtor (name and iban of the paying account) is missing"),
    ],
)
def test_cli_refusals_name_the_payment(tmp_path, capsysbinary, change, expected):
    data = load_batch()
    change(data)
    err = refusal(tmp_path, capsysbinary, data)
    assert expected in err, err


def test_cli_lists_every_problem(tmp_path, capsysbinary):
    data = load_batch()
    data["payments"][0]["amount_cents"] = 0
    data["payments"][2]["iban"] = "DE00"
    err = refusal(tmp_path, capsysbinary, data)
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "payments[0]" in lines[0] and "payments[2]" in lines[1]


def test_cli_refusals_in_dutch(tmp_path, capsysbinary):
    data = load_batch()
    data["payments"][0]["amount_cents"] = -1
    path = tmp_path / "b.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code = main(["--lang", "nl", "sepa", "transfer", str(path)])
    out, err = capsysbinary.readouterr()
    assert code == 1 and out == b""
    assert (
        "payments[0] ('Zoë Çelik', end-to-end id 'EXP-118'): het bedrag moet groter zijn dan 0 cent"
        in err.decode()
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"debtor": ', "not valid JSON (line 1, column 12)"),
        ("[1, 2]", "the batch must be a JSON object"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_cli_broken_files(tmp_path, capsysbinary, content, expected):
    path = tmp_path / "b.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, out, err = run_cli(capsysbinary, "transfer", str(path))
    assert code == 1 and out == b"" and expected in err
    assert len(err.strip().splitlines()) == 1


def test_cli_missing_file(tmp_path, capsysbinary):
    code, out, err = run_cli(capsysbinary, "transfer", str(tmp_path / "nope.json"))
    assert code == 1 and out == b""
    assert "cannot read the file" in err and len(err.strip().splitlines()) == 1


def test_cli_usage_errors(capsysbinary):
    code, out, _ = run_cli(capsysbinary, "transfer", str(BATCH_FILE), "--pain", "001.001.02")
    assert code == 2 and out == b""


def test_cli_real_subprocess_exit_codes(tmp_path):
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    ok = subprocess.run(
        [sys.executable, "-m", "buurtcore", "sepa", "transfer", str(BATCH_FILE)],
        capture_output=True,
        env=env,
    )
    assert ok.returncode == 0 and schema_valid(ok.stdout.strip(), "001.001.09")
    bad = tmp_path / "bad.json"
    data = load_batch()
    data["payments"][1]["amount_cents"] = 0
    bad.write_text(json.dumps(data), encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, "-m", "buurtcore", "sepa", "transfer", str(bad)],
        capture_output=True,
        env=env,
    )
    assert refused.returncode == 1 and refused.stdout == b""
    assert b"payments[1]" in refused.stderr and b"Traceback" not in refused.stderr


def test_cli_iban(capsysbinary):
    code, out, err = run_cli(capsysbinary, "iban", "nl23 bunq 0123 4567 89", "NL23BUNQ0123456788")
    assert code == 1
    result = json.loads(out)
    assert result["ibans"][0] == {
        "input": "nl23 bunq 0123 4567 89",
        "valid": True,
        "iban": "NL23BUNQ0123456789",
        "formatted": "NL23 BUNQ 0123 4567 89",
        "country": "NL",
        "bic": "BUNQNL2A",
        "bank_name": "BUNQ",
    }
    assert result["ibans"][1]["valid"] is False and "check digits" in result["ibans"][1]["error"]
    assert "check digits" in err


def test_cli_module_is_light():
    from buurtcore.sepa import cli, transfer

    assert cli.PAIN_VERSIONS == transfer.PAIN_VERSIONS
    code = "import sys, buurtcore.sepa.cli; print(sorted(m for m in ('schwifty', 'sepaxml', 'xmlschema') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "[]"


def test_schema_errors_finds_nothing_in_a_written_file_and_names_a_broken_one():
    from buurtcore.sepa import schema_errors

    data = {
        "debtor": {"name": "Stichting Welzijn", "iban": "NL91ABNA0417164300"},
        "execution_date": "2026-12-07",
        "batch_id": "B1",
        "payments": [
            {
                "name": "Zoë Çelik",
                "iban": "NL44RABO0123456789",
                "amount_cents": 4550,
                "end_to_end_id": "E1",
                "remittance": "Koffie",
            }
        ],
    }
    for pain in PAIN_VERSIONS:
        xml = transfer_xml(data, pain)
        assert schema_errors(xml) == []
        broken = xml.replace(b"<EndToEndId>E1</EndToEndId>", b"")
        errors = schema_errors(broken)
        assert errors and "EndToEndId" in errors[0]
    with pytest.raises(ValueError, match="unknown pain version"):
        schema_errors(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.02"/>')
