from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtbasis.budgets.forms import EuroField
from buurtbasis.organisations.models import Membership, Organisation, Role
from buurtbasis.platform.forms import Form


def host_choices():
    """Organisations with at least one finance officer can host."""
    ids = Membership.objects.filter(role=Role.FINANCE_OFFICER).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids).order_by("name")


class RequestForm(Form):
    host = forms.ModelChoiceField(
        label=_("Host organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose a host"),
        error_messages={"required": _("Choose a host."), "invalid_choice": _("Choose a host.")},
    )
    message = forms.CharField(
        label=_("Message to the host"),
        help_text=_("What is your initiative about and what money do you expect?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = host_choices()


class OfferForm(Form):
    start_date = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter a start date."), "invalid": _("Enter a valid date.")},
    )
    fee_percent = forms.DecimalField(
        label=_("Host fee in percent"),
        help_text=_("0 is allowed. At most two decimals, e.g. 5 or 2.5."),
        min_value=0,
        max_value=100,
        decimal_places=2,
        error_messages={
            "required": _("Enter the host fee (0 is allowed)."),
            "invalid": _("Enter a number, e.g. 5 or 2.5."),
            "min_value": _("The host fee is between 0 and 100 percent."),
            "max_value": _("The host fee is between 0 and 100 percent."),
            "max_decimal_places": _("Use at most two decimals."),
        },
    )
    approval_threshold = EuroField(
        label=_("Expenses above this amount need approval before they are made"),
        min_cents=0,
    )
    two_approvers_from = EuroField(
        label=_("Two approvers from this amount"),
        help_text=_("Leave empty when one approver is always enough."),
        required=False,
    )
    required_receipts = forms.CharField(
        label=_("Which proof of payment is required"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approval_threshold"].error_messages["required"] = _(
            "Enter an amount (0 is allowed)."
        )

    def bands(self) -> list[dict]:
        start = self.cleaned_data.get("two_approvers_from")
        return [{"from_cents": start, "approvers": 2}] if start else []

    def fee_basis_points(self) -> int:
        return int(self.cleaned_data["fee_percent"] * 100)


class EndForm(Form):
    reason = forms.CharField(
        label=_("Why does the agreement end?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give a reason.")},
    )
    settle_to = forms.CharField(
        label=_("Where does the money that is left go?"),
        help_text=_("For example: returned to the municipality, or transferred to the new host."),
        max_length=150,
        required=False,
    )


class DonationForm(Form):
    amount = EuroField(label=_("Amount in euros"))
    date = forms.DateField(
        label=_("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a valid date.")},
    )
    description = forms.CharField(
        label=_("Description (public)"),
        help_text=_("Shown in the public ledger: do not write the donor's name."),
        max_length=150,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["required"] = _("Enter the amount.")

    def clean_date(self):
        value: datetime.date = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return value
