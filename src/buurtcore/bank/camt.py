"""Read CAMT.053 bank statements (ISO 20022 BankToCustomerStatement).

The reader takes the bytes of a file as a Dutch bank exports it (ING, Rabobank, ABN AMRO,
bunq, Triodos, ...) and returns plain dataclasses: statements with their balances in signed
integer cents, entries with their transaction details. It is namespace-agnostic: every
``camt.053.001.NN`` version is read by the same code, and the version comes from the
namespace. Amounts never pass through a float.

Safety: the file is parsed with the standard library's expat parser, after a first pass over
the prolog that refuses any document type declaration (so no entity can be declared, expanded
or fetched from outside). A file that is not a camt.053 statement gives a
:class:`BankFileError` with an English and a Dutch message.

Examples
--------
>>> from buurtcore.bank.writer import example_statement_xml
>>> result = parse_camt053(example_statement_xml())
>>> result.version
'camt.053.001.08'
>>> statement = result.statements[0]
>>> statement.iban, statement.opening_balance_cents, statement.closing_balance_cents
('NL91ABNA0417164300', 100000, 87550)
>>> [entry.amount_cents for entry in statement.entries]
[2500, -15000, 50]
>>> statement.balance_ok
True
>>> parse_camt053(b"<html><body>Inloggen</body></html>")
Traceback (most recent call last):
...
buurtcore.bank.camt.BankFileError: this is a web page (HTML), not a bank statement; ...
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - hardened: the prolog check refuses DTDs
from dataclasses import dataclass, field, replace
from datetime import date
from pyexpat import ExpatError, ParserCreate
from typing import Any

__all__ = [
    "BankFile",
    "BankFileError",
    "Entry",
    "Statement",
    "TransactionDetail",
    "parse_camt053",
    "read_camt053",
]

#: Minor units per currency where they differ from 2; amounts with more decimals are refused.
MINOR_UNITS = {"JPY": 0, "KRW": 0, "ISK": 0, "HUF": 2, "BHD": 3, "KWD": 3, "OMR": 3, "TND": 3}

#: The largest file read (bytes). A 10,000-entry statement is about 13 MB and takes about
#: 70 MB of memory while it is read; this limit keeps a read under about half a gigabyte.
MAX_BYTES = 100 * 1024 * 1024

_NS_RE = re.compile(r"^\{urn:iso:std:iso:20022:tech:xsd:([a-z]{4})\.(\d{3})\.(\d{3})\.(\d{2,3})\}")
_AMOUNT_RE = re.compile(r"^(\d{1,18})(?:\.(\d+))?$")

_OTHER_MESSAGES = {
    "camt.052": (
        "an intraday account report (camt.052)",
        "een tussentijds rekeningrapport (camt.052)",
    ),
    "camt.054": (
        "a debit/credit notification (camt.054)",
        "een bij- en afschrijvingsbericht (camt.054)",
    ),
    "pain.001": (
        "a payment order (pain.001, a SEPA credit-transfer file)",
        "een betaalopdracht (pain.001, een SEPA-overboekingsbestand)",
    ),
    "pain.002": (
        "a payment status report (pain.002)",
        "een statusrapport van betalingen (pain.002)",
    ),
    "pain.008": (
        "a direct-debit order (pain.008)",
        "een incasso-opdracht (pain.008)",
    ),
}


class BankFileError(ValueError):
    """A file that cannot be read as a CAMT.053 statement.

    Parameters
    ----------
    message : str
        The reason, in plain English.
    message_nl : str
        The same reason in Dutch (B1, for the web app and ``--lang nl``).
    element : str or None
        Where in the file, as a path such as ``Stmt[1]/Ntry[3]/Amt`` (None for the file as
        a whole).

    Examples
    --------
    >>> err = BankFileError("the amount is missing", "het bedrag ontbreekt", "Stmt[1]/Ntry[2]/Amt")
    >>> str(err)
    'Stmt[1]/Ntry[2]/Amt: the amount is missing'
    >>> err.text_nl
    'Stmt[1]/Ntry[2]/Amt: het bedrag ontbreekt'
    >>> err.as_dict()["element"]
    'Stmt[1]/Ntry[2]/Amt'
    """

    def __init__(self, message: str, message_nl: str, element: str | None = None):
        self.message = message
        self.message_nl = message_nl
        self.element = element
        super().__init__(f"{element}: {message}" if element else message)

    @property
    def text_nl(self) -> str:
        """The Dutch message with its element."""
        return f"{self.element}: {self.message_nl}" if self.element else self.message_nl

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able form: element, message, message_nl."""
        return {"element": self.element, "message": self.message, "message_nl": self.message_nl}


