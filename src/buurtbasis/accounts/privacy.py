"""Personal data per app, for the AVG (GDPR): export (art. 15/20) and erasure (art. 17).

Every app that stores personal data registers an exporter and, when it must remove or
anonymise something itself, an eraser, in its ``AppConfig.ready``::

    from buurtbasis.accounts.privacy import register_eraser, register_exporter

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


# --- What accounts and organisations store themselves --------------------------------


def export_account(user) -> dict[str, Any]:
    return {
        "email": user.email,
        "name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email_verified": user.email_verified,
        "date_of_birth": user.birth_date,
        "home_area": str(user.home_area) if user.home_area_id else None,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def export_memberships(user) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "role": m.role,
            "role_name": str(m.get_role_display()),
            "since": m.created_at,
        }
        for m in user.memberships.select_related("organisation").order_by("created_at")
    ]


def _initiative(initiative, relation: str) -> dict[str, Any]:
    return {
        "name": initiative.name,
        "relation": relation,
        "status": initiative.status,
        "pitch": initiative.pitch,
        "contact_name": initiative.contact_name,
        "contact_email": initiative.contact_email,
        "contact_phone": initiative.contact_phone,
        "created_at": initiative.created_at,
    }


def export_initiatives(user) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    created = getattr(user, "created_initiatives", None)
    joined = getattr(user, "initiatives", None)
    if created is not None:
        for initiative in created.order_by("created_at"):
            rows[initiative.pk] = _initiative(initiative, "created")
    if joined is not None:
        for initiative in joined.order_by("created_at"):
            rows.setdefault(initiative.pk, _initiative(initiative, "member"))
    return list(rows.values())


def export_audit_events(user) -> list[dict[str, Any]]:
    return [
        {"time": e.created_at, "action": e.action, "object_type": e.object_type}
        for e in user.audit_events.order_by("created_at")
    ]


def register_builtin() -> None:
    register_exporter("account", export_account)
    register_exporter("memberships", export_memberships)
    register_exporter("initiatives", export_initiatives)
    register_exporter("audit_events", export_audit_events)
    # The ground floor's notification tables (it cannot import this registry itself).
    from buurtbasis.platform import notifications

    register_exporter("notifications", notifications.export_person)
    register_eraser("notifications", notifications.erase_person)
