from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "buurtbasis.continuity"
    verbose_name = _("Hand-over and continuity")

    def ready(self):
        from buurtbasis.platform import schedule
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy, strain

        folder = "continuity/notifications/"
        for key, label in (
            ("response_received", _("Someone responds to an open role of my initiative")),
            ("response_answered", _("The initiators answer my response to an open role")),
            ("treasurer_request", _("An initiative we host asks for a new treasurer")),
            ("handover_completed", _("A hand-over I am part of is complete")),
            ("role_reopened", _("A role I responded to is open again")),
            ("strain_warning", _("An initiative we support rests on one person (weekly)")),
        ):
            register_kind(
                f"continuity.{key}",
                label=label,
                subject=f"{folder}{key}_subject.txt",
                text=f"{folder}{key}_body.txt",
                line=f"{folder}{key}_line.txt",
            )
        register_exporter("continuity", privacy.export_continuity)
        register_eraser("continuity", privacy.erase_continuity)
        register_block(
            "initiative",
            key="continuity.initiative",
            template="continuity/_initiative_block.html",
            context=blocks.initiative_block,
            order=55,
        )
        register_block(
            "dashboard",
            key="continuity.dashboard",
            template="continuity/_dashboard.html",
            context=blocks.dashboard_block,
            order=60,
        )
        register_block(
            "wijkprofiel",
            key="continuity.wijkprofiel",
            template="continuity/_wijkprofiel.html",
            context=blocks.wijkprofiel_block,
            order=40,
        )
        schedule.register(
            "continuity.strain_warnings", strain.weekly_strain_warnings, every=timedelta(days=7)
        )
