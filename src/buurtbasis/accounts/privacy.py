"""What accounts itself stores about a person (export; erasure is ``services.delete_account``)."""

from __future__ import annotations

from typing import Any

from buurtbasis.platform.privacy import register_exporter


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


def register_builtin() -> None:
    register_exporter("account", export_account)
