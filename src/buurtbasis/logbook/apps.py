from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbookConfig(AppConfig):
    name = "buurtbasis.logbook"
    verbose_name = _("Neighbourhood logbook and signals")

    def ready(self):
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy, receivers  # noqa: F401  (receivers connect on import)

        folder = "logbook/notifications/"
        register_kind(
            "logbook.signal_changed",
            label=_("A signal I made or must answer changes"),
            subject=f"{folder}signal_changed_subject.txt",
            text=f"{folder}signal_changed_body.txt",
            line=f"{folder}signal_changed_line.txt",
        )
        register_kind(
            "logbook.story_answered",
            label=_("The municipality answers a signal made from my story"),
            subject=f"{folder}story_answered_subject.txt",
            text=f"{folder}story_answered_body.txt",
            line=f"{folder}story_answered_line.txt",
        )
        # Tellers without an account who left an e-mail address for contact.
        register_kind(
            "logbook.story_answered_mail",
            label=_("The municipality answers a signal made from my story (e-mail)"),
            subject=f"{folder}story_answered_subject.txt",
            text=f"{folder}story_answered_body.txt",
        )
        from buurtbasis.platform.append_only import register_append_only

        # the database refuses changes too (migration 0002_logentry_append_only_triggers)
        register_append_only("logbook", what="logbook", tables=["logbook_logentry"])
        register_exporter("logbook", privacy.export_logbook)
        register_eraser("logbook", privacy.erase_logbook)
        register_block(
            "dashboard",
            key="logbook.signals",
            template="logbook/_dashboard.html",
            context=blocks.dashboard_block,
            order=47,
        )
        register_block(
            "wijkprofiel",
            key="logbook.signals",
            template="logbook/_wijkprofiel.html",
            context=blocks.wijkprofiel_block,
            pdf_context=blocks.wijkprofiel_pdf,
            order=30,
        )
        from django.db.models.signals import post_delete, post_save

        from .models import Signal

        for signal in (post_save, post_delete):
            signal.connect(
                blocks.signals_changed,
                sender=Signal,
                dispatch_uid=f"logbook.wijkprofiel.Signal.{signal is post_save}",
            )
