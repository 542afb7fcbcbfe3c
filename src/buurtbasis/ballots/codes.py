"""Voting codes (stemcodes) and receipt numbers: make them, normalise them, hash them.

A voting code is 12 symbols from Crockford's base-32 alphabet (no I, L, O or U),
drawn with :mod:`secrets`: 60 bits of entropy. It is printed in three groups of
four (``7KQ2-M9XD-4HVT``). What people type is forgiving: case, spaces and dashes
do not matter, and the letters that look like digits (O, I, L) are read as 0 and 1.

Only a keyed hash of a code is stored: HMAC-SHA256 with a key derived from
``SECRET_KEY``, over the round's id and the normalised code. A stolen database
alone is not enough to test guesses offline. Keys in ``SECRET_KEY_FALLBACKS`` are
also tried on lookup, so rotating the secret key does not invalidate printed letters.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
GROUP = 4
CODE_BITS = CODE_LENGTH * 5
RECEIPT_LENGTH = 10

_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh voting code, grouped for printing.

    >>> code = new_code()
    >>> len(code), code.count("-")
    (14, 2)
    >>> normalise_code(code) == code.replace("-", "")
    True
    """
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    """Group a normalised code for reading.

    >>> format_code("7KQ2M9XD4HVT")
    '7KQ2-M9XD-4HVT'
    """
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise_code(text: str) -> str | None:
    """The canonical form of a typed code, or None when it cannot be a code.

    >>> normalise_code(" 7kq2 m9xd-4hvt ")
    '7KQ2M9XD4HVT'
    >>> normalise_code("OIL2-M9XD-4HVT")
    '0112M9XD4HVT'
    >>> normalise_code("7KQ2-M9XD") is None
    True
    >>> normalise_code("7KQ2-M9XD-4HVU") is None
    True
    """
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -.\t\u00a0")
    cleaned = cleaned.translate(_READ_AS)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def _key(secret: str) -> bytes:
    return hashlib.sha256(f"buurtbasis.ballots.voting-code:{secret}".encode()).digest()


def hash_code(round_id: int, normalised: str, *, secret: str | None = None) -> str:
    """The stored form of a code: hex HMAC-SHA256 bound to one round.

    >>> a = hash_code(1, "7KQ2M9XD4HVT", secret="s")
    >>> len(a), a == hash_code(2, "7KQ2M9XD4HVT", secret="s")
    (64, False)
    """
    key = _key(settings.SECRET_KEY if secret is None else secret)
    message = f"{round_id}:{normalised}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def candidate_hashes(round_id: int, normalised: str) -> list[str]:
    """The hash under the current key first, then under each fallback key."""
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [hash_code(round_id, normalised, secret=s) for s in secrets_in_use]


def new_receipt() -> str:
    """A receipt number: 50 random bits, nothing derived from the ballot.

    >>> r = new_receipt()
    >>> len(r), r[5]
    (11, '-')
    """
    bits = secrets.randbits(5 * RECEIPT_LENGTH)
    raw = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(RECEIPT_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_receipt(text: str) -> str | None:
    """
    >>> normalise_receipt("abcde fghjk")
    'ABCDE-FGHJK'
    >>> normalise_receipt("abc") is None
    True
    """
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -.\t").translate(_READ_AS)
    if len(cleaned) != RECEIPT_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return f"{cleaned[:5]}-{cleaned[5:]}"
