"""SEPA credit-transfer files (pain.001) for a payout batch.

One batch is one file with one payment-information block: one debtor account (the
host's), one execution date, batch booking on (the bank statement shows one debit for
the whole batch), and one transaction per payment with its own end-to-end id. The
file is written with ``sepaxml`` and validated against the XML schema it bundles
(with ``lxml``) before it is returned: a file that does not validate is an
error, never output.

Rules (see ``docs/sepa.md``):

- Amounts are integer cents (``int``; a float, a bool or a string is refused) from 1
  up to 99,999,999,999 (the largest amount the EPC allows, € 999,999,999.99), written
  exactly as ``EUR`` decimals.
- Names and remittance are transliterated to the EPC basic Latin set
  (:func:`buurtcore.sepa.charset.to_epc`). Names are cut at 70 characters (the EPC
  maximum; banks cut longer names anyway). Remittance longer than 140 characters
  after transliterating is **refused**, not cut: a cut reference can lose the invoice
  number the payee needs to recognise the payment.
- Batch id (message id and payment-information id) and end-to-end ids: 1 to 35 EPC
  characters, not starting or ending with ``/`` and without ``//``; end-to-end ids
  are unique within a batch.
- ``pain.001.001.09`` (the default) or ``pain.001.001.03``. Creditor addresses, when
  given, are structured (street, number, postcode, town, country); there are no
  unstructured address lines (Dutch banks refuse them from November 2026).

Examples
--------
>>> batch = batch_from_dict({
...     "debtor": {"name": "Stichting Welzijn Verbindt", "iban": "NL91ABNA0417164300"},
...     "execution_date": "2026-12-07", "batch_id": "UITBET-2026-0042",
...     "payments": [
...         {"name": "Zoë Çelik", "iban": "NL44RABO0123456789", "amount_cents": 1250,
...          "end_to_end_id": "EXP-118", "remittance": "Declaratie buurtfeest – bonnetje 118"},
...     ]})
>>> batch.payments[0].name, batch.payments[0].remittance, batch.debtor.bic
('Zoe Celik', 'Declaratie buurtfeest - bonnetje 118', 'ABNANL2A')
>>> xml = write_pain001(batch, created_at=datetime(2026, 12, 4, 19, 0))
>>> parsed = read_pain001(xml)
>>> parsed["version"], parsed["msg_id"], parsed["nb_of_txs"], parsed["ctrl_sum_cents"]
('pain.001.001.09', 'UITBET-2026-0042', 1, 1250)
>>> parsed["payments"][0]["amount_cents"], parsed["payments"][0]["name"]
(1250, 'Zoe Celik')
"""

from __future__ import annotations

import contextlib
import functools
import re
import xml.etree.ElementTree as ET  # noqa: N817
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .charset import is_epc_identifier, to_epc
from .iban import IbanError, check_iban

__all__ = [
    "MAX_AMOUNT_CENTS",
    "MAX_NAME",
    "MAX_REMITTANCE",
    "PAIN_VERSIONS",
    "Address",
    "Batch",
    "BatchError",
    "Debtor",
    "Payment",
    "Problem",
    "SchemaValidationError",
    "batch_from_dict",
    "cents_to_decimal",
    "read_pain001",
    "transfer_xml",
    "write_pain001",
]

#: The pain.001 versions this writer produces; the first is the default.
PAIN_VERSIONS = ("001.001.09", "001.001.03")
#: € 999,999,999.99, the largest amount of one SEPA credit transfer.
MAX_AMOUNT_CENTS = 99_999_999_999
MAX_NAME = 70
MAX_REMITTANCE = 140
MAX_ID = 35

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ADDRESS_FIELDS = {
    # our key: (sepaxml key, maximum length in pain.001.001.09)
    "street_name": ("street_name", 70),
    "building_number": ("building_number", 16),
    "postcode": ("postcode", 16),
    "town": ("town", 35),
    "country": ("country", 2),
}


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Address:
    """A structured postal address (all optional except the country)."""

    country: str
    town: str = ""
    postcode: str = ""
    street_name: str = ""
    building_number: str = ""

    def as_sepaxml(self) -> dict[str, str]:
        return {key: value for key in _ADDRESS_FIELDS if (value := getattr(self, key))}


@dataclass(frozen=True)
class Debtor:
    """The account the money leaves from."""

    name: str
    iban: str
    bic: str | None = None


