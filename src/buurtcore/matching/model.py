"""Households, options and reading them from plain dicts (JSON).

A household is what an intake records for matching, and nothing more. Sensitive
fields (such as religion) may be recorded when a household volunteers them, but
they only count in a score when the household gave consent
(``consent_sensitive``) *and* the options give the sensitive component a weight.

Examples
--------
>>> h = household_from_dict({"id": "n1", "kind": "newcomer",
...     "composition": {"adults": 2, "children_ages": [8, 6]},
...     "languages": [{"code": "AR", "level": "native"}],
...     "location": {"lat": 52.09, "lon": 5.12}})
>>> h.children_ages, h.languages[0].code, h.languages[0].level
((6, 8), 'ar', 'native')
>>> household_from_dict({"id": "x", "kind": "alien"})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
buurtcore.matching.model.MatchingError: household 'x': kind must be 'newcomer' or 'local', ...
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AVAILABILITY_DAYS",
    "AVAILABILITY_PARTS",
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "KINDS",
    "LEVELS",
    "WISHES",
    "Household",
    "Language",
    "MatchingError",
    "Options",
    "household_from_dict",
    "options_from_dict",
    "rd_to_wgs84",
    "read_input",
]

KINDS = ("newcomer", "local")
#: Language levels, weakest first; a shared language counts at the lower of the two levels.
LEVELS = ("basic", "good", "native")
AVAILABILITY_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AVAILABILITY_PARTS = ("morning", "afternoon", "evening")
#: What a household can wish for in the other household (each checked on the other side).
WISHES = ("children", "no_children", "same_area", "dutch", "nearby")
#: Score components in the order the explanation names them.
COMPONENTS = (
    "language",
    "children",
    "interests",
    "availability",
    "wishes",
    "distance",
    "sensitive",
)
DEFAULT_WEIGHTS = {
    "language": 3.0,
    "children": 2.0,
    "interests": 1.0,
    "availability": 1.0,
    "wishes": 1.0,
    "distance": 2.0,
    # Sensitive fields never count unless a coordinator gives this a weight AND both
    # households consented.
    "sensitive": 0.0,
}


class MatchingError(ValueError):
    """Invalid matching input; ``message_nl`` is the same message in Dutch."""

    def __init__(self, message: str, message_nl: str | None = None):
        super().__init__(message)
        self.message = message
        self.message_nl = message_nl or message


@dataclass(frozen=True)
class Language:
    """A language a household speaks: an ISO 639 code (lower case) and a level."""

    code: str
    level: str = "good"

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise MatchingError(
                f"language level must be one of {', '.join(LEVELS)}, got {self.level!r}",
                f"taalniveau moet een van {', '.join(LEVELS)} zijn, niet {self.level!r}",
            )

    @property
    def rank(self) -> int:
        """1 (basic) to 3 (native)."""
        return LEVELS.index(self.level) + 1


@dataclass(frozen=True)
class Household:
    """One household in intake. Coordinates are WGS84 degrees (RD input is converted)."""

    id: str
    kind: str
    lat: float
    lon: float
    adults: int = 1
    children_ages: tuple[int, ...] = ()
    languages: tuple[Language, ...] = ()
    interests: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()
    area_code: str = ""
    wishes: frozenset[str] = frozenset()
    #: The household insists on a shared language (a must-have for its pairs).
    language_required: bool = False
    #: Ids this household must not be paired with.
    excluded: frozenset[str] = frozenset()
    #: Already in an active pair: never proposed again.
    paired: bool = False
    #: Volunteered sensitive facts, e.g. {"religion": "..."}; see consent_sensitive.
    sensitive: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    consent_sensitive: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise _err(
                self.id,
                f"kind must be 'newcomer' or 'local', got {self.kind!r}",
                f"kind moet 'newcomer' of 'local' zijn, niet {self.kind!r}",
            )
        if any(not 0 <= age <= 17 for age in self.children_ages):
            raise _err(
                self.id, "children's ages must be 0 to 17", "leeftijden van kinderen: 0 tot 17"
            )
        for slot in self.availability:
            if slot.partition("-")[0] not in AVAILABILITY_DAYS or (
                slot.partition("-")[2] not in AVAILABILITY_PARTS
            ):
                raise _err(self.id, f"unknown availability {slot!r}", f"onbekend dagdeel {slot!r}")
        for wish in self.wishes:
            if wish not in WISHES:
                raise _err(self.id, f"unknown wish {wish!r}", f"onbekende wens {wish!r}")

    def speaks(self) -> dict[str, int]:
        """Language code -> level rank (the best level if a code is listed twice)."""
        out: dict[str, int] = {}
        for lang in self.languages:
            out[lang.code] = max(out.get(lang.code, 0), lang.rank)
        return out


@dataclass(frozen=True)
class Options:
    """How pairs are scored and which pairs are allowed.

    ``max_km`` is a hard limit (None: no limit); ``require_language`` makes a shared
    language a must-have for every pair; ``half_km`` is the distance at which the
    distance component has dropped to one half; pairs scoring at or below
    ``min_score`` are never proposed in a batch.
    """

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    max_km: float | None = 10.0
    require_language: bool = False
    half_km: float = 2.0
    min_score: float = 0.0
    excluded_pairs: frozenset[frozenset[str]] = frozenset()

    def weight(self, name: str) -> float:
        return float(self.weights.get(name, DEFAULT_WEIGHTS[name]))

    @property
    def total_weight(self) -> float:
        return sum(self.weight(c) for c in COMPONENTS) or 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "weights": {c: self.weight(c) for c in COMPONENTS},
            "max_km": self.max_km,
            "require_language": self.require_language,
            "half_km": self.half_km,
            "min_score": self.min_score,
            "excluded_pairs": sorted(sorted(p) for p in self.excluded_pairs),
        }


# --------------------------------------------------------------------------- RD


def rd_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """Dutch RD (EPSG:28992) metres to WGS84 (lat, lon), within about a metre.

    The published polynomial approximation around Amersfoort.

    >>> lat, lon = rd_to_wgs84(155000, 463000)
    >>> round(lat, 5), round(lon, 5)
    (52.15517, 5.38721)
    >>> lat, lon = rd_to_wgs84(121000, 487400)  # Dam, Amsterdam
    >>> round(lat, 2), round(lon, 2)
    (52.37, 4.89)
    """
    dx = (x - 155000.0) * 1e-5
    dy = (y - 463000.0) * 1e-5
    k = (
        (0, 1, 3235.65389),
        (2, 0, -32.58297),
        (0, 2, -0.24750),
        (2, 1, -0.84978),
        (0, 3, -0.06550),
        (2, 2, -0.01709),
        (1, 0, -0.00738),
        (4, 0, 0.00530),
        (2, 3, -0.00039),
        (4, 1, 0.00033),
        (1, 1, -0.00012),
    )
    ll = (
        (1, 0, 5260.52916),
        (1, 1, 105.94684),
        (1, 2, 2.45656),
        (3, 0, -0.81885),
        (1, 3, 0.05594),
        (3, 1, -0.05607),
        (0, 1, 0.01199),
        (3, 2, -0.00256),
        (1, 4, 0.00128),
        (0, 2, 0.00022),
        (2, 0, -0.00022),
        (5, 0, 0.00026),
    )
    lat = 52.15517440 + sum(c * dx**p * dy**q for p, q, c in k) / 3600.0
    lon = 5.38720621 + sum(c * dx**p * dy**q for p, q, c in ll) / 3600.0
    return lat, lon


# --------------------------------------------------------------------------- parsing


def _err(hid: str, en: str, nl: str) -> MatchingError:
    return MatchingError(f"household {hid!r}: {en}", f"huishouden {hid!r}: {nl}")


def _number(value: Any, hid: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _err(hid, f"{name} must be a number, got {value!r}", f"{name} moet een getal zijn")
    return float(value)


def _whole(value: Any, hid: str, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise _err(
            hid,
            f"{name} must be a whole number from {lo} to {hi}, got {value!r}",
            f"{name} moet een heel getal van {lo} tot en met {hi} zijn, niet {value!r}",
        )
    return value


def _strings(value: Any, hid: str, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _err(
            hid, f"{name} must be a list of texts", f"{name} moet een lijst van teksten zijn"
        )
    return [v.strip() for v in value if v.strip()]


def _flag(value: Any, hid: str, name: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _err(hid, f"{name} must be true or false", f"{name} moet true of false zijn")
    return value


def _location(data: Mapping[str, Any], hid: str) -> tuple[float, float]:
    loc = data.get("location")
    if not isinstance(loc, Mapping):
        raise _err(
            hid,
            "missing field 'location' ({lat, lon} or {rd_x, rd_y})",
            "veld 'location' ontbreekt ({lat, lon} of {rd_x, rd_y})",
        )
    if "lat" in loc or "lon" in loc:
        lat = _number(loc.get("lat"), hid, "location.lat")
        lon = _number(loc.get("lon"), hid, "location.lon")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _err(hid, "location out of range", "locatie valt buiten het bereik")
        return lat, lon
    if "rd_x" in loc or "rd_y" in loc:
        x = _number(loc.get("rd_x"), hid, "location.rd_x")
        y = _number(loc.get("rd_y"), hid, "location.rd_y")
        if not (-7000 <= x <= 300000 and 289000 <= y <= 629000):
            raise _err(
                hid,
                "RD coordinates outside the Netherlands",
                "RD-coördinaten liggen buiten Nederland",
            )
        return rd_to_wgs84(x, y)
    raise _err(
        hid,
        "location needs lat and lon, or rd_x and rd_y",
        "locatie heeft lat en lon nodig, of rd_x en rd_y",
    )


def household_from_dict(data: Any) -> Household:
    """Build a :class:`Household` from a JSON object; raises :class:`MatchingError`."""
    if not isinstance(data, Mapping):
        raise MatchingError(
            "each household must be a JSON object", "elk huishouden moet een object zijn"
        )
    hid = data.get("id")
    if isinstance(hid, int) and not isinstance(hid, bool):
        hid = str(hid)
    if not isinstance(hid, str) or not hid.strip():
        raise MatchingError("a household has no 'id'", "een huishouden heeft geen 'id'")
    hid = hid.strip()
    kind = data.get("kind")
    if kind not in KINDS:
        raise _err(
            hid,
            f"kind must be 'newcomer' or 'local', got {kind!r}",
            f"kind moet 'newcomer' of 'local' zijn, niet {kind!r}",
        )
    comp = data.get("composition") or {}
    if not isinstance(comp, Mapping):
        raise _err(hid, "composition must be an object", "composition moet een object zijn")
    adults = _whole(comp.get("adults", 1), hid, "composition.adults", 1, 20)
    ages_raw = comp.get("children_ages", [])
    if not isinstance(ages_raw, list):
        raise _err(hid, "children_ages must be a list", "children_ages moet een lijst zijn")
    ages = tuple(sorted(_whole(a, hid, "children_ages", 0, 17) for a in ages_raw))
    langs = []
    given = data.get("languages") or []
    if not isinstance(given, list):
        raise _err(hid, "languages must be a list", "languages moet een lijst zijn")
    for item in given:
        if isinstance(item, str):
            item = {"code": item}
        if not isinstance(item, Mapping) or not isinstance(item.get("code"), str):
            raise _err(
                hid,
                "each language needs a 'code' (e.g. 'ar')",
                "elke taal heeft een 'code' nodig (bijvoorbeeld 'ar')",
            )
        level = item.get("level", "good")
        if level not in LEVELS:
            raise _err(
                hid,
                f"language level must be one of {', '.join(LEVELS)}, got {level!r}",
                f"taalniveau moet een van {', '.join(LEVELS)} zijn, niet {level!r}",
            )
        langs.append(Language(item["code"].strip().lower(), level))
    slots = _strings(data.get("availability"), hid, "availability")
    for slot in slots:
        day, _, part = slot.partition("-")
        if day not in AVAILABILITY_DAYS or part not in AVAILABILITY_PARTS:
            raise _err(
                hid,
                f"availability {slot!r} is not DAY-PART (e.g. 'sat-afternoon')",
                f"beschikbaarheid {slot!r} is niet DAG-DAGDEEL (bijvoorbeeld 'sat-afternoon')",
            )
    wishes = _strings(data.get("wishes"), hid, "wishes")
    for wish in wishes:
        if wish not in WISHES:
            raise _err(
                hid,
                f"unknown wish {wish!r} (known: {', '.join(WISHES)})",
                f"onbekende wens {wish!r} (bekend: {', '.join(WISHES)})",
            )
    sensitive = data.get("sensitive") or {}
    if not isinstance(sensitive, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in sensitive.items()
    ):
        raise _err(
            hid,
            "sensitive must be an object of texts",
            "sensitive moet een object met teksten zijn",
        )
    area = data.get("area_code", "")
    if not isinstance(area, str):
        raise _err(hid, "area_code must be a text", "area_code moet een tekst zijn")
    lat, lon = _location(data, hid)
    return Household(
        id=hid,
        kind=kind,
        lat=lat,
        lon=lon,
        adults=adults,
        children_ages=ages,
        languages=tuple(langs),
        interests=frozenset(i.lower() for i in _strings(data.get("interests"), hid, "interests")),
        availability=frozenset(slots),
        area_code=area.strip(),
        wishes=frozenset(wishes),
        language_required=_flag(data.get("language_required"), hid, "language_required"),
        excluded=frozenset(_strings(data.get("excluded"), hid, "excluded")),
        paired=_flag(data.get("paired"), hid, "paired"),
        sensitive=dict(sensitive),
        consent_sensitive=_flag(data.get("consent_sensitive"), hid, "consent_sensitive"),
    )


def options_from_dict(data: Any, **overrides: Any) -> Options:
    """Build :class:`Options` from a JSON object plus non-None keyword overrides.

    >>> options_from_dict({"max_km": 5, "weights": {"language": 4}}).weight("language")
    4.0
    >>> options_from_dict({"weights": {"luck": 1}})
    Traceback (most recent call last):
    ...
    buurtcore.matching.model.MatchingError: options: unknown weight 'luck'
    """
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise MatchingError("options must be an object", "options moet een object zijn")
    data = dict(data)
    data.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(data) - {
        "weights",
        "max_km",
        "require_language",
        "half_km",
        "min_score",
        "excluded_pairs",
    }
    if unknown:
        name = sorted(unknown)[0]
        raise MatchingError(
            f"options: unknown option {name!r}", f"options: onbekende optie {name!r}"
        )
    weights = dict(DEFAULT_WEIGHTS)
    given = data.get("weights") or {}
    if not isinstance(given, Mapping):
        raise MatchingError(
            "options: weights must be an object", "options: weights moet een object zijn"
        )
    for name, value in given.items():
        if name not in DEFAULT_WEIGHTS:
            raise MatchingError(
                f"options: unknown weight {name!r}", f"options: onbekend gewicht {name!r}"
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e6:
            raise MatchingError(
                f"options: weight {name!r} must be a number of 0 or more",
                f"options: gewicht {name!r} moet een getal van 0 of meer zijn",
            )
        weights[name] = float(value)
    max_km = data.get("max_km", 10.0)
    if max_km is not None and (
        isinstance(max_km, bool)
        or not isinstance(max_km, int | float)
        or not math.isfinite(max_km)
        or not max_km > 0
    ):
        raise MatchingError(
            "options: max_km must be a positive number or null",
            "options: max_km moet een positief getal of null zijn",
        )
    half_km = data.get("half_km", 2.0)
    if (
        isinstance(half_km, bool)
        or not isinstance(half_km, int | float)
        or not math.isfinite(half_km)
        or not half_km > 0
    ):
        raise MatchingError(
            "options: half_km must be a positive number",
            "options: half_km moet een positief getal zijn",
        )
    min_score = data.get("min_score", 0.0)
    if (
        isinstance(min_score, bool)
        or not isinstance(min_score, int | float)
        or not math.isfinite(min_score)
    ):
        raise MatchingError(
            "options: min_score must be a number", "options: min_score moet een getal zijn"
        )
    require = data.get("require_language", False)
    if not isinstance(require, bool):
        raise MatchingError(
            "options: require_language must be true or false",
            "options: require_language moet true of false zijn",
        )
    pairs = set()
    excluded = data.get("excluded_pairs") or []
    if not isinstance(excluded, list):
        excluded = [excluded]
    for pair in excluded:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            raise MatchingError(
                "options: excluded_pairs must be a list of [id, id]",
                "options: excluded_pairs moet een lijst van [id, id] zijn",
            )
        pairs.add(frozenset(pair))
    return Options(
        weights=weights,
        max_km=None if max_km is None else float(max_km),
        require_language=require,
        half_km=float(half_km),
        min_score=float(min_score),
        excluded_pairs=frozenset(pairs),
    )


def read_input(data: Any, **overrides: Any) -> tuple[list[Household], Options]:
    """Households and options from the CLI's input document (see docs/matching.md).

    The document is ``{"households": [...], "options": {...}}`` or a bare list of
    households. Ids must be unique.
    """
    if isinstance(data, list):
        data = {"households": data}
    if not isinstance(data, Mapping) or not isinstance(data.get("households"), list):
        raise MatchingError(
            "input must be an object with a 'households' list",
            "de invoer moet een object met een lijst 'households' zijn",
        )
    households = [household_from_dict(item) for item in data["households"]]
    seen: set[str] = set()
    for h in households:
        if h.id in seen:
            raise MatchingError(
                f"household id {h.id!r} occurs twice", f"id {h.id!r} komt twee keer voor"
            )
        seen.add(h.id)
    options = options_from_dict(data.get("options"), **overrides)
    return households, options
