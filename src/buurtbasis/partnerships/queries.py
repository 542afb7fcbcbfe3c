"""Reads of partnerships: a fixed number of queries however many rows."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from buurtbasis.areas.models import AreaLevel
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.tenancy import get_tenant

from . import results
from .models import Partnership, PulseAnswer, PulseRound, Side
from .pulse import ASPECT_KEYS


def partnership_or_404(request, pk: int) -> Partnership:
    """A partnership of the request's municipality (404 elsewhere)."""
    return get_object_or_404(
        Partnership.objects.select_related("initiative").prefetch_related(
            Prefetch("sides", queryset=Side.objects.select_related("organisation"))
        ),
        pk=pk,
        municipality_code=get_tenant(request).cbs_code,
    )


def _answer_rows(round_ids) -> list[dict]:
    return list(
        PulseAnswer.objects.filter(pulse_round_id__in=round_ids)
        .order_by("pk")
        .values(
            "pulse_round_id",
            "side_id",
            "open_text",
            "show_name",
            "person__display_name",
            *ASPECT_KEYS,
        )
    )


def _with_names(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["name"] = row.pop("person__display_name") if row["show_name"] else ""
    return rows


def pulse_results(partnership, sides) -> list[results.RoundResult]:
    """Every round with its figures (two queries)."""
    rounds = list(partnership.pulse_rounds.order_by("number"))
    return results.compute(rounds, sides, _with_names(_answer_rows([r.pk for r in rounds])))


def overview(code: str) -> dict:
    """The municipality's partnerships per wijk, active initiatives without a partnership,
    and partnerships whose pulse dropped. Six queries."""
    partnerships = list(
        Partnership.objects.filter(municipality_code=code)
        .select_related("initiative")
        .prefetch_related(
            Prefetch("sides", queryset=Side.objects.select_related("organisation")),
            "initiative__areas__parent",
        )
        .order_by("title", "pk")
    )
    rounds = list(
        PulseRound.objects.filter(partnership__municipality_code=code).order_by(
            "partnership_id", "number"
        )
    )
    last_two: dict[int, list] = {}
    for r in rounds:
        last_two.setdefault(r.partnership_id, []).append(r)
    last_two = {k: v[-2:] for k, v in last_two.items()}
    rows = _with_names(_answer_rows([r.pk for v in last_two.values() for r in v]))
    per_wijk: dict[str, dict] = {}
    dropped = []
    for p in partnerships:
        sides = list(p.sides.all())
        figures = results.compute(last_two.get(p.pk, []), sides, rows)
        found = results.drops(figures, sides)
        if found:
            dropped.append({"partnership": p, "drops": found})
        for wijk in _wijken(p.initiative):
            entry = per_wijk.setdefault(wijk.pk, {"wijk": wijk, "partnerships": []})
            entry["partnerships"].append(p)
    without = list(
        Initiative.objects.in_municipality(code)
        .active()
        .filter(partnerships__isnull=True)
        .prefetch_related("areas__parent")
        .order_by("name")
    )
    return {
        "per_wijk": sorted(per_wijk.values(), key=lambda e: e["wijk"].name),
        "without": [{"initiative": i, "wijken": _wijken(i)} for i in without],
        "dropped": dropped,
        "total": len(partnerships),
    }


def _wijken(initiative) -> list:
    """The wijken of an initiative's areas (a buurt counts for its wijk); no query after
    ``prefetch_related("areas__parent")``."""
    found = {}
    for area in initiative.areas.all():
        if area.level == AreaLevel.DISTRICT:
            found[area.pk] = area
        elif area.parent is not None and area.parent.level == AreaLevel.DISTRICT:
            found[area.parent.pk] = area.parent
    return sorted(found.values(), key=lambda a: a.name)


def waiting_pulses(user, code: str, today=None) -> list:
    """Open rounds of the user's partnerships in the municipality they have not answered."""
    from . import access

    today = today or timezone.localdate()
    orgs = access.partner_organisation_ids(user)
    open_rounds = (
        PulseRound.objects.filter(
            partnership__municipality_code=code, opens_on__lte=today, closes_on__gte=today
        )
        .exclude(answers__person=user)
        .select_related("partnership")
    )
    from django.db.models import Q

    mine = Q(partnership__initiative__members=user) | Q(
        partnership__sides__organisation_id__in=orgs,
        partnership__sides__confirmed_at__isnull=False,
    )
    return list(open_rounds.filter(mine).distinct().order_by("closes_on", "pk")[:20])
