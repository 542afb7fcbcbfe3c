from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    """The ground floor: services every app may use, and that use no app above them."""

    name = "buurtbasis.platform"
    label = "platform"
    verbose_name = _("Platform")

    def ready(self):
        from . import privacy

        privacy.register_exporter("audit_events", privacy.export_audit_events)
