from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "buurtbasis.stories"
    verbose_name = _("Stories")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import privacy

        register_exporter("stories", privacy.export_stories)
        register_eraser("stories", privacy.erase_stories)
