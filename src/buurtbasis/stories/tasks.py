"""Background tasks of the stories app."""

from __future__ import annotations

from buurtbasis.platform.tasks import background


@background(retries=2, backoff=30)
def analyse_round(round_id: int) -> dict:
    """Themes and similar stories of one round (enqueued when a story is saved,
    withdrawn or labelled, see ``services``)."""
    from .adapters import analyse_round as analyse
    from .models import StoryRound

    story_round = StoryRound.objects.filter(pk=round_id).first()
    if story_round is None:
        return {"stories": 0, "themes_assigned": 0}
    return analyse(story_round)
