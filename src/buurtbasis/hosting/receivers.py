"""Money in from the buurtbudget: a funded plan becomes a grant of its hosted initiative.

``budgets`` stores a ``FundedPlan`` row for every plan the published outcome funds
(inside the transaction that saves the outcome). Hosting answers that write: when the
plan's initiative has an active host, the grant is recorded in the same transaction.
When it has none yet, the host records it later by hand (``grant_from_plan``).

A recount that no longer funds a plan deletes its ``FundedPlan``: the grant is then
withdrawn (``services.withdraw_grant``), and funded again when a later recount funds it.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_noop

from buurtbasis.budgets.models import FundedPlan
from buurtbasis.platform import uploads
from buurtbasis.platform.audit import Origin

from . import services
from .models import Grant
from .models_reports import StoryPhoto

logger = logging.getLogger(__name__)


@receiver(post_save, sender=FundedPlan, dispatch_uid="hosting.grant_from_funded_plan")
def grant_from_funded_plan(sender, instance: FundedPlan, created: bool, raw=False, **kwargs):
    if raw or not created:
        return
    try:
        services.grant_from_plan(instance.plan, Origin.system())
    except services.HostingError as error:
        # Never let the books stop an outcome from being stored: the host sees the funded
        # plan without a grant on the initiative's hosting page and books it by hand.
        logger.warning("no grant for funded plan %s: %s", instance.plan_id, error.code)


@receiver(post_delete, sender=FundedPlan, dispatch_uid="hosting.withdraw_unfunded_grant")
def withdraw_unfunded_grant(sender, instance: FundedPlan, **kwargs):
    """A recount that no longer funds a plan removes its ``FundedPlan``: its grant is
    withdrawn in the same transaction (the unspent money goes back, the rest is flagged)."""
    grant = Grant.objects.filter(plan_id=instance.plan_id).first()
    if grant is None:
        return
    try:
        with transaction.atomic():
            services.withdraw_grant(
                grant,
                reason=services.stored_text(
                    gettext_noop("A recount of %(round)s no longer funds this plan."),
                    round=instance.budget_round.title,
                ),
                origin=Origin.system(),
            )
    except services.HostingError as error:
        # Never let the books stop an outcome from being stored; the host sees the grant.
        logger.warning("grant %s not withdrawn: %s", grant.pk, error.code)


@receiver(post_delete, sender=StoryPhoto, dispatch_uid="hosting.remove_story_photo_file")
def remove_story_photo_file(sender, instance: StoryPhoto, **kwargs):
    """A deleted photo row (or story) takes its file along, once the deletion is committed."""
    name = instance.file
    if name:
        transaction.on_commit(lambda: uploads.private_storage().delete(name))
