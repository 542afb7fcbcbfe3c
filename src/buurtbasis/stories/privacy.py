"""Stories and the AVG: what a person can download, and what deleting an account does.

Registered in ``StoriesConfig.ready`` with ``platform.privacy``.

Export: the visible stories the person told while signed in (text, round, area, when,
consent and contact choices, answers), and, for community workers, which stories they
recorded on a resident's behalf (round, when, how consent was given; not the text,
which is the resident's) and the rounds they set up.

Erasure (inside the "delete my account" transaction): the stories the person told are
withdrawn, so their text, answers and themes are removed everywhere. Links to them as
a worker (rounds set up, stories recorded, theme labels) are cleared; the stories
residents told through them stay.
"""

from __future__ import annotations

from typing import Any

from buurtbasis.platform.audit import Origin

from .models import Story, StoryRound, StoryTheme


def export_stories(user) -> dict[str, Any]:
    told = Story.objects.visible().filter(teller=user).select_related("round", "area")
    return {
        "told": [
            {
                "round": s.round.title,
                "area": s.area.name if s.area_id else None,
                "told_at": s.told_at,
                "text": s.text,
                "consent": s.consent,
                "may_contact": s.may_contact,
                "contact_channel": s.contact_channel,
                "contact_detail": s.contact_detail,
                "age_band": s.age_band,
                "teller_role": s.teller_role,
                "answers": {a.question.text: a.value for a in s.answers.select_related("question")},
            }
            for s in told
        ],
        "recorded_for_residents": [
            {"round": s.round.title, "recorded_at": s.created_at, "consent_how": s.consent_how}
            for s in Story.objects.filter(recorded_by=user).select_related("round")
        ],
        "rounds_set_up": list(
            StoryRound.objects.filter(created_by=user).values_list("title", flat=True)
        ),
    }


def erase_stories(user) -> None:
    from .services import withdraw_story

    for story in Story.objects.visible().filter(teller=user):
        withdraw_story(story=story, origin=Origin.system(), reason="erasure")
    Story.objects.filter(teller=user).update(teller=None)
    Story.objects.filter(recorded_by=user).update(recorded_by=None)
    StoryRound.objects.filter(created_by=user).update(created_by=None)
    StoryTheme.objects.filter(labelled_by=user).update(labelled_by=None)
