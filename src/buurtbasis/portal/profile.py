"""The wijkprofiel: a wijk's (or buurt's) CBS figures beside what happens there.

Everything the page shows apart from the page blocks is computed here, by a background
task, into one ``WijkProfileSnapshot`` row per area (JSON of plain values), so the page
reads one row whatever the size of the database. ``compute`` is the single place the
figures come from; the page, the PDF and the tests all read its result.

Who takes part ("wie doet mee") counts people by CBS age band and is only shown in
aggregates of at least ``MIN_CELL`` people: a smaller cell is left out, and when exactly
one cell of a column is left out the next smallest is left out too, so it cannot be
worked out from the total and the others.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from buurtbasis.areas.models import Area, AreaLevel, IndicatorValue
from buurtbasis.ballots.models import Ballot
from buurtbasis.ballots.services import age_on
from buurtbasis.budgets.models import FundedPlan, PhaseKind
from buurtbasis.hosting import queries as hosting_queries
from buurtbasis.hosting.models import Grant
from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.stories import blocks as story_blocks
from buurtbasis.stories.models import Story

from .models import WijkProfileSnapshot

logger = logging.getLogger(__name__)

#: Fewer people than this in a cell: the cell is not shown.
MIN_CELL = 10

#: The CBS key figures of the profile, in their order.
PROFILE_FIGURES = (
    "AantalInwoners_5",
    "Bevolkingsdichtheid_34",
    "percentagePersonen0Tot15Jaar",
    "percentagePersonen15Tot25Jaar",
    "percentagePersonen25Tot45Jaar",
    "percentagePersonen45Tot65Jaar",
    "percentagePersonen65JaarEnOuder",
    "GemiddeldeHuishoudensgrootte_33",
    "Woningvoorraad_35",
)

#: The CBS age bands (the stories' ``AgeBand`` values): (band, lowest age, highest age, key).
AGE_BANDS = (
    ("0-14", 0, 14, "percentagePersonen0Tot15Jaar"),
    ("15-24", 15, 24, "percentagePersonen15Tot25Jaar"),
    ("25-44", 25, 44, "percentagePersonen25Tot45Jaar"),
    ("45-64", 45, 64, "percentagePersonen45Tot65Jaar"),
    ("65+", 65, 200, "percentagePersonen65JaarEnOuder"),
)

#: The groups whose participation is counted, in the order of the columns.
GROUPS = ("voters", "initiators", "tellers")

#: Initiatives listed on the profile (the wijk page lists them all).
LISTED_INITIATIVES = 8

PUBLISHED_PHASES = (PhaseKind.RESULTS, PhaseKind.EXECUTION)


def band_of(age: int) -> str | None:
    for band, low, high, _key in AGE_BANDS:
        if low <= age <= high:
            return band
    return None


def municipality_of(area: Area) -> Area | None:
    if area.level == AreaLevel.DISTRICT:
        return area.parent
    if area.level == AreaLevel.NEIGHBOURHOOD and area.parent:
        return area.parent.parent
    return None


def area_ids(area: Area) -> list[int]:
    """The area and (for a wijk) its buurten."""
    return [area.pk, *area.children.values_list("pk", flat=True)]


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _figures(area: Area, municipality: Area | None) -> dict:
    wanted = [area] + ([municipality] if municipality else [])
    values = (
        IndicatorValue.objects.filter(
            area__in=wanted, year=area.year, indicator__key__in=PROFILE_FIGURES
        )
        .select_related("indicator")
        .order_by("indicator__position")
    )
    by_key: dict[str, dict] = {}
    sources: set[str] = set()
    for v in values:
        row = by_key.setdefault(
            v.indicator.key,
            {
                "key": v.indicator.key,
                "title_nl": v.indicator.title_nl,
                "title_en": v.indicator.title_en or v.indicator.title_nl,
                "unit_nl": v.indicator.unit_nl,
                "unit_en": v.indicator.unit_en or v.indicator.unit_nl,
                "kind": v.indicator.kind,
                "decimals": v.indicator.decimals,
                "value": None,
                "municipal": None,
                "missing": "",
            },
        )
        if v.area_id == area.pk:
            row["value"] = _number(v.value)
            row["missing"] = v.missing_reason
            if v.source:
                sources.add(v.source)
        else:
            row["municipal"] = _number(v.value)
    rows = [by_key[k] for k in PROFILE_FIGURES if k in by_key]
    return {"rows": rows, "year": area.year, "sources": sorted(sources)}


def _initiatives(ids: list[int]) -> dict:
    matching = Initiative.areas.through.objects.filter(area_id__in=ids).values("initiative_id")
    public = Initiative.objects.public().filter(pk__in=matching)
    active = public.filter(status=Status.ACTIVE).order_by("-created_at", "pk")
    return {
        "active_count": active.count(),
        "listed": [
            {"name": i.name, "slug": i.slug}
            for i in active.only("name", "slug")[:LISTED_INITIATIVES]
        ],
    }


def _rounds(ids: list[int]) -> list[dict]:
    """Published buurtbudget rounds with plans funded here: what each funded, in cents."""
    funded = (
        FundedPlan.objects.filter(
            plan__area_id__in=ids,
            budget_round__is_public=True,
            budget_round__phase__in=PUBLISHED_PHASES,
        )
        .select_related("plan", "budget_round")
        .order_by("-budget_round__pk", "plan__title")
    )
    rounds: dict[int, dict] = {}
    for f in funded:
        r = rounds.setdefault(
            f.budget_round_id,
            {"title": f.budget_round.title, "slug": f.budget_round.slug, "plans": [], "total": 0},
        )
        r["plans"].append({"title": f.plan.title, "amount": f.amount_cents, "status": f.status})
        r["total"] += f.amount_cents
    return list(rounds.values())


def _money(ids: list[int]) -> dict:
    """Received, spent and left by hosted initiatives serving the area (from the books).

    An initiative that serves several wijken counts in full in each of them."""
    matching = Initiative.areas.through.objects.filter(area_id__in=ids).values("initiative_id")
    grants = Grant.objects.filter(initiative_id__in=matching)
    summaries = hosting_queries.summaries(list(grants), ids=grants.values("pk"))
    return {
        "grants": len(summaries),
        "initiatives": len({s.grant.initiative_id for s in summaries}),
        "received": sum(s.received for s in summaries),
        "spent": sum(s.spent for s in summaries),
        "left": sum(s.left for s in summaries),
    }


def _count_ages(pairs) -> Counter:
    counts: Counter = Counter()
    for birth_date, day in pairs:
        band = band_of(age_on(birth_date, day))
        if band:
            counts[band] += 1
    return counts


def participation_counts(area: Area, ids: list[int], *, today: dt.date | None = None) -> dict:
    """People by age band: ``{group: Counter(band: n)}`` (not yet suppressed).

    voters: ballots with an account whose holder lives here and gave a date of birth (age
    on the day of the ballot); initiators: the initiators with a date of birth of public
    initiatives here (age today), each person once; tellers: stories told here with an age
    band, not withdrawn."""
    today = today or timezone.localdate()
    ballots = Ballot.objects.filter(
        voter__home_area_id__in=ids, voter__birth_date__isnull=False
    ).values_list("voter__birth_date", "submitted_at")
    voters = _count_ages((b, timezone.localdate(s)) for b, s in ballots.iterator())
    matching = Initiative.areas.through.objects.filter(area_id__in=ids).values("initiative_id")
    members = (
        Initiative.members.through.objects.filter(
            initiative__in=Initiative.objects.public().filter(pk__in=matching),
            user__birth_date__isnull=False,
        )
        .values_list("user_id", "user__birth_date")
        .distinct()
    )
    initiators = _count_ages((b, today) for _u, b in dict(members).items())
    tellers = _story_bands(ids)
    return {"voters": voters, "initiators": initiators, "tellers": tellers}


def _story_bands(ids: list[int]) -> Counter:
    rows = (
        Story.objects.visible()
        .filter(area_id__in=ids)
        .exclude(age_band="")
        .values("age_band")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({r["age_band"]: r["n"] for r in rows})


def suppress(counts: Counter) -> dict:
    """Shares in percent of a group, with small cells left out.

    ``{"total": n or None, "shares": {band: percent or None}}``: the group is left out
    entirely (total None) below ``MIN_CELL`` people; a band with fewer than ``MIN_CELL``
    people is None, and when that is exactly one band the next smallest is None too."""
    total = sum(counts.values())
    if total < MIN_CELL:
        return {"total": None, "shares": {band: None for band, *_ in AGE_BANDS}}
    hidden = {band for band, *_ in AGE_BANDS if 0 < counts.get(band, 0) < MIN_CELL}
    if len(hidden) == 1:
        shown = sorted(
            (counts.get(band, 0), band)
            for band, *_ in AGE_BANDS
            if band not in hidden and counts.get(band, 0) > 0
        )
        if shown:
            hidden.add(shown[0][1])
    shares = {}
    for band, *_ in AGE_BANDS:
        n = counts.get(band, 0)
        shares[band] = None if band in hidden else round(n * 100 / total)
    return {"total": total, "shares": shares}


def _participation(area: Area, ids: list[int], figures: dict) -> dict:
    cbs = {row["key"]: row["value"] for row in figures["rows"]}
    counts = participation_counts(area, ids)
    return {
        "cbs": {
            band: (None if cbs.get(key) is None else round(float(cbs[key])))
            for band, _low, _high, key in AGE_BANDS
        },
        "groups": {group: suppress(counts[group]) for group in GROUPS},
    }


def compute(area: Area) -> dict:
    """Every aggregate of the area's profile as plain JSON values."""
    municipality = municipality_of(area)
    ids = area_ids(area)
    figures = _figures(area, municipality)
    return {
        "figures": figures,
        "initiatives": _initiatives(ids),
        "rounds": _rounds(ids),
        "money": _money(ids),
        "participation": _participation(area, ids, figures),
        # the words that stand out in the area's recent stories (the stories' block shows them)
        "story_keywords": story_blocks.keywords_for(area),
        # per theme a few stories whose quote may stand for it (read again per request)
        "story_quote_candidates": story_blocks.quote_candidates(area),
    }


def refresh(area_id: int) -> WijkProfileSnapshot | None:
    """Compute the area's profile again and store it (the task's work)."""
    area = Area.objects.select_related("parent", "parent__parent").filter(pk=area_id).first()
    if area is None or area.level == AreaLevel.MUNICIPALITY:
        return None
    snapshot, _created = WijkProfileSnapshot.objects.update_or_create(
        area=area, defaults={"data": compute(area), "computed_at": timezone.now()}
    )
    return snapshot


def snapshot_for(area: Area) -> WijkProfileSnapshot:
    """The stored profile; computed on the spot (and stored) the first time only."""
    snapshot = WijkProfileSnapshot.objects.filter(area=area).first()
    if snapshot is None:
        snapshot = refresh(area.pk)
    return snapshot


def profile_areas(area_ids_changed) -> set[int]:
    """The areas whose profile shows something of ``area_ids_changed``: each one and the
    wijk its buurt lies in."""
    ids = {pk for pk in area_ids_changed if pk}
    if not ids:
        return set()
    parents = Area.objects.filter(pk__in=ids, parent__level=AreaLevel.DISTRICT).values_list(
        "parent_id", flat=True
    )
    return ids | set(parents)
