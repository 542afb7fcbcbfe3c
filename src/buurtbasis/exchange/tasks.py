"""Scheduled work of the exchange: the retention limits of registration names and
conversations."""

from __future__ import annotations

from buurtbasis.platform.tasks import background


@background(retries=2)
def remove_registration_names() -> int:
    from . import services

    return services.remove_registration_names()


@background(retries=2)
def delete_old_threads() -> int:
    from . import services

    return services.delete_old_threads()
