"""The logbook and signals and the AVG.

Notes, signals and answers are the institutional memory of a wijk and stay when their
writer leaves: they point to the account, which is pseudonymised when it is deleted
(``accounts.services.delete_account``), so they no longer name the person. Personal
data of others was masked before the text was stored. The export lists what a person
wrote.
"""

from __future__ import annotations

from typing import Any

from .models import EntryKind, LogEntry, Signal, SignalAnswer

RETENTION_NOTE = (
    "Notes in the neighbourhood logbook, signals and answers stay as the memory of the "
    "wijk. After deleting your account they no longer show your name."
)


def export_logbook(user) -> dict[str, Any]:
    notes = LogEntry.objects.filter(author=user, kind=EntryKind.NOTE).select_related("area")
    signals = Signal.objects.filter(created_by=user).select_related("area")
    answers = SignalAnswer.objects.filter(answered_by=user).select_related("signal")
    return {
        "notes": [
            {
                "area": n.area.name,
                "date": n.happened_on,
                "title": n.title,
                "text": n.body,
                "for_handover": n.for_handover,
            }
            for n in notes
        ],
        "signals_made": [
            {"area": s.area.name, "made": s.created_at, "what": s.title, "status": s.status}
            for s in signals
        ],
        "answers_given": [
            {"signal": a.signal.title, "answered": a.answered_at, "answer": a.text} for a in answers
        ],
        "retention": RETENTION_NOTE,
    }


def erase_logbook(user) -> None:
    """Nothing to remove: the rows stay and the pseudonymised account no longer names them."""
