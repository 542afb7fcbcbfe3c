"""SEPA payouts: IBAN checks, EPC character set and pain.001 credit-transfer files.

Framework-free (no Django). See ``docs/sepa.md``.

>>> from buurtcore.sepa import check_iban, to_epc
>>> to_epc("Zoë Çelik"), check_iban("NL91ABNA0417164300").bic
('Zoe Celik', 'ABNANL2A')
"""

from .charset import EPC_ALLOWED, is_epc, is_epc_identifier, to_epc
from .iban import IbanError, IbanInfo, check_iban
from .transfer import (
    MAX_AMOUNT_CENTS,
    MAX_NAME,
    MAX_REMITTANCE,
    PAIN_VERSIONS,
    Address,
    Batch,
    BatchError,
    Debtor,
    Payment,
    Problem,
    SchemaValidationError,
    batch_from_dict,
    cents_to_decimal,
    read_pain001,
    transfer_xml,
    write_pain001,
)

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
    "to_epc",
    "transfer_xml",
    "write_pain001",
]
