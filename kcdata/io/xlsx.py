"""An .xlsx sheet as a grid of the text it shows, after the package's checks.

:func:`read_xlsx` opens a workbook from its bytes and gives the chosen sheet
as a :class:`SheetGrid`:

* the package is refused before anything is inflated when its parts would
  inflate past the limits (:func:`check_package`), and an encrypted or
  .xls file is told apart by its first bytes;
* openpyxl reads the chosen sheet only (read-only mode); a stale
  ``<dimension>`` is ignored, so every row is read;
* one streaming pass over the sheet's XML (defusedxml) finds what read-only
  mode does not show: merged cells, hidden rows and columns, formulas
  without a cached value, and cells styled with one of Japanese Excel's
  built-in date formats (ids 27-58, read by openpyxl as General);
* every cell becomes the text the sheet shows (:mod:`kcdata.io.cellformat`),
  and a merged cell fills every cell it covers.

Errors are :class:`kcdata.ParseError` s saying how to save the file again.
"""

from __future__ import annotations

import errno
import io
import posixpath
import re
import warnings
import zipfile
import zlib
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


@dataclass
class SheetGrid:
    """A sheet's cells as text, top to bottom, every row as wide as the widest.

    ``numbers[i]`` is the number of row ``i`` (its sheet row, or the CSV line
    where it starts); ``merged_above[i]`` the 0-based columns whose cell
    belongs to a merged range starting in a row above; ``sheet`` the sheet's
    name (``None`` for CSV); ``hidden_rows`` (row numbers) and
    ``hidden_columns`` (0-based) those hidden in the sheet; ``warnings`` the
    :class:`PlanWarning` s owed so far.
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
        # openpyxl is imported when a workbook is read, never by `import kcdata`.
        from openpyxl.utils import get_column_letter

        rows = [r for r in self.hidden_rows if any(c.strip() for c in self.rows[r - 1])]
        columns = [j for j in self.hidden_columns if any(row[j].strip() for row in self.rows)]
        found = [PlanWarning(_hidden("row", str(first), str(last)), first, self.sheet)
                 for first, last in _runs(rows)]
        for first, last in _runs(columns):
            found.append(PlanWarning(_hidden("column", get_column_letter(first + 1),
                                             get_column_letter(last + 1)),
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


def _hidden(what: str, first: str, last: str) -> str:
    """「row 5 hidden in the sheet: …」, 「rows 5-7 …」, 「column B …」, 「columns B-D …」."""
    if what == "row":
        message = (_("row {first} hidden in the sheet: read all the same") if first == last
                   else _("rows {first}-{last} hidden in the sheet: read all the same"))
    else:
        message = (_("column {first} hidden in the sheet: read all the same") if first == last
                   else _("columns {first}-{last} hidden in the sheet: read all the same"))
    return message.format(first=first, last=last)


def check_package(data: bytes) -> None:
    """Refuse an .xlsx package whose parts would inflate past the limits, before reading any.

    :data:`kcdata.limits.MAX_XLSX_ENTRIES` parts at most, each at most
    :data:`kcdata.limits.MAX_XLSX_PART_BYTES` and all together at most
    :data:`kcdata.limits.MAX_XLSX_BYTES` uncompressed (the sizes the package
    declares, which bound what can be read from it), and every part named once,
    in normal form (``xl/worksheets/./sheet1.xml`` is refused: Excel and openpyxl
    would not read the part kcdata's XML pass could). A :class:`ParseError` names
    the limit or the part; then at most :data:`kcdata.limits.MAX_XLSX_SHARED_STRINGS`
    shared strings. Cost: the package's directory, and one streaming pass over the
    shared-strings part.
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
    if strings:  # within the limits above: counted in one streaming pass
        _check_shared_strings(data, strings[0])


#: An entry of the shared-strings table (<si>, <x:si …>, <si/>).
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _check_shared_strings(data: bytes, part: zipfile.ZipInfo) -> None:
    """Refuse more than MAX_XLSX_SHARED_STRINGS shared strings, counted in one streaming
    pass (a few KB can hold 3×10^7 empty ones: minutes and GBs for openpyxl)."""
    count, tail = 0, b""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package, package.open(part) as stream:
            while chunk := stream.read(1 << 20):
                buffer = tail + chunk  # an entry ending in the tail was counted already
                count += sum(1 for m in _SHARED_STRING.finditer(buffer) if m.end() > len(tail))
                tail = buffer[-64:]
                if count > MAX_XLSX_SHARED_STRINGS:
                    break
    except _DAMAGED as err:  # the same refusal as openpyxl's reading of a damaged package
        raise _unreadable(err) from None
    if count > MAX_XLSX_SHARED_STRINGS:
        raise ParseError(_("the workbook's shared-strings table has more than {max:,} entries: "
                           "kcdata reads workbooks of at most {max:,} texts (plans of at most "
                           "{listings:,} listings)").format(max=MAX_XLSX_SHARED_STRINGS,
                                                            listings=MAX_LISTINGS))


def read_xlsx(data: bytes, sheet: str | None = None) -> SheetGrid:
    """The sheet of the workbook ``data`` named ``sheet`` as the text it shows.

    ``sheet=None``: the only sheet, else the one named 事業一覧, else a
    :class:`ParseError` listing the sheet names. Raises :class:`ParseError`
    for an encrypted, oversized, damaged or empty workbook; the workbook is
    opened from ``data``, never from its path again.
    """
    # openpyxl is imported when a workbook is read, never by `import kcdata`.
    from openpyxl import load_workbook

    if data.startswith(_OLE2_MAGIC):
        raise ParseError(_(
            "a password-protected (encrypted) workbook, or an .xls file named .xlsx: "
            "remove the password (Excel: ファイル > 情報 > ブックの保護 > "
            "パスワードを使用して暗号化) "
            "and save it as an Excel workbook (.xlsx)"
        ))
    check_package(data)  # bounded before any part is inflated
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it drops (data validation, conditional formats).
            warnings.simplefilter("ignore", UserWarning)
            # Read-only: only the chosen sheet is parsed (the summary workbook has six).
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                ws = _choose_sheet(wb, sheet)
                ws.reset_dimensions()  # a stale <dimension> would end the rows early
                return _grid(ws, _SheetFacts.read(data, ws.title), wb.epoch)
            finally:
                wb.close()
    except ParseError:
        raise
    except OSError as err:
        if err.errno not in (None, errno.EINVAL):  # the system's: the file cannot be read
            raise
        # openpyxl's ("File contains no valid workbook part"), or a seek into a damaged
        # archive (EINVAL)
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
    if sheet is not None:
        if sheet not in names:
            raise ParseError(_("no sheet named {sheet!r}; the sheets are: {sheets}").format(
                sheet=sheet, sheets=listed))
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
class _SheetFacts:
    """What openpyxl's read-only mode does not show of a sheet, read from its XML.

    Read with the standard library (hardened by defusedxml) from the sheet's
    part of the package (ECMA-376, SpreadsheetML), in one streaming pass.
    """

    merges: list[str] = field(default_factory=list)  # "A1:C1"
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # 1-based ranges
    formulas: dict[str, str] = field(default_factory=dict)  # "B3" -> formula text
    builtin_formats: dict[str, int] = field(default_factory=dict)  # "B3" -> numFmtId

    @classmethod
    def read(cls, data: bytes, title: str) -> _SheetFacts:
        """The facts of the sheet named ``title``. The bytes were opened already, so any
        error here, an ``OSError`` from a damaged archive included, is a damaged workbook."""
        facts = cls()
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                part = _sheet_part(package, title)
                style_formats = _style_formats(package)
                with package.open(part) as xml:
                    for _event, element in ElementTree.iterparse(xml):
                        facts._add(element, style_formats)
        except OSError as err:
            raise _unreadable(err) from None
        return facts

    def _add(self, element: Any, style_formats: list[int]) -> None:
        tag = element.tag.removeprefix(_MAIN)
        if tag == "c":
            ref = element.get("r", "")
            formula, value = element.find(f"{_MAIN}f"), element.find(f"{_MAIN}v")
            if formula is not None and (value is None or value.text is None):
                self.formulas[ref] = "=" + (formula.text or "(shared formula)")
            style = int(element.get("s", "0"))
            number_format = style_formats[style] if style < len(style_formats) else 0
            if number_format in JAPANESE_BUILTIN_FORMATS:
                self.builtin_formats[ref] = number_format
            element.clear()
        elif tag == "row":
            if element.get("hidden") in ("1", "true"):
                self.hidden_rows.add(int(element.get("r", "0")))
            element.clear()
        elif tag == "col" and element.get("hidden") in ("1", "true"):
            first, last = int(element.get("min", "0")), int(element.get("max", "0"))
            self.hidden_columns.append((first, max(first, last)))
        elif tag == "mergeCell":
            self.merges.append(element.get("ref", ""))


def _sheet_part(package: zipfile.ZipFile, title: str) -> str:
    """The package part (file inside the .xlsx) of the sheet named ``title``.

    The target is normalised (``xl/worksheets/./sheet1.xml`` is ``xl/worksheets/sheet1.xml``),
    so this pass reads the part openpyxl reads, never another one.
    """
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PACKAGE_REL}Relationship")}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == title:
            target = targets[sheet.get(f"{_REL}id")]
            return posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                      else f"xl/{target}")
    raise KeyError(title)


