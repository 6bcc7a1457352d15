"""An .xlsx sheet as a grid of the text it shows, after the package's checks.

The package is refused before anything is inflated when it would inflate past the limits
(:func:`check_package`). openpyxl reads the chosen sheet (read-only: every row, whatever
its stale ``<dimension>``); one streaming pass over the sheet's XML finds what read-only
mode does not show: merged cells, hidden rows and columns, formulas without a cached value.
Every cell becomes the text the sheet shows (:mod:`kcdata.io.cellformat`).
"""

from __future__ import annotations

import errno
import io
import posixpath
import re
import warnings
import zipfile
import zlib
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from defusedxml import ElementTree

from kcdata.io.cellformat import JAPANESE_BUILTIN_FORMATS, shown_text
from kcdata.io.errors import ParseError, PlanWarning
from kcdata.limits import (
    MAX_GRID_CELLS,
    MAX_LISTINGS,
    MAX_XLSX_BYTES,
    MAX_XLSX_ENTRIES,
    MAX_XLSX_PART_BYTES,
    MAX_XLSX_SHARED_STRINGS,
)
from kcdata.messages import translate as _

__all__ = ["DEFAULT_SHEET", "SheetGrid", "check_package", "read_xlsx"]

#: The sheet chosen when a workbook has several.
DEFAULT_SHEET = "事業一覧"

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: What openpyxl and zipfile raise for a broken zip, missing parts or malformed XML.
_DAMAGED = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, AttributeError,
            IndexError, EOFError, SyntaxError, OverflowError, NotImplementedError)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: An entry of the shared-strings table (<si>, <x:si …>, <si/>).
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


@dataclass
class SheetGrid:
    """A sheet's cells as text, every row as wide as the widest.

    ``numbers[i]``: row ``i``'s sheet row (or the CSV line where it starts);
    ``merged_above[i]``: its 0-based columns merged with a row above; ``sheet``:
    ``None`` for CSV; ``hidden_rows`` (row numbers), ``hidden_columns`` (0-based).
    """

    rows: list[list[str]]
    numbers: list[int]
    merged_above: list[set[int]]
    sheet: str | None = None
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    warnings: list[PlanWarning] = field(default_factory=list)

    def hidden_warnings(self, header_line: int) -> list[PlanWarning]:
        """One warning per run of hidden rows holding text, then per run of such columns
        (given at ``header_line``)."""
        from openpyxl.utils import get_column_letter

        rows = [r for r in self.hidden_rows if any(c.strip() for c in self.rows[r - 1])]
        columns = [j for j in self.hidden_columns if any(row[j].strip() for row in self.rows)]
        found = []
        for first, last in _runs(rows):
            message = (_("row {first} hidden in the sheet: read all the same") if first == last
                       else _("rows {first}-{last} hidden in the sheet: read all the same"))
            found.append(PlanWarning(message.format(first=first, last=last), first, self.sheet))
        for first, last in _runs(columns):
            message = (_("column {first} hidden in the sheet: read all the same")
                       if first == last else
                       _("columns {first}-{last} hidden in the sheet: read all the same"))
            found.append(PlanWarning(message.format(first=get_column_letter(first + 1),
                                                    last=get_column_letter(last + 1)),
                                     header_line, self.sheet))
        return found


def _runs(values: list[int]) -> list[list[int]]:
    """The runs of consecutive numbers, as [first, last]: [7, 1, 2, 3] -> [[1, 3], [7, 7]]."""
    runs: list[list[int]] = []
    for value in sorted(values):
        if runs and runs[-1][1] == value - 1:
            runs[-1][1] = value
        else:
            runs.append([value, value])
    return runs


