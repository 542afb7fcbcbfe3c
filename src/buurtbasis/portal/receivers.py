"""Changes that alter a wijkprofiel enqueue its refresh (after the commit).

Each receiver only finds the areas concerned (a small query at most) and enqueues
``refresh_profiles``; the work is done by a worker. Areas are collected until the commit,
so a transaction that saves many rows enqueues one task.
"""

from __future__ import annotations

import logging
import threading

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from buurtbasis.ballots.models import Ballot
from buurtbasis.budgets.models import BudgetRound, FundedPlan
from buurtbasis.hosting.models import LedgerTransaction
from buurtbasis.initiatives.models import Initiative
from buurtbasis.stories.models import Story

logger = logging.getLogger(__name__)
User = get_user_model()
_pending = threading.local()


def _flush() -> None:
    from .profile import profile_areas
    from .tasks import refresh_profiles

    ids = getattr(_pending, "ids", set())
    voters = getattr(_pending, "voters", set())
    _pending.ids, _pending.voters = set(), set()
    try:
        if voters:  # one query for every ballot of the transaction, not one per ballot
            ids |= set(
                User.objects.filter(pk__in=voters, home_area__isnull=False).values_list(
                    "home_area_id", flat=True
                )
            )
        areas = sorted(profile_areas(ids))
        if areas:
            refresh_profiles.enqueue(area_ids=areas)
    except Exception:  # a profile refresh never stops the change that caused it
        logger.exception("Could not enqueue the refresh of wijkprofielen %s", sorted(ids))


def changed(area_ids=(), *, voter_ids=()) -> None:
    """Refresh the profiles of these areas (and their wijk), or of where these voters
    live, after the commit."""
    ids = {pk for pk in area_ids if pk}
    voters = {pk for pk in voter_ids if pk}
    if not ids and not voters:
        return
    if getattr(_pending, "ids", None) is None:
        _pending.ids, _pending.voters = set(), set()
    _pending.ids.update(ids)
    _pending.voters.update(voters)
    # The first flush after the commit drains the set (the others find it empty); a
    # rolled-back change left in it only costs one refresh more with the next commit.
    transaction.on_commit(_flush)


def _initiative_areas(initiative_id) -> list[int]:
    return list(
        Initiative.areas.through.objects.filter(initiative_id=initiative_id).values_list(
            "area_id", flat=True
        )
    )


@receiver(post_save, sender=Ballot, dispatch_uid="portal.profile.ballot")
def ballot_saved(sender, instance, **kwargs):
    if instance.voter_id:
        changed(Ballot.objects.filter(pk=instance.pk).values_list("voter__home_area_id", flat=True))


@receiver(post_save, sender=Initiative, dispatch_uid="portal.profile.initiative")
def initiative_saved(sender, instance, **kwargs):
    changed(_initiative_areas(instance.pk))


@receiver(m2m_changed, sender=Initiative.areas.through, dispatch_uid="portal.profile.areas")
@receiver(m2m_changed, sender=Initiative.members.through, dispatch_uid="portal.profile.members")
def initiative_related(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear", "pre_clear") and isinstance(
        instance, Initiative
    ):
        ids = set(_initiative_areas(instance.pk))
        if sender is Initiative.areas.through:
            ids.update(kwargs.get("pk_set") or ())
        changed(ids)


@receiver(post_save, sender=Story, dispatch_uid="portal.profile.story")
def story_saved(sender, instance, **kwargs):
    changed([instance.area_id])


@receiver(post_save, sender=FundedPlan, dispatch_uid="portal.profile.funded")
def funded_saved(sender, instance, **kwargs):
    changed(FundedPlan.objects.filter(pk=instance.pk).values_list("plan__area_id", flat=True))


@receiver(post_save, sender=BudgetRound, dispatch_uid="portal.profile.round")
def round_saved(sender, instance, **kwargs):
    changed(
        FundedPlan.objects.filter(budget_round=instance).values_list("plan__area_id", flat=True)
    )


@receiver(post_save, sender=LedgerTransaction, dispatch_uid="portal.profile.ledger")
def ledger_saved(sender, instance, **kwargs):
    changed(_initiative_areas(instance.initiative_id))
