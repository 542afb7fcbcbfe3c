from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "buurtbasis.practices"
    verbose_name = _("What works: practice pages")

    def ready(self):
        from django.db.models.signals import post_save

        from buurtbasis.initiatives.models import Initiative
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy, receivers

        folder = "practices/notifications/"
        register_kind(
            "practices.submitted",
            label=_("A practice page waits for my review"),
            subject=f"{folder}submitted_subject.txt",
            text=f"{folder}submitted_body.txt",
            line=f"{folder}submitted_line.txt",
        )
        register_kind(
            "practices.reviewed",
            label=_("The practice page of my initiative is reviewed or taken offline"),
            subject=f"{folder}reviewed_subject.txt",
            text=f"{folder}reviewed_body.txt",
            line=f"{folder}reviewed_line.txt",
        )
        register_exporter("practices", privacy.export_practices)
        register_eraser("practices", privacy.erase_practices)
        register_block(
            "initiative",
            key="practices.like_mine",
            template="practices/_initiative.html",
            context=blocks.initiative_block,
            order=60,
        )
        register_block(
            "dashboard",
            key="practices.dashboard",
            template="practices/_dashboard.html",
            context=blocks.dashboard_block,
            order=70,
        )
        register_block(
            "organisation",
            key="practices.hosted",
            template="practices/_organisation.html",
            context=blocks.organisation_block,
            order=70,
        )
        post_save.connect(
            receivers.initiative_saved,
            sender=Initiative,
            dispatch_uid="practices.initiative_saved",
        )
