"""`buurtbasis bank read FILE --json`: the JSON contract, stderr messages, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from buurtcore.cli import main

DATA = Path(__file__).parent / "data"
SRC = Path(__file__).resolve().parents[3]
ING = DATA / "ing_camt053_02_batch.xml"

STATEMENT_KEYS = {
    "id",
    "iban",
    "currency",
    "opening_balance_cents",
    "closing_balance_cents",
    "entries",
}
ENTRY_KEYS = {"amount_cents", "booking_date", "value_date", "reversal", "details"}
DETAIL_KEYS = {
    "amount_cents",
    "counterparty_iban",
    "counterparty_name",
    "end_to_end_id",
    "remittance",
}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def cli(*argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "buurtcore", *argv],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_json_has_the_contract_shape_key_by_key(capsys):
    code, out, err = run(capsys, "bank", "read", ING, "--json")
    assert code == 0, err
    assert err == ""
    data = json.loads(out)
    assert set(data) >= {"statements"}
    (statement,) = data["statements"]
    assert set(statement) >= STATEMENT_KEYS
    assert statement["id"] == "C53D20261127T0512049876NL20INGB0001234567"
    assert statement["iban"] == "NL20INGB0001234567"
    assert statement["currency"] == "EUR"
    assert statement["opening_balance_cents"] == 1234567
    assert statement["closing_balance_cents"] == 1243242
    assert statement["balance_ok"] is True
    for entry in statement["entries"]:
        assert set(entry) >= ENTRY_KEYS
        assert isinstance(entry["amount_cents"], int)
        assert isinstance(entry["reversal"], bool)
        assert isinstance(entry["details"], list)
        for detail in entry["details"]:
            assert set(detail) >= DETAIL_KEYS
    subsidy, batch, returned, costs, donation = statement["entries"]
    assert subsidy == {
        **subsidy,
        "amount_cents": 25000,
        "booking_date": "2026-11-27",
        "value_date": "2026-11-27",
        "reversal": False,
    }
    assert subsidy["details"][0] == {
        **subsidy["details"][0],
        "amount_cents": 25000,
        "counterparty_iban": "NL57RABO0111222333",
        "counterparty_name": "Gemeente Voorbeeldstad",
        "end_to_end_id": "GEM-2026-000914",
        "remittance": "Subsidie buurtbudget 2026 plan 14",
    }
    assert batch["amount_cents"] == -17545
    assert [d["amount_cents"] for d in batch["details"]] == [-4550, -12000, -995]
    assert returned["return_reason"] == "AC04"
    assert costs["details"] == []
    assert donation["details"][0]["end_to_end_id"] is None


def test_dates_are_iso_strings_and_a_missing_value_date_is_null(capsys):
    code, out, _ = run(capsys, "bank", "read", DATA / "bunq_camt053_08.xml")
    assert code == 0
    entries = json.loads(out)["statements"][0]["entries"]
    assert [e["booking_date"] for e in entries] == ["2026-11-03", "2026-11-08", "2026-11-30"]
    assert all(e["value_date"] is None for e in entries)


def test_several_statements(capsys):
    code, out, _ = run(capsys, "bank", "read", DATA / "rabobank_camt053_02_multi.xml", "--json")
    assert code == 0
    data = json.loads(out)
    assert [s["closing_balance_cents"] for s in data["statements"]] == [51200, 41200, 200000]
    assert data["version"] == "camt.053.001.02"


def test_a_balance_mismatch_is_a_warning_on_stderr_with_exit_0(capsys, tmp_path):
    path = tmp_path / "mismatch.xml"
    path.write_bytes(ING.read_bytes().replace(b"12432.42", b"12400.00", 1))
    code, out, err = run(capsys, "bank", "read", path, "--lang", "nl")
    assert code == 0
    assert json.loads(out)["statements"][0]["balance_ok"] is False
    assert err.count("\n") == 1
    assert "waarschuwing" in err and "eindsaldo" in err and "-32,42" in err


@pytest.mark.parametrize(
    "name",
    [
        "broken_mt940.sta",
        "broken_login_page.html",
        "broken_camt052.xml",
        "broken_pain001.xml",
        "broken_entity_expansion.xml",
        "broken_truncated.xml",
    ],
)
def test_unreadable_files_exit_1_with_one_line_in_english_or_dutch(capsys, name):
    path = DATA / name
    code, out, err = run(capsys, "bank", "read", path, "--json")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith(f"{path}: ")
    code, out, err_nl = run(capsys, "bank", "read", path, "--lang", "nl")
    assert (code, out) == (1, "")
    assert err_nl.count("\n") == 1 and err_nl != err


def test_missing_file_folder_and_usage(capsys, tmp_path):
    code, out, err = run(capsys, "bank", "read", tmp_path / "nope.xml")
    assert (code, out) == (1, "") and "no such file" in err
    code, out, err = run(capsys, "bank", "read", tmp_path)
    assert (code, out) == (1, "") and "folder" in err
    code, _, _ = run(capsys, "bank", "read")
    assert code == 2
    code, _, _ = run(capsys, "bank")
    assert code == 2


def test_stdin_and_no_traceback_in_a_real_process():
    ok = cli("bank", "read", "-", "--json", stdin=ING.read_bytes())
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["statements"][0]["iban"] == "NL20INGB0001234567"
    bad = cli("bank", "read", "-", stdin=b"\x89PNG\r\n\x1a\n\x00\x00")
    assert bad.returncode == 1
    assert b"Traceback" not in bad.stderr
    assert bad.stderr.decode().count("\n") == 1
    assert bad.stdout == b""
