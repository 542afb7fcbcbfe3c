from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.organisations.models import Organisation, OrganisationKind
from buurtbasis.platform import forms as platform_forms

from .models import NEEDS, Initiative, Status, TargetGroup, Theme


def wijk_queryset(municipality: str | None = None):
    """The wijken of the most recent year that has any (of the municipality with this
    CBS code, when given)."""
    wijken = Area.objects.filter(level=AreaLevel.DISTRICT)
    if municipality is not None:
        wijken = wijken.filter(pk__in=Area.objects.in_municipality(municipality).values("pk"))
    latest = wijken.aggregate(year=Max("year"))["year"]
    return wijken.filter(year=latest).order_by("code")


class BaseForm(platform_forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# Organisations that can host an initiative.
HOST_KINDS = (
    OrganisationKind.WELFARE,
    OrganisationKind.RESIDENTS_ASSOCIATION,
    OrganisationKind.CARE,
    OrganisationKind.HOUSING,
    OrganisationKind.SCHOOL,
    OrganisationKind.OTHER,
)

NEED_CHOICES = [(key, label) for key, _field, label in NEEDS]


class InitiativeFields(BaseForm):
    """The fields the start and edit forms share."""

    name = forms.CharField(
        label=_("Name of your initiative"),
        max_length=150,
        help_text=_("Short and clear. For example: Moestuin Assendorp."),
    )
    pitch = forms.CharField(
        label=_("What do you want to do?"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences. At most 280 characters."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail address for contact"),
        help_text=_("Only people who are logged in can see this address."),
    )
    description = forms.CharField(
        label=_("More about your plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who does what, when and where? Plain text; empty lines make new paragraphs."),
        max_length=10_000,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("What is it about?"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Who is it for?"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs = forms.MultipleChoiceField(
        label=_("What do you need?"),
        choices=NEED_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what would help. Others can then offer it."),
    )
    contact_name = forms.CharField(
        label=_("Name of the contact person"), max_length=150, required=False
    )
    contact_phone = forms.CharField(
        label=_("Phone number"),
        max_length=32,
        required=False,
        help_text=_("Only people who are logged in can see this number."),
    )
    is_public = forms.BooleanField(
        label=_("Everyone may see my idea"),
        required=False,
        initial=True,
        help_text=_("If you untick this, only you can see the idea until it becomes active."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Names are stored in English and translated: sort them as the reader sees them.
        for name in ("themes", "target_groups"):
            field = self.fields[name]
            field.choices = sorted(
                ((item.pk, str(item)) for item in field.queryset), key=lambda c: c[1].lower()
            )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if len(name) < 3:
            raise forms.ValidationError(_("Give your initiative a name of at least 3 letters."))
        return name

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if phone and (len(digits) < 6 or any(c not in "0123456789+-() " for c in phone)):
            raise forms.ValidationError(
                _("Enter a phone number with digits only, for example 06 12345678.")
            )
        return phone


class StartInitiativeForm(InitiativeFields):
    """Four required fields: name, pitch, wijk, e-mail. The rest is optional."""

    field_order = ["name", "pitch", "area", "contact_email"]
    required_fields = ("name", "pitch", "area", "contact_email")

    area = forms.ModelChoiceField(
        label=_("In which neighbourhood?"),
        queryset=Area.objects.none(),
        empty_label=_("Choose a neighbourhood"),
        help_text=_("Choose the wijk where most of it happens."),
        error_messages={"required": _("Choose the neighbourhood of your initiative.")},
    )

    def __init__(self, *args, municipality: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["area"].queryset = wijk_queryset(municipality)
        for name, message in (
            ("name", _("Give your initiative a name.")),
            ("pitch", _("Tell in one or two sentences what you want to do.")),
            ("contact_email", _("Enter an e-mail address so that people can reach you.")),
        ):
            self.fields[name].error_messages["required"] = message
        self.fields["contact_email"].error_messages["invalid"] = _(
            "Enter an e-mail address like name@example.nl."
        )

    def optional_fields(self):
        return [self[name] for name in self.fields if name not in self.required_fields]

    def main_fields(self):
        return [self[name] for name in self.required_fields]


class EditInitiativeForm(StartInitiativeForm):
    """The same fields, with several wijken possible."""

    required_fields = ("name", "pitch", "areas", "contact_email")
    field_order = ["name", "pitch", "areas", "contact_email"]

    areas = forms.ModelMultipleChoiceField(
        label=_("In which neighbourhoods?"),
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one neighbourhood.")},
    )

    host_organisation = forms.ModelChoiceField(
        label=_("Host organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No host organisation"),
        help_text=_(
            "An organisation that supports you, for example a social-work organisation. "
            "Its community workers can then also change this initiative."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["area"]
        hosts = Organisation.objects.filter(kind__in=HOST_KINDS)
        if self.municipality is not None:
            hosts = hosts.in_municipality(self.municipality)
        self.fields["host_organisation"].queryset = hosts.order_by("name")
        self.fields["areas"].queryset = wijk_queryset(self.municipality)
        self.fields["is_public"].help_text = _(
            "Only matters while it is an idea: if you untick this, only the people who "
            "manage the initiative can see it."
        )

    @staticmethod
    def initial_for(initiative: Initiative) -> dict:
        return {
            "name": initiative.name,
            "pitch": initiative.pitch,
            "description": initiative.description,
            "areas": list(initiative.areas.all()),
            "themes": list(initiative.themes.all()),
            "target_groups": list(initiative.target_groups.all()),
            "needs": [key for key, _label in initiative.needs],
            "contact_email": initiative.contact_email,
            "contact_name": initiative.contact_name,
            "contact_phone": initiative.contact_phone,
            "is_public": initiative.is_public,
            "host_organisation": initiative.host_organisation_id,
        }


class StatusChangeForm(BaseForm):
    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the new status.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=280,
        required=False,
        help_text=_("For example why it changes. Everyone can read this."),
    )

    def __init__(self, *args, allowed: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, Status(s).label) for s in allowed]
        self.fields["to_status"].error_messages["invalid_choice"] = _(
            "This status is not possible now. Choose one of the options."
        )


class InviteForm(BaseForm):
    email = forms.EmailField(
        label=_("E-mail address of the new initiator"),
        max_length=254,
        help_text=_("We send an invitation to this address. Nothing changes until it is accepted."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Fill in an e-mail address."),
            "invalid": _("Fill in a valid e-mail address, like name@example.nl."),
        },
    )


class SearchForm(platform_forms.Form):
    """The list filters (GET). Invalid values are ignored with a message."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    wijk = forms.ModelChoiceField(
        label=_("District"),
        queryset=Area.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All neighbourhoods"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All themes"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Status.choices],
    )
    need = forms.ChoiceField(
        label=_("Needs"),
        required=False,
        choices=[("", _("Anything")), *NEED_CHOICES],
    )

    def __init__(self, *args, municipality: str | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["wijk"].queryset = wijk_queryset(municipality)
