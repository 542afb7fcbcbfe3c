"""The story form of light accountability."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform.forms import Form
from buurtbasis.platform.uploads import clean_image

from .models import Grant

PHOTO_FIELDS = ("photo_1", "photo_2", "photo_3")


def _photo_field(number: int) -> forms.FileField:
    return forms.FileField(
        label=_("Photo %(n)s (optional)") % {"n": number},
        help_text=_("JPG, PNG or WebP, at most 5 MB. Only show people who agreed to it."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class StoryForm(Form):
    grant = forms.ModelChoiceField(
        label=_("Grant"),
        queryset=Grant.objects.none(),
        required=False,
        empty_label=_("No grant: a period"),
        error_messages={"invalid_choice": _("Choose a grant of this initiative.")},
    )
    period = forms.CharField(
        label=_("Period"),
        help_text=_("Only when the story is not about one grant, for example: spring 2026."),
        max_length=100,
        required=False,
    )
    what_happened = forms.CharField(
        label=_("What happened?"),
        help_text=_("A few lines are enough: what did you do, and what did it bring the street?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Tell what happened.")},
    )
    who_took_part = forms.CharField(
        label=_("Who took part?"),
        help_text=_("For example: about 40 neighbours, the school and two shops. No names needed."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Tell who took part.")},
    )
    photo_1 = _photo_field(1)
    photo_2 = _photo_field(2)
    photo_3 = _photo_field(3)

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = Grant.objects.filter(initiative=initiative).order_by("pk")

    def _clean_photo(self, name):
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        try:
            return clean_image(upload)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None

    def clean_photo_1(self):
        return self._clean_photo("photo_1")

    def clean_photo_2(self):
        return self._clean_photo("photo_2")

    def clean_photo_3(self):
        return self._clean_photo("photo_3")

    def clean(self):
        data = super().clean()
        if not data.get("grant") and not (data.get("period") or "").strip():
            self.add_error("period", _("Choose a grant or describe the period."))
        return data

    def photos(self) -> list:
        return [self.cleaned_data[n] for n in PHOTO_FIELDS if self.cleaned_data.get(n)]
