from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.platform import forms as platform_forms

from .models import Organisation
from .templatetags.organisations_html import sanitise_html


class OrganisationProfileForm(platform_forms.ModelForm):
    """What an organisation tells the public about itself."""

    areas = forms.ModelMultipleChoiceField(
        label=_("Areas you work in"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("For example https://www.example.nl"),
        error_messages={"invalid": _("Fill in a full web address, like https://www.example.nl")},
    )

    class Meta:
        model = Organisation
        fields = ["description", "website", "email", "phone", "areas"]
        labels = {
            "description": _("About the organisation"),
            "email": _("E-mail address for residents"),
            "phone": _("Phone number"),
        }
        help_texts = {
            "description": _(
                "What do you do, for whom, and how can residents reach you? "
                "Simple formatting is allowed (bold, lists, links)."
            ),
        }
        error_messages = {
            "email": {"invalid": _("Fill in a valid e-mail address, like name@example.nl.")},
        }
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = Area.objects.aggregate(year=Max("year"))["year"]
        chosen = self.instance.areas.values_list("pk", flat=True) if self.instance.pk else []
        self.fields["areas"].queryset = Area.objects.filter(
            level__in=[AreaLevel.MUNICIPALITY, AreaLevel.DISTRICT], year=latest
        ) | Area.objects.filter(pk__in=list(chosen))
        self.fields["areas"].queryset = self.fields["areas"].queryset.order_by("level", "name")

    def clean_description(self) -> str:
        return sanitise_html(self.cleaned_data["description"]).strip()


class OrganisationFilterForm(platform_forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    soort = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [("", _("All kinds"))] + list(kinds)
