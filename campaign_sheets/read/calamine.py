"""Raw values of a checked workbook, read with python-calamine.

calamine parses only what `guard.check_file` returns: the checked parts, under the checked names,
never the file itself. Its own failures become file codes (corrupt-workbook, encrypted), rows are
trimmed of trailing empty rows and columns, and the error values it reads as '' are put back.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from campaign_sheets.errors import WorkbookFileError
from campaign_sheets.i18n import norm_lang
from campaign_sheets.report import col_letters

from campaign_sheets.contract import output_kind
from .guard import CheckedBook, Limits, check_file
from .guard.extent import column_number
from .olereader import read_ole
from .parse import UNKNOWN_ERROR, is_error_value

__all__ = ["RawBook", "read_values"]

Select = Callable[[list[str], Callable[[str], list[list[Any]]]], "Collection[str] | None"]


@dataclass
class RawBook:
    """A workbook's raw cell values, as the importer reads them."""

    sheets: dict[str, list[list[Any]]]   # sheet name -> rows of raw values, trailing empty rows/cols trimmed (the sheets read)
    sheet_states: dict[str, str]          # 'visible' / 'hidden' / 'veryhidden'
    date1904: bool
    has_macros: bool
    saved_at: dt.datetime | None = None   # docProps/core.xml's dcterms:modified, in UTC without a zone (the last save)
    output: str | None = None             # the command of the tool that wrote it, for its own table outputs
    application: str | None = None        # the application that last saved it (docProps/app.xml), as people name it
    format: str = "xlsx"                  # 'xlsx' (also .xlsm), 'ods' or 'xls' (see CheckedBook.format)


def read_values(path: str | os.PathLike, limits: Limits = Limits(), lang: str = "en",
                select: Select | None = None) -> RawBook:
    """check_file, then the worksheets' raw values via python-calamine.

    Rows are lists of equal length anchored at A1 (index [r][c] is row r+1, column c+1); empty cells
    are "" as calamine gives them; trailing empty rows and columns are dropped. Chart sheets are
    skipped. `select(names, read)`, given the worksheet names and a reader of one sheet's rows,
    may name the sheets wanted (None: all). Any reader failure becomes
    WorkbookFileError(code='corrupt-workbook'), a text over `limits.max_cell_chars` cell-too-long."""
    lang, p = norm_lang(lang), Path(path)
    with check_file(p, limits, lang) as book:
        return _read(book, p, limits, lang, select)


def _read(book: CheckedBook, p: Path, limits: Limits, lang: str, select: Select | None) -> RawBook:
    """The worksheets of a checked book, read by calamine from the checked copy only."""
    try:
        from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise WorkbookFileError.of("corrupt-workbook", p, lang, reason="reader", detail=str(exc)) from None
    read_so_far: dict[str, list[list[Any]]] = {}
    states: dict[str, str] = {}
    if book.format == "xls":
        return _read_xls(book, p, limits, lang, select)
    patched = None
    try:
        patched = _known_errors_only(book)   # what calamine would refuse in a valid file, put in its terms
        source = CalamineWorkbook.from_path(patched.name) if patched is not None else \
            CalamineWorkbook.from_filelike(io.BytesIO(book.data)) if book.data is not None else \
            CalamineWorkbook.from_path(str(book.spill))
        with source as wb:
            worksheets = [meta for meta in wb.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
            names = [meta.name for meta in worksheets]

            def read(name: str) -> list[list[Any]]:
                if name not in read_so_far:
                    read_so_far[name] = _rows(wb.get_sheet_by_name(name), name, limits.max_cell_chars, p, lang)
                return read_so_far[name]

            chosen = select(names, read) if select is not None else None
            for meta in worksheets:
                if chosen is None or meta.name in chosen:
                    read(meta.name)
                    states[meta.name] = _state(meta.visible)
    except WorkbookFileError:
        raise
    except PasswordError:
        raise WorkbookFileError.of("encrypted", p, lang) from None
    except BaseException as exc:  # noqa: BLE001 - calamine errors, MemoryError, pyo3's PanicException (a
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):  # BaseException): never a traceback
            raise
        detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        raise WorkbookFileError.of("corrupt-workbook", p, lang, reason="parser", detail=detail[:300]) from None
    finally:
        if patched is not None:
            patched.close()   # deletes it
    sheets = {name: read_so_far[name] for name in names if name in states}   # workbook order
    if book.format == "ods":
        return RawBook(sheets=sheets, sheet_states=states, date1904=False, has_macros=False, format="ods",
                       **ods_facts(book.part("meta.xml") if "meta.xml" in book.spans else b""))
    _restore_error_values(book, sheets)
    return RawBook(sheets=sheets, sheet_states=states, date1904=book.date1904, has_macros=book.has_macros,
                   saved_at=_saved_at(book), application=_application(book),
                   output=output_kind(book.part("docProps/custom.xml")) if "docProps/custom.xml" in book.spans else None)


