"""Pages of light accountability: the story, its report (PDF), and the overviews for the
host (CSV, XLSX) and the municipality (PDF, CSV, XLSX). Thin: access, form, service."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from buurtbasis.organisations.models import Organisation
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.spreadsheets import csv_bytes
from buurtbasis.platform.tenancy import get_tenant

from . import access, accountability
from .downloads import private_file
from .forms_reports import StoryForm
from .models import HostingAgreement
from .models_reports import AccountabilityReport, AccountabilityStory, MunicipalityReport
from .views import _initiative

#: Stories a person may write in an hour (each one renders a PDF in the background).
STORY_LIMIT = 10
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@login_required
def stories(request, slug):
    """The initiative's stories and the form for a new one: for its members only."""
    initiative = _initiative(request, slug)
    if not access.is_initiator(request.user, initiative):
        raise Http404
    # The last host that kept the books: a story may follow the end of the agreement.
    agreement = (
        HostingAgreement.objects.filter(initiative=initiative, accepted_at__isnull=False)
        .select_related("host")
        .order_by("-accepted_at", "-pk")
        .first()
    )
    form = None
    if agreement is not None:
        form = StoryForm(request.POST or None, request.FILES or None, initiative=initiative)
        if (
            request.method == "POST"
            and form.is_valid()
            and not ratelimit.hit(
                "hosting-story", str(request.user.pk), limit=STORY_LIMIT, window=3600
            )
        ):
            form.add_error(
                None, _("You have written many stories in a short time. Please try again later.")
            )
        elif request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                story = accountability.write_story(
                    initiative=initiative,
                    host=data["grant"].host if data["grant"] else agreement.host,
                    grant=data["grant"],
                    period=data["period"],
                    what_happened=data["what_happened"],
                    who_took_part=data["who_took_part"],
                    photos=form.photos(),
                    origin=Origin.from_request(request),
                )
            except accountability.AccountabilityError as error:
                form.add_error(None, error.message)
            else:
                accountability.request_report(story=story, language=_language())
                messages.success(
                    request, _("Thank you. The report is being made; you can download it below.")
                )
                return redirect("hosting:stories", slug=initiative.slug)
    return render(
        request,
        "hosting/reports/story_form.html",
        {
            "initiative": initiative,
            "form": form,
            "stories": accountability.stories_of(initiative),
        },
    )


@never_cache
@login_required
def story_report(request, slug, pk):
    """The report as PDF for the members, the host's staff and the municipality's civil
    servants; while it is made, a page that says so."""
    initiative = _initiative(request, slug)
    story = get_object_or_404(
        AccountabilityStory.objects.select_related("initiative", "host", "grant"),
        pk=pk,
        initiative=initiative,
    )
    if not accountability.can_read_report(request.user, story, get_tenant(request).cbs_code):
        raise Http404
    language = _language()
    version = accountability.report_version(story)
    report = AccountabilityReport.objects.filter(story=story, language=language).first()
    if report is None or not report.is_ready_for(version):
        report = accountability.request_report(story=story, language=language)
    label = _("accountability")  # part of a file name
    filename = f"{initiative.slug}-{slugify(label)}-{story.pk}.pdf"
    return _serve(request, report, version, filename, target=story)


def _serve(request, report, version: str, filename: str, *, target):
    """The PDF when it is ready for this version, else a page that says it is being made."""
    if report.is_ready_for(version):
        try:
            response = private_file(report.file, "application/pdf", filename=filename)
        except Http404:
            type(report).objects.filter(pk=report.pk).update(file="")  # made again
            raise
        record_event(
            action="hosting.report_downloaded", target=target, origin=Origin.from_request(request)
        )
        return response
    return render(request, "hosting/reports/report_pending.html", {"again": request.path})


@login_required
def host_overview_export(request, slug, fmt):
    """The host's overview as CSV or XLSX: for its staff only."""
    host = get_object_or_404(Organisation, slug=slug)
    if not access.is_host_staff(request.user, host):
        raise Http404
    header, rows = accountability.overview_table(
        accountability.host_overview(host, with_budget=True)
    )
    label = _("overview")  # part of a file name
    name = f"{host.slug}-{slugify(label)}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return _download(csv_bytes(header, rows), "text/csv; charset=utf-8", f"{name}.csv")
    if fmt == "xlsx":
        title = _("Initiatives hosted by %(name)s") % {"name": host.name}
        return _download(
            accountability.overview_xlsx(header, rows, title=title), XLSX_TYPE, f"{name}.xlsx"
        )
    raise Http404


@never_cache
@login_required
def municipality_report(request, fmt=None):
    """Across hosts, for the civil servants of this municipality only."""
    tenant = get_tenant(request)
    if not accountability.is_civil_servant_of(request.user, tenant.cbs_code):
        raise Http404
    title = _("Fiscal hosting in the municipality")
    if fmt is None:
        rows = accountability.municipality_overview(tenant.cbs_code)
        return render(
            request,
            "hosting/reports/municipality.html",
            {"rows": rows, "totals": accountability.totals(rows)},
        )
    label = _("fiscal hosting")  # part of a file name
    name = f"{slugify(label)}-{tenant.cbs_code.lower()}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "pdf":
        language = _language()
        version = accountability.municipality_version()
        report = MunicipalityReport.objects.filter(
            cbs_code=tenant.cbs_code, language=language
        ).first()
        if report is None or not report.is_ready_for(version):
            report = accountability.request_municipality_report(
                cbs_code=tenant.cbs_code, language=language
            )
        return _serve(request, report, version, f"{name}.pdf", target=report)
    header, table = accountability.overview_table(
        accountability.municipality_overview(tenant.cbs_code, with_budget=True)
    )
    if fmt == "csv":
        return _download(csv_bytes(header, table), "text/csv; charset=utf-8", f"{name}.csv")
    if fmt == "xlsx":
        return _download(
            accountability.overview_xlsx(header, table, title=title), XLSX_TYPE, f"{name}.xlsx"
        )
    raise Http404
