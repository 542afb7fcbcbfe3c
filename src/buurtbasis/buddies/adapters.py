"""Where buddy households meet ``buurtcore.matching`` (the only module here that imports it).

Rows become core ``Household`` objects with ids ``h<pk>``; the core's output (scores,
components, explanations in Dutch and English, reasons) comes back as plain dicts.
The location of a household is the centroid of its buurt or wijk (no external geocoder).
Notes of check-ins are masked with ``buurtcore.text.mask``.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils.translation import get_language

from buurtbasis.areas.models import Area
from buurtcore.geo.projection import label_point
from buurtcore.matching import Household as CoreHousehold
from buurtcore.matching import Language, Matcher, MatchingError, Options
from buurtcore.text.mask import mask

from .models import Household, HouseholdStatus

__all__ = ["MatchingError", "centroid", "mask_note", "propose", "suggestions", "to_core"]


def _lang() -> str:
    return "nl" if (get_language() or "nl").startswith("nl") else "en"


def centroid(area: Area | None) -> tuple[float, float] | None:
    """(lat, lon) of the area's boundary, or of the nearest parent that has one."""
    while area is not None:
        if area.boundary:
            lon, lat = label_point(area.boundary)
            return lat, lon
        area = area.parent
    return None


def mask_note(text: str) -> str:
    """A check-in note without names, addresses, phone numbers or account numbers."""
    return mask(text.strip())


def to_core(
    row: Household, *, excluded: frozenset[str] = frozenset(), paired: bool = False
) -> CoreHousehold:
    """A core household from a row (rows without a location sit at 0, 0: never near anyone)."""
    return CoreHousehold(
        id=row.match_id,
        kind=row.kind,
        lat=row.lat if row.lat is not None else 0.0,
        lon=row.lon if row.lon is not None else 0.0,
        adults=max(1, row.adults),
        children_ages=tuple(sorted(int(a) for a in row.children_ages)),
        languages=tuple(Language(x["code"], x.get("level", "good")) for x in row.languages),
        interests=frozenset(str(i).lower() for i in row.interests),
        availability=frozenset(row.availability),
        area_code=row.area.code if row.area_id and row.area else "",
        wishes=frozenset(row.wishes),
        language_required=row.language_required,
        excluded=excluded,
        paired=paired,
        sensitive=dict(row.sensitive or {}) if row.consent_sensitive else {},
        consent_sensitive=row.consent_sensitive,
    )


def _options(max_km, require_language: bool = False) -> Options:
    return Options(
        max_km=float(max_km) if max_km is not None else None, require_language=require_language
    )


@dataclass(frozen=True)
class Candidate:
    """What the suggestions page shows of a candidate household."""

    pk: int
    label: str
    area_name: str


@dataclass(frozen=True)
class Suggestion:
    household: Candidate
    rank: int
    score: float
    percent: int
    distance_km: float
    explanation: str


#: Fields read for matching, in the order ``_core_from_values`` takes them.
VALUE_FIELDS = (
    "pk",
    "kind",
    "label",
    "lat",
    "lon",
    "adults",
    "children_ages",
    "languages",
    "interests",
    "availability",
    "area__code",
    "area__name",
    "wishes",
    "language_required",
    "sensitive",
    "consent_sensitive",
)


def _core_from_values(v: tuple, excluded: frozenset[str]) -> CoreHousehold:
    (pk, kind, _label, lat, lon, adults, ages, langs, interests, slots) = v[:10]
    (area_code, _area_name, wishes, required, sensitive, consent) = v[10:]
    return CoreHousehold(
        id=f"h{pk}",
        kind=kind,
        lat=lat if lat is not None else 0.0,
        lon=lon if lon is not None else 0.0,
        adults=max(1, adults),
        children_ages=tuple(sorted(int(a) for a in ages or ())),
        languages=tuple(Language(x["code"], x.get("level", "good")) for x in langs or ()),
        interests=frozenset(str(i).lower() for i in interests or ()),
        availability=frozenset(slots or ()),
        area_code=area_code or "",
        wishes=frozenset(wishes or ()),
        language_required=required,
        excluded=excluded,
        sensitive=dict(sensitive or {}) if consent else {},
        consent_sensitive=consent,
    )


