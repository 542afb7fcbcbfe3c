"""Volunteer allowances (vrijwilligersvergoeding): the legal limits per year and a check
of a proposed payment against all three at once. Framework-free; see ``docs/allowances.md``.

>>> from datetime import date
>>> from buurtcore.allowances import AllowancePayment, check_allowance
>>> check_allowance([], AllowancePayment(date(2026, 1, 5), 23_000)).taxable
True
"""

from .check import (
    AllowanceCheck,
    AllowancePayment,
    DeclaredAmount,
    LimitCheck,
    check_allowance,
    format_eur,
)
from .limits import LIMITS, AllowanceError, UnknownYearError, YearLimits, limits_for

__all__ = [
    "LIMITS",
    "AllowanceCheck",
    "AllowanceError",
    "AllowancePayment",
    "DeclaredAmount",
    "LimitCheck",
    "UnknownYearError",
    "YearLimits",
    "check_allowance",
    "format_eur",
    "limits_for",
]
