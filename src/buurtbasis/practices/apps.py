from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "buurtbasis.practices"
    verbose_name = _("What works: practice pages")
