"""Practices and the AVG.

A practice is about an initiative, not about people: it never shows the names or
e-mail addresses of its initiators. What is personal is the authorship of the edit
history (who saved which version, who reviewed). The export lists the versions a
person saved and the reviews they gave; erasure removes the person from the history
(the versions stay, without an author), so the practice and its history remain.
"""

from __future__ import annotations

from typing import Any

from .models import Practice, PracticeVersion

RETENTION_NOTE = (
    "Practice pages stay as long as their initiative. After deleting your account the "
    "edit history no longer says which versions you saved."
)


def export_practices(user) -> dict[str, Any]:
    versions = PracticeVersion.objects.filter(author=user).select_related("practice")
    reviewed = Practice.objects.filter(reviewed_by=user)
    return {
        "versions_saved": [
            {
                "practice": v.practice.title,
                "number": v.number,
                "what": v.what,
                "saved": v.created_at,
                "comment": v.comment,
            }
            for v in versions
        ],
        "reviews": [{"practice": p.title, "reviewed": p.reviewed_at} for p in reviewed],
        "retention": RETENTION_NOTE,
    }


def erase_practices(user) -> None:
    PracticeVersion.objects.filter(author=user).update(author=None)
    Practice.objects.filter(reviewed_by=user).update(reviewed_by=None)
