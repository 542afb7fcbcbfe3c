from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "buurtbasis.volunteering"
    verbose_name = _("Volunteers and tasks")

    def ready(self):
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy

        folder = "volunteering/notifications/"
        register_kind(
            "volunteering.invited",
            label=_("An initiative invites me for a volunteer shift"),
            subject=f"{folder}invited_subject.txt",
            text=f"{folder}invited_body.txt",
            line=f"{folder}invited_line.txt",
        )
        register_kind(
            "volunteering.signed_up",
            label=_("Someone signs up for a shift of my initiative"),
            subject=f"{folder}signed_up_subject.txt",
            text=f"{folder}signed_up_body.txt",
            line=f"{folder}signed_up_line.txt",
            default="digest",
        )
        register_exporter("volunteering", privacy.export_volunteering)
        register_eraser("volunteering", privacy.erase_volunteering)
        register_block(
            "dashboard",
            key="volunteering.mine",
            template="volunteering/_dashboard.html",
            context=blocks.dashboard_block,
            order=40,
        )
        register_block(
            "initiative",
            key="volunteering.tasks",
            template="volunteering/_initiative.html",
            context=blocks.initiative_block,
            order=40,
        )
        register_block(
            "organisation",
            key="volunteering.load",
            template="volunteering/_organisation.html",
            context=blocks.organisation_block,
            order=40,
        )