def _read_xls(book: CheckedBook, p: Path, limits: Limits, lang: str, select: Select | None) -> RawBook:
    """The worksheets of a legacy .xls, parsed by calamine in a child process (`olereader`)."""
    read_so_far: dict[str, list[list[Any]]] = {}
    found = {name: (state, sheet) for name, state, sheet in read_ole(book.data or b"", limits, p, lang)}

    def read(name: str) -> list[list[Any]]:
        if name not in read_so_far:
            read_so_far[name] = _rows(found[name][1], name, limits.max_cell_chars, p, lang)
        return read_so_far[name]

    chosen = select(list(found), read) if select is not None else None
    sheets = {name: read(name) for name in found if chosen is None or name in chosen}
    return RawBook(sheets=sheets, sheet_states={name: _state(found[name][0]) for name in sheets},
                   date1904=False, has_macros=False, format="xls")


_ODS_DATE = re.compile(rb"<dc:date>\s*([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+)(Z|[+-][0-9]{2}:?[0-9]{2})?\s*<")
_ODS_GENERATOR = re.compile(rb"<meta:generator>([^<]{1,200})<")


def ods_facts(meta: bytes) -> dict[str, Any]:
    """saved_at and application of an OpenDocument file, from its meta.xml (checked bytes)."""
    out: dict[str, Any] = {"saved_at": None, "application": None}
    found = _ODS_DATE.search(meta[:65536])
    if found is not None:
        zone = (found.group(2) or b"Z").decode("ascii").replace("Z", "+00:00")
        try:
            stamp = dt.datetime.fromisoformat(found.group(1).decode("ascii")[:26] + zone)
            out["saved_at"] = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
        except ValueError:
            pass
    found = _ODS_GENERATOR.search(meta[:65536])
    if found is not None:
        lower = found.group(1).decode("utf-8", "replace").lower()
        out["application"] = next((name for word, name in _APPLICATIONS if word in lower),
                                  found.group(1).decode("utf-8", "replace").split("/")[0][:60] or None)
    return out


_MODIFIED = re.compile(rb"<(?:\w+:)?modified\b[^>]*>\s*([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+)(Z|[+-][0-9]{2}:?[0-9]{2})?\s*<")


def _saved_at(book: CheckedBook) -> dt.datetime | None:
    """When the workbook was last saved, from its core properties (checked bytes); None if absent or odd.
    A timestamp without a zone is taken as UTC, as the format says it should be."""
    if "docProps/core.xml" not in book.spans:
        return None
    found = _MODIFIED.search(book.part("docProps/core.xml")[:65536])
    if found is None:
        return None
    zone = (found.group(2) or b"Z").decode("ascii").replace("Z", "+00:00")
    try:
        stamp = dt.datetime.fromisoformat(found.group(1).decode("ascii") + zone)
        return stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    except ValueError:
        return None


_APPLICATION = re.compile(rb"<(?:\w+:)?Application\b[^>]*>([^<]{1,200})<")
# what docProps/app.xml says (lower case) -> the application's name as people know it
_APPLICATIONS = (("openpyxl", "openpyxl"), ("gnumeric", "Gnumeric"), ("libreoffice", "LibreOffice"),
                 ("openoffice", "OpenOffice"), ("wps", "WPS Office"), ("kingsoft", "WPS Office"),
                 ("numbers", "Numbers"), ("google", "Google Sheets"), ("microsoft excel", "Microsoft Excel"))


