from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top floor: pages that look across every app (home, my dashboard, the demo)."""

    name = "buurtbasis.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from datetime import time

        from buurtbasis.platform import schedule

        from . import receivers  # noqa: F401  (connects the wijkprofiel's receivers)
        from .tasks import refresh_all_profiles

        schedule.register("portal.refresh_wijkprofielen", refresh_all_profiles, at=time(2, 30))
