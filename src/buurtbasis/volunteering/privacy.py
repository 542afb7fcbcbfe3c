"""Personal data of volunteering (AVG): export and erasure.

Erasure deletes the profile, sign-ups, invitations and key roles of the person. Their
hours stay as anonymous minutes of the initiative (no person, no description), so an
initiative's totals do not change when a volunteer leaves the platform.
"""

from __future__ import annotations

from .models import HoursEntry, Invitation, KeyRole, SignUp, VolunteerProfile


def export_volunteering(user) -> dict:
    profile = VolunteerProfile.objects.filter(user=user).first()
    return {
        "profile": None
        if profile is None
        else {
            "skills": profile.skill_keys,
            "wijk": profile.area.name if profile.area else None,
            "availability": profile.availability_keys,
            "max_hours_per_month": profile.max_hours_per_month,
            "suggestible": profile.suggestible,
        },
        "signups": [
            {
                "task": s.shift.task.title,
                "initiative": s.shift.task.initiative.name,
                "starts_at": s.shift.starts_at,
                "ends_at": s.shift.ends_at,
                "signed_up_at": s.created_at,
            }
            for s in SignUp.objects.filter(user=user).select_related("shift__task__initiative")
        ],
        "invitations": [
            {
                "task": i.shift.task.title,
                "initiative": i.shift.task.initiative.name,
                "starts_at": i.shift.starts_at,
                "reason": i.reason,
                "state": i.state,
                "invited_at": i.created_at,
            }
            for i in Invitation.objects.filter(user=user).select_related("shift__task__initiative")
        ],
        "hours": [
            {
                "initiative": h.initiative.name,
                "date": h.date,
                "minutes": h.minutes,
                "description": h.description,
                "state": h.state,
            }
            for h in HoursEntry.objects.filter(user=user).select_related("initiative")
        ],
        "key_roles": [
            {
                "initiative": k.initiative.name,
                "role": k.role,
                "since": k.since,
                "until": k.until,
            }
            for k in KeyRole.objects.filter(user=user).select_related("initiative")
        ],
    }


def erase_volunteering(user) -> None:
    VolunteerProfile.objects.filter(user=user).delete()
    SignUp.objects.filter(user=user).delete()
    Invitation.objects.filter(user=user).delete()
    KeyRole.objects.filter(user=user).delete()
    HoursEntry.objects.filter(user=user).update(user=None, description="")
