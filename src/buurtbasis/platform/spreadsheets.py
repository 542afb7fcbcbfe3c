"""Tables as CSV and XLSX downloads, guarded against formulas (council results, hosting
overviews and any other export).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and a
few control characters) as a formula, so every text cell that starts with one gets a
leading apostrophe (:func:`safe_cell`), in both formats. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

__all__ = ["FORMULA_STARTS", "csv_bytes", "safe_cell", "xlsx_bytes"]

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


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 (no BOM), comma separated, every text cell guarded.

    >>> csv_bytes(["Plan", "Euro"], [["=1+1", 12]])
    b"Plan,Euro\\r\\n'=1+1,12\\r\\n"
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(
    header: list[str],
    rows: list[list],
    *,
    title: str,
    sheet: str,
    money_columns: str = "",
    widths: Sequence[int] = (),
) -> bytes:
    """One sheet named ``sheet`` with a bold, frozen header row; the columns named by
    letter in ``money_columns`` show euros with two decimals; ``widths`` from column A on."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    table = workbook.active
    table.title = sheet[:31]
    table.append([safe_cell(v) for v in header])
    for cell in table[1]:
        cell.font = Font(bold=True)
    for row in rows:
        table.append([safe_cell(v) for v in row])
    for column in money_columns:
        for cell in table[column][1:]:
            cell.number_format = "#,##0.00"
    table.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        table.column_dimensions[get_column_letter(index)].width = width
    workbook.properties.title = title[:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
