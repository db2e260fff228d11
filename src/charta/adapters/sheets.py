"""Writing a table as a spreadsheet: xlsx (openpyxl) or ods (odfpy).

Offices weigh comments in a spreadsheet; charta writes the weighing table as
one, and reads the filled sheet back (:mod:`charta.adapters.comments.table`).
Both libraries belong to the extra ``charta[spreadsheets]`` and are imported
only here, when a sheet is written.

Every cell is text, and a text that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@`` first) gets a ``'`` before it, as Decidim's
exporters do; the reader takes it off again.  The file is written to a
temporary file beside it and renamed, so that a failed write leaves the old
file as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from charta import rules
from charta.errors import ChartaError
from charta.model import Location
from charta.texts import visible

__all__ = ["FORMULA", "SHEET_KINDS", "guard", "unguard", "write_sheet"]

SHEET_KINDS = {".xlsx": "xlsx", ".ods": "ods"}
"""The endings a sheet is written as."""

FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""What a cell may not begin with unguarded: a spreadsheet would run it."""


def guard(cell: str) -> str:
    """``cell`` with a ``'`` before it where a spreadsheet would run it as a formula,
    and before a ``'`` of its own (so that :func:`unguard` gives it back as it was)."""
    return "'" + cell if cell.startswith((*FORMULA, "'")) else cell


def unguard(cell: str) -> str:
    """``cell`` without the ``'`` that :func:`guard` put before it."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith((*FORMULA, "'")) else cell


def _missing(kind: str) -> ChartaError:
    return ChartaError(
        f"writing a spreadsheet ({kind}) needs the extra 'spreadsheets': "
        "pip install 'charta[spreadsheets]' (or write --format csv)",
        rule=rules.CANNOT_WRITE,
    )


def write_sheet(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], *, title: str
) -> None:
    """The table as the spreadsheet ``path`` (its ending says xlsx or ods)."""
    kind = SHEET_KINDS.get(path.suffix.lower())
    if kind is None:
        raise ChartaError(
            "a spreadsheet is written as .xlsx or .ods: name the file so",
            location=Location(file=str(path)),
            rule=rules.CANNOT_WRITE,
        )
    # Control and bidirectional characters written out (\u202e), as in the CSV.
    cells = [list(header), *([guard(visible(c)) for c in row] for row in rows)]
    folder = path.parent if str(path.parent) else Path()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=f".{kind}")
    except OSError as exc:
        raise ChartaError(
            f"cannot write here: {exc.strerror}",
            location=Location(file=str(path)),
            rule=rules.CANNOT_WRITE,
        ) from None
    os.close(fd)
    try:
        (_xlsx if kind == "xlsx" else _ods)(Path(tmp), cells, title)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _xlsx(path: Path, cells: list[list[str]], title: str) -> None:
    try:
        # lazy: an optional extra, only for spreadsheets
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
    except ImportError:
        raise _missing("xlsx") from None
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet's name
    for row in cells:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        width = max((len(str(c.value or "")) for c in column), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8), 60)
        for c in column:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            c.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    book.save(path)


def _ods(path: Path, cells: list[list[str]], title: str) -> None:
    try:
        # lazy: an optional extra, only for spreadsheets
        from odf.opendocument import OpenDocumentSpreadsheet
        from odf.table import Table, TableCell, TableRow
        from odf.text import P
    except ImportError:
        raise _missing("ods") from None
    doc = OpenDocumentSpreadsheet()
    table = Table(name=title[:31])
    for row in cells:
        tr = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            for line in value.split("\n"):
                cell.addElement(P(text=line))  # a paragraph a line, as LibreOffice writes
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
