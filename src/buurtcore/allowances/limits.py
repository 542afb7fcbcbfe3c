"""The legal limits of the Dutch volunteer allowance (vrijwilligersvergoeding), per year.

Every figure carries its source. Add a year when the Belastingdienst publishes it
(its page "Vrijwilligersvergoedingen" on belastingdienst.nl is the official place;
check it each January). Amounts are integer cents.

>>> limits_for(2026).monthly_cents, limits_for(2026).hourly_cents(age=19)
(22000, 340)
>>> limits_for(2031)
Traceback (most recent call last):
...
buurtcore.allowances.limits.UnknownYearError: there are no volunteer-allowance limits for 2031 yet (known years: 2025, 2026)
"""  # noqa: E501

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LIMITS", "AllowanceError", "UnknownYearError", "YearLimits", "limits_for"]

#: Below this age the lower hourly guide figure applies.
ADULT_AGE = 21


class AllowanceError(ValueError):
    """Input the allowance check cannot use; ``message`` (English) and ``message_nl``."""

    def __init__(self, message: str, message_nl: str):
        super().__init__(message)
        self.message = message
        self.message_nl = message_nl


class UnknownYearError(AllowanceError):
    """No limits are known for the year (the table needs a new row)."""


@dataclass(frozen=True)
class YearLimits:
    """The limits of one calendar year.

    Attributes
    ----------
    year : int
    hourly_adult_cents : int
        Guide figure per hour for volunteers aged 21 or older.
    hourly_young_cents : int
        Guide figure per hour for volunteers under 21.
    monthly_cents, yearly_cents : int
        The most a volunteer may receive in a calendar month and in a calendar year,
        from all organisations together.
    source : str
        Where the figures come from.
    """

    year: int
    hourly_adult_cents: int
    hourly_young_cents: int
    monthly_cents: int
    yearly_cents: int
    source: str

    def hourly_cents(self, age: int | None) -> int:
        """The hourly guide figure for a volunteer of ``age`` (unknown: the adult figure)."""
        if age is not None and age < ADULT_AGE:
            return self.hourly_young_cents
        return self.hourly_adult_cents


_BELASTINGDIENST = (
    'Belastingdienst, page "Vrijwilligersvergoedingen" (belastingdienst.nl), '
    "the official place for these amounts"
)

#: The table: one row per year.
LIMITS: dict[int, YearLimits] = {
    2025: YearLimits(
        year=2025,
        hourly_adult_cents=560,
        hourly_young_cents=330,
        monthly_cents=21_000,
        yearly_cents=210_000,
        source=f"{_BELASTINGDIENST}; amounts for 2025",
    ),
    2026: YearLimits(
        year=2026,
        hourly_adult_cents=575,
        hourly_young_cents=340,
        monthly_cents=22_000,
        yearly_cents=220_000,
        source="Announced by the State Secretary for Finance, open.overheid.nl document "
        f"b1441fc3-ef00-46f0-868a-92ecb4e3b895; {_BELASTINGDIENST}",
    ),
}


def limits_for(year: int, table: dict[int, YearLimits] | None = None) -> YearLimits:
    """The limits for ``year``; :class:`UnknownYearError` when the table has no row."""
    table = LIMITS if table is None else table
    try:
        return table[year]
    except KeyError:
        known = ", ".join(str(y) for y in sorted(table)) or "none"
        raise UnknownYearError(
            f"there are no volunteer-allowance limits for {year} yet (known years: {known})",
            f"er zijn nog geen grenzen voor de vrijwilligersvergoeding in {year} "
            f"(bekende jaren: {known})",
        ) from None