@dataclass(frozen=True)
class Payment:
    """One credit transfer; ``name`` and ``remittance`` are already EPC text."""

    name: str
    iban: str
    amount_cents: int
    end_to_end_id: str
    remittance: str = ""
    bic: str | None = None
    address: Address | None = None


@dataclass(frozen=True)
class Batch:
    """A checked payout batch (build it with :func:`batch_from_dict`)."""

    debtor: Debtor
    execution_date: date
    batch_id: str
    payments: tuple[Payment, ...] = field(default_factory=tuple)

    @property
    def total_cents(self) -> int:
        """The control sum: every amount added up, exactly."""
        return sum(p.amount_cents for p in self.payments)


@dataclass(frozen=True)
class Problem:
    """One reason a batch is refused; ``index`` is the payment's index (0-based) or None."""

    en: str
    nl: str
    index: int | None = None
    who: str = ""

    def text(self, lang: str = "en") -> str:
        body = self.nl if lang == "nl" else self.en
        if self.index is None:
            return body
        return f"payments[{self.index}]{self.who}: {body}"


class BatchError(ValueError):
    """A batch that cannot be written; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.text("en") for p in self.problems))
        self.message = str(self)
        self.message_nl = "; ".join(p.text("nl") for p in self.problems)


class SchemaValidationError(ValueError):
    """The written XML does not validate against the pain.001 schema (a bug or bad data)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.message_nl = f"het SEPA-bestand klopt niet met het XML-schema: {message}"


# --------------------------------------------------------------------------- checking


def _who(raw: Mapping[str, Any]) -> str:
    parts = []
    name = raw.get("name")
    if isinstance(name, str) and name.strip():
        parts.append(repr(name.strip())[:60])
    e2e = raw.get("end_to_end_id")
    if isinstance(e2e, str) and e2e.strip():
        parts.append(f"end-to-end id {e2e.strip()!r}")
    return f" ({', '.join(parts)})" if parts else ""


def _name(value: Any, what: str, what_nl: str) -> tuple[str | None, Problem | None]:
    if not isinstance(value, str) or not value.strip():
        return None, Problem(f"the {what} is missing", f"de {what_nl} ontbreekt")
    text = to_epc(value)
    if not text:
        return None, Problem(
            f"the {what} {value!r} has no letters or digits a bank accepts",
            f"de {what_nl} {value!r} heeft geen letters of cijfers die een bank accepteert",
        )
    return text[:MAX_NAME].rstrip(), None


def _amount(value: Any) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return Problem(
            f"amount_cents must be a whole number of cents, not {value!r}",
            f"amount_cents moet een heel aantal centen zijn, niet {value!r}",
        )
    if value <= 0:
        return Problem(
            f"the amount must be more than 0 cents, not {value}",
            f"het bedrag moet groter zijn dan 0 cent, niet {value}",
        )
    if value > MAX_AMOUNT_CENTS:
        return Problem(
            f"the amount {cents_to_decimal(value)} is above the SEPA maximum of "
            f"{cents_to_decimal(MAX_AMOUNT_CENTS)}",
            f"het bedrag {cents_to_decimal(value)} is hoger dan het SEPA-maximum van "
            f"{cents_to_decimal(MAX_AMOUNT_CENTS)}",
        )
    return None


def _identifier(value: Any, what: str, what_nl: str) -> tuple[str | None, Problem | None]:
    if not isinstance(value, str) or not value.strip():
        return None, Problem(f"the {what} is missing", f"het {what_nl} ontbreekt")
    text = value.strip()
    if not is_epc_identifier(text, MAX_ID):
        return None, Problem(
            f"the {what} {text!r} must be 1 to {MAX_ID} characters from a-z A-Z 0-9 "
            "/ - ? : ( ) . , ' + and spaces, without // and not starting or ending with /",
            f"het {what_nl} {text!r} moet 1 tot {MAX_ID} tekens hebben uit a-z A-Z 0-9 "
            "/ - ? : ( ) . , ' + en spaties, zonder // en niet beginnend of eindigend met /",
        )
    return text, None


def _bic(value: Any) -> tuple[str | None, Problem | None]:
    if value is None or value == "":
        return None, None
    from schwifty import BIC, exceptions

    try:
        return str(BIC(str(value).strip())), None
    except (exceptions.SchwiftyException, ValueError):
        return None, Problem(f"{value!r} is not a valid BIC", f"{value!r} is geen geldige BIC")


