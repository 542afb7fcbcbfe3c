"""Memberships of organisations, for the AVG: export, and ending them on erasure."""

from __future__ import annotations

from typing import Any

from .access import forget_roles


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


def end_memberships(user) -> None:
    """Memberships end when an account is deleted (runs inside its transaction)."""
    user.memberships.all().delete()
    forget_roles(user)
