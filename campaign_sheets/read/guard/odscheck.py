"""The checks of an OpenDocument spreadsheet (.ods) beyond the zip's: content.xml parsed with expat,
any DTD refused, and the box of each table's value cells, repetitions counted.

An ODS row or cell may say it repeats (`table:number-rows-repeated`, `table:number-columns-repeated`);
python-calamine skips empty repeated cells but holds a repeated value cell once per repetition, in a
dense box from the sheet's first value cell to its last. So the box is computed here the same way,
counting a cell as a value when it has a value type or any content (more than calamine may count:
the box is never smaller than the one it allocates), and kept to the same limits as an xlsx sheet.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .extent import EMPTY, Extent
from .xmlcheck import expat_parse

CONTENT = "content.xml"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ROWS_REPEATED = _TABLE_NS + "number-rows-repeated"
_COLS_REPEATED = _TABLE_NS + "number-columns-repeated"
_NAME = _TABLE_NS + "name"
_VALUE_TYPE = _OFFICE_NS + "value-type"
_TABLE, _ROW = _TABLE_NS + "table", _TABLE_NS + "table-row"
_CELLS = (_TABLE_NS + "table-cell", _TABLE_NS + "covered-table-cell")
_FAR = 1 << 40   # a repetition past any grid: kept finite so the sums stay cheap


def _repeat(attrs: dict[str, str], key: str) -> int:
    text = attrs.get(key, "1").strip()
    if not text.isdigit() or len(text) > 13:
        return 1 if not text.isdigit() else _FAR
    return max(1, int(text))


def ods_extents(data: bytes, path: Path, lang: str) -> dict[str, Extent]:
    """Sheet name -> the box of its value cells (0-based, inclusive), from content.xml's bytes, in
    document order. xml-entities for a DTD; corrupt-workbook for XML that does not parse."""
    extents: dict[str, Extent] = {}
    box: list[int] = []          # min_row, max_row, min_col, max_col of the table being read
    name = ""
    depth_table = 0              # nesting of table:table (a table inside a cell is that cell's content)
    row, col = -1, 0             # the current row (first of its repetitions) and next column
    rows_rep = 1
    cell: list[Any] = []         # [first column, repetitions, has value] of the open cell
    cell_depth = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal name, depth_table, row, col, rows_rep, cell_depth
        if cell_depth:
            cell_depth += 1
            cell[2] = True       # any element inside a cell is content (text:p, a nested table...)
            return
        if tag == _TABLE:
            depth_table += 1
            if depth_table == 1:
                name = attrs.get(_NAME, f"Sheet{len(extents) + 1}")
                box[:] = [_FAR, -1, _FAR, -1]
                row, col, rows_rep = -1, 0, 1
        elif depth_table and tag == _ROW:
            row += rows_rep
            col, rows_rep = 0, _repeat(attrs, _ROWS_REPEATED)
        elif depth_table and tag in _CELLS:
            cell[:] = [col, _repeat(attrs, _COLS_REPEATED), bool(attrs.get(_VALUE_TYPE))]
            cell_depth = 1

    def end(tag: str) -> None:
        nonlocal depth_table, col, cell_depth
        if cell_depth:
            cell_depth -= 1
            if cell_depth:
                return
            first, reps, has_value = cell
            if has_value and row >= 0:
                top = max(row, 0)
                box[0], box[1] = min(box[0], top), max(box[1], top + rows_rep - 1)
                box[2], box[3] = min(box[2], first), max(box[3], first + reps - 1)
            col = first + reps
        elif tag == _TABLE and depth_table:
            depth_table -= 1
            if depth_table == 0:
                extents.setdefault(name, Extent(*box) if box[1] >= 0 else EMPTY)

    expat_parse(data, CONTENT, path, lang, start, end)
    return extents
