"""Write a planned layout with xlsxwriter: the only module that knows that engine."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import xlsxwriter

from ..errors import OutputError
from ..formula import ExcelError
from ..outputs import atomic_path
from .plan import Cell, Layout, SheetPlan


def write_workbook(layout: Layout, path: str | os.PathLike) -> Path:
    """Write `layout` to `path` atomically (temporary file in the same folder, then rename)."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise OutputError.of("output.xlsx_only", target=str(target))
    with atomic_path(target, ".xlsx") as tmp:
        _write(layout, str(tmp))
    return target


def _write(layout: Layout, filename: str) -> None:
    import datetime as dt

    wb = xlsxwriter.Workbook(filename, {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    wb.set_properties({"title": str(layout.meta.template), "created": dt.datetime(2000, 1, 1),
                       "comments": "campaign-sheets"})
    wb.set_calc_mode("auto")
    formats: dict[tuple, Any] = {}

    def fmt(props: dict | None) -> Any:
        if not props:
            return None
        key = tuple(sorted(props.items()))
        if key not in formats:
            formats[key] = wb.add_format(dict(props))
        return formats[key]

    sheets = {}
    for plan in layout.sheets:
        sheets[plan.name] = wb.add_worksheet(plan.name)
    for plan in layout.sheets:
        _write_sheet(wb, sheets[plan.name], plan, fmt)
    for name, ref in layout.names.items():
        wb.define_name(name, ref)
    first_visible = next(p.name for p in layout.sheets if not p.hidden)
    sheets[first_visible].activate()
    wb.close()


def _write_sheet(wb: Any, ws: Any, plan: SheetPlan, fmt: Any) -> None:
    for col, width in plan.widths.items():
        if width == 0:
            ws.set_column(col, col, None, None, {"hidden": True})
        else:
            ws.set_column(col, col, width)
    for row, height in plan.heights.items():
        ws.set_row(row, height)
    for table in plan.tables:
        opts = dict(table["options"])
        opts["columns"] = [
            {k: (fmt(v) if k == "header_format" else v) for k, v in c.items()} for c in opts["columns"]
        ]
        ws.add_table(table["first_row"], table["first_col"], table["last_row"], table["last_col"], opts)
    merged: dict[tuple[int, int], tuple[int, int, int, int]] = {(r1, c1): (r1, c1, r2, c2) for r1, c1, r2, c2 in plan.merges}
    for (row, col), cell in sorted(plan.cells.items()):
        if (row, col) in merged:
            r1, c1, r2, c2 = merged[(row, col)]
            if cell.formula is None and not isinstance(cell.value, (int, float)):
                ws.merge_range(r1, c1, r2, c2, cell.value or "", fmt(cell.style))
                continue
            ws.merge_range(r1, c1, r2, c2, "", fmt(cell.style))
        _write_cell(ws, row, col, cell, fmt)
    for v in plan.validations:
        ws.data_validation(v.first_row, v.col, v.last_row, v.col, v.options)
    for cf in plan.cond_formats:
        opts = dict(cf.options)
        opts["format"] = fmt(opts["format"])
        first = cf.ranges.split()[0]
        if " " in cf.ranges:
            opts["multi_range"] = cf.ranges
        ws.conditional_format(first, opts)
    for chart in plan.charts:
        _write_chart(wb, ws, chart)
    if plan.freeze:
        ws.freeze_panes(*plan.freeze)
    if plan.hidden:
        ws.hide()
    if plan.tab_color:
        ws.set_tab_color(plan.tab_color)
    if plan.hide_gridlines and not plan.hidden:
        ws.hide_gridlines(2)
    if plan.landscape:
        ws.set_landscape()
    ws.set_paper(8 if plan.wide else 9)  # A3 for the Gantt, else A4
    ws.fit_to_pages(1, plan.fit_height)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&L&A&R&P / &N")
    if plan.repeat_rows:
        ws.repeat_rows(*plan.repeat_rows)
    if plan.protect:
        ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": True,
                        "select_locked_cells": True, "select_unlocked_cells": True})


def _write_cell(ws: Any, row: int, col: int, cell: Cell, fmt: Any) -> None:
    style = fmt(cell.style)
    value = cell.value
    if cell.formula is not None:
        cached = value.code if isinstance(value, ExcelError) else value
        if cached is None:
            cached = ""
        ws.write_formula(row, col, cell.formula, style, cached)
    elif cell.link:
        ws.write_url(row, col, cell.link, style, string=str(value))
    elif value is None or value == "":
        if style is not None:
            ws.write_blank(row, col, None, style)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, style)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, style)
    else:
        ws.write_string(row, col, str(value), style)


def _write_chart(wb: Any, ws: Any, chart: Any) -> None:
    kind = {"column": {"type": "column"}, "bar": {"type": "bar"}, "line": {"type": "line"}, "pie": {"type": "pie"}}[chart.kind]
    c = wb.add_chart(kind)
    for name, values in chart.series:
        series = {"name": name, "categories": "=" + chart.categories, "values": "=" + values}
        if chart.kind == "line":
            series["marker"] = {"type": "circle", "size": 4}
        c.add_series(series)
    c.set_title({"name": chart.title, "name_font": {"size": 11, "bold": True}})
    if chart.kind != "pie":
        c.set_legend({"position": "bottom"})
        if chart.y_format:
            c.set_y_axis({"num_format": chart.y_format})
        if chart.kind == "line":
            c.set_x_axis({"num_format": "m/d", "date_axis": False})
    c.show_hidden_data()  # spec columns marked hidden (e.g. a target line) still plot
    c.set_size({"width": 520, "height": 300})
    ws.insert_chart(chart.anchor[0], chart.anchor[1], c, {"object_position": 1})
