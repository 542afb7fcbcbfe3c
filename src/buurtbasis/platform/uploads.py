"""The one upload service for every app.

Images (JPEG, PNG or WebP in) are recognised by decoding them, never by their name
or content type, and are re-encoded with Pillow (JPEG out, PNG when transparent):
what is stored is only the pixels. EXIF (with GPS positions of people's homes), XMP,
ICC profiles and comments are dropped, the camera's orientation is applied first,
and anything appended to or hidden in the file (an HTML/JPEG polyglot) is gone.
Limits: bytes before decoding, pixels before decoding (decompression bombs).

PDFs (receipts) are checked for the ``%PDF-`` signature and parsed with pypdf; they
are stored as uploaded. Files that are not public go to the ``private`` storage
(``PRIVATE_MEDIA_ROOT``), which has no URL: a view that checks access serves them.

Every refusal is a ``ValidationError`` with a code and a message for the person who
uploaded the file, so forms show it next to the field.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps

IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
DEFAULT_MAX_IMAGE_BYTES = 5 * 2**20
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
DEFAULT_IMAGE_MAX_SIDE = 2560
DEFAULT_MAX_PDF_BYTES = 10 * 2**20
JPEG_QUALITY = 85
CHUNK = 2**16


_strict_lock = threading.Lock()


@contextmanager
def _strict_decoding():
    """Refuse truncated images while decoding an upload.

    WeasyPrint sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES`` on import, after
    which a damaged upload would silently decode with a grey rest. The flag is read
    during ``load()``; it is switched off for that moment only.
    """
    with _strict_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


class CleanImage(ContentFile):
    """A re-encoded image: only pixels, ready to store (``name`` ends in .jpg or .png)."""

    def __init__(self, content: bytes, name: str, *, content_type: str, size: tuple[int, int]):
        super().__init__(content, name=name)
        self.content_type = content_type
        self.width, self.height = size
        self.sha256 = hashlib.sha256(content).hexdigest()


class CleanPdf(ContentFile):
    """A PDF that starts with ``%PDF-`` and that pypdf can read."""

    def __init__(self, content: bytes, name: str, *, pages: int):
        super().__init__(content, name=name)
        self.content_type = "application/pdf"
        self.pages = pages
        self.sha256 = hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class StoredFile:
    name: str  # the name in its storage
    sha256: str
    size: int


def _megabytes(limit: int) -> str:
    """The limit in megabytes for a message: "5", or "1,5" in Dutch."""
    megabytes = limit / 2**20
    return number_format(int(megabytes) if megabytes.is_integer() else round(megabytes, 1))


def _read_limited(upload, limit: int, code: str, message: str) -> bytes:
    """The upload's bytes, refused when larger than ``limit`` (read no further)."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(message % {"mb": _megabytes(limit)}, code=code)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > limit:
        raise ValidationError(message % {"mb": _megabytes(limit)}, code=code)
    return data


