from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "buurtbasis.initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from buurtbasis.platform.notifications import register_followable, register_kind

        from .access import can_view_initiative
        from .models import Initiative

        register_followable(Initiative, can_follow=can_view_initiative)
        register_kind(
            "initiatives.status_changed",
            label=_("The status of an initiative I follow changes"),
            subject="initiatives/notifications/status_changed_subject.txt",
            text="initiatives/notifications/status_changed_body.txt",
            line="initiatives/notifications/status_changed_line.txt",
        )