def _iban(value: Any) -> tuple[Any, Problem | None]:
    try:
        return check_iban(value if isinstance(value, str) else ""), None
    except IbanError as err:
        return None, Problem(err.message, err.message_nl)


def _address(value: Any) -> tuple[Address | None, Problem | None]:
    if value is None:
        return None, None
    if not isinstance(value, Mapping):
        return None, Problem(
            "the address must be an object with street_name, building_number, postcode, "
            "town and country",
            "het adres moet een object zijn met street_name, building_number, postcode, "
            "town en country",
        )
    unknown = sorted(set(value) - set(_ADDRESS_FIELDS))
    if unknown:
        return None, Problem(
            f"the address has unknown fields {', '.join(unknown)}: only structured "
            "addresses (street_name, building_number, postcode, town, country) are allowed",
            f"het adres heeft onbekende velden {', '.join(unknown)}: alleen een "
            "gestructureerd adres (street_name, building_number, postcode, town, country) "
            "mag",
        )
    country = value.get("country")
    if not isinstance(country, str) or not re.fullmatch(r"[A-Z]{2}", country.strip()):
        return None, Problem(
            "the address needs a two-letter country code such as NL",
            "het adres heeft een landcode van twee letters nodig, zoals NL",
        )
    parts: dict[str, str] = {}
    for key, (_, limit) in _ADDRESS_FIELDS.items():
        raw = value.get(key)
        if raw is None or key == "country":
            continue
        text = to_epc(str(raw))
        if len(text) > limit:
            return None, Problem(
                f"the address field {key} is longer than {limit} characters",
                f"het adresveld {key} is langer dan {limit} tekens",
            )
        parts[key] = text
    if not parts.get("town"):
        # EPC: a structured address has at least a town and a country.
        return None, Problem(
            "the address needs at least a town and a country",
            "het adres heeft minstens een plaats (town) en een land (country) nodig",
        )
    return Address(country=country.strip(), **parts), None