def _style_formats(package: zipfile.ZipFile) -> list[int]:
    """The numFmtId of each cell style (cellXfs), in order."""
    try:
        styles = ElementTree.fromstring(package.read("xl/styles.xml"))
    except KeyError:  # a package without styles
        return []
    xfs = styles.find(f"{_MAIN}cellXfs")
    return [] if xfs is None else [int(xf.get("numFmtId", "0")) for xf in xfs]


def _grid(ws: Any, facts: _SheetFacts, epoch: Any) -> SheetGrid:
    """The sheet's cells as shown text, merges filled (openpyxl read-only + the XML's facts)."""
    # openpyxl is imported when a workbook is read, never by `import kcdata`.
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.utils.datetime import from_excel

    sheet = ws.title
    cells: dict[tuple[int, int], str] = {}
    found: list[PlanWarning] = []
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None:
                continue
            number_format = cell.number_format
            builtin = facts.builtin_formats.get(cell.coordinate)
            if builtin is not None and isinstance(value, int | float) and not isinstance(
                    value, bool):
                number_format = JAPANESE_BUILTIN_FORMATS[builtin]
                value = from_excel(value, epoch)
            text, understood = shown_text(value, number_format)
            if not understood:
                found.append(PlanWarning(_("cell {cell}: number format {format!r} is not "
                                           "understood; read as {text!r}").format(
                    cell=cell.coordinate, format=number_format, text=text), cell.row, sheet))
            cells[cell.row, cell.column] = text
    for ref, formula in facts.formulas.items():
        c, r, _right, _bottom = range_boundaries(ref)
        if (r, c) not in cells:
            found.append(PlanWarning(_(
                "cell {cell} holds the formula {formula} without a cached value (the "
                "workbook was not saved by a spreadsheet program): kept as its formula text")
                .format(cell=ref, formula=formula), r, sheet))
            cells[r, c] = formula
    if not cells:
        raise ParseError(_("the sheet is empty"), None, sheet)
    # The grid spans the cells that hold data; a merge reaching past them (a title merged
    # over the whole row, A1:XFD1) is clipped to them, so work grows with the data.
    height = max(r for r, _ in cells)
    width = max(c for _, c in cells)
    if height * width > MAX_GRID_CELLS:
        raise ParseError(_("the sheet's data spans {rows:,} rows x {columns:,} columns: "
                           "kcdata reads sheets of at most {max:,} cells").format(
            rows=height, columns=width, max=MAX_GRID_CELLS), None, sheet)
    rows = [[cells.get((r, c), "") for c in range(1, width + 1)] for r in range(1, height + 1)]
    merged_above: list[set[int]] = [set() for _ in rows]
    for ref in filter(None, facts.merges):
        left, top, right, bottom = range_boundaries(ref)
        if top > height or left > width:
            continue
        shown = rows[top - 1][left - 1]
        for r in range(top, min(bottom, height) + 1):
            for c in range(left, min(right, width) + 1):
                rows[r - 1][c - 1] = shown
                if r > top:
                    merged_above[r - 1].add(c - 1)
    hidden_columns = {c - 1 for first, last in facts.hidden_columns
                      for c in range(first, min(last, width) + 1)}
    return SheetGrid(rows, list(range(1, height + 1)), merged_above, sheet,
                     {r for r in facts.hidden_rows if r <= height}, hidden_columns, found)
