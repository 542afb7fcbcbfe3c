"""Every write to organisations goes through a function here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from buurtbasis.platform.audit import Origin, record_event

from .models import Organisation

#: The fields of an organisation's public profile that its own people may edit.
PROFILE_FIELDS = ("description", "website", "email", "phone")


@transaction.atomic
def update_organisation_profile(
    *,
    organisation: Organisation,
    values: dict[str, Any],
    areas: Iterable | None = None,
    origin: Origin | None = None,
) -> Organisation:
    """Change the public profile (``PROFILE_FIELDS`` and the areas served) and record
    which fields changed."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = [f for f in PROFILE_FIELDS if f in values and getattr(organisation, f) != values[f]]
    for name in changed:
        setattr(organisation, name, values[name])
    if changed:
        organisation.save(update_fields=changed)
    if areas is not None:
        new = {a.pk for a in areas}
        if new != set(organisation.areas.values_list("pk", flat=True)):
            organisation.areas.set(new)
            changed.append("areas")
    if changed:
        record_event(
            action="organisations.profile_changed",
            target=organisation,
            details={"fields": changed},
            origin=origin,
        )
    return organisation
