"""Background work of the buddy programme: large batch proposals, reminders, retention."""

from __future__ import annotations

from buurtbasis.platform.tasks import background

from .models import BatchProposal


@background(retries=1)
def compute_batch(batch_id: int) -> None:
    from . import services

    batch = BatchProposal.objects.select_related("programme").filter(pk=batch_id).first()
    if batch is not None:
        services.run_batch(batch)


@background(retries=2)
def send_checkin_reminders() -> dict:
    from . import services

    return services.send_checkin_reminders()


@background(retries=2)
def erase_expired_households() -> int:
    from . import services

    return services.erase_expired()
