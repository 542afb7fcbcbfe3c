"""Ledger rows <-> the framework-free packages (``buurtcore``): the only module of
this app that imports them. Expense claims, payout batches (``buurtcore.sepa``) and
bank-statement import (``buurtcore.bank``) will meet the ledger here."""
