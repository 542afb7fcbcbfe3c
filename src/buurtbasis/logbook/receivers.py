"""Entries that come in by themselves: the apps below announce, the logbook writes down.

Each receiver calls an idempotent ``services.log_*`` function (one entry per source,
kind, event and area), so a repeated save or the backfill command adds nothing twice.
A failing logbook never stops the write that triggered it: the error is logged and
the backfill command can add the entry later.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from buurtbasis.budgets.models import BudgetRound, Outcome, PhaseChange
from buurtbasis.hosting.models import HostingAgreement
from buurtbasis.initiatives.models import StatusChange
from buurtbasis.stories.models import SenseMakingSession, StoryRound

from . import services

logger = logging.getLogger(__name__)


def _safely(fn, *args) -> None:
    try:
        with transaction.atomic():
            fn(*args)
    except Exception:  # the logbook must never break a round, an initiative or the books
        logger.exception("logbook entry not written by %s", fn.__name__)


@receiver(post_save, sender=PhaseChange, dispatch_uid="logbook.round_created")
def round_created(sender, instance: PhaseChange, created: bool, raw=False, **kwargs):
    # create_round stores this first phase change after the round's areas
    if raw or not created or instance.from_phase:
        return
    _safely(services.log_round_opened, instance.budget_round)


@receiver(post_save, sender=BudgetRound, dispatch_uid="logbook.round_published")
def round_published(sender, instance: BudgetRound, created: bool, raw=False, **kwargs):
    update_fields = kwargs.get("update_fields")
    if raw or created or not instance.is_public:
        return
    if update_fields is not None and "is_public" not in update_fields:
        return
    _safely(services.log_round_opened, instance)


@receiver(post_save, sender=Outcome, dispatch_uid="logbook.results_published")
def results_published(sender, instance: Outcome, created: bool, raw=False, **kwargs):
    if raw or not created:
        return
    _safely(services.log_results_published, instance)


@receiver(post_save, sender=StatusChange, dispatch_uid="logbook.initiative_changed")
def initiative_changed(sender, instance: StatusChange, created: bool, raw=False, **kwargs):
    if raw or not created:
        return
    _safely(services.log_initiative_change, instance)


@receiver(post_save, sender=HostingAgreement, dispatch_uid="logbook.hosting_changed")
def hosting_changed(sender, instance: HostingAgreement, created: bool, raw=False, **kwargs):
    update_fields = kwargs.get("update_fields")
    if raw or instance.state not in ("active", "ended"):
        return
    if update_fields is not None and "state" not in update_fields:
        return
    _safely(services.log_hosting, instance)


@receiver(post_save, sender=StoryRound, dispatch_uid="logbook.story_round_status")
def story_round_status(sender, instance: StoryRound, created: bool, raw=False, **kwargs):
    update_fields = kwargs.get("update_fields")
    if raw or instance.status not in ("open", "closed"):
        return
    if update_fields is not None and "status" not in update_fields:
        return
    _safely(services.log_story_round, instance)


@receiver(post_save, sender=SenseMakingSession, dispatch_uid="logbook.sensemaking")
def sensemaking_recorded(sender, instance: SenseMakingSession, created: bool, raw=False, **kw):
    if raw or not created:
        return
    _safely(services.log_sensemaking, instance)