def batch_from_dict(data: Any) -> Batch:
    """Check a batch given as plain data (the ``BATCH.json`` shape) and normalise it.

    Parameters
    ----------
    data : dict
        ``{"debtor": {"name", "iban", "bic"?}, "execution_date": "YYYY-MM-DD",
        "batch_id", "payments": [{"name", "iban", "amount_cents", "end_to_end_id",
        "remittance"?, "bic"?, "address"?}]}``.

    Returns
    -------
    Batch
        IBANs compact, names and remittance transliterated, the debtor's BIC derived
        from its IBAN when not given and the registry knows it.

    Raises
    ------
    BatchError
        Listing every problem, each payment named by index, name and end-to-end id.

    Examples
    --------
    >>> batch_from_dict({"debtor": {"name": "Host", "iban": "NL91ABNA0417164300"},
    ...     "execution_date": "2026-12-07", "batch_id": "B1",
    ...     "payments": [{"name": "Ann", "iban": "NL91ABNA0417164300", "amount_cents": 0,
    ...                   "end_to_end_id": "E1"}]})
    Traceback (most recent call last):
    ...
    buurtcore.sepa.transfer.BatchError: payments[0] ('Ann', end-to-end id 'E1'): the amount must be more than 0 cents, not 0
    """  # noqa: E501
    if not isinstance(data, Mapping):
        raise BatchError(
            [Problem("the batch must be a JSON object", "de batch moet een JSON-object zijn")]
        )
    problems: list[Problem] = []

    def debtor_problem(p: Problem) -> None:
        problems.append(Problem("debtor: " + p.en, "opdrachtgever (debtor): " + p.nl))

    raw_debtor = data.get("debtor")
    debtor = None
    if not isinstance(raw_debtor, Mapping):
        problems.append(
            Problem(
                "the debtor (name and iban of the paying account) is missing",
                "de opdrachtgever (debtor: naam en IBAN van de betalende rekening) ontbreekt",
            )
        )
    else:
        name, p1 = _name(raw_debtor.get("name"), "name", "naam")
        info, p2 = _iban(raw_debtor.get("iban"))
        bic, p3 = _bic(raw_debtor.get("bic"))
        for p in (p1, p2, p3):
            if p:
                debtor_problem(p)
        if name and info:
            debtor = Debtor(name=name, iban=info.iban, bic=bic or info.bic)

    execution_date = None
    raw_date = data.get("execution_date")
    if isinstance(raw_date, str) and _DATE.fullmatch(raw_date.strip()):
        with contextlib.suppress(ValueError):
            execution_date = date.fromisoformat(raw_date.strip())
    if execution_date is None:
        problems.append(
            Problem(
                f"execution_date must be a date as YYYY-MM-DD, not {raw_date!r}",
                f"execution_date moet een datum zijn als JJJJ-MM-DD, niet {raw_date!r}",
            )
        )

    batch_id, p = _identifier(data.get("batch_id"), "batch_id", "batch_id")
    if p:
        problems.append(p)

    raw_payments = data.get("payments")
    payments: list[Payment] = []
    if not isinstance(raw_payments, list) or not raw_payments:
        problems.append(
            Problem(
                "payments must be a non-empty list",
                "payments moet een lijst met minstens één betaling zijn",
            )
        )
        raw_payments = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_payments):
        if not isinstance(raw, Mapping):
            problems.append(
                Problem(
                    "a payment must be a JSON object",
                    "een betaling moet een JSON-object zijn",
                    index,
                )
            )
            continue
        who = _who(raw)
        mine: list[Problem] = []
        name, p = _name(raw.get("name"), "payee name", "naam van de ontvanger")
        mine.append(p)
        info, p = _iban(raw.get("iban"))
        mine.append(p)
        amount = raw.get("amount_cents")
        mine.append(_amount(amount))
        e2e, p = _identifier(raw.get("end_to_end_id"), "end_to_end_id", "end_to_end_id")
        mine.append(p)
        if e2e is not None:
            if e2e in seen:
                mine.append(
                    Problem(
                        f"the end-to-end id {e2e!r} is also used by payments[{seen[e2e]}]",
                        f"het end-to-end-kenmerk {e2e!r} wordt ook gebruikt door "
                        f"payments[{seen[e2e]}]",
                    )
                )
            else:
                seen[e2e] = index
        remittance = ""
        raw_rem = raw.get("remittance")
        if raw_rem is not None and not isinstance(raw_rem, str):
            mine.append(Problem("remittance must be text", "remittance moet tekst zijn"))
        elif raw_rem:
            remittance = to_epc(raw_rem)
            if len(remittance) > MAX_REMITTANCE:
                mine.append(
                    Problem(
                        f"the remittance is {len(remittance)} characters; at most "
                        f"{MAX_REMITTANCE} are allowed",
                        f"de omschrijving is {len(remittance)} tekens; er mogen er hoogstens "
                        f"{MAX_REMITTANCE} zijn",
                    )
                )
        bic, p = _bic(raw.get("bic"))
        mine.append(p)
        address, p = _address(raw.get("address"))
        mine.append(p)
        found = [p for p in mine if p]
        if found:
            problems.extend(Problem(p.en, p.nl, index, who) for p in found)
            continue
        payments.append(
            Payment(
                name=name,
                iban=info.iban,
                amount_cents=amount,
                end_to_end_id=e2e,
                remittance=remittance,
                bic=bic,
                address=address,
            )
        )
    if problems:
        raise BatchError(problems)
    return Batch(
        debtor=debtor,
        execution_date=execution_date,
        batch_id=batch_id,
        payments=tuple(payments),
    )


# --------------------------------------------------------------------------- writing


def cents_to_decimal(cents: int) -> str:
    """Integer cents as an exact decimal string with two decimals.

    >>> cents_to_decimal(1), cents_to_decimal(1250), cents_to_decimal(99_999_999_999)
    ('0.01', '12.50', '999999999.99')
    """
    if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
        raise ValueError(f"expected a non-negative whole number of cents, got {cents!r}")
    euros, rest = divmod(cents, 100)
    return f"{euros}.{rest:02d}"


def _decimal_to_cents(text: str) -> int:
    euros, _, frac = text.strip().partition(".")
    if len(frac) > 2 or not euros.isdigit() or (frac and not frac.isdigit()):
        raise ValueError(f"not an amount with at most two decimals: {text!r}")
    return int(euros) * 100 + int(frac.ljust(2, "0") or "0")


