from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuddiesConfig(AppConfig):
    name = "buurtbasis.buddies"
    verbose_name = _("Buddy households")

    def ready(self):
        from datetime import time

        from buurtbasis.platform import schedule
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy, tasks

        folder = "buddies/notifications/"
        for key, label in (
            ("pair_proposed", _("A buddy household is proposed for my household")),
            ("checkin_due", _("A check-in of a buddy pair is coming up")),
            ("checkin_overdue", _("A check-in of a buddy pair is overdue")),
            ("contact_invited", _("I am asked to be the contact person of a household")),
        ):
            register_kind(
                f"buddies.{key}",
                label=label,
                subject=f"{folder}{key}_subject.txt",
                text=f"{folder}{key}_body.txt",
                line=f"{folder}{key}_line.txt",
            )
        register_exporter("buddies", privacy.export_buddies)
        register_eraser("buddies", privacy.erase_buddies)
        register_block(
            "dashboard",
            key="buddies.programme",
            template="buddies/_dashboard.html",
            context=blocks.dashboard_block,
            order=55,
        )
        register_block(
            "organisation",
            key="buddies.programme",
            template="buddies/_organisation.html",
            context=blocks.organisation_block,
            order=70,
        )
        schedule.register("buddies.checkin_reminders", tasks.send_checkin_reminders, at=time(7, 30))
        schedule.register("buddies.erase_expired", tasks.erase_expired_households, at=time(3, 45))
