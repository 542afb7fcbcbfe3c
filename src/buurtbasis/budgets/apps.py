from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "buurtbasis.budgets"
    verbose_name = _("Budgets")

    def ready(self):
        from buurtbasis.accounts.privacy import register_eraser, register_exporter

        from . import privacy

        register_exporter("budgets", privacy.export_budgets)
        register_eraser("budgets", privacy.erase_budgets)