def _schema_path(schema: str) -> Path:
    import sepaxml

    return Path(sepaxml.__file__).resolve().parent / "schemas" / f"{schema}.xsd"


def _safe_parser():
    from lxml import etree

    # No entities, no DTDs fetched, no network: the schema files and our own output only.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@functools.cache
def _schema(schema: str):
    """The XSD as a libxml2 schema (``lxml``): it loads in milliseconds and validates a
    file of 2,000 payments in under a tenth of a second (pure-Python ``xmlschema``,
    which the tests use to validate once more, takes about ten times as long)."""
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(_schema_path(schema)), _safe_parser()))


def _schema_name(pain: str) -> str:
    version = pain.removeprefix("pain.")
    if version not in PAIN_VERSIONS:
        raise ValueError(f"unknown pain version {pain!r}; choose one of {', '.join(PAIN_VERSIONS)}")
    return f"pain.{version}"


def write_pain001(
    batch: Batch,
    pain: str = PAIN_VERSIONS[0],
    *,
    created_at: datetime | None = None,
    validate: bool = True,
) -> bytes:
    """Write a checked batch as a pain.001 credit-transfer file.

    Parameters
    ----------
    batch : Batch
        From :func:`batch_from_dict`.
    pain : str
        ``"001.001.09"`` (default) or ``"001.001.03"``.
    created_at : datetime, optional
        The creation time in the group header (default: now, local time).
    validate : bool
        Validate against the bundled XML schema (keep it on; off only to inspect a
        broken file while debugging).

    Returns
    -------
    bytes
        UTF-8 XML with an XML declaration.

    Raises
    ------
    SchemaValidationError
        When the XML does not validate; nothing is returned then.
    """
    from sepaxml import SepaTransfer

    schema = _schema_name(pain)
    stamp = (created_at or datetime.now()).replace(microsecond=0).isoformat()

    class _Transfer(SepaTransfer):
        # Our batch id as message id and payment-information id, a fixed creation time,
        # no empty remittance, and "NOTPROVIDED" when the debtor's BIC is unknown.
        def _create_header(self) -> None:
            self.msg_id = batch.batch_id
            super()._create_header()
            self._xml.find("CstmrCdtTrfInitn/GrpHdr/CreDtTm").text = stamp

        def _finalize_batch(self) -> None:
            for nodes in self._batches.values():
                for tx in nodes:
                    rmt = tx.find("RmtInf")
                    if rmt is not None and not (rmt.findtext("Ustrd") or ""):
                        tx.remove(rmt)
            super()._finalize_batch()
            for pmt_inf in self._xml.iter("PmtInf"):
                pmt_inf.find("PmtInfId").text = batch.batch_id
                fin = pmt_inf.find("DbtrAgt/FinInstnId")
                if fin is not None and len(fin) == 0:
                    other = ET.SubElement(fin, "Othr")
                    ET.SubElement(other, "Id").text = "NOTPROVIDED"

    config: dict[str, Any] = {
        "name": batch.debtor.name,
        "IBAN": batch.debtor.iban,
        "batch": True,
        "currency": "EUR",
    }
    if batch.debtor.bic:
        config["BIC"] = batch.debtor.bic
    sepa = _Transfer(config, schema=schema, clean=False)
    for payment in batch.payments:
        item: dict[str, Any] = {
            "name": payment.name,
            "IBAN": payment.iban,
            "amount": payment.amount_cents,
            "execution_date": batch.execution_date,
            "description": payment.remittance,
            "endtoend_id": payment.end_to_end_id,
        }
        if payment.bic:
            item["BIC"] = payment.bic
        if payment.address:
            item["address"] = payment.address.as_sepaxml()
        sepa.add_payment(item)
    xml = sepa.export(validate=False)
    if validate:
        check_schema(xml, schema)
    return xml


def check_schema(xml: bytes, pain: str = PAIN_VERSIONS[0]) -> None:
    """Validate a pain.001 file against its bundled XSD; :class:`SchemaValidationError`
    names the first problem and where it is."""
    from lxml import etree

    checker = _schema(_schema_name(pain))
    if not checker.validate(etree.fromstring(xml, _safe_parser())):
        errors = list(checker.error_log)
        first = errors[0]
        raise SchemaValidationError(
            f"{len(errors)} schema error(s), first at {first.path or ''}: {first.message}"
        )


