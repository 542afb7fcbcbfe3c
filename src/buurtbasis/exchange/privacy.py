"""Asking peers, meetings and the AVG.

Export: the questions a person asked, every message they wrote, the conversations they
reported (with their reason), the registrations they made and the askers they blocked.

Erasure (deleting an account): the text of every message the person wrote is removed
(the message stays as "removed", so the other side still reads its own replies in
order), the subjects of the questions they asked are removed and those conversations
close; they are no longer the asker. The reasons of their reports are removed (the
conversation stays reported). Registrations they made stay for their initiative
without their name; the names typed in them are removed. Their blocks are lifted.
Meetings a community worker organised stay (the organisation's record) and the
pseudonymised account no longer names them.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import BlockedAsker, Message, QuestionSettings, Registration, Thread, ThreadStatus

RETENTION_NOTE = (
    "Questions and replies stay while the conversation exists. After deleting your account "
    "the text you wrote is removed."
)


def export_exchange(user) -> dict[str, Any]:
    asked = Thread.objects.filter(asker=user).select_related("initiative")
    written = Message.objects.filter(author=user).select_related("thread", "thread__initiative")
    registrations = Registration.objects.filter(registered_by=user).select_related(
        "meeting", "initiative"
    )
    blocks = BlockedAsker.objects.filter(blocked_by=user).select_related("initiative")
    reported = Thread.objects.filter(reported_by=user).select_related("initiative")
    return {
        "questions_asked": [
            {
                "to_initiative": t.initiative.name,
                "subject": t.subject,
                "asked": t.created_at,
                "status": t.status,
            }
            for t in asked
        ],
        "messages_written": [
            {
                "conversation": m.thread.subject,
                "initiative": m.thread.initiative.name,
                "written": m.created_at,
                "text": m.text,
            }
            for m in written
        ],
        "meeting_registrations": [
            {
                "meeting": r.meeting.title,
                "initiative": r.initiative.name,
                "people": r.people,
                "names": r.names,
                "status": r.status,
            }
            for r in registrations
        ],
        "reports_made": [
            {
                "conversation": t.pk,
                "initiative": t.initiative.name,
                "reported": t.reported_at,
                "reason": t.report_reason,
            }
            for t in reported
        ],
        "askers_blocked": [
            {"initiative": b.initiative.name, "blocked": b.blocked_at} for b in blocks
        ],
        "retention": RETENTION_NOTE,
    }


def erase_exchange(user) -> None:
    now = timezone.now()
    Message.objects.filter(author=user).update(text="", erased=True, author=None)
    Thread.objects.filter(asker=user, status=ThreadStatus.OPEN).update(
        status=ThreadStatus.CLOSED, closed_at=now
    )
    Thread.objects.filter(asker=user).update(subject="", asker=None)
    Thread.objects.filter(reported_by=user).update(reported_by=None, report_reason="")
    Thread.objects.filter(closed_by=user).update(closed_by=None)
    Registration.objects.filter(registered_by=user).update(names="", registered_by=None)
    BlockedAsker.objects.filter(person=user).delete()
    BlockedAsker.objects.filter(blocked_by=user).update(blocked_by=None)
    QuestionSettings.objects.filter(changed_by=user).update(changed_by=None)
