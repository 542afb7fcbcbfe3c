"""Code letters: read the address file in memory, print one page per code as a PDF.

The address file is parsed from memory and thrown away with the request; nothing
of it is written to the database, to disk or to the logs. Error messages name a
line number, never the content of a line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from buurtbasis.budgets.models import BudgetRound

MAX_ADDRESSES = 5000
# One PDF per web request stays well within a request timeout (WeasyPrint renders a
# few letters per second on a busy 2-core machine); larger runs use the command
# ``manage.py print_code_letters``.
MAX_LETTERS_ONLINE = 100
MAX_FILE_BYTES = 10 * 1024 * 1024

HEADERS = {
    "name": ("name", "naam", "aanhef", "tenaamstelling"),
    "street": ("street", "straat", "adres", "address", "straat en huisnummer"),
    "postcode": ("postcode", "postal code", "zip"),
    "place": ("place", "plaats", "woonplaats", "city", "town"),
}


class AddressFileError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    street: str
    postcode: str
    place: str


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AddressFileError(_("The file could not be read. Save it as CSV (UTF-8)."))


def read_addresses(raw: bytes) -> list[Address]:
    """Parse an address file (comma or semicolon separated, with a header row).

    >>> raw = b"naam;straat;postcode;plaats\\nA. Jansen;Dorpsstraat 1;1234 AB;Ons Dorp\\n"
    >>> rows = read_addresses(raw)
    >>> rows[0].place
    'Ons Dorp'
    """
    if len(raw) > MAX_FILE_BYTES:
        raise AddressFileError(_("The file is too large (at most 10 MB)."))
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise AddressFileError(_("The file is empty.")) from None
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                columns[key] = i
                break
    missing = [key for key in ("street", "postcode", "place") if key not in columns]
    if missing:
        raise AddressFileError(
            _("The first row must name the columns: name, street, postcode, place.")
        )
    addresses: list[Address] = []
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            values = {key: row[i].strip() for key, i in columns.items()}
        except IndexError:
            raise AddressFileError(
                _("Line %(line)s has too few columns.") % {"line": line_number}
            ) from None
        if not (values["street"] and values["postcode"] and values["place"]):
            raise AddressFileError(
                _("Line %(line)s has no complete address.") % {"line": line_number}
            )
        addresses.append(
            Address(
                name=values.get("name", ""),
                street=values["street"],
                postcode=values["postcode"],
                place=values["place"],
            )
        )
        if len(addresses) > MAX_ADDRESSES:
            raise AddressFileError(
                _("At most %(max)s addresses per file. Split the file.") % {"max": MAX_ADDRESSES}
            )
    if not addresses:
        raise AddressFileError(_("The file has no addresses."))
    return addresses


def ballot_url(budget_round: BudgetRound, code: str | None = None) -> str:
    """The round's voting page to type in; with a code, the ballot itself (for the QR code)."""
    site = settings.SITE_URL.rstrip("/")
    if code is None:
        return site + reverse("ballots:start", args=[budget_round.slug])
    path = reverse("ballots:ballot", args=[budget_round.slug])
    return f"{site}{path}?{urlencode({'code': code})}"


def qr_data_uri(url: str) -> str:
    """A PNG QR code of ``url`` as a data URI (so the PDF needs no files)."""
    return segno.make(url, error="m").png_data_uri(scale=5, border=4)


def render_letters_html(
    budget_round: BudgetRound, plain_codes: list[str], addresses: list[Address] | None = None
) -> str:
    from . import services

    phase = services.voting_phase(budget_round)
    letters = [
        {
            "code": code,
            "url": ballot_url(budget_round, code),
            "qr": qr_data_uri(ballot_url(budget_round, code)),
            "address": addresses[i] if addresses else None,
        }
        for i, code in enumerate(plain_codes)
    ]
    return render_to_string(
        "ballots/letters.html",
        {
            "budget_round": budget_round,
            "letters": letters,
            "phase": phase,
            "start_url": ballot_url(budget_round),
            "organisation": budget_round.organisation,
        },
    )


def render_letters_pdf(
    budget_round: BudgetRound, plain_codes: list[str], addresses: list[Address] | None = None
) -> bytes:
    """One A4 page per code, as PDF bytes (WeasyPrint)."""
    from weasyprint import HTML

    html = render_letters_html(budget_round, plain_codes, addresses)
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()
