"""Forms of expenses, payouts, bank statements and allowances."""

from __future__ import annotations

import datetime

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from buurtbasis.budgets.forms import EuroField
from buurtbasis.platform.forms import Form
from buurtbasis.platform.money import format_euros

from .expenses import EXPENSE_CATEGORIES
from .models import Category, Grant, ReceiptRule
from .models_expenses import ExpenseKind, PainVersion


class ExpenseForm(Form):
    kind = forms.ChoiceField(
        label=_("What do you submit?"),
        choices=ExpenseKind.choices,
        initial=ExpenseKind.CLAIM,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What was it for?"),
        help_text=_("Shown in the public ledger: do not write names."),
        max_length=140,
        error_messages={"required": _("Describe what the money was for.")},
    )
    amount = EuroField(label=_("Amount in euros"))
    date = forms.DateField(
        label=_("Date of purchase"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a valid date.")},
    )
    category = forms.ChoiceField(label=_("Category"))
    grant = forms.ModelChoiceField(
        label=_("Paid from"),
        queryset=Grant.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the money this is paid from.")},
    )
    payee_name = forms.CharField(
        label=_("Name of the account holder"),
        max_length=70,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter the name of the account holder.")},
    )
    payee_iban = forms.CharField(
        label=_("IBAN"),
        help_text=_("The account the money goes to, e.g. NL91 ABNA 0417 1643 00."),
        max_length=42,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                # With JavaScript the bank's name (or what is wrong) shows while typing.
                "hx-get": reverse_lazy("hosting:iban-check"),
                "hx-trigger": "change, keyup changed delay:600ms",
                "hx-target": "#iban-check",
                "hx-swap": "innerHTML",
            }
        ),
        error_messages={"required": _("Enter the IBAN.")},
    )
    reference = forms.CharField(
        label=_("Invoice number (optional)"),
        max_length=35,
        required=False,
    )
    hours = forms.DecimalField(
        label=_("Hours volunteered (only for a volunteer allowance)"),
        required=False,
        min_value=0,
        max_value=2000,
        decimal_places=2,
        error_messages={"invalid": _("Enter a number of hours, e.g. 4 or 2.5.")},
    )
    receipt = forms.FileField(
        label=_("Photo or PDF of the proof of purchase"),
        help_text=_("A photo (JPEG, PNG) of at most 5 MB or a PDF of at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
        error_messages={"required": _("Add a photo or PDF of the proof of purchase.")},
    )

    def __init__(self, *args, initiative, host, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agreement is not None and agreement.receipt_rule == ReceiptRule.FROM_AMOUNT:
            # the service refuses a claim without proof from this amount; say so beforehand
            receipt = self.fields["receipt"]
            language = get_language() or "nl"
            receipt.required = False
            receipt.help_text = _(
                "Required for amounts from %(amount)s; below that it is optional. "
                "A photo (JPEG, PNG) of at most 5 MB or a PDF of at most 10 MB."
            ) % {"amount": format_euros(agreement.receipt_from_cents, language=language)}
        labels = dict(Category.choices)
        self.fields["category"].choices = [(c, labels[c]) for c in EXPENSE_CATEGORIES]
        self.fields["grant"].queryset = Grant.objects.filter(
            initiative=initiative, host=host, withdrawn_at__isnull=True
        )
        self.fields["amount"].error_messages["required"] = _("Enter the amount.")

    def clean_date(self):
        value: datetime.date = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return value


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give a reason.")},
    )


class BankAccountForm(Form):
    name = forms.CharField(
        label=_("Account holder"),
        max_length=70,
        error_messages={"required": _("Enter the name of the account holder.")},
    )
    iban = forms.CharField(
        label=_("IBAN"), max_length=42, error_messages={"required": _("Enter the IBAN.")}
    )
    pain_version = forms.ChoiceField(
        label=_("SEPA file version"),
        choices=PainVersion.choices,
        help_text=_("pain.001.001.09 unless your bank asks for pain.001.001.03."),
    )


class BatchForm(Form):
    execution_date = forms.DateField(
        label=_("Execution date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a valid date.")},
    )
    expenses = forms.MultipleChoiceField(
        label=_("Approved expenses"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one approved expense.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expenses"].choices = choices


class StatementForm(Form):
    file = forms.FileField(
        label=_("Bank statement (CAMT.053, XML)"),
        help_text=_("Download it from your bank as CAMT.053. At most 100 MB."),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty.")},
    )


class DeclarationForm(Form):
    month = forms.DateField(
        label=_("Month"),
        help_text=_("Any day of the month you received it."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a valid date.")},
    )
    amount = EuroField(label=_("Amount received elsewhere, in euros"))
