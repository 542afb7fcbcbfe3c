"""The photos of an accountability story go through the one upload service, like receipts:
cleaned, stored privately with the checksum of what is stored, and never left behind."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

from buurtbasis.hosting import accountability, services
from buurtbasis.hosting.models import GrantSource
from buurtbasis.hosting.models_reports import AccountabilityStory, StoryPhoto
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tests import images

from .factories import hosted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "buurtbasis.platform.uploads.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


def _files(tmp_path):
    root = tmp_path / "private"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _write(h, photos):
    grant = services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label="Initiatievenfonds 2026",
        amount_cents=10_000,
        date=datetime.date(2026, 3, 1),
        origin=h.as_officer,
    )
    return accountability.write_story(
        initiative=h.initiative,
        host=h.host,
        grant=grant,
        period="",
        what_happened="Wij hebben geveltuinen aangelegd.",
        who_took_part="Veertig buren.",
        photos=photos,
        origin=Origin(actor=h.initiator),
    )


def test_a_photo_that_skipped_the_form_is_cleaned_and_its_stored_bytes_are_checksummed(tmp_path):
    h = hosted()
    original = images.jpeg_with_gps()
    story = _write(h, [SimpleUploadedFile("IMG_0001.JPG", original, content_type="image/jpeg")])
    photo = story.photos.get()
    assert photo.file.startswith("stories/") and photo.file.endswith(".jpg")
    (stored,) = _files(tmp_path)
    data = stored.read_bytes()
    assert data != original
    assert not Image.open(io.BytesIO(data)).getexif()  # no GPS position of anyone's home
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.stat().st_mode & 0o077 == 0  # private to the app's user


def test_a_fake_photo_is_refused_in_dutch_and_nothing_is_stored(tmp_path):
    from django.utils import translation

    h = hosted()
    fake = SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    with translation.override("nl"), pytest.raises(accountability.AccountabilityError) as caught:
        _write(h, [fake])
    assert caught.value.message == "Upload een afbeelding in JPG-, PNG- of WebP-formaat."
    assert not AccountabilityStory.objects.exists()
    assert _files(tmp_path) == []


def test_a_story_refused_after_its_photos_were_stored_leaves_no_file(tmp_path, monkeypatch):
    h = hosted()

    def broken(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(accountability, "record_event", broken)
    photo = SimpleUploadedFile("tuin.jpg", images.jpeg_with_gps(), content_type="image/jpeg")
    with pytest.raises(RuntimeError):
        _write(h, [photo])
    assert not StoryPhoto.objects.exists()
    assert _files(tmp_path) == []


def test_deleting_a_story_removes_its_photo_files(tmp_path):
    h = hosted()
    photos = [
        SimpleUploadedFile(f"tuin{i}.jpg", images.jpeg_with_gps(), content_type="image/jpeg")
        for i in range(2)
    ]
    story = _write(h, photos)
    assert len(_files(tmp_path)) == 2
    with TestCase.captureOnCommitCallbacks(execute=True):
        story.delete()
    assert _files(tmp_path) == []
