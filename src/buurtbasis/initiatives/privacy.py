"""Initiatives a person started or joined, for the AVG: export, and leaving them on erasure."""

from __future__ import annotations

from typing import Any


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


def leave_initiatives(user) -> None:
    """A deleted account is no longer a member of any initiative (its own stay, anonymised)."""
    user.initiatives.clear()