def check_package(data: bytes) -> None:
    """Refuse an .xlsx package that would inflate past the limits, before reading any part.

    At most :data:`~kcdata.limits.MAX_XLSX_ENTRIES` parts, each of at most
    :data:`~kcdata.limits.MAX_XLSX_PART_BYTES` and all of at most
    :data:`~kcdata.limits.MAX_XLSX_BYTES` (the declared sizes), every part named once
    and in normal form, and at most :data:`~kcdata.limits.MAX_XLSX_SHARED_STRINGS`
    shared strings (counted in one streaming pass).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return  # not a zip at all: openpyxl says so in its own words
    names = [part.filename for part in parts]
    odd = [n for n in names if n != posixpath.normpath(n) or n.startswith("/") or "\\" in n]
    if odd or len(set(names)) != len(names):
        raise ParseError(_("the workbook package has a part named {part!r} twice or not in "
                           "the normal form Excel writes: save it again from Excel").format(
            part=odd[0] if odd else next(n for n in names if names.count(n) > 1)))
    if len(parts) > MAX_XLSX_ENTRIES:
        raise ParseError(_("the workbook package has {parts:,} parts: kcdata reads at most "
                           "{max:,}").format(parts=len(parts), max=MAX_XLSX_ENTRIES))
    for part in parts:
        if part.file_size > MAX_XLSX_PART_BYTES:
            raise ParseError(_("the workbook part {part} inflates to {size:,} bytes: kcdata "
                               "reads parts of at most {max:,} bytes ({mib} MiB)").format(
                part=part.filename, size=part.file_size, max=MAX_XLSX_PART_BYTES,
                mib=MAX_XLSX_PART_BYTES >> 20))
    total = sum(part.file_size for part in parts)
    if total > MAX_XLSX_BYTES:
        raise ParseError(_("the workbook inflates to {size:,} bytes: kcdata reads workbooks of "
                           "at most {max:,} bytes ({mib} MiB)").format(
            size=total, max=MAX_XLSX_BYTES, mib=MAX_XLSX_BYTES >> 20))
    strings = [p for p in parts if p.filename.lower().endswith("sharedstrings.xml")]
    if not strings:
        return
    count, tail = 0, b""  # a few KB can declare 3×10^7 empty texts: minutes and GBs to read
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package, package.open(strings[0]) as stream:
            while count <= MAX_XLSX_SHARED_STRINGS and (chunk := stream.read(1 << 20)):
                buffer = tail + chunk  # an entry ending in the tail was counted already
                count += sum(1 for m in _SHARED_STRING.finditer(buffer) if m.end() > len(tail))
                tail = buffer[-64:]
    except _DAMAGED as err:
        raise _unreadable(err) from None
    if count > MAX_XLSX_SHARED_STRINGS:
        raise ParseError(_("the workbook's shared-strings table has more than {max:,} entries: "
                           "kcdata reads workbooks of at most {max:,} texts (plans of at most "
                           "{listings:,} listings)").format(max=MAX_XLSX_SHARED_STRINGS,
                                                            listings=MAX_LISTINGS))


def read_xlsx(data: bytes, sheet: str | None = None) -> SheetGrid:
    """The sheet named ``sheet`` of the workbook ``data`` as the text it shows.

    ``sheet=None``: the only sheet, else the one named 事業一覧, else a
    :class:`ParseError` listing the sheet names. Encrypted, oversized, damaged or
    empty workbooks are a :class:`ParseError`.
    """
    from openpyxl import load_workbook

    if data.startswith(_OLE2_MAGIC):
        raise ParseError(_(
            "a password-protected (encrypted) workbook, or an .xls file named .xlsx: "
            "remove the password (Excel: ファイル > 情報 > ブックの保護 > "
            "パスワードを使用して暗号化) "
            "and save it as an Excel workbook (.xlsx)"
        ))
    check_package(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # extensions openpyxl drops
            with closing(load_workbook(io.BytesIO(data), read_only=True, data_only=True)) as wb:
                ws = _choose_sheet(wb, sheet)
                ws.reset_dimensions()  # a stale <dimension> would end the rows early
                return _grid(ws, data, wb.epoch)
    except ParseError:
        raise
    except OSError as err:
        if err.errno not in (None, errno.EINVAL):  # the system's: the file cannot be read
            raise
        raise ParseError(_resave(_("not a readable .xlsx workbook ({err})").format(
            err=err))) from None
    except _DAMAGED as err:
        raise _unreadable(err) from None


def _unreadable(err: Exception) -> ParseError:
    return ParseError(_resave(_("not a readable .xlsx workbook ({kind}: {err})").format(
        kind=type(err).__name__, err=err)))


def _resave(reason: str) -> str:
    return _("{reason}; {advice}").format(
        reason=reason,
        advice=_("open it in Excel and save it again as an Excel workbook (.xlsx)"))


def _choose_sheet(wb: Any, sheet: str | None) -> Any:
    names = [ws.title for ws in wb.worksheets]  # chart sheets are not among them
    listed = "、".join(names)
    if sheet is not None and sheet not in names:
        raise ParseError(_("no sheet named {sheet!r}; the sheets are: {sheets}").format(
            sheet=sheet, sheets=listed))
    if sheet is not None:
        return wb[sheet]
    if len(names) == 1:
        return wb.worksheets[0]
    if DEFAULT_SHEET in names:
        return wb[DEFAULT_SHEET]
    raise ParseError(_(
        "the workbook has {n} sheets and none is named {default}: choose one with --sheet "
        "NAME (sheet=); the sheets are: {sheets}").format(
        n=len(names), default=DEFAULT_SHEET, sheets=listed))


@dataclass
class _SheetXml:
    """What read-only openpyxl does not show of a sheet, read from its XML."""

    merges: list[str] = field(default_factory=list)  # "A1:C1"
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # 1-based ranges
    formulas: dict[str, str] = field(default_factory=dict)  # "B3" -> formula, no cached value


def _read_sheet_xml(data: bytes, title: str) -> _SheetXml:
    """One streaming pass (defusedxml) over the part openpyxl read for the sheet ``title``."""
    found = _SheetXml()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "")
                       for r in rels.iter(f"{_PACKAGE_REL}Relationship")}
            rel = next((s.get(f"{_REL}id") for s in workbook.iter(f"{_MAIN}sheet")
                        if s.get("name") == title), None)
            target = targets[rel]
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            with package.open(posixpath.normpath(part)) as xml:
                for _event, element in ElementTree.iterparse(xml):
                    tag = element.tag.removeprefix(_MAIN)
                    if tag == "c":
                        formula, value = element.find(f"{_MAIN}f"), element.find(f"{_MAIN}v")
                        if formula is not None and (value is None or value.text is None):
                            found.formulas[element.get("r", "")] = "=" + (
                                formula.text or "(shared formula)")
                        element.clear()
                    elif tag == "row":
                        if element.get("hidden") in ("1", "true"):
                            found.hidden_rows.add(int(element.get("r", "0")))
                        element.clear()
                    elif tag == "col" and element.get("hidden") in ("1", "true"):
                        first, last = int(element.get("min", "0")), int(element.get("max", "0"))
                        found.hidden_columns.append((first, max(first, last)))
                    elif tag == "mergeCell":
                        found.merges.append(element.get("ref", ""))
    except OSError as err:  # the bytes were opened already: a damaged archive
        raise _unreadable(err) from None
    return found


def _grid(ws: Any, data: bytes, epoch: Any) -> SheetGrid:
    """The sheet's cells as shown text, each merged cell's text in every cell it covers."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.utils.datetime import from_excel

    sheet, xml = ws.title, _read_sheet_xml(data, ws.title)
    cells: dict[tuple[int, int], str] = {}
    found: list[PlanWarning] = []
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None:
                continue
            number_format = cell.number_format
            builtin = JAPANESE_BUILTIN_FORMATS.get(cell.style_array.numFmtId)
            if builtin and isinstance(value, int | float) and not isinstance(value, bool):
                number_format, value = builtin, from_excel(value, epoch)
            text, understood = shown_text(value, number_format)
            if not understood:
                found.append(PlanWarning(_("cell {cell}: number format {format!r} is not "
                                           "understood; read as {text!r}").format(
                    cell=cell.coordinate, format=number_format, text=text), cell.row, sheet))
            cells[cell.row, cell.column] = text
    for ref, formula in xml.formulas.items():
        c, r, _right, _bottom = range_boundaries(ref)
        if (r, c) not in cells:
            found.append(PlanWarning(_(
                "cell {cell} holds the formula {formula} without a cached value (the "
                "workbook was not saved by a spreadsheet program): kept as its formula text")
                .format(cell=ref, formula=formula), r, sheet))
            cells[r, c] = formula
    if not cells:
        raise ParseError(_("the sheet is empty"), None, sheet)
    # The grid spans the cells that hold data; a merge reaching past them (A1:XFD1) is clipped.
    height, width = max(r for r, _ in cells), max(c for _, c in cells)
    if height * width > MAX_GRID_CELLS:
        raise ParseError(_("the sheet's data spans {rows:,} rows x {columns:,} columns: "
                           "kcdata reads sheets of at most {max:,} cells").format(
            rows=height, columns=width, max=MAX_GRID_CELLS), None, sheet)
    rows = [[cells.get((r, c), "") for c in range(1, width + 1)] for r in range(1, height + 1)]
    merged_above: list[set[int]] = [set() for _ in rows]
    for ref in filter(None, xml.merges):
        left, top, right, bottom = range_boundaries(ref)
        for r in range(top, min(bottom, height) + 1):
            for c in range(left, min(right, width) + 1):
                rows[r - 1][c - 1] = rows[top - 1][left - 1]
                if r > top:
                    merged_above[r - 1].add(c - 1)
    hidden_columns = {c - 1 for first, last in xml.hidden_columns
                      for c in range(first, min(last, width) + 1)}
    return SheetGrid(rows, list(range(1, height + 1)), merged_above, sheet,
                     {r for r in xml.hidden_rows if r <= height}, hidden_columns, found)
