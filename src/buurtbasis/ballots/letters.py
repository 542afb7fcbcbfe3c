"""Code letters: read the address file in memory, print one page per code as a PDF.

The address file is parsed from memory in the request; error messages name a line
number, never the content of a line. The parsed addresses wait for the worker in
private storage (never in the database or the logs) and are deleted once the
letters are printed. A worker (:func:`print_run`) makes the codes and renders the
letters in chunks of ``LETTERS_PER_CHUNK`` pages, so memory stays bounded for any
number of letters; the PDF goes to private storage, which has no URL: only who
may manage the round downloads it, through a view that checks that.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.budgets.models import BudgetRound
from buurtbasis.platform.tenancy import path_without_prefix, site_url
from buurtbasis.platform.uploads import private_storage

MAX_ADDRESSES = 50_000  # as many as one run of codes (services.MAX_CODES_PER_RUN)
MAX_FILE_BYTES = 10 * 1024 * 1024
# WeasyPrint keeps a whole document's layout in memory (1,000 letters at once: 517 MB
# peak); chunks of this many letters are rendered one after the other and joined
# (1,000 letters: 219 MB, 2,000: 252 MB).
LETTERS_PER_CHUNK = 200

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
                ngettext(
                    "At most %(max)s address per file. Split the file.",
                    "At most %(max)s addresses per file. Split the file.",
                    MAX_ADDRESSES,
                )
                % {"max": MAX_ADDRESSES}
            )
    if not addresses:
        raise AddressFileError(_("The file has no addresses."))
    return addresses


def round_site_url(budget_round: BudgetRound) -> str:
    """The address of the round's municipality (``platform.tenancy.site_url``), so a voter
    sees that municipality's pages and the links to its plans work (three queries)."""
    area = budget_round.areas.order_by("pk").first()
    return site_url(area.municipality_code if area is not None else None)


def ballot_url(budget_round: BudgetRound, code: str | None = None, *, site: str = "") -> str:
    """The round's voting page to type in; with a code, the ballot itself (for the QR code).

    On ``site``, by default the address of the round's municipality (``round_site_url``;
    pass it when making many URLs).
    """
    site = site or round_site_url(budget_round)
    if code is None:
        return site + path_without_prefix(reverse("ballots:start", args=[budget_round.slug]))
    path = path_without_prefix(reverse("ballots:ballot", args=[budget_round.slug]))
    return f"{site}{path}?{urlencode({'code': code})}"


# The code on a sample letter: never stored, and not even a well-formed code (voting codes
# never contain a U, see ``codes.normalise_code``), so it can never open a ballot.
PREVIEW_CODE = "VOOR-BEEL-DUUU"
PREVIEW_ADDRESS = Address(
    name="A. Voorbeeld", street="Voorbeeldstraat 1", postcode="1234 AB", place="Voorbeeld"
)


def render_preview_pdf(budget_round: BudgetRound) -> bytes:
    """One sample letter, exactly as a run prints it but with a code that does not exist."""
    return render_letters_pdf(budget_round, [PREVIEW_CODE], [PREVIEW_ADDRESS], preview=True)


def qr_data_uri(url: str) -> str:
    """A PNG QR code of ``url`` as a data URI (so the PDF needs no files)."""
    return segno.make(url, error="m").png_data_uri(scale=5, border=4)


def render_letters_html(
    budget_round: BudgetRound,
    plain_codes: list[str],
    addresses: list[Address] | None = None,
    *,
    preview: bool = False,
) -> str:
    from . import services

    phase = services.voting_phase(budget_round)
    site = round_site_url(budget_round)
    letters = [
        {
            "code": code,
            "url": ballot_url(budget_round, code, site=site),
            "qr": qr_data_uri(ballot_url(budget_round, code, site=site)),
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
            "start_url": ballot_url(budget_round, site=site),
            "organisation": budget_round.organisation,
            "preview": preview,
        },
    )


def render_letters_pdf(
    budget_round: BudgetRound,
    plain_codes: list[str],
    addresses: list[Address] | None = None,
    *,
    preview: bool = False,
) -> bytes:
    """One A4 page per code, as PDF bytes (WeasyPrint), in one go: for small runs."""
    from weasyprint import HTML

    html = render_letters_html(budget_round, plain_codes, addresses, preview=preview)
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def write_letters_pdf(
    out,
    budget_round: BudgetRound,
    plain_codes: list[str],
    addresses: list[Address] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    chunk: int | None = None,
) -> None:
    """Write one A4 page per code to the binary file ``out``, rendered in chunks.

    Each chunk is rendered by WeasyPrint and added to one PDF with pypdf, so the
    layout of at most one chunk is in memory at a time. ``progress`` hears the number
    of letters done after each chunk.
    """
    import pypdf

    chunk = chunk or LETTERS_PER_CHUNK
    writer = pypdf.PdfWriter()
    for start in range(0, len(plain_codes), chunk):
        part = render_letters_pdf(
            budget_round,
            plain_codes[start : start + chunk],
            addresses[start : start + chunk] if addresses else None,
        )
        writer.append(pypdf.PdfReader(io.BytesIO(part)))
        del part
        if progress is not None:
            progress(min(start + chunk, len(plain_codes)))
    writer.write(out)


# -- private storage and the background run --

logger = logging.getLogger(__name__)


def delete_private(name: str) -> None:
    if name:
        private_storage().delete(name)


def save_addresses(addresses: list[Address]) -> str:
    """Keep an address list for the worker; returns its name in private storage."""
    data = json.dumps([astuple(a) for a in addresses], ensure_ascii=False).encode("utf-8")
    return private_storage().save(
        f"letters/addresses-{secrets.token_hex(12)}.json", ContentFile(data)
    )


def load_addresses(name: str) -> list[Address]:
    with private_storage().open(name, "rb") as handle:
        return [Address(*row) for row in json.loads(handle.read().decode("utf-8"))]


def print_run(run_id: int) -> str:
    """What the letters task does: make the codes, print the letters, store the PDF.

    If anything fails, the run's codes are deleted again (nobody has seen them) and the
    error is kept on the run for the civil servant; the address list stays for a retry.
    """
    from . import services

    services.purge_old_letter_runs()
    run = services.start_letter_run(run_id)
    if run is None:
        return "skipped"
    name = ""
    try:
        addresses = load_addresses(run.addresses_file) if run.with_addresses else None
        plain = services.letter_codes(run)
        storage = private_storage()
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = f"letters/stemcodes-{run.budget_round.slug}-{stamp}-{secrets.token_hex(6)}.pdf"
        spool_dir = getattr(storage, "location", None)
        if spool_dir:
            Path(spool_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.TemporaryFile(dir=spool_dir) as spool:
            write_letters_pdf(
                spool,
                run.budget_round,
                plain,
                addresses,
                progress=lambda done: services.letter_progress(run.pk, done),
            )
            del plain, addresses
            size = spool.tell()
            spool.seek(0)
            name = storage.save(target, File(spool))
        services.finish_letter_run(run, file=name, size=size)
    except Exception as exc:
        logger.exception("printing letter run %s failed", run_id)
        delete_private(name)
        services.fail_letter_run(run, error=f"{type(exc).__name__}: {exc}")
        raise
    return "printed"
