"""Code letters: one PDF page per code, a QR code to the ballot, addresses never stored."""

import io
import logging
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots import letters, services
from buurtbasis.ballots.models import Ballot, LetterRun, VotingCode
from buurtbasis.ballots.views import InMemoryOnlyUploadHandler
from buurtbasis.budgets.tests.factories import civil_servant_for
from buurtbasis.platform.models import AuditEvent

from .factories import voting_round
from .queue import queued, run_queued_tasks

pytestmark = pytest.mark.django_db

pypdf = pytest.importorskip("pypdf")

ADDRESSES = (
    "naam;straat;postcode;plaats\n"
    "Zwaantje Oudekerk-Blom;Klaprooslaan 17;9403 QX;Assen\n"
    "Fenna Hoogeveen;Eikenlaan 3a;9401 RB;Assen\n"
    "Bewoner;Kornoeljestraat 121;9404 VD;Assen\n"
)
SECRETS_IN_FILE = ["Zwaantje", "Oudekerk", "Klaprooslaan", "9403 QX", "Kornoeljestraat", "Fenna"]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """The private storage of these tests is a fresh folder."""
    from django.core.files.storage import storages

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storages._storages.pop("private", None)
    yield settings.PRIVATE_MEDIA_ROOT
    storages._storages.pop("private", None)


