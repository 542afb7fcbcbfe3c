"""Where buddy households meet ``buurtcore.matching`` (the only module here that imports it).

Rows become core ``Household`` objects with ids ``h<pk>``; the core's output (scores,
components, explanations in Dutch and English, reasons) comes back as plain dicts.
The location of a household is the centroid of its buurt or wijk (no external geocoder).
Notes of check-ins are masked with ``buurtcore.text.mask``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
class Suggestion:
    household: Household
    rank: int
    score: float
    percent: int
    distance_km: float
    explanation: str


def suggestions(
    household: Household,
    candidates: list[Household],
    *,
    excluded_ids: set[int] = frozenset(),
    max_km=None,
    top: int = 10,
) -> dict[str, Any]:
    """Ranked candidates for ``household`` among ``candidates`` (waiting, other kind).

    Returns ``{"suggestions": [Suggestion…], "n_candidates", "n_feasible",
    "infeasible": [(text, count)…]}`` with texts in the active language.
    """
    lang = _lang()
    excluded = frozenset(f"h{pk}" for pk in excluded_ids)
    rows = {c.match_id: c for c in candidates if c.pk != household.pk}
    core = [to_core(household, excluded=excluded)]
    core += [to_core(c) for c in rows.values()]
    out = Matcher(core, _options(max_km)).suggest(household.match_id, top=top)
    return {
        "suggestions": [
            Suggestion(
                household=rows[c["id"]],
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


def speaks(row: Household, code: str) -> bool:
    return any(x.get("code") == code for x in row.languages)


def propose(
    rows: list[Household], *, max_km=None, language_code: str = "", require_language: bool = False
) -> dict[str, Any]:
    """The core's batch proposal over ``rows`` (waiting households of one programme).

    With ``language_code`` only households that speak it take part (a must-have language
    for every pair). The result keeps both languages of each text; ids are ``h<pk>``.
    """
    taking_part = [r for r in rows if not language_code or speaks(r, language_code)]
    core = [to_core(r, paired=r.status != HouseholdStatus.WAITING) for r in taking_part]
    result = Matcher(core, _options(max_km, require_language)).propose()
    ids = {r.pk for r in taking_part}
    result["left_out"] = sorted(r.match_id for r in rows if r.pk not in ids)
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
