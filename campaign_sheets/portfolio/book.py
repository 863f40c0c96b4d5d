"""The rollup workbook: a dashboard first, then one Excel table per rollup table, with alerts."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd

from ..i18n import t
from ..outputs import atomic_path, sheet_names

MONEY = {"budget_planned", "budget_actual", "budget_variance", "planned", "actual", "variance", "budget"}
PERCENT = {"budget_used", "used", "attainment"}


def _cell(ws: Any, r: int, c: int, value: Any, fmts: dict, col: str) -> None:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, (dt.date, dt.datetime)):
        ws.write_datetime(r, c, value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day), fmts["date"])
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, (int, float)) or hasattr(value, "item"):
        v = value.item() if hasattr(value, "item") else value
        if isinstance(v, (int, float)):
            fmt = fmts["money"] if col in MONEY else fmts["pct"] if col in PERCENT or col.endswith("_attainment") else None
            ws.write_number(r, c, v, fmt)
        else:
            ws.write_string(r, c, str(v))
    else:
        ws.write_string(r, c, str(value))  # text from workbooks is never a formula here


def write_rollup_xlsx(frames: dict[str, pd.DataFrame], counts: dict[str, int], target: Path, lang: str = "en",
                      today: dt.date | None = None) -> None:
    import xlsxwriter

    def L(key: str) -> str:
        return t("rollup." + key, lang)

    today = today or dt.date.today()
    names = sheet_names(["dashboard", *frames])
    with atomic_path(target, ".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
        wb.set_properties({"title": L("title"), "created": dt.datetime(2000, 1, 1)})
        fmts = {
            "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
            "money": wb.add_format({"num_format": "¥#,##0"}),
            "pct": wb.add_format({"num_format": "0.0%"}),
            "title": wb.add_format({"bold": True, "font_size": 16, "font_color": "#1F4E79"}),
            "label": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "border_color": "#BFBFBF"}),
            "value": wb.add_format({"bold": True, "font_size": 12, "border": 1, "border_color": "#BFBFBF", "num_format": "#,##0"}),
            "value_money": wb.add_format({"bold": True, "font_size": 12, "border": 1, "border_color": "#BFBFBF", "num_format": "¥#,##0"}),
            "bad": wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
            "warn": wb.add_format({"bg_color": "#FFEB9C", "font_color": "#7F6000"}),
            "good": wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
            "note": wb.add_format({"italic": True, "font_color": "#595959"}),
        }
        dash = wb.add_worksheet(names["dashboard"])
        sheets = {}
        for key, frame in frames.items():
            ws = wb.add_worksheet(names[key])
            sheets[key] = (ws, frame)
            _table(ws, key, frame, fmts)
        c = frames.get("campaigns", pd.DataFrame())
        dash.hide_gridlines(2)
        dash.set_landscape()
        dash.set_paper(9)
        dash.fit_to_pages(1, 1)
        dash.set_column(0, 0, 26)
        dash.set_column(1, 1, 18)
        dash.write_string(0, 0, L("title"), fmts["title"])
        dash.write_string(1, 0, f"{L('generated')}: {today.isoformat()}", fmts["note"])
        figures = [("found", counts.get("found", 0)), ("clean", counts.get("clean", 0)),
                   ("warnings", counts.get("warnings", 0)), ("errors", counts.get("errors", 0)),
                   ("rejected", counts.get("rejected", 0)), ("campaigns", len(c))]
        for col in ("budget_planned", "budget_actual", "tasks_overdue", "risks_open_high", "alerts"):
            if col in c or not len(c):   # a figure no campaign's spec gives is left out, not shown as 0
                figures.append((col, float(c[col].sum()) if col in c and len(c) else 0))
        for i, (key, value) in enumerate(figures):
            dash.write_string(3 + i, 0, L(key), fmts["label"])
            dash.write_number(3 + i, 1, value, fmts["value_money"] if key.startswith("budget") else fmts["value"])
        dash.conditional_format(3 + 3, 1, 3 + 4, 1, {"type": "cell", "criteria": ">", "value": 0, "format": fmts["bad"]})
        dash.write_string(4 + len(figures), 0, L("files_note"), fmts["note"])
        _charts(wb, dash, frames, names, L)
        dash.activate()
        wb.close()


def _headers(columns: list[str]) -> list[str]:
    """Excel table headers: unique ignoring case (extra columns 'Extra' and 'extra' may both exist)."""
    seen: set[str] = set()
    out = []
    for c in columns:
        name, n = c, 2
        while name.lower() in seen:
            name = f"{c} ({n})"
            n += 1
        seen.add(name.lower())
        out.append(name)
    return out


def _table(ws: Any, key: str, frame: pd.DataFrame, fmts: dict) -> None:
    cols = _headers([str(c) for c in frame.columns]) or ["(empty)"]
    n = len(frame)
    ws.add_table(0, 0, max(n, 1), len(cols) - 1, {
        "name": f"rollup_{key}"[:250], "columns": [{"header": c} for c in cols], "style": "Table Style Light 9",
    })
    for i, c in enumerate(cols):
        ws.set_column(i, i, min(40, max(10, len(c) + 2)))
    for r, row in enumerate(frame.itertuples(index=False), 1):
        for ci, value in enumerate(row):
            _cell(ws, r, ci, value, fmts, cols[ci])
    ws.freeze_panes(1, 0)
    last = max(n, 1)

    def cf(col: str, crit: dict) -> None:
        if col in cols:
            i = cols.index(col)
            ws.conditional_format(1, i, last, i, crit)
    if key == "campaigns":
        cf("budget_used", {"type": "cell", "criteria": ">", "value": 1, "format": fmts["bad"]})
        cf("tasks_overdue", {"type": "cell", "criteria": ">", "value": 0, "format": fmts["warn"]})
        cf("risks_open_high", {"type": "cell", "criteria": ">", "value": 0, "format": fmts["bad"]})
        cf("attainment", {"type": "cell", "criteria": ">=", "value": 1, "format": fmts["good"]})
        cf("attainment", {"type": "cell", "criteria": "between", "minimum": 0.0000001, "maximum": 0.8, "format": fmts["bad"]})
        cf("errors", {"type": "cell", "criteria": ">", "value": 0, "format": fmts["bad"]})
    elif key in ("files", "issues"):
        for col, word, fmt in (("status", "errors", "bad"), ("status", "rejected", "bad"), ("status", "warnings", "warn"),
                               ("severity", "error", "bad"), ("severity", "warning", "warn")):
            cf(col, {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmts[fmt]})
    elif key == "kpi_series":
        cf("status", {"type": "cell", "criteria": "==", "value": '"alert"', "format": fmts["bad"]})
        cf("status", {"type": "cell", "criteria": "==", "value": '"warning"', "format": fmts["warn"]})
    elif key == "budget_by_category":
        cf("used", {"type": "cell", "criteria": ">", "value": 1, "format": fmts["bad"]})


def _charts(wb: Any, dash: Any, frames: dict[str, pd.DataFrame], names: dict[str, str], L: Any) -> None:
    def ref(key: str, col: str, n: int) -> str:
        i = list(frames[key].columns).index(col)
        from xlsxwriter.utility import xl_col_to_name

        c = xl_col_to_name(i)
        return f"='{names[key]}'!${c}$2:${c}${n + 1}"

    cat = frames.get("budget_by_category")
    if cat is not None and len(cat):
        ch = wb.add_chart({"type": "column"})
        for col in ("planned", "actual"):
            ch.add_series({"name": col, "categories": ref("budget_by_category", "category_label", len(cat)),
                           "values": ref("budget_by_category", col, len(cat))})
        ch.set_title({"name": L("by_category")})
        ch.set_size({"width": 560, "height": 300})
        dash.insert_chart(2, 3, ch)
    c = frames.get("campaigns")
    if c is not None and len(c) and "attainment" in c:
        n = min(len(c), 20)
        ch = wb.add_chart({"type": "bar"})
        ch.add_series({"name": "attainment", "categories": ref("campaigns", "campaign_id", n),
                       "values": ref("campaigns", "attainment", n)})
        ch.set_title({"name": L("attainment")})
        ch.set_x_axis({"num_format": "0%"})
        ch.set_legend({"none": True})
        ch.set_size({"width": 560, "height": 380})
        dash.insert_chart(18, 3, ch)


__all__ = ["write_rollup_xlsx"]
