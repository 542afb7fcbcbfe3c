"""Personal data per app, for the AVG (GDPR): export (art. 15/20) and erasure (art. 17).

Every app that stores personal data registers an exporter and, when it must remove or
anonymise something itself, an eraser, in its ``AppConfig.ready``::

    from buurtbasis.platform.privacy import register_eraser, register_exporter

    register_exporter("ballots", lambda user: [...])   # JSON-serialisable data
    register_eraser("ballots", lambda user: ...)       # runs inside the delete transaction

Both can also be used as decorators: ``@register_exporter("ballots")``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], Any]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register_exporter(name: str, fn: Exporter | None = None):
    """Register ``fn(user) -> data`` under ``name`` (replaces an earlier one)."""
    if fn is None:
        return lambda f: register_exporter(name, f)
    _exporters[name] = fn
    return fn


def register_eraser(name: str, fn: Eraser | None = None):
    """Register ``fn(user)`` that removes or anonymises ``name`` data of the user."""
    if fn is None:
        return lambda f: register_eraser(name, f)
    _erasers[name] = fn
    return fn


def exporter_names() -> list[str]:
    return sorted(_exporters)


def export_personal_data(user) -> dict[str, Any]:
    """Everything the platform stores about the user, as JSON-safe data."""
    data: dict[str, Any] = {"exported_at": timezone.now()}
    for name in sorted(_exporters):
        data[name] = _exporters[name](user)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def run_erasers(user) -> list[str]:
    """Call every eraser; returns their names (for the audit trail)."""
    for name in sorted(_erasers):
        _erasers[name](user)
    return sorted(_erasers)


def export_audit_events(user) -> list[dict[str, Any]]:
    """The person's own entries in the audit trail (what, when; never other people)."""
    return [
        {"time": e.created_at, "action": e.action, "object_type": e.object_type}
        for e in user.audit_events.order_by("created_at")
    ]
