"""Forms for taking part: a comment, a report of a comment, hiding a comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform import forms as platform_forms

from .participation import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH


class CommentForm(platform_forms.Form):
    # an empty required box would look invalid (red) under every plan before anyone typed
    use_required_attribute = False

    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, at most 2000 characters. Your name is shown with it."),
        error_messages={"required": _("Write a comment before you send it.")},
    )


class ReportForm(platform_forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this comment?"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("For example: it insults someone, or it is advertising."),
        error_messages={"required": _("Say briefly what is wrong with this comment.")},
    )


class HideForm(platform_forms.Form):
    reason = forms.CharField(
        label=_("Public reason for hiding"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=_("Shown in place of the comment: “hidden by a moderator: …”."),
    )
    action = forms.ChoiceField(
        choices=[("hide", _("Hide")), ("keep", _("Keep"))], widget=forms.HiddenInput
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "hide" and not cleaned.get("reason"):
            self.add_error(
                "reason", _("Give the reason for hiding; it is shown in place of the comment.")
            )
        return cleaned
