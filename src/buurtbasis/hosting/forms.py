from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtbasis.budgets.forms import EuroField
from buurtbasis.organisations.models import Membership, Organisation, Role
from buurtbasis.platform.forms import Form

from .models import ReceiptRule


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
    # Approver bands: fixed rows (no JavaScript needed); empty rows are ignored.
    band_1_from = EuroField(min_cents=0, required=False)
    band_1_approvers = forms.IntegerField(min_value=1, max_value=10, required=False)
    band_2_from = EuroField(min_cents=0, required=False)
    band_2_approvers = forms.IntegerField(min_value=1, max_value=10, required=False)
    band_3_from = EuroField(min_cents=0, required=False)
    band_3_approvers = forms.IntegerField(min_value=1, max_value=10, required=False)
    receipt_rule = forms.ChoiceField(
        label=_("When is proof of payment required?"),
        choices=ReceiptRule.choices,
        initial=ReceiptRule.ALWAYS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose when proof of payment is required.")},
    )
    receipt_from = EuroField(
        label=_("Proof required from this amount"),
        help_text=_("Only when proof is required from an amount. Below it, proof is optional."),
        min_cents=0,
        required=False,
    )
    required_receipts = forms.CharField(
        label=_("Which proof of payment is required"),
        help_text=_("Explain in your own words, e.g. a till slip or an invoice with VAT."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    BAND_ROWS = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approval_threshold"].error_messages["required"] = _(
            "Enter an amount (0 is allowed)."
        )
        for row in range(1, self.BAND_ROWS + 1):
            # distinct labels, so the error summary and screen readers name the row
            self.fields[f"band_{row}_from"].label = _("Row %(row)s: from this amount in euros") % {
                "row": row
            }
            self.fields[f"band_{row}_approvers"].label = _("Row %(row)s: number of approvers") % {
                "row": row
            }
            self.fields[f"band_{row}_approvers"].error_messages.update(
                {
                    "invalid": _("Enter a whole number of approvers, from 1 to 10."),
                    "min_value": _("Enter a whole number of approvers, from 1 to 10."),
                    "max_value": _("Enter a whole number of approvers, from 1 to 10."),
                }
            )

    @classmethod
    def initial_for(cls, agreement) -> dict:
        """The agreement's current terms, so re-saving an open offer keeps them."""
        initial = {
            "fee_percent": agreement.fee_basis_points / 100,
            "approval_threshold": agreement.approval_threshold_cents,
            "required_receipts": agreement.required_receipts,
            "receipt_rule": agreement.receipt_rule,
            "receipt_from": (
                agreement.receipt_from_cents
                if agreement.receipt_rule == ReceiptRule.FROM_AMOUNT
                else None
            ),
            "start_date": agreement.start_date,
        }
        bands = sorted(agreement.approver_bands or [], key=lambda b: b["from_cents"])
        for row, band in enumerate(bands[: cls.BAND_ROWS], start=1):
            initial[f"band_{row}_from"] = band["from_cents"]
            initial[f"band_{row}_approvers"] = band["approvers"]
        return initial

    def band_rows(self):
        """(from field, approvers field) per row, for the template."""
        return [
            (self[f"band_{row}_from"], self[f"band_{row}_approvers"])
            for row in range(1, self.BAND_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        for row in range(1, self.BAND_ROWS + 1):
            start, approvers = data.get(f"band_{row}_from"), data.get(f"band_{row}_approvers")
            if f"band_{row}_from" in self.errors or f"band_{row}_approvers" in self.errors:
                continue
            if start is None and approvers is not None:
                message = _("Enter the amount for this number of approvers.")
                self.add_error(f"band_{row}_from", message)
            elif start is not None and approvers is None:
                message = _("Enter the number of approvers for this amount.")
                self.add_error(f"band_{row}_approvers", message)
        if (
            data.get("receipt_rule") == ReceiptRule.FROM_AMOUNT
            and data.get("receipt_from") is None
            and "receipt_from" not in self.errors
        ):
            self.add_error(
                "receipt_from", _("Enter the amount from which proof of payment is required.")
            )
        return data

    def bands(self) -> list[dict]:
        """The filled rows as ``[{"from_cents", "approvers"}]``; the service validates them."""
        rows = []
        for row in range(1, self.BAND_ROWS + 1):
            start = self.cleaned_data.get(f"band_{row}_from")
            approvers = self.cleaned_data.get(f"band_{row}_approvers")
            if start is not None and approvers is not None:
                rows.append({"from_cents": start, "approvers": approvers})
        return rows

    def receipt_from_cents(self) -> int:
        return self.cleaned_data.get("receipt_from") or 0

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