def _application(book: CheckedBook) -> str | None:
    """The application that last saved the workbook, from its extended properties (checked bytes):
    a known one by its usual name (openpyxl writes "Microsoft Excel Compatible / Openpyxl 3.1.5"),
    another as written; None if absent."""
    if "docProps/app.xml" not in book.spans:
        return None
    found = _APPLICATION.search(book.part("docProps/app.xml")[:65536])
    if found is None:
        return None
    text = " ".join(html.unescape(found.group(1).decode("utf-8", "replace")).split())
    lower = text.lower()
    return next((name for word, name in _APPLICATIONS if word in lower), text[:60] or None)


def _state(visible: Any) -> str:
    """calamine's SheetVisibleEnum (a pyo3 enum without .name) -> 'visible' / 'hidden' / 'veryhidden'."""
    text = str(visible).rsplit(".", 1)[-1].lower()
    return text if text in ("visible", "hidden", "veryhidden") else "visible"


def _rows(sheet: Any, name: str, max_chars: int, p: Path, lang: str) -> list[list[Any]]:
    """The sheet's rows from A1, trailing empty rows and columns dropped without materialising
    them; cell-too-long for a text over `max_chars` characters."""
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return []
    start_col = start[1]
    rows: list[list[Any] | None] = []   # None = an empty row inside the data, filled in at the end
    pending = 0                          # empty rows seen since the last non-empty one
    width = 0                            # columns used, counted from the range's first column
    n = 0
    blank: list[Any] = []
    it = iter(sheet.iter_rows())
    for row in it:
        n += 1
        if row == blank:                 # C-level compare: trailing runs of empty rows stay cheap
            pending += 1
            continue
        j = len(row)
        while j and row[j - 1] == "":
            j -= 1
        if not j:
            blank = [""] * len(row)
            pending += 1
            continue
        for k in range(j):
            v = row[k]
            if v.__class__ is str and len(v) > max_chars:
                total = n + sum(1 for _ in it)   # the row offset below needs the total row count
                raise WorkbookFileError.of("cell-too-long", p, lang, sheet=name,
                                           cell=f"{col_letters(start_col + k)}{n + end[0] + 1 - total}",
                                           length=f"{len(v):,}", limit=f"{max_chars:,}")
        if pending:
            rows.extend([None] * pending)
            pending = 0
        rows.append(row)
        width = max(width, j)
    if not rows:
        return []
    # python-calamine 0.9 yields rows from row 1 but columns from the range's first column; cope
    # with either convention by deriving the row offset from how many rows came out.
    total_width = start_col + width
    pad = [""] * start_col
    # empty rows share one list: a value far down costs a pointer a row, not a row of cells (what
    # writes into a row, putting an error value back, copies it first)
    empty = [""] * total_width
    out: list[list[Any]] = [empty] * (end[0] + 1 - n)
    for row in rows:
        if row is None:
            out.append(empty)
        elif start_col:
            out.append(pad + row[:width])
        else:
            out.append(row[:width] if len(row) > width else row)
    return out


