from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.budgets.models import BallotType, BudgetRound, Plan
from buurtbasis.platform import forms as platform_forms

from .models import PaperBatch


class CodeForm(platform_forms.Form):
    code = forms.CharField(
        label=_("Your voting code"),
        max_length=40,
        help_text=_("The code is on your letter, for example 7KQ2-M9XD-4HVT."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autocorrect": "off",
            }
        ),
        error_messages={"required": _("Fill in the code from your letter.")},
    )


def parse_choices(
    data, budget_round: BudgetRound, plans: list[Plan]
) -> tuple[dict[int, int], dict[str, str]]:
    """Read the chosen plans (and points) from POST data.

    Returns ``(choices, field_errors)``: choices as {plan_id: points}; values that are
    not whole numbers become field errors and are left out.
    """
    choices: dict[int, int] = {}
    errors: dict[str, str] = {}
    if budget_round.ballot_type == BallotType.POINTS:
        for plan in plans:
            raw = (data.get(f"points-{plan.pk}") or "").strip()
            if not raw:
                continue
            try:
                value = int(raw)
            except ValueError:
                errors[f"points-{plan.pk}"] = str(
                    _("Fill in a whole number of points (0 or more).")
                )
                continue
            if value < 0:
                errors[f"points-{plan.pk}"] = str(_("Points cannot be negative."))
            elif value > 0:
                choices[plan.pk] = value
    else:
        for raw in data.getlist("plan"):
            try:
                choices[int(raw)] = 1
            except ValueError:
                continue
    return choices, errors


def choices_from_query(data) -> dict[int, int]:
    """Hidden fields on the confirmation page carry the choices as c-<plan>=<points>."""
    choices: dict[int, int] = {}
    for key, value in data.items():
        if key.startswith("c-"):
            try:
                plan_id, points = int(key[2:]), int(value)
            except ValueError:
                continue
            if points > 0:
                choices[plan_id] = points
    return choices


class LettersForm(platform_forms.Form):
    addresses = forms.FileField(
        label=_("Addresses (CSV file, optional)"),
        required=False,
        help_text=_(
            "Columns: name, street, postcode, place (Dutch headers work too). One letter per "
            "row. The addresses are kept only until the letters are printed."
        ),
    )
    count = forms.IntegerField(
        label=_("Number of letters without an address"),
        required=False,
        min_value=1,
        max_value=50_000,
        help_text=_("Only when you do not upload addresses."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("addresses") and not data.get("count"):
            raise forms.ValidationError(
                _("Upload a file with addresses or fill in a number of letters.")
            )
        return data


class PaperBatchForm(platform_forms.ModelForm):
    declared_count = forms.IntegerField(
        label=_("Number of forms in the stack"),
        min_value=1,
        max_value=10_000,
        help_text=_("Count the forms in the stack before you start."),
    )

    class Meta:
        model = PaperBatch
        fields = ["declared_count", "label"]
        help_texts = {"label": _("For example: box 3, library Noord.")}


class RejectForm(platform_forms.Form):
    reason = forms.CharField(
        label=_("What must be corrected?"),
        max_length=280,
        error_messages={"required": _("Say what must be corrected.")},
    )


class VoterDetailsForm(platform_forms.Form):
    """What a person states to vote with their account: date of birth and where they live."""

    birth_date = forms.DateField(
        label=_("Your date of birth"),
        help_text=_("For example 15-03-1980."),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Fill in your date of birth."),
            "invalid": _("Fill in a date like 15-03-1980."),
        },
    )
    home_area = forms.ModelChoiceField(
        label=_("Where you live"),
        queryset=None,
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the wijk or buurt where you live."),
            "invalid_choice": _("Choose one of the areas in the list."),
        },
    )

    def __init__(self, *args, areas=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        self.today = today or timezone.localdate()
        if areas:
            self.fields["home_area"].queryset = areas
            self.fields["home_area"].required = True
        else:
            del self.fields["home_area"]

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > self.today:
            raise forms.ValidationError(_("Your date of birth cannot be in the future."))
        if value.year < 1900:
            raise forms.ValidationError(_("Check the year of your date of birth."))
        return value
