"""Forms of the ground floor's own pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .notifications import kinds


class NotificationPreferencesForm(forms.Form):
    """The language of a person's e-mails and, per kind, how they hear about it."""

    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        choices=[],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, initial_preferences: dict[str, str], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, "Nederlands" if code == "nl" else "English") for code, _n in settings.LANGUAGES
        ]
        self.fields["language"].initial = language
        for kind in kinds(configurable=True):
            self.fields[self.field_name(kind.key)] = forms.ChoiceField(
                label=kind.label,
                choices=kind.choices,
                widget=forms.RadioSelect,
                initial=initial_preferences.get(kind.key, kind.default),
                required=False,  # a kind left out keeps its current choice
            )

    @staticmethod
    def field_name(key: str) -> str:
        return "kind__" + key.replace(".", "__")

    def deliveries(self) -> dict[str, str]:
        chosen = {}
        for kind in kinds(configurable=True):
            name = self.field_name(kind.key)
            chosen[kind.key] = self.cleaned_data.get(name) or self.fields[name].initial
        return chosen
