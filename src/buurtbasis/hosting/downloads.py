"""Private files (receipts, attachments, reports) handed to the people who may see them."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404

from buurtbasis.platform.uploads import private_storage

logger = logging.getLogger(__name__)


def open_private(name: str):
    """The stored private file, or 404 when it is gone (a missing file is no server error)."""
    try:
        return private_storage().open(name, "rb")
    except OSError:
        logger.warning("private file missing: %s", name)
        raise Http404 from None


def private_file(name: str, content_type: str, *, filename: str = "") -> FileResponse:
    """The file itself, never cached, never sniffed: shown in the browser, or downloaded
    as ``filename``."""
    response = FileResponse(
        open_private(name),
        content_type=content_type or "application/octet-stream",
        as_attachment=bool(filename),
        filename=filename,
    )
    if not filename:
        response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
