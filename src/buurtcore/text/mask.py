"""Mask personal data in a Dutch story before it leaves the professionals.

Masked: e-mail addresses, Dutch phone numbers (06-…, +31 …, 0031 …, 010-…, (020) …),
postcodes ("1234 AB", "1234AB"), bank account numbers (IBAN, "NL91 ABNA 0417 1643 00",
with or without spaces), nine-digit numbers like a citizen service number (BSN,
"123456782", "1234.56.782"), street addresses (a street name with a house number,
"Kerkstraat 12a", "Burgemeester de Vlugtlaan 3-II") and names of people: known first
names (a small local list), capitalised words inside a sentence that are not known
capitalised common words (nationalities, holidays, shops, apps, cities), and the
capitalised word after a form of address ("mevrouw Jansen", "buurman Ali"). Names of
places passed in ``keep`` (the areas of a story round) stay.

The masker errs on the side of masking: a capitalised word it does not know inside a
sentence is taken for a name. Acronyms in capitals (GGD, AH, WMO) stay.

Examples
--------
>>> mask("Bel Fatima op 06-12345678 of mail naar fatima.b@example.nl.")
'Bel [naam] op [telefoon] of mail naar [e-mail].'
>>> mask("Ik woon op de Kerkstraat 12a, 3012 AB in Oude Noorden.", keep=["Oude Noorden"])
'Ik woon op de [adres], [postcode] in Oude Noorden.'
>>> mask("Mevrouw Jansen van nummer 4 helpt met de Turkse les bij de GGD.")
'Mevrouw [naam] van nummer 4 helpt met de Turkse les bij de GGD.'
>>> mask("Gisteren zei Jan de Vries dat het in Rotterdam ook zo is.")
'Gisteren zei [naam] dat het in Rotterdam ook zo is.'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .tokens import STOPWORDS

__all__ = ["FIRST_NAMES", "PLACEHOLDERS", "Span", "find_personal_data", "mask"]

#: What each kind of personal data is replaced with.
PLACEHOLDERS = {
    "email": "[e-mail]",
    "phone": "[telefoon]",
    "postcode": "[postcode]",
    "address": "[adres]",
    "name": "[naam]",
    "iban": "[rekening]",
    "number": "[nummer]",
}

# Anything around an @ up to white space: also unusual but valid addresses (quotes,
# plus signs, braces) are caught. Brackets and trailing punctuation stay outside.
_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]*[^\s@<>()\[\],;:\".!?]")

# A Dutch phone number: +31 / 0031 / 0, then nine more digits with spaces, dots,
# dashes, slashes or brackets between them ("06-12345678", "+31 (0)6 1234 5678",
# "(010) 123 45 67", "020-1234567").
_SEP = r"[ .\-/()]{0,3}"
_PHONE = re.compile(
    rf"(?<![\w+])(?:\+31|0031|\(?0)(?:{_SEP}\(0\))?(?:{_SEP}\d){{9}}(?!\d)",
)

# A postcode: four digits (not starting with 0), then two capitals; lower case only
# written together ("3012ab").
_POSTCODE = re.compile(r"(?<![\w-])[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})(?![\w])")

# An IBAN: country code, check digits, then groups of four letters or digits, with or
# without a space between the groups ("NL91 ABNA 0417 1643 00", "nl91abna0417164300").
# Not checked against its check digits: a mistyped account number is masked too.
_IBAN = re.compile(
    r"(?<![\w-])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![\w-])"
)
_IBAN_MIN_DIGITS = 8  # after the check digits; keeps "ab12 hier lang" a piece of text

# Nine digits standing alone, as a citizen service number (BSN) is written: "123456782",
# "1234.56.782", "123 456 782". Not checked with the eleven test: errs on masking.
_NINE_DIGITS = re.compile(
    r"(?<![\w.,\-+])(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}([ .])\d{3}\1\d{3})"
    r"(?![\w\-]|[.,]\d)"
)

_STREET_SUFFIX = (
    "straat|laan|weg|plein|singel|gracht|kade|dijk|steeg|pad|hof|dreef|allee|baan|markt|"
    "ring|wal|erf|boulevard|burgwal|hoven|park|veld|plantsoen|straatweg|kwartier|werf|"
    "haven|dam|poort|zijde|pleintje|hofje|oord|wetering"
)
_PARTICLES = r"(?:van|de|der|den|het|ter|ten|te|op|aan|in|'t|in't)"
# Street + house number: "Kerkstraat 12", "Burgemeester de Vlugtlaan 3-II",
# "Van Speijkstraat 14 bis", "Lange Hilleweg 5a" (the street word ends in a suffix).
_ADDRESS = re.compile(
    rf"(?:(?-i:\b[A-Z][\w'-]*)\s+(?:{_PARTICLES}\s+)*){{0,3}}"
    rf"\b[\w'-]*(?:{_STREET_SUFFIX})\s+\d+(?:\s?[a-zA-Z]\b|[-/]\s?(?:\d+|[IVX]+|[a-zA-Z]+)\b"
    r"|\s?(?:bis|hs|huis)\b)?",
    re.IGNORECASE,
)

#: A small list of first names common in Dutch neighbourhoods (always taken for names).
FIRST_NAMES = frozenset(
    [
        "Aad",
        "Abdel",
        "Abdelkader",
        "Abdul",
        "Ahmed",
        "Aisha",
        "Ali",
        "Amal",
        "Amina",
        "Amira",
        "Anna",
        "Anne",
        "Annie",
        "Anouk",
        "Ans",
        "Arie",
        "Bart",
        "Bas",
        "Bep",
        "Bert",
        "Bilal",
        "Bram",
        "Carla",
        "Cor",
        "Corrie",
        "Daan",
        "Dewi",
        "Dirk",
        "Ellen",
        "Emma",
        "Emre",
        "Esra",
        "Eva",
        "Fatima",
        "Fatma",
        "Femke",
        "Finn",
        "Gerard",
        "Gerrit",
        "Greet",
        "Hamza",
        "Hanneke",
        "Hans",
        "Hassan",
        "Hatice",
        "Henk",
        "Ibrahim",
        "Ilse",
        "Imane",
        "Ineke",
        "Ingrid",
        "Jan",
        "Jannie",
        "Jasper",
        "Jeroen",
        "Joke",
        "Joost",
        "Jos",
        "Karin",
        "Kees",
        "Khadija",
        "Koen",
        "Lars",
        "Laura",
        "Lisa",
        "Lotte",
        "Maria",
        "Marieke",
        "Mark",
        "Martin",
        "Mehmet",
        "Meryem",
        "Mila",
        "Mohamed",
        "Mohammed",
        "Mustafa",
        "Nadia",
        "Naima",
        "Noah",
        "Nora",
        "Omar",
        "Peter",
        "Piet",
        "Priya",
        "Rachid",
        "Rob",
        "Roos",
        "Ruben",
        "Sanne",
        "Sara",
        "Sem",
        "Sevda",
        "Sophie",
        "Stefan",
        "Tim",
        "Tom",
        "Truus",
        "Wim",
        "Yasmina",
        "Yusuf",
        "Zeynep",
    ]
)

# Capitalised words that are not names of people: places, nationalities and languages,
# holidays, shops, services and apps that residents mention.
_KNOWN_CAPITALISED = frozenset(
    [
        "Nederland",
        "Holland",
        "Europa",
        "Afrika",
        "Azië",
        "Amerika",
        "Turkije",
        "Marokko",
        "Suriname",
        "Polen",
        "Syrië",
        "Curaçao",
        "Aruba",
        "Indonesië",
        "Oekraïne",
        "Eritrea",
        "Somalië",
        "Amsterdam",
        "Rotterdam",
        "Utrecht",
        "Haag",
        "Den",
        "Zwolle",
        "Eindhoven",
        "Groningen",
        "Arnhem",
        "Nijmegen",
        "Leiden",
        "Delft",
        "Tilburg",
        "Breda",
        "Almere",
        "Nederlands",
        "Nederlandse",
        "Hollands",
        "Hollandse",
        "Turks",
        "Turkse",
        "Marokkaans",
        "Marokkaanse",
        "Surinaams",
        "Surinaamse",
        "Antilliaans",
        "Antilliaanse",
        "Pools",
        "Poolse",
        "Syrisch",
        "Syrische",
        "Engels",
        "Engelse",
        "Duits",
        "Duitse",
        "Frans",
        "Franse",
        "Arabisch",
        "Arabische",
        "Koerdisch",
        "Koerdische",
        "Berbers",
        "Oekraïens",
        "Oekraïense",
        "Eritrees",
        "Eritrese",
        "Somalisch",
        "Somalische",
        "Kaapverdisch",
        "Kaapverdische",
        "Chinees",
        "Chinese",
        "Indisch",
        "Indische",
        "Europees",
        "Europese",
        "Islamitisch",
        "Islamitische",
        "Christelijk",
        "Christelijke",
        "Kerst",
        "Kerstmis",
        "Pasen",
        "Pinksteren",
        "Ramadan",
        "Suikerfeest",
        "Offerfeest",
        "Keti",
        "Koti",
        "Koningsdag",
        "Bevrijdingsdag",
        "Oudjaar",
        "Nieuwjaar",
        "Sinterklaas",
        "Sint",
        "Zwarte",
        "Piet",
        "God",
        "Allah",
        "Jezus",
        "Facebook",
        "WhatsApp",
        "Instagram",
        "TikTok",
        "Marktplaats",
        "Nextdoor",
        "Google",
        "Albert",
        "Heijn",
        "Jumbo",
        "Lidl",
        "Aldi",
        "Action",
        "Kruidvat",
        "Hema",
        "Dirk",
        "Gemeente",
        "Wijkteam",
        "Voedselbank",
        "Buurthuis",
        "Buurtbasis",
        "Wmo",
        "Vattenfall",
        "Eneco",
        "Essent",
        "Maandag",
        "Dinsdag",
        "Woensdag",
        "Donderdag",
        "Vrijdag",
        "Zaterdag",
        "Zondag",
        "Januari",
        "Februari",
        "Maart",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Augustus",
        "September",
        "Oktober",
        "November",
        "December",
        "Nederlanders",
        "Turken",
        "Marokkanen",
        "Surinamers",
        "Antillianen",
        "Syriërs",
        "Eritreeërs",
        "Somaliërs",
        "Oekraïners",
        "Europeanen",
        "Chinezen",
        "Hindoestanen",
        "Kaapverdianen",
        "Molukkers",
        "Moluks",
        "Molukse",
        "Hindoestaans",
        "Hindoestaanse",
        "I",
        "Dutch",
        "English",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Mondays",
        "Tuesdays",
        "Wednesdays",
        "Thursdays",
        "Fridays",
        "Saturdays",
        "Sundays",
        "Netherlands",
        "Christmas",
        "Easter",
    ]
)
# "Dirk" is a supermarket and a first name; as a first name it is masked anyway.
_KNOWN_CAPITALISED = _KNOWN_CAPITALISED - FIRST_NAMES

# After these words a capitalised word is a name, also at the start of a sentence.
_ADDRESS_FORMS = frozenset(
    [
        "meneer",
        "mevrouw",
        "mevr",
        "mw",
        "dhr",
        "heer",
        "juffrouw",
        "juf",
        "meester",
        "buurman",
        "buurvrouw",
        "opa",
        "oma",
        "tante",
        "oom",
        "neef",
        "nicht",
        "dokter",
        "zuster",
        "broer",
        "zus",
        "vriend",
        "vriendin",
        "collega",
    ]
)

_WORD = re.compile(r"[^\W\d_][\w'\-]*")
_SENTENCE_END = re.compile(r"(?:[.!?:;\n]|\[\w+\])[\s\"'“‘(\-–—]*$")
_OPENING = " \t\r\n\"'“‘(-–—"


@dataclass(frozen=True)
class Span:
    """Personal data found in a text: ``text[start:end]`` is of this ``kind``."""

    start: int
    end: int
    kind: str


def _regex_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for kind, pattern in (
        ("email", _EMAIL),
        ("phone", _PHONE),
        ("postcode", _POSTCODE),
        ("address", _ADDRESS),
        ("number", _NINE_DIGITS),
    ):
        for m in pattern.finditer(text):
            spans.append(Span(m.start(), m.end(), kind))
    for m in _IBAN.finditer(text):
        if sum(c.isdigit() for c in m.group()[4:]) >= _IBAN_MIN_DIGITS:
            spans.append(Span(m.start(), m.end(), "iban"))
    return spans


def _is_street(word: str) -> bool:
    return re.search(rf"(?:{_STREET_SUFFIX})$", word, re.IGNORECASE) is not None


def _keep_words(keep: Iterable[str]) -> frozenset[str]:
    words: set[str] = set()
    for name in keep:
        words.update(w.lower() for w in _WORD.findall(name))
    return frozenset(words)


def _name_spans(text: str, taken: list[Span], keep: frozenset[str]) -> list[Span]:
    spans: list[Span] = []
    previous_word = ""
    first = len(text) - len(text.lstrip(_OPENING))  # where the first sentence starts
    for m in _WORD.finditer(text):
        word = m.group()
        if any(s.start <= m.start() < s.end for s in taken):
            previous_word = ""
            continue
        # Only the last few characters decide (a long story stays linear in time).
        before = text[max(0, m.start() - 16) : m.start()]
        initial = m.start() <= first or _SENTENCE_END.search(before) is not None
        after_form = previous_word.lower().rstrip(".") in _ADDRESS_FORMS
        previous_word = word
        if not word[0].isupper():
            continue
        if word.lower() in keep or word in _KNOWN_CAPITALISED or _is_street(word):
            continue
        if len(word) >= 2 and word.isupper():
            continue  # an acronym: GGD, AH, WMO
        if word in FIRST_NAMES or after_form:
            spans.append(Span(m.start(), m.end(), "name"))
            continue
        if initial:
            continue
        if word.lower() in STOPWORDS:
            continue
        spans.append(Span(m.start(), m.end(), "name"))
    return _join_names(text, spans)


_BETWEEN_NAMES = re.compile(rf"^(?:\s+(?:{_PARTICLES})\b)*\s+$", re.IGNORECASE)


_PREFIX_PARTICLES = re.compile(rf"(?-i:\b(?:Van|De|Den|Der|Ter|Ten|Te)\s+)(?:{_PARTICLES}\s+)*$")


def _join_names(text: str, spans: list[Span]) -> list[Span]:
    """Join "Jan" + "de" + "Vries" into one name, and "Van den" + "Berg" too."""
    joined: list[Span] = []
    for span in spans:
        particles = _PREFIX_PARTICLES.search(text, 0, span.start)
        if particles and particles.end() == span.start:
            span = Span(particles.start(), span.end, "name")
        if joined and _BETWEEN_NAMES.match(text[joined[-1].end : span.start]):
            joined[-1] = Span(joined[-1].start, span.end, "name")
        else:
            joined.append(span)
    return joined


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Longest first where spans overlap, then in text order."""
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if chosen and span.start < chosen[-1].end:
            if span.end > chosen[-1].end:
                last = chosen[-1]
                chosen[-1] = Span(last.start, span.end, last.kind)
            continue
        chosen.append(span)
    return chosen


def find_personal_data(text: str, *, keep: Iterable[str] = ()) -> list[Span]:
    """Spans of personal data in ``text``, in order, not overlapping."""
    regex = _without_overlaps(_regex_spans(text))
    names = _name_spans(text, regex, _keep_words(keep))
    return _without_overlaps(regex + names)


def mask(text: str, *, keep: Iterable[str] = ()) -> str:
    """``text`` with every span of :func:`find_personal_data` replaced by a placeholder."""
    out: list[str] = []
    position = 0
    for span in find_personal_data(text, keep=keep):
        out.append(text[position : span.start])
        out.append(PLACEHOLDERS[span.kind])
        position = span.end
    out.append(text[position:])
    return "".join(out)
