"""Pages of "wat werkt": the list with search and filters, a practice, editing,
submitting, reviewing, taking offline and the edit history.

Thin: access is ``access.py``, writes are ``services.py``, search is ``queries.py``.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtbasis.initiatives.models import Initiative, TargetGroup, Theme
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.blocks import blocks_for
from buurtbasis.platform.tenancy import get_tenant, tenants

from . import access, queries, services
from .blocks import tenant_links
from .forms import PracticeForm, ReviewForm, SearchForm
from .models import Practice, PracticeState

#: Saves and submissions a person may do in an hour.
WRITE_LIMIT = 60


def _too_many() -> str:
    return _("You have saved many times in a short time. Please try again later.")


def _limited(request) -> bool:
    return not ratelimit.hit(
        "practices-write", str(request.user.pk), limit=WRITE_LIMIT, window=3600
    )


def practice_list(request):
    code = get_tenant(request).cbs_code
    municipalities = [(t.cbs_code, t.name) for t in tenants()]
    form = SearchForm(request.GET or None, code=code, municipalities=municipalities)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    everywhere = bool(filters.get("all"))
    found = queries.search(
        q=filters.get("q", ""),
        code=filters.get("gemeente") or None if everywhere else code,
        theme=filters.get("theme"),
        group=filters.get("group"),
        wijk=filters.get("wijk") if not everywhere else None,
    )
    page = Paginator(found, queries.PER_PAGE).get_page(request.GET.get("pagina"))
    names = dict(municipalities)
    for practice in page.object_list:
        practice.shown = SimpleNamespace(**practice.published_content)
        practice.municipality_name = names.get(practice.municipality_code, "")
    return render(
        request,
        "practices/list.html",
        {
            "form": form,
            "page": page,
            "everywhere": everywhere,
            "filters_active": bool(filters and any(filters.values())),
        },
    )


def _practice(pk) -> Practice:
    return get_object_or_404(
        Practice.objects.select_related("initiative", "district", "reviewed_by"), pk=pk
    )


def detail(request, pk):
    practice = _practice(pk)
    if not access.can_view(request.user, practice):
        raise Http404
    working = access.can_see_working_copy(request.user, practice)
    editor = access.can_edit(request.user, practice.initiative)
    reviewer = access.can_review(request.user, practice)
    if working:
        shown = SimpleNamespace(**services.content_of(practice))
    else:
        shown = SimpleNamespace(**practice.published_content)
    themes = Theme.objects.filter(pk__in=shown.themes)
    groups = TargetGroup.objects.filter(pk__in=shown.target_groups)
    initiators = practice.initiative.members.count()
    # The initiative's page is on the site of its municipality.
    initiative_url = tenant_links(request)(
        practice.municipality_code, practice.initiative.get_absolute_url()
    )
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "initiative": practice.initiative,
            "shown": shown,
            "themes": themes,
            "target_groups": groups,
            "initiators": initiators,
            "initiative_url": initiative_url,
            "working": working,
            "editor": editor,
            "reviewer": reviewer,
            "can_edit_now": editor and practice.state != PracticeState.SUBMITTED,
            "can_submit": editor
            and practice.state
            in (PracticeState.DRAFT, PracticeState.CHANGES_ASKED, PracticeState.UNPUBLISHED),
            "can_review": reviewer and practice.state == PracticeState.SUBMITTED,
            "review_form": ReviewForm() if reviewer else None,
            "blocks": blocks_for(
                "practice", request, practice=practice, initiative=practice.initiative
            ),
        },
    )


@login_required
@require_POST
def start(request, slug):
    initiative = get_object_or_404(Initiative, slug=slug)
    if not access.can_edit(request.user, initiative):
        raise PermissionDenied
    if _limited(request):
        messages.error(request, _too_many())
        return redirect(initiative.get_absolute_url())
    practice = services.start_practice(initiative, origin=Origin.from_request(request))
    messages.success(
        request,
        _("A first version is ready, made from what the platform knows. Check and complete it."),
    )
    return redirect("practices:edit", pk=practice.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    practice = _practice(pk)
    if not access.can_edit(request.user, practice.initiative):
        raise PermissionDenied
    form = PracticeForm(request.POST or None, initial=PracticeForm.initial_for(practice))
    rate_limited = ""
    if request.method == "POST" and form.is_valid():
        if _limited(request):
            rate_limited = _too_many()
        else:
            try:
                services.edit_practice(
                    practice,
                    form.values(),
                    themes=form.cleaned_data["themes"],
                    target_groups=form.cleaned_data["target_groups"],
                    origin=Origin.from_request(request),
                )
            except services.PracticeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The practice is saved."))
                return redirect("practices:detail", pk=practice.pk)
    return render(
        request,
        "practices/edit.html",
        {"practice": practice, "form": form, "rate_limited": rate_limited},
    )


@login_required
@require_POST
def submit(request, pk):
    practice = _practice(pk)
    if not access.can_edit(request.user, practice.initiative):
        raise PermissionDenied
    if _limited(request):
        messages.error(request, _too_many())
        return redirect("practices:detail", pk=practice.pk)
    try:
        services.submit_practice(practice, origin=Origin.from_request(request))
    except services.PracticeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The practice is sent for review. You will hear the answer."))
    return redirect("practices:detail", pk=practice.pk)


@login_required
@require_POST
def review(request, pk):
    practice = _practice(pk)
    if not access.can_review(request.user, practice):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        origin = Origin.from_request(request)
        try:
            if form.cleaned_data["decision"] == "publish":
                services.publish_practice(practice, origin=origin)
                messages.success(request, _("The practice is published."))
            else:
                services.ask_changes(practice, form.cleaned_data["comment"], origin=origin)
                messages.success(request, _("The initiators are asked to make changes."))
        except services.PracticeError as error:
            messages.error(request, str(error))
        return redirect("practices:detail", pk=practice.pk)
    return render(
        request,
        "practices/review_errors.html",
        {"practice": practice, "review_form": form},
        status=400,
    )


@login_required
@require_POST
def unpublish(request, pk):
    practice = _practice(pk)
    if not (
        access.can_edit(request.user, practice.initiative)
        or access.can_review(request.user, practice)
    ):
        raise PermissionDenied
    try:
        services.unpublish_practice(
            practice, request.POST.get("reason", ""), origin=Origin.from_request(request)
        )
    except services.PracticeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The practice is offline."))
    return redirect("practices:detail", pk=practice.pk)


@login_required
def history(request, pk):
    practice = _practice(pk)
    if not access.can_see_working_copy(request.user, practice):
        raise PermissionDenied
    versions = practice.versions.select_related("author").order_by("-number")
    return render(request, "practices/history.html", {"practice": practice, "versions": versions})
