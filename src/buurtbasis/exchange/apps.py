from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "buurtbasis.exchange"
    verbose_name = _("Asking peers and exchange meetings")

    def ready(self):
        from buurtbasis.platform import schedule
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy, tasks

        folder = "exchange/notifications/"
        for key, label in (
            ("question_asked", _("Someone asks my initiative a question")),
            ("asker_replied", _("A new message in a question to my initiative")),
            ("question_answered", _("The initiators answer my question")),
            ("meeting_invitation", _("My initiative is invited to an exchange meeting")),
            ("place_available", _("A place comes free at an exchange meeting")),
            ("meeting_cancelled", _("An exchange meeting I registered for is cancelled")),
        ):
            register_kind(
                f"exchange.{key}",
                label=label,
                subject=f"{folder}{key}_subject.txt",
                text=f"{folder}{key}_body.txt",
                line=f"{folder}{key}_line.txt",
            )
        register_exporter("exchange", privacy.export_exchange)
        register_eraser("exchange", privacy.erase_exchange)
        for page in ("initiative", "practice"):
            register_block(
                page,
                key="exchange.ask",
                template="exchange/_initiative_block.html",
                context=blocks.initiative_block,
                order=60,
            )
        register_block(
            "organisation",
            key="exchange.meetings",
            template="exchange/_organisation_block.html",
            context=blocks.organisation_block,
            order=60,
        )
        register_block(
            "dashboard",
            key="exchange.questions",
            template="exchange/_dashboard.html",
            context=blocks.dashboard_block,
            order=55,
        )
        schedule.register(
            "exchange.remove_registration_names", tasks.remove_registration_names, at=time(2, 40)
        )
        schedule.register("exchange.delete_old_threads", tasks.delete_old_threads, at=time(2, 45))
