"""Warm referral and the AVG.

A referred person often has no account: the receiving organisation exports or erases a
referral on the person's request (the case page, ``services.export_referral`` and
``services.erase_referral``). A person with an account whose confirmed e-mail address is
the contact recorded in a referral gets it in "Mijn gegevens", and deleting their account
deletes it (an anonymous count remains). For the referrer, the export lists the
referrals they made, without the person's details once sent (they are for the
receiving organisation only); their account's deletion leaves the referrals without a
referrer. Case notes point to their author and lose the link when the account goes.
"""

from __future__ import annotations

from typing import Any

from .models import Referral, Status
from .services import _count_and_delete, export_data, referrer_status

RETENTION_NOTE = (
    "Details of a referral (first name, contact, reason, notes) are deleted automatically "
    "after the referral ended or was declined, or when the consent ends; only an anonymous "
    "count remains."
)


def _about(user):
    # Only a confirmed address: signing up logs in before the address is confirmed, so an
    # unconfirmed one may be somebody else's.
    if not user.email or not user.email_verified:
        return Referral.objects.none()
    return Referral.objects.filter(contact__iexact=user.email)


def export_referrals(user) -> dict[str, Any]:
    about_me = _about(user).select_related("service", "organisation")
    made = Referral.objects.filter(referrer=user).select_related("service")
    return {
        "referrals_about_me": [export_data(r) for r in about_me.prefetch_related("steps", "notes")],
        "referrals_i_made": [
            {
                "service": r.service.name,
                "sent": r.sent_at,
                "status": str(Status(referrer_status(r)).label),
            }
            for r in made
        ],
        "retention": RETENTION_NOTE,
    }


def erase_referrals(user) -> None:
    _count_and_delete(list(_about(user).select_related("service")))
