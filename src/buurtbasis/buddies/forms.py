"""Forms of the buddy programme (every form guards its text: platform.forms)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform.forms import Form

from . import vocab
from .models import HouseholdStatus, Kind, Level

#: Languages an intake records at most.
LANGUAGE_ROWS = 3


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(HouseholdStatus.choices),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Both kinds"))] + list(Kind.choices)
    )
    q = forms.CharField(label=_("Label contains"), required=False, max_length=80)


class IntakeForm(Form):
    """Only what the matching needs. No names of children, no religion or health data
    unless the household volunteers it."""

    kind = forms.ChoiceField(label=_("Kind of household"), choices=Kind.choices)
    label = forms.CharField(
        label=_("Label"),
        max_length=80,
        help_text=_("A short label for the matchers, such as “Familie H.”. Not a full name."),
    )
    adults = forms.IntegerField(label=_("Number of adults"), min_value=1, max_value=12, initial=2)
    children_ages = forms.CharField(
        label=_("Ages of the children"),
        required=False,
        max_length=80,
        help_text=_("Ages in years, separated by commas, for example: 6, 8. No names needed."),
    )
    area = forms.ModelChoiceField(
        label=_("Wijk or buurt"),
        queryset=None,
        help_text=_("Where the household lives. The middle of this area is used for distances."),
    )
    interests = forms.MultipleChoiceField(
        label=_("Interests"),
        required=False,
        choices=vocab.INTERESTS,
        widget=forms.CheckboxSelectMultiple,
    )
    other_interests = forms.CharField(
        label=_("Other interests"),
        required=False,
        max_length=200,
        help_text=_("Separated by commas, for example: schaken, dansen"),
    )
    availability = forms.MultipleChoiceField(
        label=_("When the household has time"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    wishes = forms.MultipleChoiceField(
        label=_("Wishes for the other household"),
        required=False,
        choices=vocab.WISHES,
        widget=forms.CheckboxSelectMultiple,
    )
    language_required = forms.BooleanField(
        label=_("A shared language is a must for this household"), required=False
    )
    contact_email = forms.EmailField(
        label=_("E-mail address of the contact person"),
        required=False,
        help_text=_(
            "If this address belongs to an account, the person gets an invitation and "
            "confirms it themselves; then the household can accept a proposal itself. "
            "Until then a matcher records its answer."
        ),
    )
    religion = forms.CharField(
        label=_("Religion or belief (only if the household tells it itself)"),
        required=False,
        max_length=60,
        help_text=_("Never ask for it. Leave empty unless the household wants it to be known."),
    )
    consent_sensitive = forms.BooleanField(
        label=_("The household agrees that this is used for matching"), required=False
    )

    def __init__(self, *args, areas=None, self_service=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["availability"].choices = [
            (f"{d}-{p}", f"{day} {part}") for d, day in vocab.DAYS for p, part in vocab.PARTS
        ]
        for i in range(1, LANGUAGE_ROWS + 1):
            self.fields[f"language_{i}"] = forms.ChoiceField(
                label=_("Language %(n)s") % {"n": i},
                required=i == 1,
                choices=[("", "—")] + vocab.LANGUAGES,
            )
            self.fields[f"level_{i}"] = forms.ChoiceField(
                label=_("Level of language %(n)s") % {"n": i},
                required=False,
                choices=Level.choices,
                initial=Level.GOOD,
            )
        if self_service:
            del self.fields["contact_email"]
            del self.fields["label"]
        self.order_fields(
            ["kind", "label", "adults", "children_ages", "area"]
            + [f"{x}_{i}" for i in range(1, LANGUAGE_ROWS + 1) for x in ("language", "level")]
        )

    def clean_children_ages(self):
        text = self.cleaned_data.get("children_ages", "").strip()
        if not text:
            return []
        parts = [p for p in re.split(r"[,\s;]+", text) if p]
        if not all(p.isascii() and p.isdigit() for p in parts):
            raise forms.ValidationError(
                _("Write the ages as whole numbers separated by commas, for example: 6, 8.")
            )
        ages = sorted(int(p) for p in parts)
        if any(a > 17 for a in ages):
            raise forms.ValidationError(_("Children's ages are from 0 to 17."))
        if len(ages) > 12:
            raise forms.ValidationError(_("Give at most 12 children."))
        return ages

    def clean_contact_email(self):
        # Never look the address up here: the form must not tell whether an account exists.
        return (self.cleaned_data.get("contact_email") or "").strip().lower()

    def clean(self):
        data = super().clean()
        languages, seen = [], set()
        for i in range(1, LANGUAGE_ROWS + 1):
            code = data.get(f"language_{i}")
            if code and code not in seen:
                seen.add(code)
                languages.append({"code": code, "level": data.get(f"level_{i}") or Level.GOOD})
        data["languages"] = languages
        if data.get("consent_sensitive") and not (data.get("religion") or "").strip():
            self.add_error(
                "consent_sensitive",
                _("There is nothing to consent to: no religion or belief was given."),
            )
        return data

    def intake(self) -> dict:
        """The plain values for ``services.create_household`` / ``update_household``."""
        data = self.cleaned_data
        others = [w.strip().lower() for w in (data.get("other_interests") or "").split(",")]
        out = {
            "kind": data["kind"],
            "adults": data["adults"],
            "children_ages": data["children_ages"],
            "area": data["area"],
            "languages": data["languages"],
            "interests": sorted(set(data["interests"]) | {w for w in others if w}),
            "availability": data["availability"],
            "wishes": data["wishes"],
            "language_required": data["language_required"],
            "sensitive": {"religion": data.get("religion", "").strip()},
            "consent_sensitive": data["consent_sensitive"],
        }
        if "label" in data:
            out["label"] = data["label"]
        if "contact_email" in self.fields:
            out["invited_email"] = data.get("contact_email", "")
        return out

    @staticmethod
    def initial_for(household) -> dict:
        fixed = {c for c, _label in vocab.INTERESTS}
        initial = {
            "kind": household.kind,
            "label": household.label,
            "adults": household.adults,
            "children_ages": ", ".join(str(a) for a in household.children_ages),
            "area": household.area_id,
            "interests": [i for i in household.interests if i in fixed],
            "other_interests": ", ".join(i for i in household.interests if i not in fixed),
            "availability": household.availability,
            "wishes": household.wishes,
            "language_required": household.language_required,
            "contact_email": household.invited_email,
            "religion": (household.sensitive or {}).get("religion", ""),
            "consent_sensitive": household.consent_sensitive,
        }
        for i, lang in enumerate(household.languages[:LANGUAGE_ROWS], start=1):
            initial[f"language_{i}"] = lang["code"]
            initial[f"level_{i}"] = lang.get("level", Level.GOOD)
        return initial


class BatchForm(Form):
    max_km = forms.DecimalField(
        label=_("Maximum distance in km"),
        required=False,
        min_value=0.1,
        max_value=500,
        decimal_places=1,
        help_text=_("Empty: no maximum."),
    )
    language = forms.ChoiceField(
        label=_("Language both households must speak"),
        required=False,
        choices=[("", _("No must-have language"))] + vocab.LANGUAGES,
    )
    require_shared_language = forms.BooleanField(
        label=_("Every pair shares at least one language"), required=False
    )


class DeclineForm(Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)

    def __init__(self, *args, pair=None, **kwargs):
        """``pair``: a matcher records the answer, so the form asks which household declines."""
        super().__init__(*args, **kwargs)
        if pair is not None:
            self.fields["side"] = forms.ChoiceField(
                label=_("Which household declines?"),
                choices=[("newcomer", pair.newcomer.label), ("local", pair.local.label)],
                widget=forms.RadioSelect,
            )
            self.order_fields(["side", "reason"])


class CheckInForm(Form):
    done_on = forms.DateField(label=_("Date of the check-in"), widget=DateInput())
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How it goes, in a few words. Names, addresses and numbers are masked."),
    )


class EndEarlyForm(Form):
    reason = forms.CharField(
        label=_("Why the pair ends early"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvaluationForm(Form):
    newcomer_text = forms.CharField(
        label=_("What the newcomer household says"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    local_text = forms.CharField(
        label=_("What the local household says"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
