"""Reading the logbook of a wijk: the timeline and the "new here" reading. Bounded queries."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.budgets.models import BudgetRound, PhaseKind
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.tenancy import get_tenant

from .models import PUBLIC_KINDS, EntryKind, LogEntry, Signal

#: Entries per page of the timeline.
PER_PAGE = 25
#: Caps of the sections of "new here" (each says when there is more).
MAX_NOTES = 100
MAX_SIGNALS = 50
MAX_INITIATIVES = 50
MAX_ROUNDS = 20


def district_or_404(request, slug: str) -> Area:
    """The wijk with this slug in the request's municipality (newest CBS year)."""
    area = (
        Area.objects.in_municipality(get_tenant(request).cbs_code)
        .filter(slug=slug, level=AreaLevel.DISTRICT)
        .select_related("parent")
        .order_by("-year")
        .first()
    )
    if area is None:
        raise Http404("no such wijk here")
    return area


def areas_of_district(area: Area):
    """The wijk and its buurten (the same year): where notes and signals may be put."""
    return Area.objects.filter(Q(pk=area.pk) | Q(parent=area)).order_by("level", "name")


def timeline(
    area: Area, *, professional: bool, q: str = "", kind: str = "", date_from=None, date_to=None
):
    entries = LogEntry.objects.filter(municipality_code=area.municipality_code).for_district(area)
    if not professional:
        entries = entries.public()
    if q:
        for word in q.split()[:8]:
            entries = entries.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if kind:
        entries = entries.filter(kind=kind)
    if date_from:
        entries = entries.filter(happened_on__gte=date_from)
    if date_to:
        entries = entries.filter(happened_on__lte=date_to)
    # the sources (rounds, initiatives, signals) in one query per kind of source
    return entries.select_related("area", "author", "corrects").prefetch_related(
        "corrections", "source"
    )


def kinds_for(professional: bool) -> list[str]:
    return [k.value for k in EntryKind if professional or k in PUBLIC_KINDS]


def _in_district(area: Area, prefix: str = "") -> Q:
    return Q(**{f"{prefix}code": area.code}) | Q(**{f"{prefix}parent__code": area.code})


def new_here(area: Area) -> dict:
    """What a new gebiedsmakelaar reads first, in reading order. Six queries."""
    code = area.municipality_code
    notes = list(
        LogEntry.objects.filter(municipality_code=code, kind=EntryKind.NOTE, for_handover=True)
        .for_district(area)
        .select_related("area", "author", "corrects")
        .order_by("-happened_on", "-pk")[: MAX_NOTES + 1]
    )
    signals = list(
        Signal.objects.in_municipality(code)
        .open()
        .filter(_in_district(area, "area__"))
        .select_related("area", "department")
        .order_by("due_at", "pk")[: MAX_SIGNALS + 1]
    )
    district_areas = Area.objects.filter(_in_district(area))
    initiatives = list(
        Initiative.objects.active()
        .filter(
            pk__in=Initiative.areas.through.objects.filter(area__in=district_areas).values(
                "initiative_id"
            )
        )
        .select_related("host_organisation")
        .order_by("name")[: MAX_INITIATIVES + 1]
    )
    round_areas = Area.objects.filter(
        _in_district(area) | Q(code=code, level=AreaLevel.MUNICIPALITY)
    )
    rounds = list(
        BudgetRound.objects.filter(
            pk__in=BudgetRound.areas.through.objects.filter(area__in=round_areas).values(
                "budgetround_id"
            )
        )
        .exclude(phase=PhaseKind.EXECUTION)
        .order_by("-created_at")[: MAX_ROUNDS + 1]
    )
    return {
        # chronological: the story of the wijk from the earliest hand-over note to now
        "notes": list(reversed(notes[:MAX_NOTES])),
        "more_notes": len(notes) > MAX_NOTES,
        "signals": signals[:MAX_SIGNALS],
        "more_signals": len(signals) > MAX_SIGNALS,
        "initiatives": initiatives[:MAX_INITIATIVES],
        "more_initiatives": len(initiatives) > MAX_INITIATIVES,
        "rounds": rounds[:MAX_ROUNDS],
        "more_rounds": len(rounds) > MAX_ROUNDS,
    }
