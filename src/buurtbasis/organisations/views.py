from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from buurtbasis.areas.models import Area
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.blocks import blocks_for
from buurtbasis.platform.tenancy import get_tenant

from . import access, services
from .forms import OrganisationFilterForm, OrganisationProfileForm
from .models import Organisation, OrganisationKind

PAGE_SIZE = 24
# The same rule as Initiative.objects.public() (initiatives sits above organisations,
# so the rule is written out on the reverse relation): ideas can be hidden.
PUBLIC_HOSTED = Q(hosted_initiatives__is_public=True) | ~Q(hosted_initiatives__status="idea")


def _code(request) -> str:
    """The CBS code of the municipality this request is about (platform.tenancy)."""
    return get_tenant(request).cbs_code


def organisation_list(request):
    """The organisations working in this municipality (public profiles)."""
    code = _code(request)
    here = Organisation.objects.in_municipality(code)
    counts = dict(here.values_list("kind").annotate(n=Count("id")).order_by("kind"))
    kinds = [
        (value, f"{label} ({counts.get(value, 0)})")
        for value, label in OrganisationKind.choices
        if counts.get(value)
    ]
    form = OrganisationFilterForm(request.GET or None, kinds=kinds)
    # hosted initiatives in this municipality (the same rule as
    # Initiative.objects.in_municipality, written out on the reverse relation)
    hosted_here = Q(
        hosted_initiatives__areas__in=Area.objects.in_municipality(code).values("pk")
    ) | Q(hosted_initiatives__areas__isnull=True)
    organisations = here.annotate(
        initiative_count=Count(
            "hosted_initiatives", filter=PUBLIC_HOSTED & hosted_here, distinct=True
        )
    ).prefetch_related("areas")
    if form.is_valid():
        if form.cleaned_data["soort"]:
            organisations = organisations.filter(kind=form.cleaned_data["soort"])
        if form.cleaned_data["q"]:
            organisations = organisations.filter(name__icontains=form.cleaned_data["q"])
    page = Paginator(organisations.order_by("name"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "form": form,
            "page": page,
            "kind_counts": [
                (value, label, counts.get(value, 0)) for value, label in OrganisationKind.choices
            ],
            "total": sum(counts.values()),
            "query": query.urlencode(),
        },
    )


def organisation_detail(request, slug):
    """An organisation working in this municipality; another municipality's is a 404."""
    code = _code(request)
    organisation = get_object_or_404(
        Organisation.objects.in_municipality(code).prefetch_related("areas"), slug=slug
    )
    # areas in another municipality are named, but not linked (their pages are not here)
    areas = list(organisation.areas.all())
    here = set(
        Area.objects.in_municipality(code)
        .filter(pk__in=[a.pk for a in areas])
        .values_list("pk", flat=True)
    )
    for area in areas:
        area.is_here = area.pk in here
    can_edit = access.can_edit_organisation(request.user, organisation)
    # Who works here is visible to the people who manage the profile, not to the public.
    members = (
        organisation.memberships.select_related("user").order_by("user__display_name", "role")
        if can_edit
        else None
    )
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "areas": areas,
            "blocks": blocks_for("organisation", request, organisation=organisation),
            "my_roles": sorted(access.roles_in(request.user, organisation), key=str),
            "can_edit": can_edit,
            "members": members,
        },
    )


@login_required
def organisation_edit(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.in_municipality(_code(request)), slug=slug
    )
    if not access.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationProfileForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_organisation_profile(
            organisation=organisation,
            values={name: data[name] for name in services.PROFILE_FIELDS},
            areas=data["areas"],
            origin=Origin.from_request(request),
        )
        messages.success(request, _("The profile is saved."))
        return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request,
        "organisations/organisation_edit.html",
        {"organisation": organisation, "form": form},
    )
