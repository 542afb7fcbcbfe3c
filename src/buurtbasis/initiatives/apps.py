from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "buurtbasis.initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import dashboard, privacy

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
