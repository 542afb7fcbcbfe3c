from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "buurtbasis.continuity"
    verbose_name = _("Hand-over and continuity")
