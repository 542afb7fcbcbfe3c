"""The EPC basic Latin character set for SEPA names, references and remittance.

The European Payments Council lets every bank refuse anything outside this set::

    a-z A-Z 0-9 / - ? : ( ) . , ' + space

:func:`to_epc` transliterates the rest: letters with diacritics lose them
("Zoë Çelik" becomes "Zoe Celik"), letters that do not decompose get their usual
Latin spelling (ß → ss, æ → ae, ø → o, ł → l), other scripts are romanised with
``text-unidecode`` (Мария → Mariia), a few symbols get a near neighbour (& → +,
" → ', _ → -) and whatever is left is dropped. Runs of white space become one
space; leading and trailing spaces go.

Examples
--------
>>> to_epc("Zoë Çelik")
'Zoe Celik'
>>> to_epc("Straße & Söhne – “Ærø”")
"Strasse + Sohne - 'AEro'"
>>> to_epc("Jan_de_Vries@example.nl")
'Jan-de-Vriesexample.nl'
>>> is_epc("Zoe Celik"), is_epc("Zoë")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata

from text_unidecode import unidecode

__all__ = ["EPC_ALLOWED", "is_epc", "is_epc_identifier", "to_epc"]

#: Every character the EPC basic Latin set allows.
EPC_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")

# Letters that NFKD does not split into a base letter and a mark.
_SPECIAL = {
    "ß": "ss",
    "ẞ": "SS",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "TH",
    "ı": "i",
    "ħ": "h",
    "Ħ": "H",
    # Punctuation with a near neighbour in the set.
    "&": "+",
    '"': "'",
    "_": "-",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "“": "'",
    "”": "'",
    "„": "'",
    "«": "'",
    "»": "'",
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "€": "EUR",
    "\t": " ",
    "\n": " ",
    "\r": " ",
}
_SPACES = re.compile(r" {2,}")
_IDENTIFIER = re.compile(r"[A-Za-z0-9/\-?:().,'+]+( [A-Za-z0-9/\-?:().,'+]+)*")


def _char(ch: str) -> str:
    if ch in EPC_ALLOWED:
        return ch
    special = _SPECIAL.get(ch)
    if special is not None:
        return special
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base and all(c in EPC_ALLOWED for c in base):
        return base
    if unicodedata.category(ch).startswith("Z"):  # any other kind of space
        return " "
    romanised = unidecode(ch)
    return "".join(c for c in romanised if c in EPC_ALLOWED)


def to_epc(text: str) -> str:
    """Transliterate ``text`` to the EPC basic Latin set (see the module docstring).

    Parameters
    ----------
    text : str
        Any Unicode text.

    Returns
    -------
    str
        Text with only EPC characters, single spaces, no spaces at either end. It may
        be empty (for instance for text with only emoji) or longer than ``text``
        (ß → ss): check lengths after transliterating.

    Examples
    --------
    >>> to_epc("  Ğül   Yılmaz ")
    'Gul Yilmaz'
    >>> to_epc("🎉")
    ''
    """
    out = "".join(_char(ch) for ch in text)
    return _SPACES.sub(" ", out).strip()


def is_epc(text: str) -> bool:
    """Whether every character of ``text`` is in the EPC basic Latin set.

    >>> is_epc("Factuur 2026-014 (buurtfeest)")
    True
    """
    return all(ch in EPC_ALLOWED for ch in text)


def is_epc_identifier(text: str, max_length: int = 35) -> bool:
    """Whether ``text`` is a valid reference (message id, end-to-end id).

    At most ``max_length`` EPC characters, no space at either end, and, as the EPC
    rules for references ask, not starting or ending with ``/`` nor containing ``//``.

    >>> is_epc_identifier("UITBETALING-2026-12-04-001")
    True
    >>> is_epc_identifier("/abc"), is_epc_identifier("a//b"), is_epc_identifier("x" * 36)
    (False, False, False)
    """
    if not text or len(text) > max_length or not _IDENTIFIER.fullmatch(text):
        return False
    return not (text.startswith("/") or text.endswith("/") or "//" in text)
