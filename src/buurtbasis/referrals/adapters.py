"""Where referrals meet ``buurtcore``: spotting a citizen service number (BSN) in a reason."""

from __future__ import annotations

from buurtcore.text.mask import find_personal_data


def has_nine_digit_number(text: str) -> bool:
    """Whether ``text`` holds a nine-digit number written as a BSN is ("123456782",
    "1234.56.782", "123 456 782")."""
    return any(span.kind == "number" for span in find_personal_data(text))
