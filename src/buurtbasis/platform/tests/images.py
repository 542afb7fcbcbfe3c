"""Real image files for tests (made with Pillow, or crafted byte by byte where an
attacker would craft them)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

GPS = {1: "N", 2: (52.0, 30.0, 45.0), 3: "E", 4: (6.0, 5.0, 30.0)}  # near Zwolle
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def png(size=(8, 6), color=(40, 120, 40), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(size=(64, 48), color=(40, 120, 40), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def noisy_jpeg(size=(300, 200)) -> bytes:
    """A JPEG with real image data (noise compresses badly), to cut in half."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def jpeg_with_gps(size=(64, 48), orientation=6) -> bytes:
    """A photo as a phone takes it: GPS position, orientation, XMP and a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Telefoon"
    exif[ExifTags.IFD.GPSInfo] = GPS
    return jpeg(size, exif=exif, xmp=b"<x:xmpmeta>52.51 6.09</x:xmpmeta>", comment=b"Thuis")


def polyglot_jpeg() -> bytes:
    """A valid JPEG that is also an HTML page: script in a comment and after the end."""
    return jpeg(comment=SCRIPT) + SCRIPT


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width x height pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )
