import io

import pytest
from django.core.management import call_command
from PIL import Image

from buurtbasis.platform.tests import images

pytestmark = pytest.mark.django_db


def test_it_rewrites_photos_stored_before_the_upload_service(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plans, progress = tmp_path / "budgets" / "plans", tmp_path / "budgets" / "progress"
    plans.mkdir(parents=True)
    progress.mkdir(parents=True)
    (plans / "a.jpg").write_bytes(images.jpeg_with_gps())
    (plans / "b.png").write_bytes(images.png() + images.SCRIPT)
    (progress / "c.jpg").write_bytes(images.polyglot_jpeg())
    (progress / "d.jpg").write_bytes(b"not an image")
    out, err = io.StringIO(), io.StringIO()

    call_command("clean_photos", stdout=out, stderr=err)

    assert "3 photos re-encoded, 1 not readable" in out.getvalue()
    assert "budgets/progress/d.jpg" in err.getvalue()
    a = Image.open(plans / "a.jpg")
    assert (a.format, a.size) == ("JPEG", (48, 64)) and not a.getexif()
    assert Image.open(plans / "b.png").format == "PNG"
    for path in (plans / "b.png", progress / "c.jpg"):
        assert b"<script" not in path.read_bytes()
    assert sorted(p.name for p in plans.iterdir()) == ["a.jpg", "b.png"]
