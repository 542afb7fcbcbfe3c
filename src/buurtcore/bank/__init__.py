"""Bank statements: a CAMT.053 reader and the matching of bank lines to payments.

Framework-free (no Django): :func:`read_camt053` / :func:`parse_camt053` return plain
dataclasses, :class:`BankFileError` carries an English and a Dutch message. See
docs/bank-files.md.
"""

from buurtcore.bank.camt import (
    BankFile,
    BankFileError,
    Entry,
    ReadWarning,
    Statement,
    TransactionDetail,
    parse_camt053,
    read_camt053,
)

__all__ = [
    "BankFile",
    "BankFileError",
    "Entry",
    "ReadWarning",
    "Statement",
    "TransactionDetail",
    "parse_camt053",
    "read_camt053",
]
