from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from buurtbasis.accounts import access
from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.platform.tenancy import get_tenant

from . import services
from .forms import OrganisationFilterForm, OrganisationProfileForm
from .models import Organisation, OrganisationKind

PAGE_SIZE = 24
# The same rule as Initiative.objects.public(): ideas can be hidden, the rest is public.
PUBLIC_HOSTED = Q(hosted_initiatives__is_public=True) | ~Q(hosted_initiatives__status=Status.IDEA)


def _code(request) -> str:
    """The CBS code of the municipality this request is about (platform.tenancy)."""
    return get_tenant(request).cbs_code


def organisation_list(request):
    """The organisations working in this municipality (public profiles)."""
    here = Organisation.objects.in_municipality(_code(request))
    counts = dict(here.values_list("kind").annotate(n=Count("id")).order_by("kind"))
    kinds = [
        (value, f"{label} ({counts.get(value, 0)})")
        for value, label in OrganisationKind.choices
        if counts.get(value)
    ]
    form = OrganisationFilterForm(request.GET or None, kinds=kinds)
    organisations = here.annotate(
        initiative_count=Count(
            "hosted_initiatives",
            filter=PUBLIC_HOSTED
            & Q(
                hosted_initiatives__in=Initiative.objects.in_municipality(_code(request)).values(
                    "pk"
                )
            ),
            distinct=True,
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
    """An organisation working in this municipality, with the public initiatives it hosts
    here (a welzijnsorganisatie may work in several municipalities)."""
    code = _code(request)
    organisation = get_object_or_404(
        Organisation.objects.in_municipality(code).prefetch_related("areas"), slug=slug
    )
    initiatives = (
        Initiative.objects.public()
        .in_municipality(code)
        .filter(host_organisation=organisation)
        .order_by("name")
    )
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
            "initiatives": initiatives,
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
        services.update_organisation_profile(
            organisation=organisation, form=form, actor=request.user, request=request
        )
        messages.success(request, _("The profile is saved."))
        return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request,
        "organisations/organisation_edit.html",
        {"organisation": organisation, "form": form},
    )
