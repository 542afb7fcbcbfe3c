"""Would a new volunteer allowance go over the legal limits? All three at once.

:func:`check_allowance` takes everything a volunteer received (through this install,
from every initiative) and what they declared they received elsewhere, plus a proposed
payment, and says for each limit — the hourly guide figure, the calendar month and the
calendar year — whether the payment would go over it and by how much, with a plain
explanation in Dutch (B1) and English. Amounts are integer cents; hours are exact
(:class:`fractions.Fraction`).

One month over the monthly limit, or the year over the yearly limit, makes the whole
allowance taxable, not only the part above the limit: the explanation says so.

Examples
--------
>>> from datetime import date
>>> history = [AllowancePayment(date(2026, 3, 2), 15_000)]
>>> new = AllowancePayment(date(2026, 3, 20), 10_000, hours=20, age=34)
>>> result = check_allowance(history, new)
>>> result.month.total_cents, result.month.limit_cents, result.month.over_by_cents
(25000, 22000, 3000)
>>> result.hour.exceeded, result.year.exceeded, result.exceeded, result.taxable
(False, False, True, True)
>>> print(result.month.explanation_nl)
Met deze betaling krijgt de vrijwilliger in maart 2026 in totaal € 250,00. De grens is € 220,00 per maand. Dat is € 30,00 te veel.
"""  # noqa: E501

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .limits import ADULT_AGE, AllowanceError, YearLimits, limits_for

__all__ = [
    "AllowanceCheck",
    "AllowancePayment",
    "DeclaredAmount",
    "LimitCheck",
    "check_allowance",
    "format_eur",
]

MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

TAXABLE_NL = (
    "Let op: komt de vrijwilliger in één maand boven de grens per maand, of in het jaar "
    "boven de grens per jaar? Dan is de hele vergoeding belast, niet alleen het deel boven "
    "de grens. De vergoeding telt dan als inkomen. Wat de vrijwilliger van andere "
    "organisaties krijgt, telt ook mee."
)
TAXABLE_EN = (
    "Note: if the volunteer goes over the monthly limit in a single month, or over the "
    "yearly limit in the year, the whole allowance is taxed, not just the part above the "
    "limit. It then counts as income. What the volunteer receives from other "
    "organisations counts too."
)


def format_eur(cents: int, lang: str = "nl") -> str:
    """Cents as euros for people.

    >>> format_eur(220_000), format_eur(220_000, "en"), format_eur(-5)
    ('€ 2.200,00', '€2,200.00', '-€ 0,05')
    """
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    if lang == "nl":
        return f"{sign}€ {euros:,}".replace(",", ".") + f",{rest:02d}"
    return f"{sign}€{euros:,}.{rest:02d}"


def _hours(value) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int | Fraction | Decimal):
        return Fraction(value)
    if isinstance(value, str):
        return Fraction(Decimal(value.strip().replace(",", ".")))
    raise TypeError


def _check_amount(value, what_en: str, what_nl: str, *, allow_zero: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < (0 if allow_zero else 1):
        raise AllowanceError(
            f"{what_en}: the amount must be a whole number of cents above 0, not {value!r}",
            f"{what_nl}: het bedrag moet een heel aantal centen boven 0 zijn, niet {value!r}",
        )


@dataclass(frozen=True)
class AllowancePayment:
    """An allowance paid (or proposed) through the platform.

    Parameters
    ----------
    day : date
    amount_cents : int
        More than 0.
    hours : int, Fraction, Decimal or str, optional
        Hours of volunteering the payment is for, when known ("1,5" and "1.5" work).
    age : int, optional
        The volunteer's age on ``day`` (for the hourly guide figure).
    """

    day: date
    amount_cents: int
    hours: Fraction | None = None
    age: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.day, date):
            raise AllowanceError(
                f"the date must be a date, not {self.day!r}",
                f"de datum moet een datum zijn, niet {self.day!r}",
            )
        _check_amount(self.amount_cents, f"payment of {self.day}", f"betaling van {self.day}")
        try:
            hours = _hours(self.hours)
        except (TypeError, ValueError, ArithmeticError):
            hours = Fraction(-1)
        if hours is not None and hours < 0:
            raise AllowanceError(
                f"payment of {self.day}: hours must be a number of 0 or more, not {self.hours!r}",
                f"betaling van {self.day}: het aantal uren moet 0 of meer zijn, "
                f"niet {self.hours!r}",
            )
        object.__setattr__(self, "hours", hours)
        if self.age is not None and (
            isinstance(self.age, bool) or not isinstance(self.age, int) or not 0 <= self.age < 130
        ):
            raise AllowanceError(
                f"payment of {self.day}: the age must be a whole number of years, not {self.age!r}",
                f"betaling van {self.day}: de leeftijd moet een heel aantal jaren zijn, "
                f"niet {self.age!r}",
            )


