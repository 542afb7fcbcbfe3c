"""Every write to organisations goes through a function here."""

from django.db import transaction

from buurtbasis.accounts.services import record_event

from .models import Organisation


@transaction.atomic
def update_organisation_profile(*, organisation: Organisation, form, actor, request=None):
    """Save the profile form and record which fields changed."""
    changed = list(form.changed_data)
    organisation = form.save()
    if changed:
        record_event(
            actor=actor,
            action="organisations.profile_changed",
            target=organisation,
            details={"fields": changed},
            request=request,
        )
    return organisation
