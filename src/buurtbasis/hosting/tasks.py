"""Background tasks of fiscal hosting."""

from __future__ import annotations

from buurtbasis.platform.tasks import background


@background(retries=2, backoff=30)
def make_accountability_report(report_id: int) -> str:
    """Render a story's accountability report (PDF) into private storage (see
    ``accountability.request_report``)."""
    from buurtbasis.hosting.accountability import render_report

    return render_report(report_id=report_id)


@background(retries=2, backoff=30)
def make_municipality_report(report_id: int) -> str:
    """Render a municipality's report across hosts (PDF) into private storage."""
    from buurtbasis.hosting.accountability import render_municipality_report

    return render_municipality_report(report_id=report_id)
