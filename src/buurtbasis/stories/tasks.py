"""Background tasks of the stories app."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from buurtbasis.platform.tasks import background


@background(retries=2, backoff=30)
def analyse_round(round_id: int, requested_at: str | None = None) -> dict:
    """Themes and similar stories of one round (enqueued when a story is saved,
    withdrawn or labelled, see ``services``).

    Telling fifty stories at a kitchen table enqueues fifty of these; the first one
    that runs analyses everything, and the rest find every visible story analysed
    after their request and stop.
    """
    from .adapters import analyse_round as analyse
    from .models import StoryRound

    story_round = StoryRound.objects.filter(pk=round_id).first()
    if story_round is None:
        return {"stories": 0, "themes_assigned": 0}
    if requested_at:
        since = datetime.fromisoformat(requested_at)
        stale = story_round.stories.visible().filter(
            Q(analysed_at__isnull=True) | Q(analysed_at__lt=since)
        )
        if story_round.stories.visible().exists() and not stale.exists():
            return {"skipped": True}
    return analyse(story_round)
