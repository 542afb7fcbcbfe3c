from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "buurtbasis.referrals"
    verbose_name = _("Social map and warm referral")

    def ready(self):
        from buurtbasis.platform import schedule
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy, tasks

        folder = "referrals/notifications/"
        for key, label in (
            ("received", _("A referral is sent to me or my organisation")),
            ("status", _("A referral I made takes a step")),
            ("overdue", _("A referral has no first contact in time")),
        ):
            register_kind(
                f"referrals.{key}",
                label=label,
                subject=f"{folder}{key}_subject.txt",
                text=f"{folder}{key}_body.txt",
                line=f"{folder}{key}_line.txt",
            )
        register_exporter("referrals", privacy.export_referrals)
        register_eraser("referrals", privacy.erase_referrals)
        register_block(
            "dashboard",
            key="referrals.mine",
            template="referrals/_dashboard.html",
            context=blocks.dashboard_block,
            order=52,
        )
        register_block(
            "organisation",
            key="referrals.services",
            template="referrals/_organisation.html",
            context=blocks.organisation_block,
            order=60,
        )
        register_block(
            "wijkprofiel",
            key="referrals.services",
            template="referrals/_wijkprofiel.html",
            context=blocks.wijkprofiel_block,
            order=60,
        )
        schedule.register("referrals.notify_overdue", tasks.notify_overdue, at=time(8, 0))
        schedule.register("referrals.apply_retention", tasks.apply_retention, at=time(2, 30))
