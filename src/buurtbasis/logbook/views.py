"""Pages of the neighbourhood logbook: the timeline of a wijk, "new here", writing a note.

Thin: the wijk is looked up in the request's municipality (404 elsewhere), access is
``access.py``, writes are ``services.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.forms import parse_id

from . import access, queries, services
from .forms import NoteForm, SearchForm
from .models import EntryKind, LogEntry

#: Notes a person may write in an hour.
NOTE_LIMIT = 30


def timeline(request, slug):
    area = queries.district_or_404(request, slug)
    professional = access.is_professional(request.user, area.municipality_code)
    form = SearchForm(request.GET or None, kinds=queries.kinds_for(professional))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = queries.timeline(
        area,
        professional=professional,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, queries.PER_PAGE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "logbook/timeline.html",
        {
            "area": area,
            "professional": professional,
            "form": form,
            "page": page,
            "filters_active": bool(filters and any(filters.values())),
        },
    )


def _professional_or_403(request, area) -> None:
    if not access.is_professional(request.user, area.municipality_code):
        raise PermissionDenied


@login_required
def new_here(request, slug):
    area = queries.district_or_404(request, slug)
    _professional_or_403(request, area)
    return render(request, "logbook/new_here.html", {"area": area, **queries.new_here(area)})


@login_required
@require_http_methods(["GET", "POST"])
def add_note(request, slug):
    area = queries.district_or_404(request, slug)
    _professional_or_403(request, area)
    corrects = None
    corrects_id = parse_id(request.GET.get("corrigeert") or request.POST.get("corrects"))
    if corrects_id:
        corrects = get_object_or_404(
            LogEntry.objects.filter(municipality_code=area.municipality_code).for_district(area),
            pk=corrects_id,
            kind=EntryKind.NOTE,
        )
    form = NoteForm(
        request.POST or None,
        areas=queries.areas_of_district(area),
        initial={
            "area": corrects.area_id if corrects else area.pk,
            "title": corrects.title if corrects else "",
        },
    )
    rate_limited = ""
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("logbook-note", str(request.user.pk), limit=NOTE_LIMIT, window=3600):
            rate_limited = _("You have written many notes in a short time. Please try again later.")
        else:
            data = form.cleaned_data
            try:
                services.add_note(
                    area=data["area"],
                    title=data["title"],
                    body=data["body"],
                    happened_on=data["happened_on"],
                    for_handover=data["for_handover"],
                    corrects=corrects,
                    origin=Origin.from_request(request),
                )
            except services.LogbookError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The note is in the logbook."))
                return redirect("logbook:timeline", slug=area.slug)
    return render(
        request,
        "logbook/note_form.html",
        {"area": area, "form": form, "corrects": corrects, "rate_limited": rate_limited},
    )
