"""Forms of the bank-line page: finding the payment a line belongs to."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.budgets.forms import EuroField
from buurtbasis.platform.forms import Form


class PaymentSearchForm(Form):
    """A GET form: narrow the open payments by amount and by name or text."""

    bedrag = EuroField(
        label=_("Amount in euros"),
        required=False,
        help_text=_("Leave empty to see every amount."),
    )
    zoek = forms.CharField(
        label=_("Name, description, initiative or reference"),
        required=False,
        max_length=100,
    )
