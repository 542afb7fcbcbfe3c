"""Files that are not (good) camt.053 statements: a clear message in English and Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest

from buurtcore.bank import BankFileError, parse_camt053, read_camt053
from buurtcore.bank.writer import statement_xml

DATA = Path(__file__).parent / "data"
ING = (DATA / "ing_camt053_02_batch.xml").read_bytes()


def refused(data: bytes) -> BankFileError:
    with pytest.raises(BankFileError) as info:
        parse_camt053(data)
    err = info.value
    assert err.message and err.message_nl and err.message != err.message_nl
    assert "\n" not in str(err) and "\n" not in err.text_nl
    return err


def changed(old: bytes, new: bytes, source: bytes = ING) -> bytes:
    assert old in source
    return source.replace(old, new, 1)


@pytest.mark.parametrize(
    ("name", "english", "dutch"),
    [
        ("broken_mt940.sta", "MT940", "MT940"),
        ("broken_login_page.html", "web page (HTML)", "webpagina"),
        ("broken_camt052.xml", "camt.052", "tussentijds rekeningrapport"),
        ("broken_pain001.xml", "pain.001", "betaalopdracht"),
        ("broken_entity_expansion.xml", "DOCTYPE", "DOCTYPE"),
        ("broken_external_entity.xml", "DOCTYPE", "DOCTYPE"),
        ("broken_truncated.xml", "not a readable XML file", "geen leesbaar XML-bestand"),
    ],
)
def test_foreign_and_broken_files_are_refused_with_a_reason(name, english, dutch):
    with pytest.raises(BankFileError) as info:
        read_camt053(DATA / name)
    assert english in info.value.message
    assert dutch in info.value.message_nl


@pytest.mark.parametrize(
    ("data", "english"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"%PDF-1.7\n1 0 obj", "PDF"),
        (b"Datum;Naam;Rekening;Bedrag\n2026-11-27;X;NL..;10,00\n", "not an XML file"),
        (b"\x00\x01\x02\x03garbage", "not an XML file"),
        (b"<?xml version='1.0'?><a><b></a>", "not a readable XML file"),
        (b"<?xml version='1.0'?><root/>", "not a CAMT.053"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>',
            "camt.054",
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>',
            "no BkToCstmrStmt",
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
            b"<BkToCstmrStmt><GrpHdr><MsgId>1</MsgId></GrpHdr></BkToCstmrStmt></Document>",
            "no statement",
        ),
    ],
)
def test_not_a_statement(data, english):
    assert english in refused(data).message


def test_a_doctype_is_refused_before_any_entity_is_expanded():
    # A billion-laughs file large enough to hurt if it were expanded.
    entities = '<!ENTITY e0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY e{n} "{("&e" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    data = (
        f'<?xml version="1.0"?><!DOCTYPE Document [{entities}]>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&e9;</Document>'
    ).encode()
    assert "DOCTYPE" in refused(data).message


def test_a_doctype_in_a_utf16_file_is_refused_too():
    data = (DATA / "broken_external_entity.xml").read_text("utf-8").replace("UTF-8", "UTF-16")
    assert "DOCTYPE" in refused(data.encode("utf-16")).message


def test_a_utf16_statement_reads():
    text = ING.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    result = parse_camt053(text.encode("utf-16"))
    assert result.statements[0].entries[1].details[2].counterparty_name == "Zoë Çelik"


def test_more_than_two_decimals_in_euros_names_the_element():
    err = refused(changed(b'<Amt Ccy="EUR">175.45</Amt>', b'<Amt Ccy="EUR">175.455</Amt>'))
    assert err.element == "Stmt[1]/Ntry[2]/Amt"
    assert "more than 2 decimals" in err.message
    assert "meer dan 2 decimalen" in err.message_nl
    assert str(err).startswith("Stmt[1]/Ntry[2]/Amt: ")


def test_trailing_zeros_beyond_two_decimals_are_exact_and_allowed():
    data = changed(b'<Amt Ccy="EUR">175.45</Amt>', b'<Amt Ccy="EUR">175.45000</Amt>')
    assert parse_camt053(data).statements[0].entries[1].amount_cents == -17545


def test_a_detail_amount_with_three_decimals_names_the_detail():
    data = changed(b'<Amt Ccy="EUR">120.00</Amt>', b'<Amt Ccy="EUR">120.001</Amt>')
    assert refused(data).element == "Stmt[1]/Ntry[2]/NtryDtls/TxDtls[2]/Amt"


@pytest.mark.parametrize("amount", [b"-10.00", b"1,50", b"1e3", b"", b"abc", b"10.", b".5"])
def test_malformed_amounts(amount):
    bad = b'<Amt Ccy="EUR">' + amount + b"</Amt>"
    err = refused(changed(b'<Amt Ccy="EUR">250.00</Amt>', bad))
    assert err.element == "Stmt[1]/Ntry[1]/Amt"


def test_yen_have_no_decimals():
    xml = statement_xml(
        [
            {
                "id": "S",
                "iban": "NL20INGB0001234567",
                "currency": "JPY",
                "opening_cents": 0,
                "entries": [],
            }
        ]
    )
    data = xml.replace(b'<Amt Ccy="JPY">0.00</Amt>', b'<Amt Ccy="JPY">1500</Amt>')
    assert parse_camt053(data).statements[0].opening_balance_cents == 1500
    data = xml.replace(b'<Amt Ccy="JPY">0.00</Amt>', b'<Amt Ccy="JPY">1500.5</Amt>')
    assert "more than 0 decimals" in refused(data).message


def test_missing_or_wrong_credit_debit_indicator():
    err = refused(changed(b"<CdtDbtInd>DBIT</CdtDbtInd>", b"<CdtDbtInd>DEBIT</CdtDbtInd>"))
    assert "CRDT or DBIT" in err.message and err.element.endswith("/CdtDbtInd")
    err = refused(changed(b"<CdtDbtInd>DBIT</CdtDbtInd>", b""))
    assert "missing" in err.message and err.element == "Stmt[1]/Ntry[2]/CdtDbtInd"


def test_missing_balances():
    err = refused(changed(b"<Cd>CLBD</Cd>", b"<Cd>ITBD</Cd>"))
    assert "closing (CLBD)" in err.message and "eindsaldo" in err.message_nl
    err = refused(changed(b"<Cd>OPBD</Cd>", b"<Cd>ITBD</Cd>"))
    assert "opening (OPBD or PRCD)" in err.message


def test_missing_statement_id_and_account():
    refused(changed(b"<Id>C53D20261127T0512049876NL20INGB0001234567</Id>", b""))
    source = (DATA / "rabobank_camt053_02_multi.xml").read_bytes()
    err = refused(
        changed(b"<Acct><Id><IBAN>NL57RABO0111222333</IBAN></Id>", b"<Acct><Id></Id>", source)
    )
    assert err.element == "Stmt[3]/Acct/Id"


BOOKED = b"<Dt>2026-11-27</Dt>\n\t\t\t\t</BookgDt>"


def test_bad_dates():
    err = refused(changed(BOOKED, b"<Dt>27-11-2026</Dt></BookgDt>"))
    assert "YYYY-MM-DD" in err.message and err.element == "Stmt[1]/Ntry[1]/BookgDt"
    refused(changed(BOOKED, b"<Dt>2026-02-30</Dt></BookgDt>"))


def test_a_balance_that_does_not_add_up_is_a_warning_not_an_error():
    result = parse_camt053(changed(b"12432.42", b"12432.43"))
    (statement,) = result.statements
    assert statement.balance_ok is False
    (warning,) = result.warnings
    assert "does not equal the closing balance" in warning.message
    assert "0.01 EUR" in warning.message and "0,01 EUR" in warning.message_nl


def test_a_document_without_a_namespace_is_read():
    data = ING.replace(b' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"', b"")
    result = parse_camt053(data)
    assert result.version == "camt.053"
    assert result.statements[0].closing_balance_cents == 1243242


def test_a_newer_version_reads_with_the_same_code():
    data = (DATA / "bunq_camt053_08.xml").read_bytes().replace(b"001.08", b"001.13")
    result = parse_camt053(data)
    assert result.version == "camt.053.001.13"
    assert result.statements[0].closing_balance_cents == 7346


def test_a_doctype_without_entities_is_refused_too():
    # An external DTD could declare entities; it is never fetched: the declaration is refused.
    data = ING.replace(
        b"?>\n", b'?>\n<!DOCTYPE Document SYSTEM "http://example.invalid/camt.dtd">\n', 1
    )
    assert "DOCTYPE" in refused(data).message


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    from buurtcore.bank import camt

    monkeypatch.setattr(camt, "MAX_BYTES", len(ING) - 1)
    assert "larger than" in refused(ING).message
    monkeypatch.setattr(camt, "MAX_BYTES", len(ING))
    assert parse_camt053(ING).statements


def test_details_that_do_not_add_up_to_their_entry_give_a_warning():
    result = parse_camt053(changed(b'<Amt Ccy="EUR">120.00</Amt>', b'<Amt Ccy="EUR">121.00</Amt>'))
    (warning,) = result.warnings
    assert warning.element == "Stmt[1]/Ntry[2]"
    assert "-176.45 EUR, the entry is -175.45 EUR" in warning.message
    assert "-176,45 EUR" in warning.message_nl


def test_a_wrong_number_of_entries_in_the_summary_gives_a_warning():
    result = parse_camt053(changed(b"<NbOfNtries>5</NbOfNtries>", b"<NbOfNtries>6</NbOfNtries>"))
    (warning,) = result.warnings
    assert "announces 6 entries but contains 5" in warning.message


@pytest.mark.parametrize("encoding", [b"U-F-8", b"no-such-charset", b"UTF-16"])
def test_a_declared_encoding_that_cannot_be_read_is_refused_not_a_crash(encoding):
    """Found by the damaged-file property test: an unknown encoding in the XML
    declaration raised LookupError from the parser instead of a BankFileError."""
    data = changed(b'encoding="UTF-8"', b'encoding="' + encoding + b'"')
    err = refused(data)
    assert "encoding" in err.message or "XML" in err.message
