from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomsConfig(AppConfig):
    name = "buurtbasis.rooms"
    verbose_name = _("Rooms offered by partners")

    def ready(self):
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy

        folder = "rooms/notifications/"
        for key, label in (
            ("booking_requested", _("An initiative requests a room of my organisation")),
            ("booking_accepted", _("A partner accepts a room request of my initiative")),
            ("booking_declined", _("A partner declines a room request of my initiative")),
            ("booking_cancelled", _("A room booking is cancelled")),
        ):
            register_kind(
                f"rooms.{key}",
                label=label,
                subject=f"{folder}{key}_subject.txt",
                text=f"{folder}{key}_body.txt",
                line=f"{folder}{key}_line.txt",
            )
        register_exporter("rooms", privacy.export_rooms)
        register_eraser("rooms", privacy.erase_rooms)
        register_block(
            "dashboard",
            key="rooms.partner",
            template="rooms/_dashboard_partner.html",
            context=blocks.partner_block,
            order=52,
        )
        register_block(
            "dashboard",
            key="rooms.initiator",
            template="rooms/_dashboard_initiator.html",
            context=blocks.initiator_block,
            order=53,
        )
        register_block(
            "initiative",
            key="rooms.initiative",
            template="rooms/_initiative_block.html",
            context=blocks.initiative_block,
            order=60,
        )
        register_block(
            "organisation",
            key="rooms.organisation",
            template="rooms/_organisation_block.html",
            context=blocks.organisation_block,
            order=60,
        )