def clean_image(
    upload,
    *,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    output_format: str | None = None,
):
    """Decode ``upload`` and return it re-encoded without metadata, or refuse it.

    Out comes a JPEG, or a PNG when the image is transparent; ``output_format``
    ("JPEG", "PNG" or "WEBP") forces one (to rewrite a stored file under its name).
    """
    max_bytes = max_bytes or getattr(settings, "UPLOAD_MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES)
    max_pixels = max_pixels or getattr(
        settings, "UPLOAD_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS
    )
    max_side = getattr(settings, "UPLOAD_IMAGE_MAX_SIDE", DEFAULT_IMAGE_MAX_SIDE)
    data = _read_limited(
        upload, max_bytes, "image_size", _("The image is too large: at most %(mb)s MB.")
    )
    wrong_type = ValidationError(
        _("Upload an image in JPG, PNG or WebP format."), code="image_type"
    )
    too_many_pixels = _(
        "The image has too many pixels (%(width)s × %(height)s): at most %(megapixels)s megapixels."
    )
    broken = ValidationError(
        _("The image cannot be read. The file may be damaged: try another file."),
        code="image_broken",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The image has too many pixels: at most %(megapixels)s megapixels.")
            % {"megapixels": max_pixels // 1_000_000},
            code="image_pixels",
        ) from exc
    except Exception as exc:  # Pillow raises many kinds of errors on foreign input
        raise wrong_type from exc
    width, height = image.size
    if width * height > max_pixels:
        raise ValidationError(
            too_many_pixels
            % {"width": width, "height": height, "megapixels": max_pixels // 1_000_000},
            code="image_pixels",
        )
    try:
        image.seek(0)  # the first frame of an animation
        with _strict_decoding():
            image.load()
        icc = image.info.get("icc_profile")
        image = ImageOps.exif_transpose(image)
        transparent = image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        )
        if output_format is not None:
            transparent = transparent and output_format != "JPEG"
        image = image.convert("RGBA" if transparent else "RGB")
        image = _to_srgb(image, icc)
        if max(image.size) > max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        # A fresh image from the pixels alone: nothing of the file's info travels on.
        pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    except Exception as exc:
        raise broken from exc
    out = io.BytesIO()
    fmt = output_format or ("PNG" if transparent else "JPEG")
    if fmt == "PNG":
        pixels.save(out, "PNG", optimize=True)
        name, content_type = f"{secrets.token_hex(8)}.png", "image/png"
    elif fmt == "WEBP":
        pixels.save(out, "WEBP", quality=JPEG_QUALITY)
        name, content_type = f"{secrets.token_hex(8)}.webp", "image/webp"
    else:
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        name, content_type = f"{secrets.token_hex(8)}.jpg", "image/jpeg"
    return CleanImage(out.getvalue(), name, content_type=content_type, size=pixels.size)


FORMAT_BY_EXTENSION = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


def rewrite_stored_image(storage, name: str) -> None:
    """Re-encode an image already in ``storage`` in place, in the format its name says.

    For photos stored before every upload went through ``clean_image``: the name
    (and every reference to it) stays, EXIF/GPS and anything appended goes. Raises
    ``ValidationError`` for a file that is not an image.
    """
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    with storage.open(name, "rb") as handle:
        original = handle.read()
    clean = clean_image(
        ContentFile(original, name=name),
        max_bytes=2**31,
        max_pixels=10**9,
        output_format=FORMAT_BY_EXTENSION.get(ext, "JPEG"),
    )
    storage.delete(name)
    try:
        saved = storage.save(name, clean)
    except Exception:
        storage.save(name, ContentFile(original))  # never lose the only copy
        raise
    if saved != name:  # a file appeared under the name meanwhile; keep ours findable
        raise RuntimeError(f"{name} was stored as {saved}")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """The image's colours converted to sRGB when it carries another colour profile
    (phones use Display P3), since the profile itself is not kept."""
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, target, outputMode=image.mode)
    except Exception:  # a broken or unusual profile: keep the pixels as they are
        return image


def ensure_clean_image(file):
    """``file`` itself when it came out of ``clean_image``, otherwise it re-encoded.

    Services call this before storing a photo, so a caller that skipped the form
    (a command, a test, a task) cannot store an image byte for byte.
    """
    if isinstance(file, CleanImage):
        return file
    return clean_image(file)


def clean_pdf(upload, *, max_bytes: int | None = None) -> CleanPdf:
    """Check that ``upload`` is a readable PDF of at most ``max_bytes``; return it."""
    from pypdf import PdfReader

    max_bytes = max_bytes or getattr(settings, "UPLOAD_MAX_PDF_BYTES", DEFAULT_MAX_PDF_BYTES)
    data = _read_limited(
        upload, max_bytes, "pdf_size", _("The PDF is too large: at most %(mb)s MB.")
    )
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Upload a PDF file."), code="pdf_type")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("The PDF is protected with a password. Upload it without a password."),
                code="pdf_encrypted",
            )
        pages = len(reader.pages)
        if pages < 1:
            raise ValueError("no pages")
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on broken files
        raise ValidationError(
            _("The PDF cannot be read. The file may be damaged: try another file."),
            code="pdf_broken",
        ) from exc
    return CleanPdf(data, f"{secrets.token_hex(8)}.pdf", pages=pages)


def sha256(file) -> str:
    """The SHA-256 (hex) of a file's whole content; its position is kept."""
    position = file.tell() if hasattr(file, "tell") else None
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
    if position is not None:
        file.seek(position)
    return digest.hexdigest()


class PrivateStorage(FileSystemStorage):
    """Files that are not public (receipts, for example): stored under
    ``PRIVATE_MEDIA_ROOT``, never under the media URL."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        # Readable only by the app's own user, whatever its umask.
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location or settings.PRIVATE_MEDIA_ROOT, **kwargs)

    def url(self, name):
        raise ValueError(
            "Private files are not served by URL: serve them from a view that checks access."
        )


def private_storage():
    return storages["private"]


def save_private(file, folder: str) -> StoredFile:
    """Store ``file`` in the private storage under ``folder`` with a random name."""
    ext = file.name.rsplit(".", 1)[-1].lower() if file.name and "." in file.name else "bin"
    digest = sha256(file)
    file.seek(0)
    name = private_storage().save(f"{folder}/{secrets.token_hex(12)}.{ext}", file)
    return StoredFile(name=name, sha256=digest, size=file.size)
