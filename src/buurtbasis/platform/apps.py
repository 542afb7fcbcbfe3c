from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    """The ground floor: services every app may use, and that use no app above them."""

    name = "buurtbasis.platform"
    label = "platform"
    verbose_name = _("Platform")

    def ready(self):
        from datetime import time

        from buurtbasis.platform import schedule
        from buurtbasis.platform.tasks import prune_task_records

        schedule.register("platform.prune_task_records", prune_task_records, at=time(3, 30))