@dataclass(frozen=True)
class DeclaredAmount:
    """What the volunteer declared they received elsewhere (another organisation).

    ``day`` is any day in the month it was received; it counts for that month and year.
    """

    day: date
    amount_cents: int
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.day, date):
            raise AllowanceError(
                f"the date must be a date, not {self.day!r}",
                f"de datum moet een datum zijn, niet {self.day!r}",
            )
        _check_amount(
            self.amount_cents,
            f"declared amount of {self.day}",
            f"opgegeven bedrag van {self.day}",
            allow_zero=True,
        )


@dataclass(frozen=True)
class LimitCheck:
    """One limit checked against the proposed payment.

    Attributes
    ----------
    limit : str
        ``"hour"``, ``"month"`` or ``"year"``.
    period : str
        ``"2026-03-20"`` (hour: the payment's day), ``"2026-03"`` or ``"2026"``.
    applies : bool
        False only for the hourly figure when the hours are unknown.
    limit_cents : int
        The most allowed: for the hour check the guide figure times the hours
        (rounded down to a cent); for month and year the limit itself.
    total_cents : int
        What is counted against it, the proposed payment included.
    exceeded : bool
    over_by_cents : int
        How much too much (0 when within the limit).
    remaining_cents : int
        What can still be paid within the limit (0 when exceeded).
    rate_cents : int or None
        The hourly guide figure used (hour check only).
    explanation_nl, explanation_en : str
    """

    limit: str
    period: str
    applies: bool
    limit_cents: int
    total_cents: int
    exceeded: bool
    over_by_cents: int
    remaining_cents: int
    explanation_nl: str
    explanation_en: str
    rate_cents: int | None = None


@dataclass(frozen=True)
class AllowanceCheck:
    """The three limits at once, and what it means."""

    limits: YearLimits
    hour: LimitCheck
    month: LimitCheck
    year: LimitCheck
    #: Every month of the year ("2026-03") over the monthly limit, the payment included.
    months_over: tuple[str, ...] = field(default_factory=tuple)

    @property
    def checks(self) -> tuple[LimitCheck, LimitCheck, LimitCheck]:
        return (self.hour, self.month, self.year)

    @property
    def exceeded(self) -> bool:
        """Any limit exceeded (the hourly guide figure included)."""
        return any(c.exceeded for c in self.checks) or bool(self.months_over)

    @property
    def taxable(self) -> bool:
        """A month or the year over its limit: the whole allowance would be taxed."""
        return self.month.exceeded or self.year.exceeded or bool(self.months_over)

    @property
    def explanation_nl(self) -> str:
        return self._explanation("nl")

    @property
    def explanation_en(self) -> str:
        return self._explanation("en")

    def _explanation(self, lang: str) -> str:
        nl = lang == "nl"
        parts = [c.explanation_nl if nl else c.explanation_en for c in self.checks if c.applies]
        if not self.hour.applies:
            parts.insert(0, self.hour.explanation_nl if nl else self.hour.explanation_en)
        earlier = [m for m in self.months_over if m != self.month.period]
        if earlier:
            names = ", ".join(_month_name(m, lang) for m in earlier)
            parts.append(
                f"Ook in {names} kreeg de vrijwilliger al meer dan de grens per maand."
                if nl
                else f"In {names} the volunteer already received more than the monthly limit."
            )
        if self.taxable:
            parts.append(TAXABLE_NL if nl else TAXABLE_EN)
        elif self.hour.exceeded:
            parts.append(
                "Het bedrag per uur is een richtbedrag. Is het hoger? Dan moet de organisatie "
                "kunnen uitleggen waarom de vergoeding toch een vrijwilligersvergoeding is."
                if nl
                else "The hourly figure is a guide figure. If the payment is above it, the "
                "organisation must be able to explain why it is still a volunteer allowance."
            )
        else:
            parts.append(
                "Deze betaling blijft binnen alle grenzen."
                if nl
                else "This payment stays within all limits."
            )
        return " ".join(parts)

    def as_dict(self) -> dict:
        """Plain data (for JSON)."""
        from dataclasses import asdict

        return {
            "year": self.limits.year,
            "source": self.limits.source,
            "exceeded": self.exceeded,
            "taxable": self.taxable,
            "months_over": list(self.months_over),
            "checks": {c.limit: asdict(c) for c in self.checks},
            "explanation_nl": self.explanation_nl,
            "explanation_en": self.explanation_en,
        }


