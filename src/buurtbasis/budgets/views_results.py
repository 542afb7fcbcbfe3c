"""The council report (PDF), the results as CSV and XLSX, and the civil servant's preview
of what each rule would fund."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from buurtbasis.platform.spreadsheets import csv_bytes
from buurtbasis.platform.tenancy import get_tenant
from buurtbasis.platform.uploads import private_storage

from . import access, exports, preview, services
from .models import CouncilReport, Outcome

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _published(request, slug):
    """The round and its outcome, when its results are public (else 404)."""
    budget_round = access.get_round_for_viewer(request.user, slug, get_tenant(request).cbs_code)
    outcome = Outcome.objects.filter(budget_round=budget_round).first()
    if outcome is None or not budget_round.has_results():
        raise Http404
    return budget_round, outcome


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _report_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@never_cache
def round_report(request, slug):
    """The council report as PDF; the first request for an outcome has it rendered in
    the background and shows a page that says so."""
    budget_round, outcome = _published(request, slug)
    language = _report_language()
    report = CouncilReport.objects.filter(budget_round=budget_round, language=language).first()
    if report is None or not report.is_ready_for(outcome):
        report = services.request_council_report(
            budget_round=budget_round, outcome=outcome, language=language
        )
    if report.is_ready_for(outcome):
        try:
            handle = private_storage().open(report.file, "rb")
        except (FileNotFoundError, OSError):
            CouncilReport.objects.filter(pk=report.pk).update(file="")
            raise Http404 from None
        response = FileResponse(
            handle,
            content_type="application/pdf",
            as_attachment=True,
            filename=exports.export_filename(budget_round, "pdf"),
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(
        request,
        "budgets/report_pending.html",
        {"budget_round": budget_round, "report": report},
    )


def round_export(request, slug, fmt):
    budget_round, outcome = _published(request, slug)
    header, rows = exports.export_table(budget_round, outcome)
    if fmt == "csv":
        return _download(
            csv_bytes(header, rows),
            "text/csv; charset=utf-8",
            exports.export_filename(budget_round, "csv"),
        )
    if fmt == "xlsx":
        return _download(
            exports.results_xlsx(header, rows, title=budget_round.title),
            XLSX_TYPE,
            exports.export_filename(budget_round, "xlsx"),
        )
    raise Http404


@login_required
def round_rule_preview(request, slug):
    budget_round = access.get_round_for_manager(request.user, slug, get_tenant(request).cbs_code)
    if budget_round.has_results():
        context = {"budget_round": budget_round, "after_vote": True}
        return render(request, "budgets/rule_preview.html", context)
    source, support = preview.support_so_far(budget_round)
    plans = preview.preview_plans(budget_round)
    result = preview.rule_preview(budget_round, support, plans=plans) if support else None
    if result is not None:
        services.record_rule_preview(budget_round=budget_round, actor=request.user, source=source)
    return render(
        request,
        "budgets/rule_preview.html",
        {
            "budget_round": budget_round,
            "source": source,
            "preview": result,
            "n_plans": len(plans),
        },
    )