#: Core households per (row id, updated_at), so a page view after a write rebuilds only
#: the rows that changed (every intake change sets ``updated_at``).
_CORE: OrderedDict = OrderedDict()
MAX_CACHED_HOUSEHOLDS = 50_000


def _waiting(programme) -> list[tuple[CoreHousehold, Candidate]]:
    """The programme's waiting households, each as a core household excluding its former
    partners and as what the page shows. Two light queries, and a third for the rows not
    seen before (or changed since)."""
    import dataclasses

    from .models import Pair

    former: dict[int, set[str]] = {}
    pairs = Pair.objects.filter(programme=programme).values_list("newcomer_id", "local_id")
    for a, b in pairs:
        former.setdefault(a, set()).add(f"h{b}")
        former.setdefault(b, set()).add(f"h{a}")
    rows = Household.objects.filter(
        programme=programme, status=HouseholdStatus.WAITING, erased_at__isnull=True
    )
    stamps = list(rows.values_list("pk", "updated_at"))
    missing = [pk for pk, at in stamps if (pk, at) not in _CORE]
    if missing:
        fetch = rows if len(missing) > len(stamps) // 2 else rows.filter(pk__in=missing)
        for v, at in zip(*_values_with_stamp(fetch), strict=True):
            _CORE[(v[0], at)] = (
                _core_from_values(v, frozenset()),
                Candidate(v[0], v[2], v[11] or ""),
            )
        while len(_CORE) > MAX_CACHED_HOUSEHOLDS:
            _CORE.popitem(last=False)
    out = []
    for pk, at in stamps:
        core, shown = _CORE[(pk, at)]
        if pk in former:
            core = dataclasses.replace(core, excluded=frozenset(former[pk]))
        out.append((core, shown))
    return out


def _values_with_stamp(rows) -> tuple[list[tuple], list]:
    values = _values(rows.annotate(_stamp=F("updated_at")), extra=("_stamp",))
    return [v[:-1] for v in values], [v[-1] for v in values]


#: The JSON fields among VALUE_FIELDS.
JSON_FIELDS = frozenset(
    {"children_ages", "languages", "interests", "availability", "wishes", "sensitive"}
)


def _values(rows, extra: tuple[str, ...] = ()) -> list[tuple]:
    """``VALUE_FIELDS`` of the rows. The JSON columns come as text and are decoded in
    one ``json.loads`` per column (decoding 30,000 small values one by one was most of
    the time for 5,000 households)."""
    import json

    from django.db.models import TextField
    from django.db.models.functions import Cast

    names = {f: f"_raw_{f}" for f in VALUE_FIELDS if f in JSON_FIELDS}
    query = rows.annotate(**{raw: Cast(f, TextField()) for f, raw in names.items()})
    columns = [names.get(f, f) for f in VALUE_FIELDS] + list(extra)
    fetched = list(query.values_list(*columns))
    if not fetched:
        return []
    decoded = {
        i: json.loads("[" + ",".join(row[i] or "null" for row in fetched) + "]")
        for i, f in enumerate(VALUE_FIELDS)
        if f in names
    }
    return [
        tuple(decoded[i][k] if i in decoded else value for i, value in enumerate(row))
        for k, row in enumerate(fetched)
    ]


#: Encoded programmes kept per process (most recently used last).
_MATCHERS: OrderedDict = OrderedDict()
MAX_CACHED_PROGRAMMES = 8


def programme_matcher(programme, max_km=None) -> tuple[Matcher, dict[str, Candidate]]:
    """The core ``Matcher`` over the programme's waiting households, encoded once per
    ``programme.matching_version`` (every write through ``services`` raises it), with the
    former partners of each household excluded. Two queries when it must be built."""
    key = (
        programme.pk,
        programme.created_at,  # a restored database may reuse a programme's id
        programme.matching_version,
        None if max_km is None else float(max_km),
    )
    found = _MATCHERS.get(key)
    if found is not None:
        _MATCHERS.move_to_end(key)
        return found
    waiting = _waiting(programme)
    candidates = {core.id: shown for core, shown in waiting}
    found = (Matcher([core for core, _shown in waiting], _options(max_km)), candidates)
    _MATCHERS[key] = found
    while len(_MATCHERS) > MAX_CACHED_PROGRAMMES:
        _MATCHERS.popitem(last=False)
    return found


