"""Initiatives per area: counts for the maps and lists for the wijk pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Case, IntegerField, Q, Value, When

from buurtbasis.areas.models import Area

from .models import Initiative, Status

# Active ones first on a wijk page, then those still starting, then the rest.
INITIATIVE_STATUS_ORDER = (
    Status.ACTIVE,
    Status.IDEA,
    Status.PAUSED,
    Status.HANDED_OVER,
    Status.ENDED,
)


def count_active_initiatives(*, districts: Sequence[Area]) -> dict[int, int]:
    """Active public initiatives per wijk id; one in a buurt counts for its wijk.

    An initiative that serves several buurten of one wijk counts once there.
    """
    ids = [d.pk for d in districts]
    through = Initiative.areas.through
    pairs = through.objects.filter(
        Q(area_id__in=ids) | Q(area__parent_id__in=ids),
        initiative__in=Initiative.objects.public().active(),
    ).values_list("initiative_id", "area_id", "area__parent_id")
    per_district: dict[int, set[int]] = defaultdict(set)
    for initiative_id, area_id, parent_id in pairs:
        district = area_id if area_id in ids else parent_id
        per_district[district].add(initiative_id)
    return {pk: len(per_district.get(pk, ())) for pk in ids}


def initiatives_in(*, area: Area):
    """Public initiatives serving the area or one of its buurten (a queryset)."""
    matching = Initiative.areas.through.objects.filter(Q(area=area) | Q(area__parent=area)).values(
        "initiative_id"
    )
    # Active ones first, then those still starting, then the rest; newest first.
    lifecycle = Case(
        *(When(status=s, then=Value(i)) for i, s in enumerate(INITIATIVE_STATUS_ORDER)),
        default=Value(len(INITIATIVE_STATUS_ORDER)),
        output_field=IntegerField(),
    )
    return (
        Initiative.objects.public()
        .filter(pk__in=matching)
        .annotate(lifecycle=lifecycle)
        .order_by("lifecycle", "-created_at", "pk")
    )
