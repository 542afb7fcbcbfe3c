"""Euro amounts: parse what people type, show integer cents.

Amounts are always stored as integer cents. People type euros, with a comma or
a dot, with or without thousands separators and a euro sign.
"""

from __future__ import annotations

import re

__all__ = ["AmountError", "format_euros", "parse_euros"]

MAX_CENTS = 10**13  # ten billion euros: far beyond any neighbourhood budget


class AmountError(ValueError):
    """The text is not an amount in euros. ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_CLEAN = re.compile(r"[\s\u00a0\u202f€]|eur(o|os)?$", re.IGNORECASE)


def parse_euros(text: str) -> int:
    """Parse an amount in euros and return whole cents.

    A single separator followed by exactly three digits is a thousands separator;
    followed by one or two digits it is the decimal separator. With both a dot and
    a comma, the last one is the decimal separator.

    >>> parse_euros("1.234,56")
    123456
    >>> parse_euros("€ 1234.5")
    123450
    >>> parse_euros("12,50")
    1250
    >>> parse_euros("1.500")
    150000
    >>> parse_euros("1,500")
    150000
    >>> parse_euros("25000")
    2500000
    >>> parse_euros("1,234,567.89")
    123456789
    >>> parse_euros("12,345")
    1234500
    >>> parse_euros("1,2,3")
    Traceback (most recent call last):
    ...
    buurtbasis.platform.money.AmountError: format
    >>> parse_euros("-5")
    Traceback (most recent call last):
    ...
    buurtbasis.platform.money.AmountError: negative
    >>> parse_euros("12,345 678")
    Traceback (most recent call last):
    ...
    buurtbasis.platform.money.AmountError: format
    """
    raw = (text or "").strip()
    if not raw:
        raise AmountError("empty")
    # internal spaces only allowed as thousands groups ("1 234,50")
    if re.search(r"\d\s+\d", raw) and not re.fullmatch(
        r"[€\s]*\d{1,3}(\s\d{3})+([.,]\d{1,2})?\s*(€|eur|euro)?", raw, re.I
    ):
        raise AmountError("format")
    s = _CLEAN.sub("", raw)
    if s.startswith("-"):
        raise AmountError("negative")
    if s.startswith("+"):
        s = s[1:]
    if not s or not re.fullmatch(r"[0-9.,]+", s) or not re.search(r"\d", s):
        raise AmountError("format")
    whole, frac = s, ""
    last_dot, last_comma = s.rfind("."), s.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        dec = "." if last_dot > last_comma else ","
        thousands = "," if dec == "." else "."
        whole, _, frac = s.rpartition(dec)
        if thousands not in whole and whole.count(dec):
            raise AmountError("format")
        whole = _strip_groups(whole, thousands)
    elif last_dot >= 0 or last_comma >= 0:
        sep = "." if last_dot >= 0 else ","
        parts = s.split(sep)
        if len(parts) == 2 and 1 <= len(parts[1]) <= 2:
            whole, frac = parts
        elif all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
            whole = "".join(parts)
        else:
            raise AmountError("format")
    if frac and not (frac.isdigit() and len(frac) <= 2):
        raise AmountError("precision" if frac.isdigit() else "format")
    if not whole:
        whole = "0"
    if not whole.isdigit():
        raise AmountError("format")
    cents = int(whole) * 100 + int((frac or "0").ljust(2, "0"))
    if cents > MAX_CENTS:
        raise AmountError("too_large")
    return cents


def _strip_groups(whole: str, sep: str) -> str:
    if sep not in whole:
        return whole
    parts = whole.split(sep)
    if not (1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
        raise AmountError("format")
    return "".join(parts)


def format_euros(cents: int | None, *, language: str = "nl", decimals: bool | None = None) -> str:
    """Show cents as euros; whole euros without decimals unless asked.

    >>> format_euros(123456)
    '€\\xa01.234,56'
    >>> format_euros(2500000)
    '€\\xa025.000'
    >>> format_euros(2500000, language="en")
    '€25,000'
    >>> format_euros(-150, language="en", decimals=True)
    '-€1.50'
    """
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    euros, rest = divmod(cents, 100)
    show_decimals = rest != 0 if decimals is None else decimals
    grouped = f"{euros:,}"
    if language.startswith("nl"):
        grouped = grouped.replace(",", ".")
        text = f"{grouped},{rest:02d}" if show_decimals else grouped
        return f"{sign}€\u00a0{text}"
    text = f"{grouped}.{rest:02d}" if show_decimals else grouped
    return f"{sign}€{text}"


def cents_to_input(cents: int | None) -> str:
    """Show cents in a form field the way a Dutch user types them ("1250,50").

    >>> cents_to_input(125050)
    '1250,50'
    >>> cents_to_input(500000)
    '5000'
    """
    if cents is None:
        return ""
    euros, rest = divmod(int(cents), 100)
    return f"{euros},{rest:02d}" if rest else str(euros)
