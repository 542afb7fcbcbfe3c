"""A small camt.053 writer: for tests, fixtures, the benchmark and the demo (the statements
the demo hosts read).

It writes what the reader reads, in the shapes of versions .02 (amounts of a transaction in
``AmtDtls/TxAmt``, status as text), .04 (``TxDtls/Amt`` and ``CdtDbtInd``) and .08 (status as
``Sts/Cd``, parties wrapped in ``Pty``). Statements and entries are plain dicts:

- statement: ``id``, ``iban``, ``currency`` (EUR), ``opening_cents``, ``opening_code`` (OPBD),
  ``closing_cents`` (default: opening plus booked entries), ``date``, ``sequence``, ``entries``;
- entry: ``amount_cents`` (signed), ``booking_date``, ``value_date`` (None: left out),
  ``reversal``, ``status`` (BOOK), ``bank_code`` (domain, family, sub-family),
  ``return_reason``, ``entry_ref``, ``servicer_ref``, ``info``, ``batch``, ``details``;
- detail: ``amount_cents`` (signed; None: left out), ``iban``, ``name``, ``ultimate`` (name only
  as the ultimate party), ``end_to_end_id``, ``ustrd`` (list of lines), ``strd_ref``,
  ``return_reason``, ``mandate_id``.

>>> xml = statement_xml([{"id": "S1", "iban": "NL91ABNA0417164300", "opening_cents": 0,
...     "entries": [{"amount_cents": -100, "details": [{"name": "A & B <c>"}]}]}], version="04")
>>> b"A &amp; B &lt;c&gt;" in xml, b"camt.053.001.04" in xml
(True, True)
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

__all__ = ["amount_text", "example_statement_xml", "statement_xml"]


def amount_text(cents: int, style: str = "2") -> str:
    """Unsigned amount text: ``"2"`` two decimals, ``"short"`` as few as needed.

    >>> amount_text(-1050), amount_text(1050, "short"), amount_text(1000, "short")
    ('10.50', '10.5', '10')
    """
    whole, rest = divmod(abs(cents), 100)
    text = f"{whole}.{rest:02d}"
    if style == "short":
        text = text.rstrip("0").rstrip(".")
    return text


class _Out:
    def __init__(self, indent: bool):
        self.parts: list[str] = []
        self.indent = indent
        self.depth = 0

    def _pad(self) -> str:
        return "\n" + "  " * self.depth if self.indent else ""

    def open(self, tag: str, attrs: str = "") -> None:
        self.parts.append(f"{self._pad()}<{tag}{attrs}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.parts.append(f"{self._pad()}</{tag}>")

    def leaf(self, tag: str, value: Any, attrs: str = "") -> None:
        if value is None:
            return
        self.parts.append(f"{self._pad()}<{tag}{attrs}>{escape(str(value))}</{tag}>")


def _cd(cents: int) -> str:
    return "DBIT" if cents < 0 else "CRDT"


def statement_xml(
    statements: list[dict[str, Any]],
    *,
    version: str = "08",
    message_id: str = "MSG-0001",
    indent: bool = True,
    amount_style: str = "2",
    namespace: str | None = None,
) -> bytes:
    """Write statements as a camt.053 document (UTF-8 bytes)."""
    v = int(version)
    ns = namespace or f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}"
    out = _Out(indent)
    out.parts.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.open("Document", f" xmlns={quoteattr(ns)}")
    out.open("BkToCstmrStmt")
    out.open("GrpHdr")
    out.leaf("MsgId", message_id)
    out.leaf("CreDtTm", "2026-11-30T06:15:02.123+01:00")
    out.close("GrpHdr")
    for s in statements:
        ccy = s.get("currency", "EUR")
        cattr = f" Ccy={quoteattr(ccy)}"
        out.open("Stmt")
        out.leaf("Id", s["id"])
        out.leaf("ElctrncSeqNb", s.get("sequence"))
        out.leaf("CreDtTm", s.get("created", "2026-11-30T06:15:02"))
        out.open("Acct")
        out.open("Id")
        out.leaf("IBAN", s["iban"])
        out.close("Id")
        out.leaf("Ccy", ccy if s.get("account_currency", True) else None)
        out.close("Acct")
        booked = sum(e["amount_cents"] for e in s["entries"] if e.get("status", "BOOK") == "BOOK")
        opening = s["opening_cents"]
        closing = s.get("closing_cents", opening + booked)
        day = s.get("date", "2026-11-27")
        for code, cents, dt in (
            (s.get("opening_code", "OPBD"), opening, s.get("opening_date", day)),
            ("CLBD", closing, day),
            *(("CLAV", closing, day),) * bool(s.get("available", True)),
        ):
            out.open("Bal")
            out.open("Tp")
            out.open("CdOrPrtry")
            out.leaf("Cd", code)
            out.close("CdOrPrtry")
            out.close("Tp")
            out.leaf("Amt", amount_text(cents, amount_style), cattr)
            out.leaf("CdtDbtInd", "DBIT" if cents < 0 else "CRDT")
            out.open("Dt")
            out.leaf("Dt", dt)
            out.close("Dt")
            out.close("Bal")
        for e in s["entries"]:
            _entry(out, e, v, cattr, s["iban"], amount_style)
        out.close("Stmt")
    out.close("BkToCstmrStmt")
    out.close("Document")
    return ("".join(out.parts) + "\n").encode("utf-8")


def _entry(out: _Out, e: dict[str, Any], v: int, cattr: str, own: str, style: str) -> None:
    cents = e["amount_cents"]
    out.open("Ntry")
    out.leaf("NtryRef", e.get("entry_ref"))
    out.leaf("Amt", amount_text(cents, style), cattr)
    out.leaf("CdtDbtInd", _cd(cents))
    if e.get("reversal"):
        out.leaf("RvslInd", "true")
    status = e.get("status", "BOOK")
    if v >= 7:
        out.open("Sts")
        out.leaf("Cd", status)
        out.close("Sts")
    else:
        out.leaf("Sts", status)
    booking = e.get("booking_date", "2026-11-27")
    if booking is not None:
        out.open("BookgDt")
        if e.get("datetime"):
            out.leaf("DtTm", f"{booking}T14:03:59.000+01:00")
        else:
            out.leaf("Dt", booking)
        out.close("BookgDt")
    value_date = e.get("value_date", booking)
    if value_date is not None:
        out.open("ValDt")
        out.leaf("Dt", value_date)
        out.close("ValDt")
    out.leaf("AcctSvcrRef", e.get("servicer_ref"))
    code = e.get("bank_code")
    if code:
        out.open("BkTxCd")
        out.open("Domn")
        out.leaf("Cd", code[0])
        out.open("Fmly")
        out.leaf("Cd", code[1])
        out.leaf("SubFmlyCd", code[2])
        out.close("Fmly")
        out.close("Domn")
        out.close("BkTxCd")
    details = e.get("details") or []
    if details:
        out.open("NtryDtls")
        if e.get("batch"):
            out.open("Btch")
            out.leaf("NbOfTxs", len(details))
            out.close("Btch")
        for d in details:
            _detail(out, d, v, cattr, own, cents, style)
        out.close("NtryDtls")
    out.leaf("AddtlNtryInf", e.get("info"))
    out.close("Ntry")


def _party(out: _Out, tag: str, name: str | None, v: int) -> None:
    if name is None:
        return
    out.open(tag)
    if v >= 8:
        out.open("Pty")
        out.leaf("Nm", name)
        out.close("Pty")
    else:
        out.leaf("Nm", name)
    out.close(tag)


def _account(out: _Out, tag: str, iban: str | None) -> None:
    if iban is None:
        return
    out.open(tag)
    out.open("Id")
    out.leaf("IBAN", iban)
    out.close("Id")
    out.close(tag)


def _detail(
    out: _Out, d: dict[str, Any], v: int, cattr: str, own: str, entry: int, style: str
) -> None:
    out.open("TxDtls")
    refs = {
        "AcctSvcrRef": d.get("servicer_ref"),
        "EndToEndId": d.get("end_to_end_id"),
        "MndtId": d.get("mandate_id"),
    }
    if any(refs.values()):
        out.open("Refs")
        for tag, value in refs.items():
            out.leaf(tag, value)
        out.close("Refs")
    cents = d.get("amount_cents")
    sign_source = cents if cents is not None else entry
    if cents is not None:
        if v >= 4:
            out.leaf("Amt", amount_text(cents, style), cattr)
            out.leaf("CdtDbtInd", _cd(cents))
        else:
            out.open("AmtDtls")
            out.open("TxAmt")
            out.leaf("Amt", amount_text(cents, style), cattr)
            out.close("TxAmt")
            out.close("AmtDtls")
    debit = sign_source < 0
    if d.get("return_reason"):
        # A returned payment keeps the parties of the original one.
        debit = not debit
    name, iban = d.get("name"), d.get("iban")
    if name is not None or iban is not None or d.get("own_side", True):
        out.open("RltdPties")
        if debit:
            _party(out, "Dbtr", d.get("own_name"), v)
            _account(out, "DbtrAcct", own if d.get("own_side", True) else None)
            _party(out, "Cdtr", None if d.get("ultimate") else name, v)
            _account(out, "CdtrAcct", iban)
            if d.get("ultimate"):
                _party(out, "UltmtCdtr", name, v)
        else:
            _party(out, "Dbtr", None if d.get("ultimate") else name, v)
            _account(out, "DbtrAcct", iban)
            if d.get("ultimate"):
                _party(out, "UltmtDbtr", name, v)
            _party(out, "Cdtr", d.get("own_name"), v)
            _account(out, "CdtrAcct", own if d.get("own_side", True) else None)
        out.close("RltdPties")
    ustrd, strd = d.get("ustrd") or [], d.get("strd_ref")
    if ustrd or strd:
        out.open("RmtInf")
        for line in ustrd:
            out.leaf("Ustrd", line)
        if strd:
            out.open("Strd")
            out.open("CdtrRefInf")
            out.open("Tp")
            out.open("CdOrPrtry")
            out.leaf("Cd", "SCOR")
            out.close("CdOrPrtry")
            out.leaf("Issr", "CUR")
            out.close("Tp")
            out.leaf("Ref", strd)
            out.close("CdtrRefInf")
            out.close("Strd")
        out.close("RmtInf")
    if d.get("return_reason"):
        out.open("RtrInf")
        out.open("Rsn")
        out.leaf("Cd", d["return_reason"])
        out.close("Rsn")
        out.close("RtrInf")
    out.close("TxDtls")


def example_statement_xml() -> bytes:
    """A small .08 statement: a credit, a batch debit of two payments, a credit without details."""
    return statement_xml(
        [
            {
                "id": "ABN-2026-11-27",
                "iban": "NL91ABNA0417164300",
                "opening_cents": 100000,
                "entries": [
                    {
                        "amount_cents": 2500,
                        "details": [
                            {
                                "amount_cents": 2500,
                                "iban": "NL02RABO0123456789",
                                "name": "J. de Vries",
                                "end_to_end_id": "NOTPROVIDED",
                                "ustrd": ["Bijdrage buurtfeest"],
                            }
                        ],
                    },
                    {
                        "amount_cents": -15000,
                        "batch": True,
                        "details": [
                            {
                                "amount_cents": -10000,
                                "iban": "NL44RABO0123456788",
                                "name": "Zoë Çelik",
                                "end_to_end_id": "BB-EXP-17",
                            },
                            {
                                "amount_cents": -5000,
                                "iban": "NL18INGB0001234567",
                                "name": "Bakkerij & Zn",
                                "end_to_end_id": "BB-EXP-18",
                            },
                        ],
                    },
                    {"amount_cents": 50, "info": "Rente"},
                ],
            }
        ]
    )