def _month_name(period: str, lang: str) -> str:
    year, month = period.split("-")
    names = MONTHS_NL if lang == "nl" else MONTHS_EN
    return f"{names[int(month) - 1]} {year}"


def _hours_text(hours: Fraction, lang: str) -> str:
    if hours.denominator == 1:
        number = str(hours.numerator)
    else:
        number = f"{float(hours):.2f}".rstrip("0").rstrip(".")
        if lang == "nl":
            number = number.replace(".", ",")
    unit = "uur" if lang == "nl" else ("hour" if hours == 1 else "hours")
    return f"{number} {unit}"


def _hour_check(new: AllowancePayment, limits: YearLimits) -> LimitCheck:
    rate = limits.hourly_cents(new.age)
    period = new.day.isoformat()
    if new.hours is None:
        return LimitCheck(
            limit="hour",
            period=period,
            applies=False,
            limit_cents=0,
            total_cents=new.amount_cents,
            exceeded=False,
            over_by_cents=0,
            remaining_cents=0,
            rate_cents=rate,
            explanation_nl="Het aantal uren is niet bekend. Daarom is het bedrag per uur "
            "niet gecontroleerd.",
            explanation_en="The number of hours is not known, so the amount per hour was "
            "not checked.",
        )
    allowed = rate * new.hours
    over = new.amount_cents - allowed
    exceeded = over > 0
    over_cents = math.ceil(over) if exceeded else 0
    allowed_cents = math.floor(allowed)
    group_nl = (
        "van 21 jaar en ouder" if new.age is None or new.age >= ADULT_AGE else "onder 21 jaar"
    )
    group_en = "aged 21 or older" if new.age is None or new.age >= ADULT_AGE else "under 21"
    nl = (
        f"Deze betaling is {format_eur(new.amount_cents)} voor "
        f"{_hours_text(new.hours, 'nl')}. Het richtbedrag voor vrijwilligers {group_nl} is "
        f"{format_eur(rate)} per uur, dus hoogstens {format_eur(allowed_cents)}."
    )
    en = (
        f"This payment is {format_eur(new.amount_cents, 'en')} for "
        f"{_hours_text(new.hours, 'en')}. The guide figure for volunteers {group_en} is "
        f"{format_eur(rate, 'en')} per hour, so at most {format_eur(allowed_cents, 'en')}."
    )
    if exceeded:
        nl += f" Dat is {format_eur(over_cents)} te veel."
        en += f" That is {format_eur(over_cents, 'en')} too much."
    if new.age is None:
        nl += " De leeftijd is niet bekend: het bedrag voor 21 jaar en ouder is gebruikt."
        en += " The age is not known: the figure for 21 and older was used."
    return LimitCheck(
        limit="hour",
        period=period,
        applies=True,
        limit_cents=allowed_cents,
        total_cents=new.amount_cents,
        exceeded=exceeded,
        over_by_cents=over_cents,
        remaining_cents=max(0, allowed_cents - new.amount_cents),
        rate_cents=rate,
        explanation_nl=nl,
        explanation_en=en,
    )


