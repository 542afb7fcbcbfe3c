from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "buurtbasis.stories"
    verbose_name = _("Stories")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy

        register_exporter("stories", privacy.export_stories)
        register_eraser("stories", privacy.erase_stories)
        register_block(
            "wijkprofiel",
            key="stories.themes",
            template="stories/_wijkprofiel.html",
            context=blocks.wijkprofiel_block,
            pdf_context=blocks.wijkprofiel_pdf,
            order=20,
        )
        from django.db.models.signals import post_delete, post_save

        from .models import Story, StoryTheme

        for model in (Story, StoryTheme):
            for signal in (post_save, post_delete):
                signal.connect(
                    blocks.stories_changed,
                    sender=model,
                    dispatch_uid=f"stories.wijkprofiel.{model.__name__}.{signal is post_save}",
                )
