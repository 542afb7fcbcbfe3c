"""IBAN checks and bank names, with ``schwifty`` (its bank registry ships inside the
package: nothing is fetched at run time).

Examples
--------
>>> info = check_iban("nl91 abna 0417 1643 00")
>>> info.iban, info.formatted, info.bic, info.bank_name
('NL91ABNA0417164300', 'NL91 ABNA 0417 1643 00', 'ABNANL2A', 'ABN AMRO BANK N.V.')
>>> check_iban("NL91ABNA0417164301")
Traceback (most recent call last):
...
buurtcore.sepa.iban.IbanError: NL91ABNA0417164301 is not a valid IBAN: the check digits do not match
"""

from __future__ import annotations

from dataclasses import dataclass

from schwifty import IBAN, exceptions

__all__ = ["IbanError", "IbanInfo", "check_iban"]


class IbanError(ValueError):
    """An IBAN that cannot be used; ``message`` in English, ``message_nl`` in Dutch."""

    def __init__(self, message: str, message_nl: str):
        super().__init__(message)
        self.message = message
        self.message_nl = message_nl


@dataclass(frozen=True)
class IbanInfo:
    """A checked IBAN.

    Attributes
    ----------
    iban : str
        Compact form, upper case, no spaces.
    formatted : str
        Groups of four, for people.
    country : str
        ISO 3166 country code.
    bic : str or None
        The bank's BIC when the registry knows it (always for Dutch banks).
    bank_name : str or None
        The bank's name when the registry knows it.
    """

    iban: str
    formatted: str
    country: str
    bic: str | None
    bank_name: str | None


# schwifty exception -> (English reason, Dutch reason)
_REASONS = (
    (
        exceptions.InvalidChecksumDigits,
        "the check digits do not match",
        "de controlegetallen kloppen niet (een tikfout?)",
    ),
    (
        exceptions.InvalidLength,
        "it has the wrong length for its country",
        "het aantal tekens past niet bij het land",
    ),
    (
        exceptions.InvalidCountryCode,
        "the country code is unknown",
        "de landcode bestaat niet",
    ),
    (
        exceptions.InvalidBBANChecksum,
        "the account number's own check fails",
        "het rekeningnummer zelf klopt niet",
    ),
)


def check_iban(value: str, *, sepa_only: bool = True) -> IbanInfo:
    """Check an IBAN and look up its bank.

    Parameters
    ----------
    value : str
        The IBAN as typed: spaces and lower case are fine.
    sepa_only : bool
        Refuse IBANs of countries outside the SEPA zone (a SEPA credit transfer
        cannot reach them).

    Returns
    -------
    IbanInfo

    Raises
    ------
    IbanError
        With a specific reason in English and Dutch.

    Examples
    --------
    >>> check_iban("NL44RABO0123456789").bank_name
    'RABOBANK'
    >>> check_iban("")
    Traceback (most recent call last):
    ...
    buurtcore.sepa.iban.IbanError: an IBAN is missing
    """
    if not isinstance(value, str) or not value.strip():
        raise IbanError("an IBAN is missing", "het IBAN ontbreekt")
    shown = value.strip()
    try:
        iban = IBAN(shown)
    except exceptions.SchwiftyException as err:
        en, nl = "it is not built like an IBAN", "het is niet opgebouwd als een IBAN"
        for kind, kind_en, kind_nl in _REASONS:
            if isinstance(err, kind):
                en, nl = kind_en, kind_nl
                break
        raise IbanError(
            f"{shown} is not a valid IBAN: {en}", f"{shown} is geen geldig IBAN: {nl}"
        ) from None
    if sepa_only and not iban.in_sepa_zone:
        raise IbanError(
            f"{iban.compact}: the country {iban.country_code} is outside the SEPA zone",
            f"{iban.compact}: het land {iban.country_code} hoort niet bij SEPA",
        )
    bic = iban.bic
    return IbanInfo(
        iban=iban.compact,
        formatted=iban.formatted,
        country=iban.country_code,
        bic=str(bic) if bic else None,
        bank_name=iban.bank_name or None,
    )