@dataclass(frozen=True)
class ReadWarning:
    """Something odd in a file that does not stop it from being read."""

    message: str
    message_nl: str
    element: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able form: element, message, message_nl."""
        return {"element": self.element, "message": self.message, "message_nl": self.message_nl}


@dataclass(frozen=True)
class TransactionDetail:
    """One ``NtryDtls/TxDtls``: a single payment inside an entry (several for a batch)."""

    amount_cents: int | None
    counterparty_iban: str | None
    counterparty_name: str | None
    end_to_end_id: str | None
    remittance: str | None
    remittance_structured: bool = False
    return_reason: str | None = None
    account_servicer_reference: str | None = None
    mandate_id: str | None = None


@dataclass(frozen=True)
class Entry:
    """One ``Ntry``: a booking on the account, debit negative."""

    amount_cents: int
    currency: str
    booking_date: date | None
    value_date: date | None
    reversal: bool
    status: str
    bank_transaction_code: str | None
    return_reason: str | None
    entry_reference: str | None
    account_servicer_reference: str | None
    additional_info: str | None
    details: tuple[TransactionDetail, ...] = ()
    #: Stable identity of the entry for "importing the same statement twice changes nothing":
    #: a hash of the account and everything the entry says, plus a counter that tells
    #: identical entries in one statement apart. The same in every camt.053 version.
    fingerprint: str = ""


@dataclass(frozen=True)
class Statement:
    """One ``Stmt``: an account over a period, with its balances and entries."""

    id: str
    iban: str | None
    account_id: str
    currency: str
    opening_balance_cents: int
    closing_balance_cents: int
    opening_balance_date: date | None
    closing_balance_date: date | None
    electronic_sequence_number: str | None
    created: str | None
    entries: tuple[Entry, ...] = ()

    @property
    def booked_total_cents(self) -> int:
        """The sum of the booked (status BOOK) entries."""
        return sum(e.amount_cents for e in self.entries if e.status == "BOOK")

    @property
    def balance_ok(self) -> bool:
        """Opening balance plus the booked entries equals the closing balance."""
        return self.opening_balance_cents + self.booked_total_cents == self.closing_balance_cents


@dataclass(frozen=True)
class BankFile:
    """A whole camt.053 file: its version, message id, statements and warnings."""

    version: str
    message_id: str | None
    statements: tuple[Statement, ...]
    warnings: tuple[ReadWarning, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``buurtbasis bank read --json`` (see docs/bank-files.md)."""
        return {
            "version": self.version,
            "message_id": self.message_id,
            "statements": [_statement_dict(s) for s in self.statements],
            "warnings": [w.as_dict() for w in self.warnings],
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _statement_dict(s: Statement) -> dict[str, Any]:
    return {
        "id": s.id,
        "iban": s.iban,
        "account_id": s.account_id,
        "currency": s.currency,
        "opening_balance_cents": s.opening_balance_cents,
        "closing_balance_cents": s.closing_balance_cents,
        "opening_balance_date": _iso(s.opening_balance_date),
        "closing_balance_date": _iso(s.closing_balance_date),
        "booked_total_cents": s.booked_total_cents,
        "balance_ok": s.balance_ok,
        "electronic_sequence_number": s.electronic_sequence_number,
        "created": s.created,
        "entries": [
            {
                "amount_cents": e.amount_cents,
                "currency": e.currency,
                "booking_date": _iso(e.booking_date),
                "value_date": _iso(e.value_date),
                "reversal": e.reversal,
                "status": e.status,
                "bank_transaction_code": e.bank_transaction_code,
                "return_reason": e.return_reason,
                "entry_reference": e.entry_reference,
                "account_servicer_reference": e.account_servicer_reference,
                "additional_info": e.additional_info,
                "fingerprint": e.fingerprint,
                "details": [
                    {
                        "amount_cents": d.amount_cents,
                        "counterparty_iban": d.counterparty_iban,
                        "counterparty_name": d.counterparty_name,
                        "end_to_end_id": d.end_to_end_id,
                        "remittance": d.remittance,
                        "remittance_structured": d.remittance_structured,
                        "return_reason": d.return_reason,
                        "account_servicer_reference": d.account_servicer_reference,
                        "mandate_id": d.mandate_id,
                    }
                    for d in e.details
                ],
            }
            for e in s.entries
        ],
    }


# --------------------------------------------------------------------------- the file


def read_camt053(source: Any) -> BankFile:
    """Read a camt.053 file from a path or a binary file object.

    >>> import io
    >>> from buurtcore.bank.writer import example_statement_xml
    >>> read_camt053(io.BytesIO(example_statement_xml())).statements[0].currency
    'EUR'
    """
    if hasattr(source, "read"):
        data = source.read(MAX_BYTES + 1)
    else:
        with open(source, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    return parse_camt053(data)


def parse_camt053(data: bytes) -> BankFile:
    """Parse the bytes of a camt.053 file; raises :class:`BankFileError` when it is not one."""
    if len(data) > MAX_BYTES:
        raise BankFileError(
            f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB",
            f"het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB",
        )
    _sniff(data)
    _refuse_doctype(data)
    # The tree is hundreds of thousands of new objects that live until the end: the cyclic
    # garbage collector would walk them again and again while they are made (3-4 times
    # slower on a 10,000-entry file). Nothing made here forms a cycle, so it pauses.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            root = ET.fromstring(data)  # noqa: S314 - the DTD check above makes this safe
        except ET.ParseError as err:
            line, column = err.position
            raise BankFileError(
                f"this is not a readable XML file (line {line}, column {column})",
                f"dit is geen leesbaar XML-bestand (regel {line}, kolom {column})",
            ) from None
        except (LookupError, ValueError) as err:
            raise _encoding_error(err) from None
        return _Reader(root).read()
    finally:
        if collecting:
            gc.enable()


def _sniff(data: bytes) -> None:
    """Recognise files that are clearly something else, before parsing them as XML."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.strip():
        raise BankFileError("the file is empty", "het bestand is leeg")
    lower = head.lower()
    if lower.startswith(b"%pdf"):
        raise BankFileError(
            "this is a PDF, not a CAMT.053 file; download the statement as CAMT.053 (XML)",
            "dit is een pdf, geen CAMT.053-bestand; download het afschrift als CAMT.053 (XML)",
        )
    if lower.startswith((b"<!doctype html", b"<html")) or b"<html" in lower[:512]:
        raise BankFileError(
            "this is a web page (HTML), not a bank statement; "
            "download the statement as CAMT.053 (XML)",
            "dit is een webpagina (HTML), geen bankafschrift; "
            "download het afschrift als CAMT.053 (XML)",
        )
    if not head.startswith(b"<") and (
        lower.startswith((b"{1:", b":20:", b":940:"))
        or b"\n:20:" in head
        or b"\n:61:" in head
        or b"\n:60f:" in lower
    ):
        raise BankFileError(
            "this looks like an MT940 text statement; this reader needs CAMT.053 (XML), "
            "which your bank offers as an export too",
            "dit lijkt een MT940-tekstafschrift; hier is CAMT.053 (XML) nodig, "
            "dat uw bank ook als export aanbiedt",
        )
    if not head.startswith(b"<") and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BankFileError(
            "this is not an XML file; download the statement as CAMT.053 (XML)",
            "dit is geen XML-bestand; download het afschrift als CAMT.053 (XML)",
        )


class _PrologDone(Exception):
    pass


def _refuse_doctype(data: bytes) -> None:
    """Parse only the prolog and refuse a document type declaration (hence any entity)."""

    def doctype(*_args: object) -> None:
        raise BankFileError(
            "the file contains a document type declaration (DOCTYPE); bank statements never "
            "do, and it is refused for safety",
            "het bestand bevat een documenttypedeclaratie (DOCTYPE); bankafschriften hebben "
            "die nooit, en om veiligheidsredenen wordt het geweigerd",
        )

    def first_element(*_args: object) -> None:
        raise _PrologDone

    parser = ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = first_element
    try:
        parser.Parse(data, True)
    except _PrologDone:
        return
    except ExpatError as err:
        raise BankFileError(
            f"this is not a readable XML file (line {err.lineno}, column {err.offset})",
            f"dit is geen leesbaar XML-bestand (regel {err.lineno}, kolom {err.offset})",
        ) from None
    except (LookupError, ValueError) as err:  # an encoding Python does not know or support
        raise _encoding_error(err) from None


def _encoding_error(err: Exception) -> BankFileError:
    return BankFileError(
        f"the character encoding the file declares cannot be read ({err})",
        f"de tekenset die het bestand opgeeft, kan niet worden gelezen ({err})",
    )


# --------------------------------------------------------------------------- the reader


def _text(el: ET.Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    value = el.text.strip()
    return value or None


class _Tags(dict):
    """Local element names to tags in the document's namespace (``"Amt"`` -> ``"{ns}Amt"``)."""

    def __init__(self, ns: str):
        super().__init__()
        self.ns = ns

    def __missing__(self, name: str) -> str:
        tag = self[name] = self.ns + name
        return tag


class _Reader:
    """Walks one parsed document. ``self.q(name)`` is the tag in the document's namespace."""

    def __init__(self, root: ET.Element):
        self.root = root
        self.warnings: list[ReadWarning] = []
        self.ns, self.version = self._identify(root)
        self._tags = _Tags(self.ns)

    # -- identification

    @staticmethod
    def _identify(root: ET.Element) -> tuple[str, str]:
        tag = root.tag
        ns = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
        local = tag[len(ns) :]
        match = _NS_RE.match(tag)
        if match:
            area, kind, variant, number = match.groups()
            message = f"{area}.{kind}"
            version = f"{area}.{kind}.{variant}.{number}"
            if message != "camt.053":
                what_en, what_nl = _OTHER_MESSAGES.get(
                    message, (f"an ISO 20022 {message} message", f"een ISO 20022 {message}-bericht")
                )
                raise BankFileError(
                    f"this is {what_en}, not a bank statement (camt.053)",
                    f"dit is {what_nl}, geen bankafschrift (camt.053)",
                )
            if local != "Document":
                raise BankFileError(
                    f"the root element is {local}, expected Document",
                    f"het hoofdelement is {local}, verwacht werd Document",
                )
            return ns, version
        # No ISO 20022 namespace: accept a bare Document/BkToCstmrStmt (some exports), else refuse.
        if local == "Document" and root.find(ns + "BkToCstmrStmt") is not None:
            return ns, "camt.053"
        raise BankFileError(
            "this XML file is not a CAMT.053 bank statement "
            f"(its root element is {local!r}{' in ' + ns[1:-1] if ns else ''})",
            "dit XML-bestand is geen CAMT.053-bankafschrift "
            f"(het hoofdelement is {local!r}{' in ' + ns[1:-1] if ns else ''})",
        )

    def q(self, name: str) -> str:
        return self._tags[name]

    def find(self, el: ET.Element | None, *names: str) -> ET.Element | None:
        tags = self._tags
        for name in names:
            if el is None:
                return None
            el = el.find(tags[name])
        return el

    def text(self, el: ET.Element | None, *names: str) -> str | None:
        tags = self._tags
        for name in names:
            if el is None:
                return None
            el = el.find(tags[name])
        if el is None or el.text is None:
            return None
        return el.text.strip() or None

    def findall(self, el: ET.Element, name: str) -> list[ET.Element]:
        return el.findall(self._tags[name])

    # -- values

    def amount(self, el: ET.Element | None, where: str, *, currency: str | None = None) -> int:
        """A non-negative ``Amt`` in minor units (cents)."""
        if el is None:
            raise BankFileError("the amount is missing", "het bedrag ontbreekt", where)
        raw = (el.text or "").strip()
        match = _AMOUNT_RE.match(raw)
        if not match:
            raise BankFileError(
                f"the amount {raw!r} is not a valid amount (digits with a decimal point, never "
                "negative; the sign is in CdtDbtInd)",
                f"het bedrag {raw!r} is geen geldig bedrag (cijfers met een decimale punt, nooit "
                "negatief; het teken staat in CdtDbtInd)",
                where,
            )
        ccy = currency or el.get("Ccy") or "EUR"
        units = MINOR_UNITS.get(ccy, 2)
        whole, fraction = match.group(1), (match.group(2) or "")
        if len(fraction.rstrip("0")) > units:
            raise BankFileError(
                f"the amount {raw} {ccy} has more than {units} decimals",
                f"het bedrag {raw} {ccy} heeft meer dan {units} decimalen",
                where,
            )
        fraction = (fraction + "0" * units)[:units]
        return int(whole) * 10**units + (int(fraction) if fraction else 0)

    def sign(self, el: ET.Element | None, where: str) -> int:
        value = _text(el)
        if value == "CRDT":
            return 1
        if value == "DBIT":
            return -1
        raise BankFileError(
            f"CdtDbtInd must be CRDT or DBIT, not {value!r}"
            if value
            else "CdtDbtInd (credit or debit) is missing",
            f"CdtDbtInd moet CRDT of DBIT zijn, niet {value!r}"
            if value
            else "CdtDbtInd (bij of af) ontbreekt",
            where,
        )

    def date(self, el: ET.Element | None, where: str) -> date | None:
        """``Dt`` or ``DtTm`` below ``el`` (a DtTm becomes its date as written)."""
        if el is None:
            return None
        raw = self.text(el, "Dt")
        if raw is None:
            raw = self.text(el, "DtTm")
            raw = raw[:10] if raw else None
        if raw is None:
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            raise BankFileError(
                f"{raw!r} is not a date (expected YYYY-MM-DD)",
                f"{raw!r} is geen datum (verwacht JJJJ-MM-DD)",
                where,
            ) from None

    # -- the document

    def read(self) -> BankFile:
        stmt_root = self.find(self.root, "BkToCstmrStmt")
        if stmt_root is None:
            raise BankFileError(
                "the file has no BkToCstmrStmt (bank-to-customer statement) element",
                "het bestand heeft geen BkToCstmrStmt-element (bankafschrift)",
                "Document",
            )
        message_id = self.text(stmt_root, "GrpHdr", "MsgId")
        statements = self.findall(stmt_root, "Stmt")
        if not statements:
            raise BankFileError(
                "the file contains no statement (Stmt)",
                "het bestand bevat geen afschrift (Stmt)",
                "BkToCstmrStmt",
            )
        result = tuple(self.statement(s, f"Stmt[{n}]") for n, s in enumerate(statements, 1))
        return BankFile(self.version, message_id, result, tuple(self.warnings))

    def statement(self, el: ET.Element, where: str) -> Statement:
        stmt_id = self.text(el, "Id")
        if stmt_id is None:
            raise BankFileError(
                "the statement has no Id", "het afschrift heeft geen Id", f"{where}/Id"
            )
        acct = self.find(el, "Acct")
        if acct is None:
            raise BankFileError(
                "the statement names no account (Acct)",
                "het afschrift noemt geen rekening (Acct)",
                f"{where}/Acct",
            )
        iban = self.text(acct, "Id", "IBAN")
        account_id = iban or self.text(acct, "Id", "Othr", "Id")
        if account_id is None:
            raise BankFileError(
                "the account has no IBAN or other identification",
                "de rekening heeft geen IBAN of ander nummer",
                f"{where}/Acct/Id",
            )
        iban = iban.replace(" ", "").upper() if iban else None
        balances: dict[str, tuple[int, date | None]] = {}
        currency = self.text(acct, "Ccy")
        for n, bal in enumerate(self.findall(el, "Bal"), 1):
            bwhere = f"{where}/Bal[{n}]"
            code = self.text(bal, "Tp", "CdOrPrtry", "Cd") or self.text(
                bal, "Tp", "CdOrPrtry", "Prtry"
            )
            if code not in ("OPBD", "PRCD", "CLBD") or code in balances:
                continue
            amt = self.find(bal, "Amt")
            currency = currency or (amt.get("Ccy") if amt is not None else None)
            cents = self.amount(amt, f"{bwhere}/Amt", currency=currency)
            cents *= self.sign(self.find(bal, "CdtDbtInd"), f"{bwhere}/CdtDbtInd")
            balances[code] = (cents, self.date(self.find(bal, "Dt"), f"{bwhere}/Dt"))
        opening = balances.get("OPBD") or balances.get("PRCD")
        closing = balances.get("CLBD")
        if opening is None or closing is None:
            missing = "opening (OPBD or PRCD)" if opening is None else "closing (CLBD)"
            missing_nl = "beginsaldo (OPBD of PRCD)" if opening is None else "eindsaldo (CLBD)"
            raise BankFileError(
                f"the statement has no {missing} balance",
                f"het afschrift heeft geen {missing_nl}",
                f"{where}/Bal",
            )
        currency = currency or "EUR"
        entries = _with_fingerprints(
            account_id,
            [
                self.entry(e, f"{where}/Ntry[{n}]", currency, iban)
                for n, e in enumerate(self.findall(el, "Ntry"), 1)
            ],
        )
        announced = self.text(el, "TxsSummry", "TtlNtries", "NbOfNtries")
        if announced is not None and announced.isdigit() and int(announced) != len(entries):
            self.warnings.append(
                ReadWarning(
                    f"statement {stmt_id} announces {announced} entries but contains "
                    f"{len(entries)}",
                    f"afschrift {stmt_id} noemt {announced} posten maar bevat er {len(entries)}",
                    f"{where}/TxsSummry",
                )
            )
        statement = Statement(
            id=stmt_id,
            iban=iban,
            account_id=account_id,
            currency=currency,
            opening_balance_cents=opening[0],
            closing_balance_cents=closing[0],
            opening_balance_date=opening[1],
            closing_balance_date=closing[1],
            electronic_sequence_number=self.text(el, "ElctrncSeqNb"),
            created=self.text(el, "CreDtTm"),
            entries=entries,
        )
        if not statement.balance_ok:
            diff = statement.closing_balance_cents - (
                statement.opening_balance_cents + statement.booked_total_cents
            )
            self.warnings.append(
                ReadWarning(
                    f"statement {stmt_id}: opening balance plus booked entries does not equal "
                    f"the closing balance (difference {_euros(diff)} {currency})",
                    f"afschrift {stmt_id}: beginsaldo plus geboekte posten is niet gelijk aan "
                    f"het eindsaldo (verschil {_euros(diff, nl=True)} {currency})",
                    where,
                )
            )
        return statement

    def entry(self, el: ET.Element, where: str, currency: str, own_iban: str | None) -> Entry:
        amt = self.find(el, "Amt")
        entry_ccy = (amt.get("Ccy") if amt is not None else None) or currency
        if entry_ccy != currency:
            self.warnings.append(
                ReadWarning(
                    f"the entry is in {entry_ccy}, the statement in {currency}",
                    f"de post is in {entry_ccy}, het afschrift in {currency}",
                    where,
                )
            )
        sign = self.sign(self.find(el, "CdtDbtInd"), f"{where}/CdtDbtInd")
        cents = sign * self.amount(amt, f"{where}/Amt", currency=entry_ccy)
        sts = self.find(el, "Sts")
        status = _text(sts) or self.text(sts, "Cd") or self.text(sts, "Prtry") or "BOOK"
        reversal = (self.text(el, "RvslInd") or "false").lower() in ("true", "1")
        domain = self.find(el, "BkTxCd", "Domn")
        if domain is not None:
            parts = (
                self.text(domain, "Cd"),
                self.text(domain, "Fmly", "Cd"),
                self.text(domain, "Fmly", "SubFmlyCd"),
            )
            code = "-".join(p for p in parts if p) or None
        else:
            code = self.text(el, "BkTxCd", "Prtry", "Cd")
        tx_elements = [
            tx for dtls in self.findall(el, "NtryDtls") for tx in self.findall(dtls, "TxDtls")
        ]
        details = tuple(
            self.detail(tx, f"{where}/NtryDtls/TxDtls[{n}]", sign, entry_ccy, own_iban)
            for n, tx in enumerate(tx_elements, 1)
        )
        if len(details) == 1 and details[0].amount_cents is None:
            details = (_replace_amount(details[0], cents),)
        amounts = [d.amount_cents for d in details if d.amount_cents is not None]
        if details and len(amounts) == len(details) and sum(amounts) != cents:
            total = sum(amounts)
            self.warnings.append(
                ReadWarning(
                    f"the transaction details add up to {_euros(total)} {entry_ccy}, "
                    f"the entry is {_euros(cents)} {entry_ccy}",
                    f"de transacties tellen op tot {_euros(total, nl=True)} {entry_ccy}, "
                    f"de post is {_euros(cents, nl=True)} {entry_ccy}",
                    where,
                )
            )
        return_reason = self.text(el, "RtrInf", "Rsn", "Cd") or next(
            (d.return_reason for d in details if d.return_reason), None
        )
        return Entry(
            amount_cents=cents,
            currency=entry_ccy,
            booking_date=self.date(self.find(el, "BookgDt"), f"{where}/BookgDt"),
            value_date=self.date(self.find(el, "ValDt"), f"{where}/ValDt"),
            reversal=reversal,
            status=status,
            bank_transaction_code=code,
            return_reason=return_reason,
            entry_reference=self.text(el, "NtryRef"),
            account_servicer_reference=self.text(el, "AcctSvcrRef"),
            additional_info=self.text(el, "AddtlNtryInf"),
            details=details,
        )

    def detail(
        self, tx: ET.Element, where: str, entry_sign: int, currency: str, own_iban: str | None
    ) -> TransactionDetail:
        amt = self.find(tx, "Amt")
        if amt is None:
            amt = self.find(tx, "AmtDtls", "TxAmt", "Amt")
        sign_el = self.find(tx, "CdtDbtInd")
        sign = self.sign(sign_el, f"{where}/CdtDbtInd") if sign_el is not None else entry_sign
        cents = (
            sign * self.amount(amt, f"{where}/Amt", currency=amt.get("Ccy") or currency)
            if amt is not None
            else None
        )
        parties = self.find(tx, "RltdPties")
        debtor = self.party(parties, "Dbtr", "DbtrAcct", "UltmtDbtr")
        creditor = self.party(parties, "Cdtr", "CdtrAcct", "UltmtCdtr")
        # The counterparty is the creditor of a debit and the debtor of a credit; when that
        # side is our own account (returns, some reversals), it is the other side.
        first, second = (creditor, debtor) if sign < 0 else (debtor, creditor)
        own = own_iban or ""
        if (first[0] == own and own) or (first == (None, None) and second[0] != own):
            first, second = second, first
        e2e = self.text(tx, "Refs", "EndToEndId")
        if e2e is not None and e2e.upper() == "NOTPROVIDED":
            e2e = None
        rmt = self.find(tx, "RmtInf")
        remittance, structured = None, False
        if rmt is not None:
            lines = [t for t in (_text(u) for u in self.findall(rmt, "Ustrd")) if t]
            refs = [
                t
                for strd in self.findall(rmt, "Strd")
                for t in [self.text(strd, "CdtrRefInf", "Ref")]
                if t
            ]
            if lines:
                remittance = " ".join(lines)
            elif refs:
                remittance, structured = " ".join(refs), True
        reason = self.text(tx, "RtrInf", "Rsn", "Cd") or self.text(tx, "RtrInf", "Rsn", "Prtry")
        return TransactionDetail(
            amount_cents=cents,
            counterparty_iban=first[0],
            counterparty_name=first[1],
            end_to_end_id=e2e,
            remittance=remittance,
            remittance_structured=structured,
            return_reason=reason,
            account_servicer_reference=self.text(tx, "Refs", "AcctSvcrRef"),
            mandate_id=self.text(tx, "Refs", "MndtId"),
        )

    def party(
        self, parties: ET.Element | None, role: str, account: str, ultimate: str
    ) -> tuple[str | None, str | None]:
        """(IBAN, name) of one side; the name from the party, else the ultimate party."""
        if parties is None:
            return None, None
        iban = self.text(parties, account, "Id", "IBAN")
        iban = iban.replace(" ", "").upper() if iban else None
        name = None
        for tag in (role, ultimate):
            party = self.find(parties, tag)
            if party is None:
                continue
            # camt.053.001.08 and later wrap the party in Pty (Party40Choice).
            name = self.text(party, "Nm") or self.text(party, "Pty", "Nm")
            if name:
                break
        return iban, name


def _with_fingerprints(account: str, entries: list[Entry]) -> tuple[Entry, ...]:
    """The entries with their fingerprints (see :attr:`Entry.fingerprint`).

    >>> e = Entry(-500, "EUR", date(2026, 11, 27), None, False, "BOOK", None, None, None,
    ...           None, None)
    >>> a, b = _with_fingerprints("NL20INGB0001234567", [e, e])
    >>> len(a.fingerprint), a.fingerprint != b.fingerprint
    (32, True)
    """
    seen: dict[str, int] = {}
    result = []
    for entry in entries:
        content = json.dumps(
            [
                account,
                entry.amount_cents,
                entry.currency,
                _iso(entry.booking_date),
                _iso(entry.value_date),
                entry.reversal,
                entry.status,
                entry.bank_transaction_code,
                entry.return_reason,
                entry.entry_reference,
                entry.account_servicer_reference,
                entry.additional_info,
                [
                    [
                        d.amount_cents,
                        d.counterparty_iban,
                        d.counterparty_name,
                        d.end_to_end_id,
                        d.remittance,
                        d.return_reason,
                        d.account_servicer_reference,
                        d.mandate_id,
                    ]
                    for d in entry.details
                ],
            ],
            ensure_ascii=False,
        )
        occurrence = seen.get(content, 0)
        seen[content] = occurrence + 1
        digest = hashlib.sha256(f"{content}#{occurrence}".encode()).hexdigest()[:32]
        result.append(replace(entry, fingerprint=digest))
    return tuple(result)


def _replace_amount(detail: TransactionDetail, cents: int) -> TransactionDetail:
    return replace(detail, amount_cents=cents)


def _euros(cents: int, *, nl: bool = False) -> str:
    """Cents as an amount text.

    >>> _euros(-123456), _euros(5, nl=True)
    ('-1,234.56', '0,05')
    """
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    text = f"{whole:,}.{rest:02d}"
    if nl:
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return sign + text
