"""The council report (PDF), the results as CSV and XLSX, and the civil servant's preview
of what each rule would fund."""

from __future__ import annotations

import logging
import time

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from buurtbasis.platform.tenancy import get_tenant

from . import access, exports, preview, services
from .models import Outcome

logger = logging.getLogger(__name__)

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


def round_report(request, slug):
    budget_round, outcome = _published(request, slug)
    started = time.perf_counter()
    pdf = exports.report_pdf(budget_round, outcome)
    logger.info(
        "council report for %s: %d bytes in %.2f s",
        budget_round.slug,
        len(pdf),
        time.perf_counter() - started,
    )
    return _download(pdf, "application/pdf", exports.export_filename(budget_round, "pdf"))


def round_export(request, slug, fmt):
    budget_round, outcome = _published(request, slug)
    header, rows = exports.export_table(budget_round, outcome)
    if fmt == "csv":
        return _download(
            exports.csv_bytes(header, rows),
            "text/csv; charset=utf-8",
            exports.export_filename(budget_round, "csv"),
        )
    if fmt == "xlsx":
        return _download(
            exports.xlsx_bytes(header, rows, title=budget_round.title),
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
