"""Write logbook entries for what happened before the logbook existed (or while a receiver
failed): published rounds and their results, initiatives' lifecycle steps, hosting
agreements, story rounds opened and closed, sensemaking sessions. Idempotent: running it
again adds nothing.

    python manage.py backfill_logbook
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from buurtbasis.budgets.models import BudgetRound, Outcome
from buurtbasis.hosting.models import HostingAgreement
from buurtbasis.initiatives.models import StatusChange
from buurtbasis.logbook import services
from buurtbasis.stories.models import SenseMakingSession, StoryRound

#: Rows read per query.
CHUNK = 500


def backfill() -> int:
    """The number of entries written."""
    written = 0
    for budget_round in BudgetRound.objects.filter(is_public=True).iterator(chunk_size=CHUNK):
        written += len(services.log_round_opened(budget_round))
    for outcome in Outcome.objects.select_related("budget_round").iterator(chunk_size=CHUNK):
        written += len(services.log_results_published(outcome))
    for change in StatusChange.objects.select_related("initiative").iterator(chunk_size=CHUNK):
        written += len(services.log_initiative_change(change))
    agreements = HostingAgreement.objects.filter(state__in=["active", "ended"]).select_related(
        "initiative", "host"
    )
    for agreement in agreements.iterator(chunk_size=CHUNK):
        written += len(services.log_hosting(agreement))
    story_rounds = StoryRound.objects.filter(status__in=["open", "closed"])
    for story_round in story_rounds.iterator(chunk_size=CHUNK):
        written += len(services.log_story_round(story_round))
    sessions = SenseMakingSession.objects.select_related("round")
    for session in sessions.iterator(chunk_size=CHUNK):
        written += len(services.log_sensemaking(session))
    return written


class Command(BaseCommand):
    help = (
        "Write logbook entries for existing rounds, initiatives, hosting agreements, "
        "story rounds and sensemaking sessions."
    )

    def handle(self, *args, **options):
        written = backfill()
        self.stdout.write(f"{written} logbook entries written")