def transfer_xml(data: Any, pain: str = PAIN_VERSIONS[0], **kwargs: Any) -> bytes:
    """:func:`batch_from_dict` and :func:`write_pain001` in one step."""
    return write_pain001(batch_from_dict(data), pain, **kwargs)


# --------------------------------------------------------------------------- reading


def schema_errors(xml: bytes | str) -> list[str]:
    """The XML-schema errors of a pain.001 file, checked against the XSD of the version its
    namespace names (an empty list: the file is valid). ``ValueError`` for a document that
    is no pain.001 of a supported version.

    >>> empty = b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>'
    >>> errors = schema_errors(empty)
    >>> len(errors), "Missing child element" in errors[0], "CstmrCdtTrfInitn" in errors[0]
    (1, True, True)
    """
    from lxml import etree

    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    root = etree.fromstring(data, _safe_parser())
    version = etree.QName(root).namespace.rsplit(":", 1)[-1] if etree.QName(root).namespace else ""
    checker = _schema(_schema_name(version))
    if checker.validate(root):
        return []
    return [f"{error.path or '/'}: {error.message}" for error in checker.error_log]


def read_pain001(xml: bytes | str) -> dict[str, Any]:
    """Read back the essentials of a pain.001 file (to check what was written).

    Returns ``{"version", "msg_id", "nb_of_txs", "ctrl_sum_cents", "payment_infos":
    [{"id", "batch_booking", "execution_date", "nb_of_txs", "ctrl_sum_cents"}],
    "execution_date", "debtor": {"name", "iban", "bic"}, "payments": [{"name", "iban",
    "amount_cents", "currency", "end_to_end_id", "remittance"}]}`` (debtor and execution
    date of the first payment-information block). Amounts are exact integer cents.
    """
    root = ET.fromstring(xml)  # noqa: S314 - our own output, or a file a person chose
    namespace = root.tag.partition("}")[0].lstrip("{")
    version = namespace.rsplit(":", 1)[-1]
    ns = {"p": namespace}

    def text(node: ET.Element, path: str) -> str | None:
        found = node.find(path, ns)
        return found.text if found is not None else None

    init = root.find("p:CstmrCdtTrfInitn", ns)
    header = init.find("p:GrpHdr", ns)
    result: dict[str, Any] = {
        "version": version,
        "msg_id": text(header, "p:MsgId"),
        "nb_of_txs": int(text(header, "p:NbOfTxs")),
        "ctrl_sum_cents": _decimal_to_cents(text(header, "p:CtrlSum")),
        "payment_infos": [],
        "payments": [],
    }
    for pmt_inf in init.findall("p:PmtInf", ns):
        exec_date = text(pmt_inf, "p:ReqdExctnDt/p:Dt") or text(pmt_inf, "p:ReqdExctnDt")
        result["payment_infos"].append(
            {
                "id": text(pmt_inf, "p:PmtInfId"),
                "batch_booking": text(pmt_inf, "p:BtchBookg") == "true",
                "execution_date": exec_date,
                "nb_of_txs": int(text(pmt_inf, "p:NbOfTxs")),
                "ctrl_sum_cents": _decimal_to_cents(text(pmt_inf, "p:CtrlSum")),
            }
        )
        result.setdefault("execution_date", exec_date)
        result.setdefault(
            "debtor",
            {
                "name": text(pmt_inf, "p:Dbtr/p:Nm"),
                "iban": text(pmt_inf, "p:DbtrAcct/p:Id/p:IBAN"),
                "bic": text(pmt_inf, "p:DbtrAgt/p:FinInstnId/p:BICFI")
                or text(pmt_inf, "p:DbtrAgt/p:FinInstnId/p:BIC"),
            },
        )
        for tx in pmt_inf.findall("p:CdtTrfTxInf", ns):
            amount = tx.find("p:Amt/p:InstdAmt", ns)
            result["payments"].append(
                {
                    "name": text(tx, "p:Cdtr/p:Nm"),
                    "iban": text(tx, "p:CdtrAcct/p:Id/p:IBAN"),
                    "amount_cents": _decimal_to_cents(amount.text),
                    "currency": amount.get("Ccy"),
                    "end_to_end_id": text(tx, "p:PmtId/p:EndToEndId"),
                    "remittance": text(tx, "p:RmtInf/p:Ustrd") or "",
                }
            )
    return result
