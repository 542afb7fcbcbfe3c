import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "buurtbasis.partnerships"
    verbose_name = _("Partnerships and their health")

    def ready(self):
        from buurtbasis.platform import schedule
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy, tasks

        folder = "partnerships/notifications/"
        for key, label in (
            ("confirm", _("My organisation is asked to confirm a partnership")),
            ("pulse", _("A pulse of my partnership waits for my answer")),
            ("action", _("A follow-up action of a partnership is given to me")),
        ):
            register_kind(
                f"partnerships.{key}",
                label=label,
                subject=f"{folder}{key}_subject.txt",
                text=f"{folder}{key}_body.txt",
                line=f"{folder}{key}_line.txt",
            )
        register_exporter("partnerships", privacy.export_partnerships)
        register_eraser("partnerships", privacy.erase_partnerships)
        schedule.register("partnerships.open_pulses", tasks.open_due_pulses, at=datetime.time(6, 0))
        register_block(
            "initiative",
            key="partnerships.initiative",
            template="partnerships/_initiative.html",
            context=blocks.initiative_block,
            order=60,
        )
        register_block(
            "dashboard",
            key="partnerships.dashboard",
            template="partnerships/_dashboard.html",
            context=blocks.dashboard_block,
            order=55,
        )
        register_block(
            "organisation",
            key="partnerships.organisation",
            template="partnerships/_organisation.html",
            context=blocks.organisation_block,
            order=60,
        )
