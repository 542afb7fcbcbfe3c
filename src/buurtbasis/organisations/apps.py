from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "buurtbasis.organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import privacy

        register_exporter("memberships", privacy.export_memberships)
        register_eraser("memberships", privacy.end_memberships)
