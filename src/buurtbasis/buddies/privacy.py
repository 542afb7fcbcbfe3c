"""Buddy households and the AVG.

A household's contact person can download what is kept about the household and its
pairs, and deleting the account erases the household's details (composition, languages,
interests, availability, location, wishes, volunteered facts). The pair rows stay
without those details, for the programme's figures. Details are erased anyway
``BUDDIES_RETENTION_MONTHS`` after the last pair was evaluated or ended (a daily job).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import Household, Pair

RETENTION_NOTE = (
    "The details of a buddy household are erased some months after its last pair ended "
    "or was evaluated, and when the contact person deletes their account."
)


def export_buddies(user) -> dict[str, Any]:
    households = list(Household.objects.filter(contact=user).select_related("programme", "area"))
    pairs = Pair.objects.filter(Q(newcomer__in=households) | Q(local__in=households))
    return {
        "households": [
            {
                "programme": h.programme.name,
                "kind": h.kind,
                "status": h.status,
                "label": h.label,
                "adults": h.adults,
                "children_ages": h.children_ages,
                "languages": h.languages,
                "interests": h.interests,
                "availability": h.availability,
                "area": h.area.name if h.area else "",
                "wishes": h.wishes,
                "volunteered_facts": h.sensitive,
                "consent_to_use_them": h.consent_sensitive,
            }
            for h in households
        ],
        "pairs": [
            {
                "status": p.status,
                "proposed": p.proposed_at,
                "starts_on": p.starts_on,
                "ends_on": p.ends_on,
                "ended_on": p.ended_on,
                "end_reason": p.end_reason,
                "evaluation_newcomer": p.evaluation_newcomer,
                "evaluation_local": p.evaluation_local,
            }
            for p in pairs
        ],
        # Households a matcher invited this person to confirm as contact person.
        "invitations": [
            {"programme": h.programme.name, "email": h.invited_email}
            for h in Household.objects.filter(
                invited_email__iexact=user.email, erased_at__isnull=True
            ).select_related("programme")
        ]
        if user.email
        else [],
        "retention": RETENTION_NOTE,
    }


def erase_buddies(user) -> None:
    from . import services

    for household in Household.objects.filter(contact=user):
        services.erase_household(household)
    if user.email:
        Household.objects.filter(invited_email__iexact=user.email).update(invited_email="")
