"""A round's results for the council: a printable report (PDF) and the plans, votes and
outcomes as CSV and XLSX. Everything is built from the stored :class:`Outcome`.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and a
few control characters) as a formula, so every text cell that starts with one gets a
leading apostrophe (:func:`safe_cell`), in both formats. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .charts import results_chart
from .models import BudgetRound, Outcome
from .results import results_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """A value that a spreadsheet shows as typed and never runs as a formula.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("@SUM(A1)"), safe_cell("-2+3")
    ('\\'=HYPERLINK("http://x")', "'@SUM(A1)", "'-2+3")
    >>> safe_cell("Bankjes"), safe_cell(-12), safe_cell(None)
    ('Bankjes', -12, '')
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 (no BOM), comma separated, every text cell guarded."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list], *, title: str) -> bytes:
    """One sheet with a bold header row, euros as numbers with two decimals."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    sheet.append([safe_cell(v) for v in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for cell in sheet["E"][1:]:
        cell.number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (10, 40, 20, 16, 14, 10, 10, 80, 18), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.properties.title = title[:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