def _print(client, budget_round, **data):
    """Ask for letters as the page does; the request only enqueues the printing."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("ballots:letters", args=[budget_round.slug]), data)


def _print_and_download(client, budget_round, **data) -> bytes:
    response = _print(client, budget_round, **data)
    assert response.status_code == 303
    assert response["Location"] == reverse("ballots:manage", args=[budget_round.slug])
    assert VotingCode.objects.count() == 0  # nothing was made or printed in the request
    run = LetterRun.objects.get()
    assert run.status == "pending"
    assert [r.return_value for r in run_queued_tasks()] == ["printed"]
    run.refresh_from_db()
    assert run.status == "done" and run.printed == run.count
    download = client.get(reverse("ballots:letters-download", args=[budget_round.slug, run.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "no-store"
    assert download["Content-Disposition"].startswith("attachment;")
    return b"".join(download.streaming_content)


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
    pages = _pages(_print_and_download(client, budget_round, addresses=upload))
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


def test_it_never_stores_or_logs_the_address_file_beyond_printing(client, caplog, private_root):
    caplog.set_level(logging.DEBUG)
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    upload = SimpleUploadedFile("adressen.csv", ADDRESSES.encode(), content_type="text/csv")
    pdf = _print_and_download(client, budget_round, addresses=upload)
    assert "Zwaantje" in _pages(pdf)[0].extract_text()
    dump = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (table names from the models)
            dump.append(repr(cursor.fetchall()))
    everything = "\n".join(dump) + "\n".join(r.getMessage() for r in caplog.records)
    for secret in SECRETS_IN_FILE:
        assert secret not in everything
    # in private storage only the PDF is left: the address list went after printing
    files = [p for p in private_root.rglob("*") if p.is_file()]
    assert [p.suffix for p in files] == [".pdf"]
    assert LetterRun.objects.get().addresses_file == ""
    event = AuditEvent.objects.get(action="ballots.codes_generated")
    assert event.details == {"count": 3, "batch": event.details["batch"], "with_addresses": True}


def test_letters_wait_in_private_storage_outside_the_public_media(client, settings, private_root):
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    _print_and_download(client, budget_round, count=1)
    run = LetterRun.objects.get()
    stored = private_root / run.file
    assert stored.is_file()
    assert not stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert oct(stored.stat().st_mode & 0o777) == oct(0o600)


def test_it_keeps_the_upload_in_memory_only():
    assert issubclass(InMemoryOnlyUploadHandler, MemoryFileUploadHandler)
    assert not issubclass(InMemoryOnlyUploadHandler, TemporaryFileUploadHandler)


def test_it_prints_letters_without_addresses(client):
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    pages = _pages(_print_and_download(client, budget_round, count=2))
    assert len(pages) == 2
    assert "Aan de bewoner" in pages[1].extract_text()


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


def test_the_command_prints_letters_to_a_file(tmp_path):
    from django.core.management import call_command

    budget_round, _plans = voting_round()
    csv_file = tmp_path / "adressen.csv"
    csv_file.write_text(ADDRESSES, encoding="utf-8")
    out = tmp_path / "brieven.pdf"
    call_command("print_code_letters", budget_round.slug, addresses=csv_file, out=out)
    assert len(_pages(out.read_bytes())) == 3 == VotingCode.objects.count()


def test_there_is_no_limit_of_100_letters_on_the_page(client):
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    response = _print(client, budget_round, count=5000)
    assert response.status_code == 303
    assert LetterRun.objects.get().count == 5000
    assert queued("print_letters_task").count() == 1


def test_large_runs_are_printed_in_chunks_in_order(client, monkeypatch):
    monkeypatch.setattr(letters, "LETTERS_PER_CHUNK", 2)
    rendered = []
    original = letters.render_letters_pdf

    def spy(budget_round, plain_codes, addresses=None):
        rendered.append(len(plain_codes))
        return original(budget_round, plain_codes, addresses)

    monkeypatch.setattr(letters, "render_letters_pdf", spy)
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    pdf = _print_and_download(client, budget_round, count=5)
    assert rendered == [2, 2, 1]
    texts = [page.extract_text() for page in _pages(pdf)]
    assert len(texts) == 5
    codes_in_order = [t.split("Uw stemcode:")[1].split()[0] for t in texts]
    assert len(set(codes_in_order)) == 5
    assert all(services.find_voting_code(budget_round, c) for c in codes_in_order)


def test_a_failed_run_is_shown_keeps_no_codes_and_can_be_retried(client, monkeypatch):
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    upload = SimpleUploadedFile("adressen.csv", ADDRESSES.encode(), content_type="text/csv")

    def broken(*args, **kwargs):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(letters, "render_letters_pdf", broken)
    _print(client, budget_round, addresses=upload)
    [row] = run_queued_tasks()
    assert row.status == "FAILED"
    run = LetterRun.objects.get()
    assert (run.status, run.error) == ("failed", "RuntimeError: printer on fire")
    assert VotingCode.objects.count() == 0  # nobody saw those codes: they are gone
    assert run.addresses_file  # kept for another attempt
    page = client.get(reverse("ballots:manage", args=[budget_round.slug]))
    assert "printer on fire" in page.content.decode()

    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("ballots:letters-retry", args=[budget_round.slug, run.pk]))
    run_queued_tasks()
    run.refresh_from_db()
    assert run.status == "done" and run.addresses_file == ""
    assert VotingCode.objects.count() == 3


def test_only_who_manages_the_round_downloads_the_letters(client):
    budget_round, _plans = voting_round()
    officer = civil_servant_for(budget_round)
    client.force_login(officer)
    _print_and_download(client, budget_round, count=1)
    run = LetterRun.objects.get()
    url = reverse("ballots:letters-download", args=[budget_round.slug, run.pk])
    other_round, _ = voting_round()
    for person in (UserFactory(), civil_servant_for(other_round)):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(civil_servant_for(other_round))
    elsewhere = reverse("ballots:letters-download", args=[other_round.slug, run.pk])
    assert client.get(elsewhere).status_code == 404


def test_deleting_removes_the_pdf(client, private_root):
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    _print_and_download(client, budget_round, count=1)
    run = LetterRun.objects.get()
    assert (private_root / run.file).is_file()
    stored = private_root / run.file
    client.post(reverse("ballots:letters-delete", args=[budget_round.slug, run.pk]))
    run.refresh_from_db()
    assert run.status == "deleted" and not stored.exists()
    url = reverse("ballots:letters-download", args=[budget_round.slug, run.pk])
    assert client.get(url).status_code == 404


def test_the_list_polls_while_printing_and_stops_when_ready(client):
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    _print(client, budget_round, count=1)
    page = client.get(reverse("ballots:manage", args=[budget_round.slug])).content.decode()
    assert 'hx-trigger="every 3s"' in page
    run = LetterRun.objects.get()
    url = reverse("ballots:letter-runs", args=[budget_round.slug])
    assert client.get(url, {"seen": f"{run.pk}:pending:0"}).status_code == 204
    run_queued_tasks()
    ready = client.get(url, {"seen": f"{run.pk}:pending:0"}).content.decode()
    assert "hx-trigger" not in ready
    assert reverse("ballots:letters-download", args=[budget_round.slug, run.pk]) in ready


def test_old_pdfs_are_deleted_by_the_daily_job(client, settings, private_root):
    from datetime import timedelta

    from django.utils import timezone

    from buurtbasis.ballots.tasks import purge_old_letters
    from buurtbasis.platform import schedule

    jobs = {job.name: job for job in schedule.registered()}
    assert jobs["ballots.purge_old_letters"].task is purge_old_letters
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    _print_and_download(client, budget_round, count=1)
    run = LetterRun.objects.get()
    stored = private_root / run.file
    purge_old_letters.call()
    assert stored.exists()  # still young
    LetterRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(days=settings.LETTERS_KEEP_DAYS + 1)
    )
    assert purge_old_letters.call() == 1
    run.refresh_from_db()
    assert run.status == "deleted" and not stored.exists()


def test_a_second_task_never_takes_over_a_run_that_is_being_printed(client):
    """An automatic retry arriving while a manual retry prints would discard the codes
    being printed, so the PDF would hold codes that no longer exist."""
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    _print(client, budget_round, count=2)
    run = LetterRun.objects.get()
    first = services.start_letter_run(run.pk)
    assert first is not None and first.status == "running"
    codes = services.letter_codes(first)
    assert services.start_letter_run(run.pk) is None  # the second task steps aside
    assert VotingCode.objects.count() == len(codes)


def test_a_run_whose_worker_died_can_be_printed_again_or_deleted(client):
    from django.utils import timezone

    budget_round, _plans = voting_round()
    officer = civil_servant_for(budget_round)
    client.force_login(officer)
    _print(client, budget_round, count=2)
    run = LetterRun.objects.get()
    services.letter_codes(services.start_letter_run(run.pk))  # then the worker dies
    run.refresh_from_db()
    assert not run.can_retry
    with pytest.raises(services.VotingError):
        services.retry_letter_run(run=run, actor=officer)
    LetterRun.objects.filter(pk=run.pk).update(
        started_at=timezone.now() - LetterRun.STUCK_AFTER * 2
    )
    run.refresh_from_db()
    assert run.is_stuck and run.can_retry
    page = client.get(reverse("ballots:manage", args=[budget_round.slug])).content.decode()
    assert reverse("ballots:letters-retry", args=[budget_round.slug, run.pk]) in page
    services.delete_letter_run(run=run, actor=officer)
    run.refresh_from_db()
    assert run.status == "deleted"
    assert VotingCode.objects.count() == 0  # nobody ever received these codes
