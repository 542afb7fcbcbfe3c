"""Forms of the social map and of warm referral. The rules live in ``services``."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform.forms import Form

from .models import ConsentMethod, DeclineReason, Domain, Outcome, ReportBack, Shared


class ServiceForm(Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    name = forms.CharField(label=_("Name of the service"), max_length=160)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    description = forms.CharField(
        label=_("What it offers"),
        help_text=_("In plain language (B1), for residents and referrers."),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Wijken served"),
        queryset=None,
        required=False,
        help_text=_("Choose none when the service is for the whole municipality."),
        widget=forms.CheckboxSelectMultiple,
    )
    professional_contact = forms.CharField(
        label=_("Contact for professionals"),
        help_text=_("A phone number or e-mail address of the intake, not of a person."),
        max_length=300,
        required=False,
    )
    how_to_refer = forms.CharField(
        label=_("How to refer"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    first_contact_days = forms.IntegerField(
        label=_("First contact within (working days)"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Leave empty for the default."),
    )
    active = forms.BooleanField(label=_("Show on the social map"), required=False, initial=True)

    def __init__(self, *args, organisations, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["areas"].queryset = areas


class ReferralForm(Form):
    person_name = forms.CharField(
        label=_("First name or initials"),
        help_text=_("No surname, no date of birth."),
        max_length=60,
        required=False,
    )
    contact = forms.CharField(
        label=_("Phone number or e-mail address"),
        help_text=_("Only the receiving organisation sees this, to contact the person."),
        max_length=120,
        required=False,
    )
    reason = forms.CharField(
        label=_("What the person needs help with, in their own words"),
        help_text=_("Short. No diagnoses, no medical details, no citizen service number (BSN)."),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_words = forms.BooleanField(
        label=_("These words are needed and the person agreed to share them"),
        required=False,
    )
    professional = forms.ModelChoiceField(
        label=_("Hand over to"),
        queryset=None,
        required=False,
        empty_label=_("The organisation's intake (a professional takes it)"),
    )
    shared = forms.MultipleChoiceField(
        label=_("The person allows to share with this organisation"),
        choices=Shared.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Record what the person allows to be shared.")},
    )
    consent_until = forms.DateField(
        label=_("Consent valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    consent_method = forms.ChoiceField(
        label=_("How the person gave consent"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )
    report_back = forms.ChoiceField(
        label=_("What may be reported back to you"),
        choices=ReportBack.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, professionals, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "consent_until": timezone.localdate() + datetime.timedelta(days=90),
                "report_back": ReportBack.STATUS,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals
        self.fields["professional"].label_from_instance = lambda user: user.display_name


class DeclineForm(Form):
    category = forms.ChoiceField(label=_("Why you decline"), choices=DeclineReason.choices)


class EndForm(Form):
    category = forms.ChoiceField(label=_("How the help ended"), choices=Outcome.choices)


class NoteForm(Form):
    text = forms.CharField(
        label=_("Case note"),
        help_text=_("Only for professionals of your organisation. No diagnoses, no BSN."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
