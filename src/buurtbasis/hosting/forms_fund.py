"""Forms of the initiatives fund: the fund, the light application, the decision, the answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.budgets.forms import EuroField
from buurtbasis.platform.forms import Form

from .fund import MAX_FOR_WHOM, MAX_REASON, MAX_WHAT, MAX_WHEN, Decision

#: Cost lines on the form (the service accepts a few more from elsewhere).
FORM_COST_LINES = 3
DATE = {"required": _("Enter a date."), "invalid": _("Enter a valid date.")}


class FundForm(Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Give the fund a name.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Enter a year, e.g. 2026."),
            "invalid": _("Enter a year, e.g. 2026."),
            "min_value": _("Enter a year, e.g. 2026."),
            "max_value": _("Enter a year, e.g. 2026."),
        },
    )
    description = forms.CharField(
        label=_("What the fund pays for"),
        help_text=_("A few lines in plain language: what kind of plans, and what not."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Say in a few lines what the fund pays for.")},
    )
    budget = EuroField(label=_("Budget in euros"), min_cents=0)
    max_per_application = EuroField(label=_("At most per application, in euros"))
    opens_on = forms.DateField(
        label=_("Open from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE,
    )
    closes_on = forms.DateField(
        label=_("Open until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].error_messages["required"] = _("Enter the budget.")
        self.fields["max_per_application"].error_messages["required"] = _(
            "Enter the most an application may ask for."
        )
        if editing:
            del self.fields["year"]


class ApplicationForm(Form):
    what = forms.CharField(
        label=_("What do you want to do?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_WHAT,
        error_messages={"required": _("Say what you want to do.")},
    )
    for_whom = forms.CharField(
        label=_("For whom is it?"),
        help_text=_("For example: the children of our street, or older people in the wijk."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_FOR_WHOM,
        error_messages={"required": _("Say for whom it is.")},
    )
    when = forms.CharField(
        label=_("When does it happen?"),
        help_text=_("A date or a period, for example: Saturday 13 June, or this summer."),
        max_length=MAX_WHEN,
        error_messages={"required": _("Say when it happens.")},
    )
    amount = EuroField(
        label=_("Amount you ask for, in euros"),
        help_text=_("One total is enough. Or fill in a few cost lines below instead."),
        required=False,
    )
    attachment = forms.FileField(
        label=_("A quote or a photo (optional)"),
        help_text=_("One photo (JPEG, PNG) of at most 5 MB or a PDF of at most 10 MB."),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, FORM_COST_LINES + 1):
            self.fields[f"line{n}_description"] = forms.CharField(
                label=_("Cost line %(n)s: what") % {"n": n}, max_length=140, required=False
            )
            self.fields[f"line{n}_amount"] = EuroField(
                label=_("Cost line %(n)s: amount in euros") % {"n": n}, required=False
            )

    def cost_line_fields(self):
        return [
            (self[f"line{n}_description"], self[f"line{n}_amount"])
            for n in range(1, FORM_COST_LINES + 1)
        ]

    def cost_lines(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "description": data.get(f"line{n}_description", ""),
                "amount_cents": data.get(f"line{n}_amount"),
            }
            for n in range(1, FORM_COST_LINES + 1)
        ]


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (Decision.GRANT, _("Grant the application")),
            (Decision.QUESTION, _("Ask the applicant a question")),
            (Decision.REFUSE, _("Refuse")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    amount = EuroField(
        label=_("Amount granted, in euros"),
        help_text=_("Leave empty to grant the full amount asked."),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason or question"),
        help_text=_("Needed for a refusal, a lower amount or a question. The applicant reads it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON,
        required=False,
    )


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_REASON,
        error_messages={"required": _("Write your answer.")},
    )
