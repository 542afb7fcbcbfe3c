from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top floor: pages that look across every app (home, my dashboard, the demo)."""

    name = "buurtbasis.portal"
    label = "portal"
    verbose_name = _("Portal")
