"""Signed links for confirming an e-mail address, and for changing it.

The token carries the user's id and the e-mail address it was sent to, signed with
SECRET_KEY. It stops working after ``VERIFY_EMAIL_MAX_AGE`` seconds (3 days) and
when the account's e-mail address has changed since. A change token carries the
current and the new address (another salt, so one kind never passes as the other).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

SALT = "buurtbasis.accounts.verify-email"
CHANGE_SALT = "buurtbasis.accounts.change-email"


def max_age() -> int:
    return getattr(settings, "VERIFY_EMAIL_MAX_AGE", 3 * 24 * 60 * 60)


def make_verification_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=SALT, compress=True)


class InvalidToken(Exception):
    """The link is broken, too old, or for another e-mail address."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _load(token: str, salt: str, keys: str) -> tuple:
    """The values under ``keys`` of a signed token; raises InvalidToken."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age())
    except signing.SignatureExpired:
        raise InvalidToken("expired") from None
    except signing.BadSignature:
        raise InvalidToken("invalid") from None
    try:
        return tuple(data[k] for k in keys)
    except (KeyError, TypeError):
        raise InvalidToken("invalid") from None


def read_verification_token(token: str) -> tuple[int, str]:
    """(user id, e-mail address) from a token; raises InvalidToken."""
    user_id, email = _load(token, SALT, "ue")
    try:
        return int(user_id), str(email)
    except (TypeError, ValueError):
        raise InvalidToken("invalid") from None


def make_change_token(user, new_email: str) -> str:
    data = {"u": user.pk, "e": user.email.lower(), "n": new_email.lower()}
    return signing.dumps(data, salt=CHANGE_SALT, compress=True)


def read_change_token(token: str) -> tuple[int, str, str]:
    """(user id, current address, new address) from a change token; raises InvalidToken."""
    user_id, current, new = _load(token, CHANGE_SALT, "uen")
    try:
        return int(user_id), str(current), str(new)
    except (TypeError, ValueError):
        raise InvalidToken("invalid") from None
