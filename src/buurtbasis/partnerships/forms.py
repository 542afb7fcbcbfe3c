"""Forms of partnerships (every form guards its text: platform.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform.forms import Form

from .pulse import ASPECTS, OPEN_QUESTION, SCALE


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _Choice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "title", None) or getattr(obj, "label", None) or str(obj)


class PartnershipForm(Form):
    title = forms.CharField(label=_("Name of the partnership"), max_length=150)
    purpose = forms.CharField(
        label=_("What do you do together?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    initiator_tasks = forms.CharField(
        label=_("What do the initiators do?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They are asked to confirm that they take part."),
        error_messages={"required": _("Choose at least one partner organisation.")},
    )
    plans = _Choice(
        label=_("Joint buurtbudget plans"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grants = _Choice(
        label=_("Grants"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisations, plans, grants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations
        self.fields["plans"].queryset = plans
        self.fields["grants"].queryset = grants
        if not plans.exists():
            del self.fields["plans"]
        if not grants.exists():
            del self.fields["grants"]


class ConfirmForm(Form):
    tasks = forms.CharField(
        label=_("What does your organisation do in this partnership?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AgreementForm(Form):
    text = forms.CharField(label=_("Agreement"), max_length=300)
    side = forms.ModelChoiceField(label=_("Who does it?"), queryset=None, empty_label=None)
    due_on = forms.DateField(label=_("Before"), required=False, widget=DateInput())

    def __init__(self, *args, sides, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].queryset = sides
        self.fields["side"].label_from_instance = lambda s: s.name


class ActionForm(Form):
    text = forms.CharField(label=_("Follow-up action"), max_length=300)
    owner = forms.TypedChoiceField(label=_("Who does it?"), coerce=int)
    due_on = forms.DateField(label=_("Before"), widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        self.fields["owner"].choices = [
            (p.pk, p.display_name or p.email)
            for p in sorted(people, key=lambda p: (p.display_name or p.email).lower())
        ]

    def clean_owner(self):
        return self.people[self.cleaned_data["owner"]]


class PulseForm(Form):
    """One radio group per statement (a fieldset each), the open question and the choice
    to show the answer with one's name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for aspect in ASPECTS:
            for key, text in aspect.statements:
                self.fields[key] = forms.TypedChoiceField(
                    label=text,
                    choices=SCALE,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose how much you agree.")},
                )
                self.fields[key].aspect = aspect
        self.fields["open_text"] = forms.CharField(
            label=OPEN_QUESTION,
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["show_name"] = forms.BooleanField(
            label=_("Show my answer with my name to the partnership"),
            required=False,
            help_text=_(
                "If you do not tick this, your answer is only shown together with at least "
                "two other answers, without your name."
            ),
        )

    def groups(self):
        """(aspect label, bound fields) per aspect, for the template."""
        return [(aspect.label, [self[key] for key, _t in aspect.statements]) for aspect in ASPECTS]

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for aspect in ASPECTS for key, _t in aspect.statements}
