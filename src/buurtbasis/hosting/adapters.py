"""Ledger rows <-> the framework-free packages (``buurtcore``): the only module of
this app that imports them. Payout batches (``buurtcore.sepa``) and bank-statement
import (``buurtcore.bank``) will meet the ledger here too."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from buurtcore.sepa.iban import IbanError, check_iban


@dataclass(frozen=True)
class CheckedIban:
    iban: str
    bank_name: str


class BadIban(ValueError):
    """An IBAN that cannot be paid to; the message is in the active language."""


def checked_iban(value: str) -> CheckedIban:
    """The compact IBAN and its bank's name (schwifty's registry), or :class:`BadIban`."""
    try:
        info = check_iban(value)
    except IbanError as error:
        dutch = (translation.get_language() or "nl").startswith("nl")
        raise BadIban(error.message_nl if dutch else error.message) from None
    return CheckedIban(info.iban, info.bank_name or "")
