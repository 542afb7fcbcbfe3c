"""The one upload service: images are decoded and re-encoded, PDFs checked,
non-public files kept out of the media folder."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from buurtbasis.platform import uploads

from . import images

ROOT = Path(__file__).resolve().parents[4]


def refusal(call, *args, **kwargs) -> ValidationError:
    with translation.override("nl"), pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value


def decoded(clean) -> Image.Image:
    clean.seek(0)
    image = Image.open(io.BytesIO(clean.read()))
    clean.seek(0)
    return image


def test_it_strips_gps_and_every_other_piece_of_metadata():
    original = images.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test is honest
    assert "icc_profile" in Image.open(io.BytesIO(original)).info

    clean = uploads.clean_image(SimpleUploadedFile("IMG_0001.JPG", original))

    image = decoded(clean)
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not image.getexif().get_ifd(0x8825)
    for key in ("exif", "xmp", "comment", "icc_profile", "XML:com.adobe.xmp"):
        assert key not in image.info
    clean.seek(0)
    data = clean.read()
    assert b"Telefoon" not in data and b"xmpmeta" not in data and b"Thuis" not in data


def test_it_applies_the_orientation_before_dropping_it():
    # Orientation 6: the camera was turned; the photo is shown rotated by 90 degrees.
    clean = uploads.clean_image(SimpleUploadedFile("a.jpg", images.jpeg_with_gps((64, 48))))
    assert decoded(clean).size == (48, 64)


def test_a_polyglot_comes_out_re_encoded_without_the_html():
    polyglot = images.polyglot_jpeg()
    assert polyglot.count(b"<script>") == 2

    clean = uploads.clean_image(SimpleUploadedFile("a.jpg", polyglot))

    clean.seek(0)
    data = clean.read()
    assert b"<script" not in data and b"<html" not in data
    assert data != polyglot[: len(data)]
    assert decoded(clean).format == "JPEG"


def test_it_refuses_a_decompression_bomb_with_a_message():
    bomb = images.png_declaring(20_000, 20_000)
    assert len(bomb) < 200
    error = refusal(uploads.clean_image, SimpleUploadedFile("a.png", bomb))
    assert error.code == "image_pixels"
    assert "te veel pixels" in error.messages[0]


def test_it_refuses_an_image_above_its_own_pixel_limit_below_pillows(settings):
    # 8000 x 6000 = 48 megapixels: Pillow would open it, the platform does not.
    upload = SimpleUploadedFile("a.png", images.png_declaring(8000, 6000))
    error = refusal(uploads.clean_image, upload)
    assert error.code == "image_pixels"
    assert "8000 × 6000" in error.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        images.SCRIPT,
        b"MZ\x90\x00 not an image",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"%PDF-1.4\n",
    ],
)
def test_it_refuses_what_is_not_a_jpeg_png_or_webp_whatever_the_name(content):
    error = refusal(
        uploads.clean_image, SimpleUploadedFile("foto.jpg", content, content_type="image/jpeg")
    )
    assert error.code == "image_type"
    assert error.messages == ["Upload een afbeelding in JPG-, PNG- of WebP-formaat."]


def test_it_refuses_a_damaged_image():
    import weasyprint  # noqa: F401  (sets Pillow's LOAD_TRUNCATED_IMAGES process-wide)

    whole = images.noisy_jpeg()
    truncated = whole[: len(whole) // 2]
    error = refusal(uploads.clean_image, SimpleUploadedFile("a.jpg", truncated))
    assert error.code == "image_broken"
    assert "beschadigd" in error.messages[0]


def test_it_refuses_a_file_above_the_byte_limit_before_decoding(settings):
    settings.UPLOAD_MAX_IMAGE_BYTES = 3 * 2**20
    upload = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"0" * 3 * 2**20)
    error = refusal(uploads.clean_image, upload)
    assert error.code == "image_size"
    assert error.messages == ["De afbeelding is te groot: maximaal 3 MB."]


def test_transparent_images_stay_png_and_others_become_jpeg():
    transparent = uploads.clean_image(
        SimpleUploadedFile("a.png", images.png(mode="RGBA", color=(0, 0, 0, 0)))
    )
    assert transparent.name.endswith(".png")
    assert decoded(transparent).format == "PNG"
    assert decoded(transparent).mode == "RGBA"
    opaque = uploads.clean_image(SimpleUploadedFile("a.png", images.png()))
    assert opaque.name.endswith(".jpg")
    assert decoded(opaque).format == "JPEG"


def test_webp_is_accepted_and_stored_as_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, "WEBP")
    clean = uploads.clean_image(SimpleUploadedFile("a.webp", buffer.getvalue()))
    assert decoded(clean).format == "JPEG"
    assert decoded(clean).size == (20, 10)


def test_large_photos_are_scaled_down(settings):
    settings.UPLOAD_IMAGE_MAX_SIDE = 100
    clean = uploads.clean_image(SimpleUploadedFile("a.jpg", images.jpeg(size=(400, 200))))
    assert decoded(clean).size == (100, 50)


def test_ensure_clean_image_does_not_encode_twice():
    clean = uploads.clean_image(SimpleUploadedFile("a.jpg", images.jpeg()))
    assert uploads.ensure_clean_image(clean) is clean
    again = uploads.ensure_clean_image(SimpleUploadedFile("b.jpg", images.jpeg_with_gps()))
    assert isinstance(again, uploads.CleanImage)
    assert not decoded(again).getexif()


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_real_pdf_is_accepted_as_it_is():
    content = pdf()
    clean = uploads.clean_pdf(SimpleUploadedFile("bon.pdf", content))
    assert clean.read() == content
    assert clean.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (images.jpeg(), "pdf_type"),
        (b"<html>%PDF-1.4</html>", "pdf_type"),
        (b"%PDF-1.7\n this is not really a pdf", "pdf_broken"),
    ],
)
def test_it_refuses_what_is_not_a_readable_pdf(content, code):
    error = refusal(uploads.clean_pdf, SimpleUploadedFile("bon.pdf", content))
    assert error.code == code
    assert error.messages[0].startswith(("Upload een pdf", "De pdf kan niet"))


def test_it_refuses_a_pdf_above_the_byte_limit(settings):
    settings.UPLOAD_MAX_PDF_BYTES = 100
    error = refusal(uploads.clean_pdf, SimpleUploadedFile("bon.pdf", pdf()))
    assert error.code == "pdf_size"


def test_sha256_reads_the_whole_file_and_rewinds():
    content = b"x" * (3 * 2**16 + 5)
    upload = SimpleUploadedFile("a.bin", content)
    upload.read(10)
    assert uploads.sha256(upload) == hashlib.sha256(content).hexdigest()
    assert upload.tell() == 10


def test_private_files_live_outside_the_media_folder_and_have_no_url(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "buurtbasis.platform.uploads.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    stored = uploads.save_private(ContentFile(b"bonnetje", name="x.pdf"), "receipts")
    assert stored.sha256 == hashlib.sha256(b"bonnetje").hexdigest()
    assert stored.size == 8
    assert stored.name.startswith("receipts/") and stored.name.endswith(".pdf")
    assert (tmp_path / "private" / stored.name).read_bytes() == b"bonnetje"
    assert not (tmp_path / "media").exists()
    with pytest.raises(ValueError, match="not served"):
        uploads.private_storage().url(stored.name)


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "from django.core.files.storage import storages;"
        "print(storages['private'].location)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_private_folder_comes_from_the_environment(tmp_path):
    done = _load_settings(PRIVATE_MEDIA_ROOT=str(tmp_path / "p"), MEDIA_ROOT=str(tmp_path / "m"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "p")


def test_the_private_folder_may_not_be_inside_the_media_folder(tmp_path):
    done = _load_settings(
        PRIVATE_MEDIA_ROOT=str(tmp_path / "m" / "private"), MEDIA_ROOT=str(tmp_path / "m")
    )
    assert done.returncode != 0
    assert "PRIVATE_MEDIA_ROOT must not be inside MEDIA_ROOT" in done.stderr


def test_rewriting_a_stored_photo_never_loses_it_when_saving_fails(tmp_path):
    from django.core.files.storage import FileSystemStorage

    class FullDisk(FileSystemStorage):
        fail = False

        def _save(self, name, content):
            if self.fail:
                self.fail = False  # the disk frees up for the restore
                raise OSError("No space left on device")
            return super()._save(name, content)

    storage = FullDisk(location=tmp_path)
    original = images.jpeg_with_gps()
    storage.save("plan.jpg", ContentFile(original))
    storage.fail = True
    with pytest.raises(OSError):
        uploads.rewrite_stored_image(storage, "plan.jpg")
    with storage.open("plan.jpg", "rb") as handle:
        assert handle.read() == original
