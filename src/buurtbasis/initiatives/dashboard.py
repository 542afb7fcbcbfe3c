"""The queries behind "my dashboard": one function per block, bounded queries each."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import pgettext_lazy

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.organisations.access import organisations_where, roles_of
from buurtbasis.organisations.models import Role
from buurtbasis.platform.tenancy import get_tenant

from .models import NEEDS, Initiative, Status

# Short column headings for the per-wijk table, in the order of NEEDS.
NEED_SHORT_LABELS = [
    pgettext_lazy("need column", "Money"),
    pgettext_lazy("need column", "Room"),
    pgettext_lazy("need column", "Volunteers"),
    pgettext_lazy("need column", "Knowledge"),
    pgettext_lazy("need column", "Host"),
]

# Sort keys a community worker can choose in the hosted-initiatives table.
SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "status": ("status", "name"),
    "-status": ("-status", "name"),
    "updated": ("updated_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
}


def _with_lists(qs: QuerySet) -> QuerySet:
    return qs.select_related("host_organisation").prefetch_related(
        Prefetch("areas", queryset=Area.objects.only("id", "name", "code"))
    )


def my_initiatives(user) -> QuerySet:
    """The initiatives the user is a member of, newest change first."""
    return _with_lists(user.initiatives.all()).order_by("-updated_at", "-pk")


def hosted_initiatives(
    organisation_ids,
    *,
    status: str = "",
    need: str = "",
    sort: str = "name",
    municipality: str | None = None,
) -> QuerySet:
    """Initiatives hosted by the organisations (in one municipality when its CBS code is
    given: a welzijnsorganisatie may work in several)."""
    qs = Initiative.objects.filter(host_organisation_id__in=organisation_ids)
    if municipality is not None:
        qs = qs.in_municipality(municipality)
    if status in Status.values:
        qs = qs.filter(status=status)
    fields = {key: f for key, f, _label in NEEDS}
    if need in fields:
        qs = qs.filter(**{fields[need]: True})
    return _with_lists(qs).order_by(*SORTS.get(sort, SORTS["name"]))


def wijken_of_organisations(organisation_ids) -> QuerySet:
    """The wijken an organisation works in: its own wijk areas and the wijken of its
    gemeente areas."""
    own = Area.objects.filter(organisations__in=organisation_ids)
    return Area.objects.filter(
        Q(pk__in=own.filter(level=AreaLevel.DISTRICT).values("pk"))
        | Q(
            parent__in=own.filter(level=AreaLevel.MUNICIPALITY).values("pk"),
            level=AreaLevel.DISTRICT,
        )
    )


def initiatives_needing_host(organisation_ids, *, municipality: str | None = None) -> QuerySet:
    """Public initiatives in the organisations' wijken that ask for a host and have none
    (in one municipality when its CBS code is given)."""
    wijken = wijken_of_organisations(organisation_ids)
    if municipality is not None:
        wijken = wijken.filter(pk__in=Area.objects.in_municipality(municipality).values("pk"))
    qs = (
        Initiative.objects.public()
        .filter(needs_host=True, host_organisation__isnull=True, areas__in=wijken)
        .exclude(status=Status.ENDED)
    )
    return _with_lists(qs.distinct()).order_by("-updated_at", "-pk")


@dataclass
class WijkRow:
    """Counts for one wijk; the lists follow Status.values and NEEDS in order."""

    area: Area | None
    total: int
    by_status: list[int] = field(default_factory=list)
    by_need: list[int] = field(default_factory=list)


def wijk_overview(organisation_ids, *, municipality: str | None = None) -> list[WijkRow]:
    """Per wijk of the municipality: initiatives by status and by need (one query).

    The wijken are those of the civil servants' organisations (in one municipality when
    its CBS code is given); when those organisations have no areas at all, all wijken of
    the most recent year (of that municipality). Organisations that work elsewhere only
    get no rows: their people never see another municipality's counts of private ideas.
    """
    wijken = wijken_of_organisations(organisation_ids)
    has_areas = Area.objects.filter(organisations__in=organisation_ids).exists()
    in_scope = Area.objects.all()
    if municipality is not None:
        in_scope = Area.objects.in_municipality(municipality)
        wijken = wijken.filter(pk__in=in_scope.values("pk"))
    if not has_areas:
        districts = in_scope.filter(level=AreaLevel.DISTRICT)
        latest = districts.order_by("-year").first()
        wijken = districts.filter(year=latest.year if latest else 0)
    annotations = {"n_total": Count("initiatives", distinct=True)}
    for value in Status.values:
        annotations[f"n_status_{value}"] = Count(
            "initiatives", filter=Q(initiatives__status=value), distinct=True
        )
    for key, model_field, _label in NEEDS:
        annotations[f"n_need_{key}"] = Count(
            "initiatives",
            filter=Q(**{f"initiatives__{model_field}": True})
            & ~Q(initiatives__status=Status.ENDED),
            distinct=True,
        )
    rows = []
    for area in wijken.annotate(**annotations).order_by("code"):
        rows.append(
            WijkRow(
                area=area,
                total=area.n_total,
                by_status=[getattr(area, f"n_status_{v}") for v in Status.values],
                by_need=[getattr(area, f"n_need_{k}") for k, _f, _l in NEEDS],
            )
        )
    return rows


def total_row(rows: list[WijkRow]) -> WijkRow:
    """The column sums (an initiative in two wijken counts in both)."""
    return WijkRow(
        area=None,
        total=sum(r.total for r in rows),
        by_status=[sum(col) for col in zip(*(r.by_status for r in rows), strict=True)]
        or [0] * len(Status.values),
        by_need=[sum(col) for col in zip(*(r.by_need for r in rows), strict=True)]
        or [0] * len(NEEDS),
    )


# --- Blocks on "my dashboard" and on an organisation's page (registered in apps.py) ------


def _choices() -> dict:
    return {"statuses": Status.choices, "needs": [(key, label) for key, _f, label in NEEDS]}


def _staff(user) -> tuple[bool, bool]:
    roles = roles_of(user)
    return Role.COMMUNITY_WORKER in roles, Role.CIVIL_SERVANT in roles


def mine_block(request) -> dict | None:
    """My initiatives (for someone without a staff role also when there are none)."""
    user = request.user
    if not user.is_authenticated:
        return None
    initiatives = list(my_initiatives(user).in_municipality(get_tenant(request).cbs_code))
    worker, civil_servant = _staff(user)
    return {"initiatives": initiatives, "full": bool(initiatives) or not (worker or civil_servant)}


def worker_block(request) -> dict | None:
    """For community workers: the initiatives their organisations host, and those that
    look for a host in their organisations' neighbourhoods."""
    user = request.user
    if not user.is_authenticated or not _staff(user)[0]:
        return None
    orgs = list(organisations_where(user, Role.COMMUNITY_WORKER))
    code = get_tenant(request).cbs_code
    status = request.GET.get("status", "")
    need = request.GET.get("need", "")
    sort = request.GET.get("sort", "name")
    return {
        "organisations": orgs,
        "hosted": hosted_initiatives(orgs, status=status, need=need, sort=sort, municipality=code),
        "needing_host": initiatives_needing_host(orgs, municipality=code)[:50],
        "status": status,
        "need": need,
        "sort": sort,
        **_choices(),
    }


def wijken_block(request) -> dict | None:
    """For civil servants: initiatives per neighbourhood of their municipalities."""
    user = request.user
    if not user.is_authenticated or not _staff(user)[1]:
        return None
    orgs = list(organisations_where(user, Role.CIVIL_SERVANT))
    rows = wijk_overview(orgs, municipality=get_tenant(request).cbs_code)
    return {
        "organisations": orgs,
        "rows": rows,
        "totals": total_row(rows),
        "need_columns": NEED_SHORT_LABELS,
        **_choices(),
    }


def organisation_block(request, *, organisation) -> dict:
    """The public initiatives an organisation hosts in this municipality, on the
    organisation's page (a welzijnsorganisatie may work in several)."""
    return {
        "initiatives": Initiative.objects.public()
        .in_municipality(get_tenant(request).cbs_code)
        .filter(host_organisation=organisation)
        .order_by("name")
    }
