"""The wijkprofiel page and its PDF (the wijkanalyse). Thin: the figures come from the
area's snapshot (``profile``), the stories and signals from page blocks."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.hosting.accountability import is_civil_servant_of
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.blocks import blocks_for
from buurtbasis.platform.tenancy import get_tenant
from buurtbasis.platform.uploads import private_storage

from . import profile, wijkanalyse
from .models import WijkReport


def _area(request, *, year=None, code=None, slug=None) -> Area:
    areas = (
        Area.objects.in_municipality(get_tenant(request).cbs_code)
        .select_related("parent", "parent__parent")
        .exclude(level=AreaLevel.MUNICIPALITY)
    )
    if slug is not None:
        area = areas.filter(slug=slug).order_by("-year").first()
        if area is None:
            raise Http404
        return area
    return get_object_or_404(areas, year=year, code=code.upper())


def _render(request, area: Area):
    snapshot = profile.snapshot_for(area)
    context = wijkanalyse.profile_context(area, snapshot)
    context["blocks"] = blocks_for("wijkprofiel", request, area=area, profile=snapshot.data)
    context["may_print"] = is_civil_servant_of(request.user, get_tenant(request).cbs_code)
    return render(request, "portal/wijkprofiel.html", context)


def profile_detail(request, year: int, code: str):
    return _render(request, _area(request, year=year, code=code))


def profile_by_slug(request, slug: str):
    return _render(request, _area(request, slug=slug))


def _language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@never_cache
@login_required
def profile_pdf(request, slug: str):
    """The wijkanalyse as PDF, for the municipality's civil servants: made in the
    background; until it is ready a page says so."""
    area = _area(request, slug=slug)
    if not is_civil_servant_of(request.user, get_tenant(request).cbs_code):
        raise Http404
    language = _language()
    snapshot = profile.snapshot_for(area)
    version = wijkanalyse.version_of(snapshot)
    report = WijkReport.objects.filter(area=area, language=language).first()
    if report is None or not report.is_ready_for(version):
        report = wijkanalyse.request_report(area=area, language=language)
    if not report.is_ready_for(version):
        return render(request, "hosting/reports/report_pending.html", {"again": request.path})
    try:
        handle = private_storage().open(report.file, "rb")
    except OSError:
        WijkReport.objects.filter(pk=report.pk).update(file="")
        raise Http404 from None
    record_event(
        action="portal.wijkanalyse_downloaded", target=area, origin=Origin.from_request(request)
    )
    label = _("wijkanalyse")  # part of a file name
    name = f"{slugify(label)}-{area.slug}-{timezone.localdate():%Y-%m-%d}.pdf"
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