def _suggestion_dict(out: dict[str, Any], candidates: dict[str, Candidate]) -> dict[str, Any]:
    lang = _lang()
    return {
        "suggestions": [
            Suggestion(
                household=candidates[c["id"]],
                rank=c["rank"],
                score=c["score"],
                percent=round(c["score"] * 100),
                distance_km=c["distance_km"],
                explanation=c["explanation"][lang],
            )
            for c in out["candidates"]
        ],
        "n_candidates": out["n_candidates"],
        "n_feasible": out["n_feasible"],
        "infeasible": [(v[lang], v["count"]) for v in out["infeasible"].values()],
        "notice": out["notice"][lang],
    }


def suggestions_for(household: Household, *, top: int = 10) -> dict[str, Any]:
    """Ranked waiting candidates of the other kind for a waiting ``household`` of its
    programme (never a former partner), within the programme's maximum distance.

    Returns ``{"suggestions": [Suggestion…], "n_candidates", "n_feasible",
    "infeasible": [(text, count)…], "notice"}`` with texts in the active language.
    """
    programme = household.programme
    matcher, candidates = programme_matcher(programme, programme.max_km)
    return _suggestion_dict(matcher.suggest(household.match_id, top=top), candidates)


def suggestions(
    household: Household,
    candidates: list[Household],
    *,
    excluded_ids: set[int] = frozenset(),
    max_km=None,
    top: int = 10,
) -> dict[str, Any]:
    """Like :func:`suggestions_for`, among the given candidate rows (no cache)."""
    excluded = frozenset(f"h{pk}" for pk in excluded_ids)
    rows = {c.match_id: c for c in candidates if c.pk != household.pk}
    core = [to_core(household, excluded=excluded)]
    core += [to_core(c) for c in rows.values()]
    out = Matcher(core, _options(max_km)).suggest(household.match_id, top=top)
    shown = {
        hid: Candidate(row.pk, row.label, row.area.name if row.area_id else "")
        for hid, row in rows.items()
    }
    return _suggestion_dict(out, shown)


def propose(
    programme, *, max_km=None, language_code: str = "", require_language: bool = False
) -> dict[str, Any]:
    """The core's batch proposal over the programme's waiting households (never pairing
    former partners again).

    With ``language_code`` only households that speak it take part (a must-have language
    for every pair). The result keeps both languages of each text; ids are ``h<pk>``.
    """
    core = [h for h, _shown in _waiting(programme)]
    taking_part = [
        h for h in core if not language_code or any(x.code == language_code for x in h.languages)
    ]
    ids = {h.id for h in taking_part}
    result = Matcher(taking_part, _options(max_km, require_language)).propose()
    result["left_out"] = sorted(h.id for h in core if h.id not in ids)
    return result


def explanation_of(pair_dict: dict[str, Any]) -> str:
    return pair_dict["explanation"][_lang()]


def text_of(item: dict[str, Any]) -> str:
    return item[_lang()]


def pair_score(newcomer: Household, local: Household, *, max_km=None) -> dict[str, Any]:
    """Score one pair: ``{"score", "explanation", "feasible", "reason"}`` (texts in the
    active language; ``reason`` is empty when the pair is allowed)."""
    from buurtcore.matching import score_pair
    from buurtcore.matching.scoring import REASON_TEXT

    scored = score_pair(to_core(newcomer), to_core(local), _options(max_km))
    lang = _lang()
    reason = ""
    if not scored.feasible:
        en, nl = REASON_TEXT[scored.reason]
        reason = nl if lang == "nl" else en
    return {
        "score": scored.score,
        "explanation": scored.explanation_nl if lang == "nl" else scored.explanation_en,
        "feasible": scored.feasible,
        "reason": reason,
    }
