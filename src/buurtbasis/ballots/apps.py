from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "buurtbasis.ballots"
    verbose_name = _("Voting")

    def ready(self):
        from buurtbasis.budgets.signals import (
            count_requested,
            support_requested,
            voting_close_blockers,
        )
        from buurtbasis.platform import schedule
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import counting, dashboard, privacy, services
        from .tasks import purge_old_letters

        register_exporter("ballots", privacy.export_ballots)
        register_eraser("ballots", privacy.erase_ballots)
        # budgets announces that a round must be counted; counting lives here
        count_requested.connect(counting.on_count_requested, dispatch_uid="ballots.counting")
        # the civil servant's rule preview uses the votes so far while voting is open
        support_requested.connect(counting.on_support_requested, dispatch_uid="ballots.support")
        # PDFs of code letters are deleted after LETTERS_KEEP_DAYS
        schedule.register("ballots.purge_old_letters", purge_old_letters, every=timedelta(days=1))
        # voting may not close while a paper batch can still change the ballots
        voting_close_blockers.connect(
            services.on_voting_close_blockers, dispatch_uid="ballots.paper_batches"
        )
        # the civil servant's to-do list: batches waiting for a second person
        register_block(
            "dashboard",
            key="ballots.paper_todo",
            template="ballots/_todo_paper.html",
            context=dashboard.paper_batches_todo,
            order=11,
        )