def _total_check(kind: str, period: str, total: int, limit: int, label_nl: str, label_en: str):
    over = max(0, total - limit)
    per_nl, per_en = ("per maand", "a month") if kind == "month" else ("per jaar", "a year")
    nl = (
        f"Met deze betaling krijgt de vrijwilliger in {label_nl} in totaal "
        f"{format_eur(total)}. De grens is {format_eur(limit)} {per_nl}."
    )
    en = (
        f"With this payment the volunteer receives {format_eur(total, 'en')} in total in "
        f"{label_en}. The limit is {format_eur(limit, 'en')} {per_en}."
    )
    if over:
        nl += f" Dat is {format_eur(over)} te veel."
        en += f" That is {format_eur(over, 'en')} too much."
    else:
        nl += f" Er kan nog {format_eur(limit - total)} bij."
        en += f" {format_eur(limit - total, 'en')} can still be added."
    return LimitCheck(
        limit=kind,
        period=period,
        applies=True,
        limit_cents=limit,
        total_cents=total,
        exceeded=over > 0,
        over_by_cents=over,
        remaining_cents=max(0, limit - total),
        explanation_nl=nl,
        explanation_en=en,
    )


def check_allowance(
    payments: Iterable[AllowancePayment],
    new: AllowancePayment,
    *,
    declared: Iterable[DeclaredAmount] = (),
    table: dict[int, YearLimits] | None = None,
) -> AllowanceCheck:
    """Check a proposed allowance against the hourly, monthly and yearly limits.

    Parameters
    ----------
    payments : iterable of AllowancePayment
        Everything already paid to this person (all initiatives, any year: only the
        new payment's month and year count).
    new : AllowancePayment
        The proposed payment.
    declared : iterable of DeclaredAmount
        What the volunteer received elsewhere; counts for its month and year.
    table : dict, optional
        The limits per year (default :data:`buurtcore.allowances.LIMITS`).

    Returns
    -------
    AllowanceCheck

    Raises
    ------
    UnknownYearError
        The table has no limits for the new payment's year.
    AllowanceError
        Input it cannot use.

    Examples
    --------
    >>> from datetime import date
    >>> ok = check_allowance([], AllowancePayment(date(2025, 6, 1), 5_600, hours=10, age=40))
    >>> ok.exceeded, ok.month.remaining_cents, ok.year.remaining_cents
    (False, 15400, 204400)
    >>> young = check_allowance([], AllowancePayment(date(2025, 6, 1), 5_600, hours=10, age=17))
    >>> young.hour.rate_cents, young.hour.over_by_cents, young.taxable
    (330, 2300, False)
    """
    if not isinstance(new, AllowancePayment):
        raise AllowanceError(
            "the proposed payment must be an AllowancePayment",
            "de nieuwe betaling moet een AllowancePayment zijn",
        )
    limits = limits_for(new.day.year, table)
    month_totals: dict[int, int] = {}
    for item in [*payments, *declared, new]:
        if not isinstance(item, AllowancePayment | DeclaredAmount):
            raise AllowanceError(
                f"not a payment or declared amount: {item!r}",
                f"geen betaling of opgegeven bedrag: {item!r}",
            )
        if item.day.year == new.day.year:
            month_totals[item.day.month] = month_totals.get(item.day.month, 0) + item.amount_cents
    year_total = sum(month_totals.values())
    month_total = month_totals[new.day.month]
    period = f"{new.day.year}-{new.day.month:02d}"
    month = _total_check(
        "month",
        period,
        month_total,
        limits.monthly_cents,
        _month_name(period, "nl"),
        _month_name(period, "en"),
    )
    year = _total_check(
        "year",
        str(new.day.year),
        year_total,
        limits.yearly_cents,
        str(new.day.year),
        str(new.day.year),
    )
    months_over = tuple(
        f"{new.day.year}-{m:02d}"
        for m in sorted(month_totals)
        if month_totals[m] > limits.monthly_cents
    )
    return AllowanceCheck(
        limits=limits,
        hour=_hour_check(new, limits),
        month=month,
        year=year,
        months_over=months_over,
    )
