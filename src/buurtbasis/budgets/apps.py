from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "buurtbasis.budgets"
    verbose_name = _("Budgets")

    def ready(self):
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import dashboard, privacy

        register_exporter("budgets", privacy.export_budgets)
        register_eraser("budgets", privacy.erase_budgets)
        register_block(
            "dashboard",
            key="budgets.plans",
            template="budgets/_dashboard.html",
            context=dashboard.my_budget_block,
            order=40,
        )