# an error cell with its content: not a self-closed one, and not reaching into the next cell (its
# attributes hold no '<', so a part of unclosed tags is searched in linear time)
_ERROR_CELL = re.compile(rb'<c\b([^<>]*?)\bt="e"([^<>]*?)(?<!/)>((?:(?!<c[\s/>]).)*?)</c>', re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _restore_error_values(book: CheckedBook, sheets: dict[str, list[list[Any]]]) -> None:
    """Put Excel error values (#DIV/0!, #REF!...) back where calamine reads them as ''.

    python-calamine 0.9 returns error cells as empty strings, which would hide a broken formula.
    Only sheets the check saw error cells in are searched; a value trimmed away as an empty edge
    grows the grid back, never past the sheet's checked extent."""
    for name, rows in sheets.items():
        sheet = book.sheets.get(name)
        if sheet is None or not sheet.has_errors:
            continue
        ext = sheet.extent
        for m in _ERROR_CELL.finditer(book.part(sheet.part)):
            ref = _REF.search(m.group(1) + b" " + m.group(2))
            value = _VALUE.search(m.group(3))
            if not ref or not value:
                continue
            r, c = int(ref.group(2)) - 1, column_number(ref.group(1)) - 1
            if (r >= len(rows) or c >= len(rows[0])) and r <= ext.max_row and c <= ext.max_col:
                _grow(rows, r + 1, c + 1)
            if r < len(rows) and c < len(rows[r]) and rows[r][c] == "":
                rows[r] = list(rows[r])   # empty rows share one list: write into a copy
                text = html.unescape(value.group(1).decode("utf-8", "replace")).strip()
                rows[r][c] = text if is_error_value(text) else UNKNOWN_ERROR


# the error values python-calamine 0.9 reads (as ''); any other in a cell fails the whole file
_ROW_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?[0-9]+(?::\$?[0-9]+)?"\s*/>')
_SHOW_STATE = re.compile(rb'\sstate="show"')
_CALAMINE_ERRORS = frozenset((b"#DIV/0!", b"#REF!", b"#N/A", b"#VALUE!", b"#NAME?", b"#NUM!", b"#NULL!"))


def _known_errors_only(book: CheckedBook) -> IO[bytes] | None:
    """A copy of the checked book for calamine in which every error cell holds an error value
    calamine knows, or None when it holds no other (the usual case: nothing is copied). The copy is
    a private temporary file, deleted when closed (as a big checked copy is, never a second one in memory).

    An unknown error literal (Gnumeric's `#"IF(...` for a formula it could not parse, Excel's newer
    #SPILL!, a generator's own) is one cell's problem, not the file's: calamine reads the stand-in
    #N/A as '', and `_restore_error_values` puts the cell's own value back from the checked part.
    Two other things valid by the OOXML rules that calamine refuses are put in its terms in the same
    copy: a sheet dimension of whole rows only (`<dimension ref="1:4"/>`, LibreOffice 5.x; dropped,
    the reader finds the extent itself) and a sheet `state="show"` (read as visible)."""
    patched: dict[str, bytes] = {}
    for name in book.spans:
        if name.lower().endswith("workbook.xml") and name.lower().startswith("xl/"):
            data = book.part(name)
            if _SHOW_STATE.search(data):
                patched[name] = _SHOW_STATE.sub(b' state="visible"', data)
    for sheet in book.sheets.values():
        if sheet.part in patched:
            continue
        start, end = book.spans[sheet.part]
        head = book.data[start:min(end, start + 4096)] if book.data is not None else book.part(sheet.part)[:4096]
        if not sheet.has_errors and not _ROW_DIMENSION.search(head):
            continue   # the usual case: nothing to copy
        data = book.part(sheet.part)
        if _ROW_DIMENSION.search(head):
            data = patched[sheet.part] = _ROW_DIMENSION.sub(b"", data, count=1)
        if not sheet.has_errors:
            continue
        unknown = False

        def known(m: re.Match[bytes]) -> bytes:
            nonlocal unknown
            inner = m.group(3)
            value = _VALUE.search(inner)
            if value is None or value.group(1) in _CALAMINE_ERRORS:
                return m.group(0)
            unknown = True
            inner = inner[:value.start()] + b"<v>#N/A</v>" + inner[value.end():]
            return b"<c" + m.group(1) + b't="e"' + m.group(2) + b">" + inner + b"</c>"

        fixed = _ERROR_CELL.sub(known, data)
        if unknown:
            patched[sheet.part] = fixed
    if not patched:
        return None
    out = tempfile.NamedTemporaryFile(prefix="campaign-sheets-", suffix=".xlsx")   # private: 0600
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
            for name in book.spans:   # every checked part, in the checked order
                z.writestr(name, patched.get(name) or book.part(name))
        out.flush()
    except BaseException:
        out.close()
        raise
    return out


def _grow(rows: list[list[Any]], height: int, width: int) -> None:
    """Pad a grid with '' to at least `height` rows of at least `width` cells (rows stay equal)."""
    width = max(width, len(rows[0]) if rows else 0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    rows.extend([[""] * width for _ in range(height - len(rows))])
