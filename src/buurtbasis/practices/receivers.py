"""An initiative changed: its stored vector for "initiatives like mine" is old."""

from __future__ import annotations

from buurtbasis.platform.tasks import enqueue_on_commit


def initiative_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    from .tasks import index_initiative

    enqueue_on_commit(index_initiative, initiative_id=instance.pk)
