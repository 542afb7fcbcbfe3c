from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "buurtbasis.initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_followable, register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import dashboard, privacy
        from .access import can_view_initiative
        from .models import Initiative

        register_exporter("initiatives", privacy.export_initiatives)
        register_eraser("initiatives", privacy.leave_initiatives)
        for order, (key, template, context) in enumerate(
            [
                ("mine", "_dashboard_mine.html", dashboard.mine_block),
                ("worker", "_dashboard_worker.html", dashboard.worker_block),
                ("wijken", "_dashboard_wijken.html", dashboard.wijken_block),
            ]
        ):
            register_block(
                "dashboard",
                key=f"initiatives.{key}",
                template=f"initiatives/{template}",
                context=context,
                order=10 * (order + 1),
            )
        register_block(
            "organisation",
            key="initiatives.hosted",
            template="initiatives/_organisation_block.html",
            context=dashboard.organisation_block,
        )
        register_followable(Initiative, can_follow=can_view_initiative)
        register_kind(
            "initiatives.status_changed",
            label=_("The status of an initiative I follow changes"),
            subject="initiatives/notifications/status_changed_subject.txt",
            text="initiatives/notifications/status_changed_body.txt",
            line="initiatives/notifications/status_changed_line.txt",
        )
        register_kind(
            "initiatives.coinitiator_invitation",
            label=_("Invitation to become an initiator"),
            subject="initiatives/email/invite_subject.txt",
            text="initiatives/email/invite_body.txt",
            required=True,  # sent to an address on an initiator's request, maybe without an account
        )
