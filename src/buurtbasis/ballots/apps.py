from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "buurtbasis.ballots"
    verbose_name = _("Voting")

    def ready(self):
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import privacy

        register_exporter("ballots", privacy.export_ballots)
        register_eraser("ballots", privacy.erase_ballots)
