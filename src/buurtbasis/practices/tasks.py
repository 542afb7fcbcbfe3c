"""Background work of practices: the stored vectors of "initiatives like mine"."""

from __future__ import annotations

from buurtbasis.platform.tasks import background


@background(retries=3)
def index_initiative(initiative_id: int) -> dict:
    """Store (or remove) the vector of one initiative after it changed."""
    from .similarity import index

    return index([initiative_id], [])


@background(retries=3)
def index_practice(practice_id: int) -> dict:
    """Store (or remove) the vector of one practice after it was published or taken
    offline, and refresh its initiative's."""
    from .models import Practice
    from .similarity import index

    initiative_id = (
        Practice.objects.filter(pk=practice_id).values_list("initiative_id", flat=True).first()
    )
    return index([initiative_id] if initiative_id else [], [practice_id])
