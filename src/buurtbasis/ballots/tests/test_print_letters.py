"""Code letters: one PDF page per code, a QR code to the ballot, addresses never stored."""

import io
import logging
from urllib.parse import parse_qs, urlparse

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.db import connection
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots import letters, services
from buurtbasis.ballots.models import Ballot, VotingCode
from buurtbasis.ballots.views import InMemoryOnlyUploadHandler
from buurtbasis.budgets.tests.factories import civil_servant_for
from buurtbasis.platform.models import AuditEvent

from .factories import voting_round

pytestmark = pytest.mark.django_db

pypdf = pytest.importorskip("pypdf")

ADDRESSES = (
    "naam;straat;postcode;plaats\n"
    "Zwaantje Oudekerk-Blom;Klaprooslaan 17;9403 QX;Assen\n"
    "Fenna Hoogeveen;Eikenlaan 3a;9401 RB;Assen\n"
    "Bewoner;Kornoeljestraat 121;9404 VD;Assen\n"
)
SECRETS_IN_FILE = ["Zwaantje", "Oudekerk", "Klaprooslaan", "9403 QX", "Kornoeljestraat", "Fenna"]


def _print(client, budget_round, **data):
    return client.post(reverse("ballots:letters", args=[budget_round.slug]), data)


def _pages(pdf: bytes):
    return pypdf.PdfReader(io.BytesIO(pdf)).pages


def _decode_qr(page) -> str:
    zxingcpp = pytest.importorskip("zxingcpp")
    images = list(page.images)
    assert images, "the letter has no QR image"
    found = zxingcpp.read_barcodes(images[0].image.convert("L"))
    assert found, "the QR code could not be read"
    return found[0].text


def test_it_prints_one_letter_per_address_with_a_working_qr_code(client):
    budget_round, plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    upload = SimpleUploadedFile("adressen.csv", ADDRESSES.encode(), content_type="text/csv")
    response = _print(client, budget_round, addresses=upload)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    pages = _pages(response.content)
    assert len(pages) == 3 == VotingCode.objects.count()
    first_page_text = pages[0].extract_text()
    assert "Zwaantje Oudekerk-Blom" in first_page_text
    url = _decode_qr(pages[0])
    parsed = urlparse(url)
    assert parsed.path == reverse("ballots:ballot", args=[budget_round.slug])
    code = parse_qs(parsed.query)["code"][0]
    assert code in first_page_text
    # The printed code works, once, for this round.
    vote = client.post(parsed.path, {"code": code, "plan": [plans[0].pk], "action": "confirm"})
    assert vote.status_code == 303
    assert Ballot.objects.get().voting_code == services.find_voting_code(budget_round, code)


def test_it_never_stores_or_logs_the_address_file(client, caplog):
    caplog.set_level(logging.DEBUG)
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    upload = SimpleUploadedFile("adressen.csv", ADDRESSES.encode(), content_type="text/csv")
    assert _print(client, budget_round, addresses=upload).status_code == 200
    dump = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (table names from the models)
            dump.append(repr(cursor.fetchall()))
    everything = "\n".join(dump) + "\n".join(r.getMessage() for r in caplog.records)
    for secret in SECRETS_IN_FILE:
        assert secret not in everything
    event = AuditEvent.objects.get(action="ballots.codes_generated")
    assert event.details == {"count": 3, "batch": event.details["batch"], "with_addresses": True}


def test_it_keeps_the_upload_in_memory_only():
    assert issubclass(InMemoryOnlyUploadHandler, MemoryFileUploadHandler)
    assert not issubclass(InMemoryOnlyUploadHandler, TemporaryFileUploadHandler)


def test_it_prints_letters_without_addresses(client):
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    response = _print(client, budget_round, count=2)
    assert len(_pages(response.content)) == 2
    assert "Aan de bewoner" in _pages(response.content)[1].extract_text()


def test_it_explains_a_bad_file_in_dutch_and_makes_no_codes(client):
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    bad = "naam;straat;postcode;plaats\nA. Jansen;Dorpsstraat 1;;Assen\n"
    upload = SimpleUploadedFile("adressen.csv", bad.encode(), content_type="text/csv")
    response = _print(client, budget_round, addresses=upload)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Regel 2 heeft geen volledig adres." in body
    assert "Dorpsstraat" not in body
    assert VotingCode.objects.count() == 0


def test_only_civil_servants_of_the_round_print_letters(client):
    budget_round, _plans = voting_round()
    client.force_login(UserFactory())
    assert _print(client, budget_round, count=2).status_code == 403
    assert VotingCode.objects.count() == 0


def test_it_reads_comma_files_with_english_headers():
    rows = letters.read_addresses(b"name,street,postcode,place\nA,B 1,1234 AB,C\n")
    assert rows == [letters.Address("A", "B 1", "1234 AB", "C")]
    with pytest.raises(letters.AddressFileError):
        letters.read_addresses(b"wie,wat\nx,y\n")


def test_printing_letters_needs_a_csrf_token():
    from django.test import Client

    budget_round, _plans = voting_round()
    client = Client(enforce_csrf_checks=True)
    client.force_login(civil_servant_for(budget_round))
    response = client.post(reverse("ballots:letters", args=[budget_round.slug]), {"count": 1})
    assert response.status_code == 403
    assert VotingCode.objects.count() == 0


def test_the_command_prints_large_runs_outside_the_web_request(tmp_path):
    from django.core.management import call_command

    budget_round, _plans = voting_round()
    csv_file = tmp_path / "adressen.csv"
    csv_file.write_text(ADDRESSES, encoding="utf-8")
    out = tmp_path / "brieven.pdf"
    call_command("print_code_letters", budget_round.slug, addresses=csv_file, out=out)
    assert len(_pages(out.read_bytes())) == 3 == VotingCode.objects.count()


def test_the_web_form_sends_large_address_files_to_the_command(client, monkeypatch):
    monkeypatch.setattr(letters, "MAX_LETTERS_ONLINE", 2)
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    upload = SimpleUploadedFile("adressen.csv", ADDRESSES.encode(), content_type="text/csv")
    response = _print(client, budget_round, addresses=upload)
    assert response.status_code == 400
    assert "print_code_letters" in response.content.decode()
    assert VotingCode.objects.count() == 0
