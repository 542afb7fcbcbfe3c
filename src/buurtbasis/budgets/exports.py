"""A round's results for the council: a printable report (PDF) and the plans, votes and
outcomes as CSV and XLSX. Everything is built from the stored :class:`Outcome`.

The CSV and XLSX are guarded against formulas by ``platform.spreadsheets``.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from buurtbasis.platform.spreadsheets import xlsx_bytes

from .charts import results_chart
from .models import BudgetRound, Outcome
from .results import results_context


def export_table(budget_round: BudgetRound, outcome: Outcome) -> tuple[list[str], list[list]]:
    """Header and rows: plan id, title, area, category, cost, votes, chosen, reason, execution."""
    context = results_context(budget_round, outcome)
    header = [
        _("Plan number"),
        _("Title"),
        _("Area"),
        _("Category"),
        _("Cost (euros)"),
        _("Points") if context["is_points"] else _("Votes"),
        _("Chosen"),
        _("Reason"),
        _("Execution status"),
    ]
    rows = [
        [
            r["plan"].pk,
            r["plan"].title,
            r["area"],
            r["category"],
            (Decimal(r["plan"].cost_cents) / 100).quantize(Decimal("0.01")),
            r["score"],
            _("yes") if r["funded"] else _("no"),
            r["text"],
            r["execution"],
        ]
        for r in context["rows"]
    ]
    return header, rows


def export_filename(budget_round: BudgetRound, extension: str) -> str:
    label = _("results")  # part of a file name
    return f"{budget_round.slug}-{slugify(label)}.{extension}"


def results_xlsx(header: list[str], rows: list[list], *, title: str) -> bytes:
    return xlsx_bytes(
        header,
        rows,
        title=title,
        sheet=_("Results"),
        money_columns="E",
        widths=(10, 40, 20, 16, 14, 10, 10, 80, 18),
    )


#: Plans per chart in the report: an SVG cannot break across pages, so the chart of a
#: large round is printed in parts that each fit an A4 page.
REPORT_CHART_ROWS = 12


def report_html(budget_round: BudgetRound, outcome: Outcome) -> str:
    context = results_context(budget_round, outcome)
    context["printed_at"] = timezone.now()
    bars = [
        {
            "title": r["plan"].title,
            "score": r["score"],
            "cost_cents": r["plan"].cost_cents,
            "funded": r["funded"],
        }
        for r in context["rows"]
    ]
    context["chart_parts"] = [
        results_chart(bars[i : i + REPORT_CHART_ROWS])
        for i in range(0, len(bars), REPORT_CHART_ROWS)
    ]
    return render_to_string("budgets/council_report.html", context)


def report_pdf(budget_round: BudgetRound, outcome: Outcome) -> bytes:
    """The council report as PDF bytes (WeasyPrint; the stylesheet is a static file)."""
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find("budgets/council_report.css"))
    return HTML(string=report_html(budget_round, outcome)).write_pdf(stylesheets=[stylesheet])
