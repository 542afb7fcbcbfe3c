"""SEPA payouts: IBAN checks, EPC character set and pain.001 credit-transfer files.

Framework-free (no Django). See ``docs/sepa.md``.

>>> from buurtcore.sepa import check_iban, to_epc
>>> to_epc("Zoë Çelik"), check_iban("NL91ABNA0417164300").bic
('Zoe Celik', 'ABNANL2A')
"""

import importlib
from typing import Any

# Names load their module on first use (PEP 562), so that `buurtbasis --help`, which
# imports ``buurtcore.sepa.cli``, does not load schwifty, sepaxml or xmlschema.
_MODULES = {
    "charset": ("EPC_ALLOWED", "is_epc", "is_epc_identifier", "to_epc"),
    "iban": ("IbanError", "IbanInfo", "check_iban"),
    "transfer": (
        "MAX_AMOUNT_CENTS",
        "MAX_NAME",
        "MAX_REMITTANCE",
        "PAIN_VERSIONS",
        "Address",
        "Batch",
        "BatchError",
        "Debtor",
        "Payment",
        "Problem",
        "SchemaValidationError",
        "batch_from_dict",
        "cents_to_decimal",
        "read_pain001",
        "schema_errors",
        "transfer_xml",
        "write_pain001",
    ),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


__all__ = [
    "EPC_ALLOWED",
    "MAX_AMOUNT_CENTS",
    "MAX_NAME",
    "MAX_REMITTANCE",
    "PAIN_VERSIONS",
    "Address",
    "Batch",
    "BatchError",
    "Debtor",
    "IbanError",
    "IbanInfo",
    "Payment",
    "Problem",
    "SchemaValidationError",
    "batch_from_dict",
    "cents_to_decimal",
    "check_iban",
    "is_epc",
    "is_epc_identifier",
    "read_pain001",
    "schema_errors",
    "to_epc",
    "transfer_xml",
    "write_pain001",
]
