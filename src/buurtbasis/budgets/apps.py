from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "buurtbasis.budgets"
    verbose_name = _("Budgets")

    def ready(self):
        from buurtbasis.platform import schedule
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import dashboard, privacy
        from .tasks import advance_phases

        register_exporter("budgets", privacy.export_budgets)
        register_eraser("budgets", privacy.erase_budgets)
        register_block(
            "dashboard",
            key="budgets.plans",
            template="budgets/_dashboard.html",
            context=dashboard.my_budget_block,
            order=40,
        )
        # Phases start at their set time: manage.py enqueue_scheduled (cron, every few
        # minutes) enqueues the task that moves the rounds every five minutes.
        schedule.register("budgets.advance_phases", advance_phases, every=timedelta(minutes=5))
