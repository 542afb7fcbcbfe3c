from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    """The ground floor: services every app may use, and that use no app above them."""

    name = "buurtbasis.platform"
    label = "platform"
    verbose_name = _("Platform")

    def ready(self):
        from datetime import time, timedelta

        from django.contrib.auth.signals import user_logged_in

        from buurtbasis.platform import schedule
        from buurtbasis.platform.tasks import prune_task_records

        from . import notifications, privacy

        schedule.register("platform.prune_task_records", prune_task_records, at=time(3, 30))
        # One summary e-mail a day, at seven, for those who chose it.
        schedule.register("platform.daily_digests", notifications.send_daily_digests, at=time(7, 0))
        # Mails whose enqueue failed (the queue was down) are enqueued again.
        schedule.register(
            "platform.sweep_outbox", notifications.sweep_outbox_task, every=timedelta(minutes=15)
        )

        privacy.register_exporter("audit_events", privacy.export_audit_events)
        privacy.register_exporter("notifications", notifications.export_person)
        privacy.register_eraser("notifications", notifications.erase_person)
        user_logged_in.connect(
            remember_language, dispatch_uid="platform.notifications.remember_language"
        )


def remember_language(sender, request, user, **kwargs):
    """The language a person logs in with becomes the language of their e-mails,
    until they choose one on the notification preferences page."""
    from django.utils import translation

    from .notifications import set_language

    language = getattr(request, "LANGUAGE_CODE", "") or translation.get_language()
    set_language(user, language, only_if_unset=True)
