"""Scoring pairs of households: vectorised components, hard constraints, explanations.

Every component is a value from 0 to 1; the score of a pair is the weighted mean
``sum(weight * value) / sum(weights)``. Households are first turned into arrays
(:func:`encode`); :func:`score_block` then scores many rows against many columns at
once with numpy. :func:`score_pair` is the same computation for one pair, plus the
explanation in plain Dutch (B1) and English.

Examples
--------
>>> from buurtcore.matching.model import household_from_dict, Options
>>> a = household_from_dict({"id": "n1", "kind": "newcomer",
...     "composition": {"children_ages": [6]}, "languages": ["ar", "en"],
...     "location": {"lat": 52.0900, "lon": 5.1200}})
>>> b = household_from_dict({"id": "l1", "kind": "local",
...     "composition": {"children_ages": [8]}, "languages": [{"code": "ar", "level": "native"}],
...     "location": {"lat": 52.1000, "lon": 5.1250}})
>>> pair = score_pair(a, b, Options())
>>> pair.feasible, pair.explanation_nl
(True, 'beide spreken Arabisch, kinderen van 6 en 8, 1,2 km')
>>> pair.explanation_en
'both speak Arabic, children of 6 and 8, 1.2 km'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import (
    AVAILABILITY_DAYS,
    AVAILABILITY_PARTS,
    COMPONENTS,
    WISHES,
    Household,
    Options,
)

__all__ = [
    "REASONS",
    "Encoded",
    "PairScore",
    "encode",
    "explain",
    "format_km",
    "haversine_km",
    "score_block",
    "score_pair",
]

EARTH_KM = 6371.0088
#: Two children are "of similar age" when they are at most this many years apart.
AGE_GAP = 2
#: Shared free parts of the week that give the full availability component.
FULL_OVERLAP = 3
#: Infeasibility reasons (index = code in the reason matrix; 0 = feasible).
REASONS = ("", "same_kind", "already_paired", "excluded", "no_common_language", "max_distance")
REASON_TEXT = {
    "same_kind": (
        "both households are of the same kind",
        "beide huishoudens zijn van dezelfde soort",
    ),
    "already_paired": ("already in a pair", "heeft al een maatje"),
    "excluded": ("this pair is excluded", "deze combinatie is uitgesloten"),
    "no_common_language": ("no common language", "geen gemeenschappelijke taal"),
    "max_distance": (
        "farther apart than the maximum distance",
        "verder weg dan de maximale afstand",
    ),
}

LANGUAGE_NAMES = {
    "nl": ("Dutch", "Nederlands"),
    "en": ("English", "Engels"),
    "ar": ("Arabic", "Arabisch"),
    "ti": ("Tigrinya", "Tigrinya"),
    "uk": ("Ukrainian", "Oekraïens"),
    "ru": ("Russian", "Russisch"),
    "tr": ("Turkish", "Turks"),
    "fa": ("Persian", "Perzisch"),
    "prs": ("Dari", "Dari"),
    "ps": ("Pashto", "Pasjtoe"),
    "so": ("Somali", "Somalisch"),
    "ku": ("Kurdish", "Koerdisch"),
    "am": ("Amharic", "Amhaars"),
    "fr": ("French", "Frans"),
    "de": ("German", "Duits"),
    "es": ("Spanish", "Spaans"),
    "pl": ("Polish", "Pools"),
    "pt": ("Portuguese", "Portugees"),
    "zh": ("Chinese", "Chinees"),
}
DAY_NAMES = {
    "mon": ("Monday", "maandag"),
    "tue": ("Tuesday", "dinsdag"),
    "wed": ("Wednesday", "woensdag"),
    "thu": ("Thursday", "donderdag"),
    "fri": ("Friday", "vrijdag"),
    "sat": ("Saturday", "zaterdag"),
    "sun": ("Sunday", "zondag"),
}
PART_NAMES = {
    "morning": ("morning", "ochtend"),
    "afternoon": ("afternoon", "middag"),
    "evening": ("evening", "avond"),
}
SLOTS = tuple(f"{d}-{p}" for d in AVAILABILITY_DAYS for p in AVAILABILITY_PARTS)


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (arrays broadcast; degrees in).

    >>> round(float(haversine_km(52.0907, 5.1214, 52.3676, 4.9041)), 1)  # Utrecht-Amsterdam
    34.2
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@dataclass(frozen=True)
class Encoded:
    """Households as arrays, one row each (shared vocabularies)."""

    ids: tuple[str, ...]
    index: dict[str, int]
    households: tuple[Household, ...]
    kind: np.ndarray  # 0 newcomer, 1 local
    lat: np.ndarray
    lon: np.ndarray
    lang: np.ndarray  # (n, L) level rank 0..3
    lang_codes: tuple[str, ...]
    child_count: np.ndarray  # (n, 18) children per age
    child_near: np.ndarray  # (n, 18) 1 where a child is within AGE_GAP years
    n_children: np.ndarray
    interests: np.ndarray  # (n, I) 0/1
    n_interests: np.ndarray
    avail: np.ndarray  # (n, 21) 0/1
    area: np.ndarray  # area code index, -1 none
    wants: np.ndarray  # (n, W) 0/1
    n_wants: np.ndarray
    has: np.ndarray  # (n, W) 0/1 for the wishes that are a property of the other side
    dutch: np.ndarray  # speaks Dutch at "good" or better
    requires_language: np.ndarray
    paired: np.ndarray
    consent: np.ndarray
    sensitive: dict[str, np.ndarray]  # key -> value index per household, -1 none/no consent
    excluded: frozenset[tuple[int, int]]


def encode(households: Sequence[Household], options: Options | None = None) -> Encoded:
    """Turn households into arrays for :func:`score_block`.

    Sensitive values are only encoded for households with ``consent_sensitive``;
    without consent the arrays do not even hold them.
    """
    options = options or Options()
    n = len(households)
    ids = tuple(h.id for h in households)
    index = {hid: i for i, hid in enumerate(ids)}
    codes = sorted({lang.code for h in households for lang in h.languages})
    code_ix = {c: i for i, c in enumerate(codes)}
    lang = np.zeros((n, len(codes)), dtype=np.int8)
    interest_names = sorted({i for h in households for i in h.interests})
    interest_ix = {c: i for i, c in enumerate(interest_names)}
    interests = np.zeros((n, len(interest_names)), dtype=np.float32)
    child_count = np.zeros((n, 18), dtype=np.float32)
    avail = np.zeros((n, len(SLOTS)), dtype=np.float32)
    slot_ix = {s: i for i, s in enumerate(SLOTS)}
    areas = sorted({h.area_code for h in households if h.area_code})
    area_ix = {a: i for i, a in enumerate(areas)}
    wants = np.zeros((n, len(WISHES)), dtype=np.float32)
    sens_keys = sorted({k for h in households if h.consent_sensitive for k in h.sensitive})
    sensitive = {k: np.full(n, -1, dtype=np.int64) for k in sens_keys}
    sens_values: dict[str, dict[str, int]] = {k: {} for k in sens_keys}
    for i, h in enumerate(households):
        for code, rank in h.speaks().items():
            lang[i, code_ix[code]] = rank
        for item in h.interests:
            interests[i, interest_ix[item]] = 1
        for age in h.children_ages:
            child_count[i, age] += 1
        for slot in h.availability:
            avail[i, slot_ix[slot]] = 1
        for wish in h.wishes:
            wants[i, WISHES.index(wish)] = 1
        if h.consent_sensitive:
            for k, v in h.sensitive.items():
                norm = v.strip().lower()
                if norm:
                    sensitive[k][i] = sens_values[k].setdefault(norm, len(sens_values[k]))
    present = (child_count > 0).astype(np.float32)
    child_near = np.zeros_like(present)
    for shift in range(-AGE_GAP, AGE_GAP + 1):
        lo, hi = max(0, shift), 18 + min(0, shift)
        child_near[:, lo - shift : hi - shift] = np.maximum(
            child_near[:, lo - shift : hi - shift], present[:, lo:hi]
        )
    n_children = child_count.sum(axis=1)
    dutch = lang[:, code_ix["nl"]] >= 2 if "nl" in code_ix else np.zeros(n, dtype=bool)
    has = np.zeros((n, len(WISHES)), dtype=np.float32)
    has[:, WISHES.index("children")] = n_children > 0
    has[:, WISHES.index("no_children")] = n_children == 0
    has[:, WISHES.index("dutch")] = dutch
    excluded = set()
    for i, h in enumerate(households):
        for other in h.excluded:
            if other in index:
                excluded.add((i, index[other]))
                excluded.add((index[other], i))
    for pair in options.excluded_pairs:
        if len(pair) == 2:
            a, b = tuple(pair)
            if a in index and b in index:
                excluded.add((index[a], index[b]))
                excluded.add((index[b], index[a]))
    return Encoded(
        ids=ids,
        index=index,
        households=tuple(households),
        kind=np.array([0 if h.kind == "newcomer" else 1 for h in households], dtype=np.int8),
        lat=np.array([h.lat for h in households], dtype=np.float64),
        lon=np.array([h.lon for h in households], dtype=np.float64),
        lang=lang,
        lang_codes=tuple(codes),
        child_count=child_count,
        child_near=child_near,
        n_children=n_children,
        interests=interests,
        n_interests=interests.sum(axis=1),
        avail=avail,
        area=np.array([area_ix.get(h.area_code, -1) for h in households], dtype=np.int64),
        wants=wants,
        n_wants=wants.sum(axis=1),
        has=has,
        dutch=dutch,
        requires_language=np.array([h.language_required for h in households], dtype=bool),
        paired=np.array([h.paired for h in households], dtype=bool),
        consent=np.array([h.consent_sensitive for h in households], dtype=bool),
        sensitive=sensitive,
        excluded=frozenset(excluded),
    )


@dataclass(frozen=True)
class Block:
    """Scores of rows × columns: component values, total score, reason codes, km."""

    rows: np.ndarray
    cols: np.ndarray
    components: dict[str, np.ndarray]
    score: np.ndarray
    reason: np.ndarray  # int8, 0 = feasible, else index into REASONS
    km: np.ndarray

    @property
    def feasible(self) -> np.ndarray:
        return self.reason == 0


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast_shapes(num.shape, den.shape), dtype=np.float32)
    np.divide(num, den, out=out, where=den > 0)
    return out


def score_block(enc: Encoded, rows, cols, options: Options) -> Block:
    """Score every row household against every column household (arrays of indices)."""
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    nr, nc = len(rows), len(cols)
    comp: dict[str, np.ndarray] = {}

    # Shared language: the best level both speak (the lower of the two), 1/3 per level.
    best = np.zeros((nr, nc), dtype=np.int8)
    la, lb = enc.lang[rows], enc.lang[cols]
    for j in range(la.shape[1]):
        a, b = la[:, j], lb[:, j]
        if not a.any() or not b.any():
            continue
        np.maximum(best, np.minimum(a[:, None], b[None, :]), out=best)
    comp["language"] = best.astype(np.float32) / np.float32(3)

    # Children of similar ages: the share of children (of both) with a peer in the other household.
    ca, cb = enc.child_count[rows], enc.child_count[cols]
    na, nb = enc.n_children[rows], enc.n_children[cols]
    matched = ca @ enc.child_near[cols].T + (cb @ enc.child_near[rows].T).T
    comp["children"] = _div(matched, na[:, None] + nb[None, :])

    # Shared interests: Jaccard.
    if enc.interests.shape[1]:
        inter = enc.interests[rows] @ enc.interests[cols].T
        union = enc.n_interests[rows][:, None] + enc.n_interests[cols][None, :] - inter
        comp["interests"] = _div(inter, union)
    else:
        comp["interests"] = np.zeros((nr, nc), dtype=np.float32)

    # Overlapping availability: shared parts of the week, full at FULL_OVERLAP.
    overlap = enc.avail[rows] @ enc.avail[cols].T
    comp["availability"] = np.minimum(overlap, FULL_OVERLAP) / np.float32(FULL_OVERLAP)

    # Distance: halves every half_km.
    km = haversine_km(
        enc.lat[rows][:, None],
        enc.lon[rows][:, None],
        enc.lat[cols][None, :],
        enc.lon[cols][None, :],
    )
    comp["distance"] = np.exp2(-km / options.half_km).astype(np.float32)

    # Wishes: the share of both households' wishes that the other fulfils.
    same_area = (enc.area[rows][:, None] == enc.area[cols][None, :]) & (
        enc.area[rows][:, None] >= 0
    )
    nearby = km <= options.half_km
    wa, wb = enc.wants[rows], enc.wants[cols]
    fulfilled = wa @ enc.has[cols].T + (wb @ enc.has[rows].T).T
    ia, inb = WISHES.index("same_area"), WISHES.index("nearby")
    fulfilled = fulfilled + (wa[:, ia][:, None] + wb[:, ia][None, :]) * same_area
    fulfilled = fulfilled + (wa[:, inb][:, None] + wb[:, inb][None, :]) * nearby
    comp["wishes"] = _div(fulfilled, enc.n_wants[rows][:, None] + enc.n_wants[cols][None, :])

    # Sensitive: the share of volunteered keys that agree, only between consenting households.
    if options.weight("sensitive") > 0 and enc.sensitive:
        agree = np.zeros((nr, nc))
        both = np.zeros((nr, nc))
        for values in enc.sensitive.values():
            va, vb = values[rows][:, None], values[cols][None, :]
            known = (va >= 0) & (vb >= 0)
            both += known
            agree += known & (va == vb)
        consent = enc.consent[rows][:, None] & enc.consent[cols][None, :]
        comp["sensitive"] = np.where(consent, _div(agree, both), np.float32(0))
    else:
        comp["sensitive"] = np.zeros((nr, nc), dtype=np.float32)

    total = np.zeros((nr, nc))
    for name in COMPONENTS:
        w = options.weight(name)
        if w:
            total += w * comp[name]
    total /= options.total_weight

    # Hard constraints, the weakest reason last so the strongest one shows.
    reason = np.zeros((nr, nc), dtype=np.int8)
    if options.max_km is not None:
        reason[km > options.max_km] = REASONS.index("max_distance")
    need = (
        options.require_language
        | enc.requires_language[rows][:, None]
        | enc.requires_language[cols][None, :]
    )
    reason[need & (best == 0)] = REASONS.index("no_common_language")
    if enc.excluded:
        pos_r = {int(r): i for i, r in enumerate(rows)}
        pos_c = {int(c): j for j, c in enumerate(cols)}
        for a, b in enc.excluded:
            if a in pos_r and b in pos_c:
                reason[pos_r[a], pos_c[b]] = REASONS.index("excluded")
    paired = enc.paired[rows][:, None] | enc.paired[cols][None, :]
    reason[paired] = REASONS.index("already_paired")
    same = enc.kind[rows][:, None] == enc.kind[cols][None, :]
    reason[same] = REASONS.index("same_kind")
    reason[rows[:, None] == cols[None, :]] = REASONS.index("same_kind")
    return Block(rows=rows, cols=cols, components=comp, score=total, reason=reason, km=km)


# --------------------------------------------------------------------------- explanations


def format_km(km: float, lang: str = "nl") -> str:
    """A distance as people say it: one decimal, a decimal comma in Dutch.

    >>> format_km(1.234), format_km(1.234, "en"), format_km(12.04)
    ('1,2 km', '1.2 km', '12,0 km')
    """
    text = f"{km:.1f}"
    return (text.replace(".", ",") if lang == "nl" else text) + " km"


def _join(items: Sequence[str], lang: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    word = " en " if lang == "nl" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def _language_name(code: str, lang: str) -> str:
    names = LANGUAGE_NAMES.get(code)
    if names is None:
        return code
    return names[1] if lang == "nl" else names[0]


def _slot_name(slot: str, lang: str) -> str:
    day, _, part = slot.partition("-")
    if lang == "nl":
        return DAY_NAMES[day][1] + PART_NAMES[part][1]
    return f"{DAY_NAMES[day][0]} {PART_NAMES[part][0]}"


WISH_TEXT = {
    "children": ("a family with children", "een gezin met kinderen"),
    "no_children": ("a household without children", "een huishouden zonder kinderen"),
    "same_area": ("living in the same neighbourhood", "in dezelfde buurt wonen"),
    "dutch": ("someone who speaks Dutch", "iemand die Nederlands spreekt"),
    "nearby": ("living close by", "dichtbij wonen"),
}


def fulfilled_wishes(a: Household, b: Household, km: float, half_km: float) -> list[str]:
    """The wishes of either household that the other one fulfils (in WISHES order)."""
    done = set()
    for me, other in ((a, b), (b, a)):
        has = {
            "children": bool(other.children_ages),
            "no_children": not other.children_ages,
            "same_area": bool(me.area_code) and me.area_code == other.area_code,
            "dutch": other.speaks().get("nl", 0) >= 2,
            "nearby": km <= half_km,
        }
        done.update(w for w in me.wishes if has[w])
    return [w for w in WISHES if w in done]


def explain(
    a: Household,
    b: Household,
    components: dict[str, float],
    km: float,
    lang: str = "nl",
    half_km: float = 2.0,
) -> str:
    """Plain-language explanation of a pair: one phrase per component that scored.

    >>> from buurtcore.matching.model import Household
    >>> a = Household("a", "newcomer", 52.0, 5.0, interests=frozenset({"koken", "voetbal"}))
    >>> b = Household("b", "local", 52.0, 5.0, interests=frozenset({"koken"}))
    >>> explain(a, b, {"interests": 0.5, "distance": 1.0}, 0.04)
    'beide houden van koken, 0,0 km'
    """
    nl = lang == "nl"
    parts: list[str] = []
    if components.get("language", 0) > 0:
        sa, sb = a.speaks(), b.speaks()
        shared = [c for c in sorted(set(sa) & set(sb), key=lambda c: (-min(sa[c], sb[c]), c))]
        names = _join([_language_name(c, lang) for c in shared[:3]], lang)
        parts.append(f"beide spreken {names}" if nl else f"both speak {names}")
    if components.get("children", 0) > 0:
        ages = set()
        for x in a.children_ages:
            for y in b.children_ages:
                if abs(x - y) <= AGE_GAP:
                    ages.update((x, y))
        text = _join([str(x) for x in sorted(ages)], lang)
        parts.append(f"kinderen van {text}" if nl else f"children of {text}")
    if components.get("interests", 0) > 0:
        shared = _join(sorted(a.interests & b.interests)[:4], lang)
        parts.append(f"beide houden van {shared}" if nl else f"both enjoy {shared}")
    if components.get("availability", 0) > 0:
        slots = [s for s in SLOTS if s in a.availability and s in b.availability]
        names = _join([_slot_name(s, lang) for s in slots[:3]], lang)
        parts.append(f"beide kunnen op {names}" if nl else f"both free on {names}")
    if components.get("wishes", 0) > 0:
        names = [WISH_TEXT[w][1 if nl else 0] for w in fulfilled_wishes(a, b, km, half_km)]
        many = len(names) > 1
        lead = (
            ("past bij de wensen: " if many else "past bij de wens: ")
            if nl
            else ("fits the wishes: " if many else "fits the wish: ")
        )
        parts.append(lead + _join(names, lang))
    if components.get("sensitive", 0) > 0:
        parts.append(
            "dezelfde achtergrond (met toestemming)" if nl else "same background (with consent)"
        )
    parts.append(format_km(km, lang))
    return ", ".join(parts)


@dataclass(frozen=True)
class PairScore:
    """The score of one pair, its components and whether it is allowed (and why not)."""

    a: str
    b: str
    score: float
    components: dict[str, float]
    km: float
    feasible: bool
    reason: str
    explanation_nl: str
    explanation_en: str

    def as_dict(self, options: Options) -> dict[str, Any]:
        return pair_dict(self, options)


def pair_dict(p: PairScore, options: Options) -> dict[str, Any]:
    """The JSON shape of a scored pair (see docs/matching.md)."""
    total = options.total_weight
    out: dict[str, Any] = {
        "score": round(p.score, 6),
        "distance_km": round(p.km, 3),
        "components": {
            name: {
                "value": round(p.components[name], 6),
                "weight": options.weight(name),
                "points": round(options.weight(name) * p.components[name] / total, 6),
            }
            for name in COMPONENTS
            if options.weight(name) or name != "sensitive"
        },
        "explanation": {"nl": p.explanation_nl, "en": p.explanation_en},
    }
    if not p.feasible:
        en, nl = REASON_TEXT[p.reason]
        out["infeasible"] = {"reason": p.reason, "nl": nl, "en": en}
    return out


def pair_from_block(enc: Encoded, block: Block, i: int, j: int, options: Options) -> PairScore:
    """The :class:`PairScore` of entry (i, j) of a block, with explanations."""
    a = enc.households[block.rows[i]]
    b = enc.households[block.cols[j]]
    comps = {name: float(block.components[name][i, j]) for name in COMPONENTS}
    scored = {name: value if options.weight(name) else 0.0 for name, value in comps.items()}
    km = float(block.km[i, j])
    code = int(block.reason[i, j])
    return PairScore(
        a=a.id,
        b=b.id,
        score=float(block.score[i, j]),
        components=comps,
        km=km,
        feasible=code == 0,
        reason=REASONS[code],
        explanation_nl=explain(a, b, scored, km, "nl", options.half_km),
        explanation_en=explain(a, b, scored, km, "en", options.half_km),
    )


def score_pair(a: Household, b: Household, options: Options | None = None) -> PairScore:
    """Score one pair (the same numbers as :func:`score_block`)."""
    options = options or Options()
    enc = encode([a, b], options)
    block = score_block(enc, [0], [1], options)
    return pair_from_block(enc, block, 0, 0, options)
