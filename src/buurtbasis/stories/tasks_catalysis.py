"""Background tasks for making sense together."""

from __future__ import annotations

from buurtbasis.platform.tasks import background


@background(retries=2, backoff=30)
def make_story_cards(cards_id: int) -> str:
    """Render a round's story cards (PDF) into private storage (see
    ``services_catalysis.request_cards``)."""
    from .services_catalysis import render_cards

    return render_cards(cards_id=cards_id)
