"""Tables of comments as they arrive: CSV text, or the first sheet of a spreadsheet.

Every reader gives a :class:`Table`: the header as written and each row with
the line (CSV) or row (sheet) where it starts.  A row is never padded or cut:
one with fewer cells than the header, or with more that are not empty, is a
bad row, named with its line; so is a row written with another separator than
the header (a form's CSV saved again by a German spreadsheet).

Spreadsheets (xlsx, xls, ods) are read with python-calamine, the extra
``charta[spreadsheets]``; it is imported only when a spreadsheet is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import attrs

__all__ = ["SHEET_SUFFIXES", "Row", "Table", "csv_table", "sheet_table"]

SHEET_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
"""File endings read as spreadsheets, and the format each names."""


@attrs.frozen
class Row:
    """One row as written: where it starts, its cells, and what is wrong with its shape."""

    line: int
    cells: tuple[str, ...]
    problem: str = ""
    """Why the row cannot be read as the header says ("" when it can)."""


@attrs.frozen
class Table:
    """A header and its rows, as written."""

    header: tuple[str, ...]
    rows: tuple[Row, ...]
    kind: str
    """``csv``, ``xlsx``, ``xls`` or ``ods``."""
    delimiter: str = ""
    """The CSV separator (``,``, ``;`` or a tab); empty for a sheet."""


class TableError(ValueError):
    """The file cannot be read as a table at all; the message says why and where."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


_SEPARATORS = (";", ",", "\t")
_NAMES = {";": "semicolons", ",": "commas", "\t": "tabs"}


def _delimiter(first_line: str) -> str:
    """The separator of a header line: the one it holds most of, outside quotes."""
    outside = "".join(part for n, part in enumerate(first_line.split('"')) if n % 2 == 0)
    counts = {sep: outside.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def csv_table(text: str, max_cell: int) -> Table:
    """``text`` (line ends already ``\\n``) as a table; :class:`TableError` if it is none."""
    first = text.split("\n", 1)[0]
    delimiter = _delimiter(first)
    csv.field_size_limit(max_cell)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = tuple(next(reader))
        while len(header) > 1 and not header[-1].strip():
            header = header[:-1]  # a spreadsheet's separator after the last column
    except csv.Error as exc:
        raise TableError(f"the header row cannot be read: {exc}", 1) from None
    except StopIteration:
        raise TableError("the file has no header row", 1) from None
    rows: list[Row] = []
    line = reader.line_num + 1
    while True:
        start = line
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise TableError(f"this row cannot be read: {exc}", start) from None
        line = reader.line_num + 1
        if not any(v.strip() for v in values):
            continue  # blank lines between rows
        problem = _shape(values, header, delimiter)
        # Empty cells after the last column are not kept: a row is as wide as its header.
        cells = tuple(values) if problem else tuple(values[: len(header)])
        rows.append(Row(start, cells, problem))
    return Table(header, tuple(rows), "csv", delimiter)


def _shape(values: list[str], header: tuple[str, ...], delimiter: str) -> str:
    if len(values) == len(header):
        return ""
    others = [sep for sep in _SEPARATORS if sep != delimiter and sep in "".join(values)]
    if len(values) < len(header) and others and len(header) > 1:
        sep = others[0]
        return (
            f"this row is separated by {_NAMES[sep]}, the header by {_NAMES[delimiter]}: "
            "save the file again with one separator (in a spreadsheet: 'CSV UTF-8')"
        )
    if len(values) < len(header):
        return (
            f"the row has {len(values)} cells but the header {len(header)}: a cell is missing "
            f"(or a line break in a cell is not in quotes)"
        )
    if any(v.strip() for v in values[len(header) :]):
        if not delimiter:
            return (
                "the row has cells right of the last column with a header: "
                "give that column a header or clear them"
            )
        return (
            f"the row has {len(values)} cells but the header {len(header)}: put a cell "
            f"that holds a '{delimiter}' in quotes"
        )
    return ""  # empty cells after the last column, as spreadsheets write them


def sheet_table(path: Path) -> Table:
    """The first sheet of the spreadsheet at ``path`` as a table."""
    kind = SHEET_SUFFIXES[path.suffix.lower()]
    try:
        # lazy: an optional extra, only for spreadsheets
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise TableError(
            f"reading a spreadsheet ({kind}) needs the extra 'spreadsheets': "
            "pip install 'charta[spreadsheets]' (or save the sheet as CSV UTF-8)"
        ) from None
    try:
        book = CalamineWorkbook.from_path(str(path))
        if not book.sheet_names:
            raise TableError("the spreadsheet has no sheet")
        cells = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except TableError:
        raise
    except Exception as exc:  # calamine raises its own errors for broken files
        raise TableError(f"cannot be read as {kind}: {exc}") from None
    rows = [tuple(_cell(v) for v in row) for row in cells]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise TableError("the first sheet is empty", 1)
    header = rows[0]
    while header and not header[-1].strip():
        header = header[:-1]
    body = []
    for n, values in enumerate(rows[1:], 2):
        if not any(v.strip() for v in values):
            continue
        problem = _shape(list(values), header, "")
        body.append(Row(n, values[: len(header)] if not problem else values, problem))
    return Table(header, tuple(body), kind)


def _cell(value: Any) -> str:
    """A sheet's cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # an id typed as a number: 17, not 17.0
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
