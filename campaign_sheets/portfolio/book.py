"""The rollup workbook: a dashboard first, then one Excel table per rollup table, with alerts, in
one language (labels, not keys) and set up to print."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd

from ..i18n import t
from ..outputs import atomic_path, sheet_names
from ..text import display_width
from .labels import Labels, Words

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


def _sheet_names(texts: dict[str, str]) -> dict[str, str]:
    """Excel-safe sheet names, unique ignoring case, for each key's text."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for key, text in texts.items():
        base = name = sheet_names([text])[text]
        n = 2
        while name.lower() in used:
            name = sheet_names([f"{base[:27]}~{n}"]).popitem()[1]
            n += 1
        used.add(name.lower())
        out[key] = name
    return out


def _print_setup(ws: Any, words: Words) -> None:
    """Landscape A4, one page wide (as many pages tall as it takes), the first row on every page."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&C" + t("portfolio.page", words.lang))


def write_rollup_xlsx(frames: dict[str, pd.DataFrame], counts: dict[str, int], target: Path, lang: str = "en",
                      today: dt.date | None = None, labels: Labels | None = None) -> None:
    """The rollup workbook in `lang`: sheet names, headers, keys (through `labels`, the merged
    labels of the files' specs, and the fixed `portfolio.*` words) and charts in that language."""
    import xlsxwriter

    def L(key: str) -> str:
        return t("rollup." + key, lang)

    words = Words(labels, lang)
    today = today or dt.date.today()
    names = _sheet_names({key: words.sheet(key) for key in ["dashboard", *frames]})
    with atomic_path(target, ".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
        wb.set_properties({"title": L("title"), "created": dt.datetime(2000, 1, 1)})
        fmts = {
            "date": wb.add_format({"num_format": "yyyy-mm-dd", "valign": "top"}),
            "money": wb.add_format({"num_format": "¥#,##0", "valign": "top"}),
            "pct": wb.add_format({"num_format": "0.0%", "valign": "top"}),
            "top": wb.add_format({"valign": "top"}),
            "title": wb.add_format({"bold": True, "font_size": 16, "font_color": "#1F4E79"}),
            "label": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "border_color": "#BFBFBF"}),
            "value": wb.add_format({"bold": True, "font_size": 12, "border": 1, "border_color": "#BFBFBF", "num_format": "#,##0"}),
            "value_money": wb.add_format({"bold": True, "font_size": 12, "border": 1, "border_color": "#BFBFBF", "num_format": "¥#,##0"}),
            "bad": wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
            "warn": wb.add_format({"bg_color": "#FFEB9C", "font_color": "#7F6000"}),
            "good": wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
            "note": wb.add_format({"italic": True, "font_color": "#595959"}),
            "note_wrap": wb.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"}),
            "header": wb.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
            "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        }
        dash = wb.add_worksheet(names["dashboard"])
        for key, frame in frames.items():
            ws = wb.add_worksheet(names[key])
            _table(ws, key, frame, fmts, words)
            _print_setup(ws, words)
        c = frames.get("campaigns", pd.DataFrame())
        dash.hide_gridlines(2)
        _print_setup(dash, words)
        dash.fit_to_pages(1, 1)   # the dashboard is one page
        figures = [("found", counts.get("found", 0)), ("clean", counts.get("clean", 0)),
                   ("warnings", counts.get("warnings", 0)), ("errors", counts.get("errors", 0)),
                   ("rejected", counts.get("rejected", 0)), ("not_campaign", counts.get("not_campaign", 0)),
                   ("superseded", counts.get("superseded", 0)), ("campaigns", len(c))]
        for col in ("budget_planned", "budget_actual", "tasks_overdue", "tasks_unfinished_at_close", "risks_open_high",
                    "alerts"):
            if col in c or not len(c):   # a figure no campaign's spec gives is left out, not shown as 0
                figures.append((col, float(c[col].sum()) if col in c and len(c) else 0))
        dash.set_column(0, 0, max(14, max(display_width(L(key)) for key, _ in figures) + 3))
        dash.set_column(1, 1, 16)
        dash.set_column(2, 2, 3)
        dash.write_string(0, 0, L("title"), fmts["title"])
        dash.write_string(1, 0, f"{L('generated')}: {today.isoformat()}", fmts["note"])
        for i, (key, value) in enumerate(figures):
            dash.write_string(3 + i, 0, L(key), fmts["label"])
            dash.write_number(3 + i, 1, value, fmts["value_money"] if key.startswith("budget") else fmts["value"])
        # errors, unreadable, not campaign workbooks
        dash.conditional_format(3 + 3, 1, 3 + 5, 1, {"type": "cell", "criteria": ">", "value": 0, "format": fmts["bad"]})
        note = 4 + len(figures)   # wrapped under the figures (the charts are beside them)
        dash.merge_range(note, 0, note + 2, 1, "", fmts["note_wrap"])
        dash.write_string(note, 0, t("portfolio.files_note", lang, files=names.get("files", "files"),
                                     issues=names.get("issues", "issues")), fmts["note_wrap"])
        _charts(wb, dash, frames, names, L, words)
        _meta_sheet(wb, lang)
        dash.activate()
        wb.close()


def _meta_sheet(wb: Any, lang: str) -> None:
    """The hidden `_meta` sheet of the workbook contract, saying this is a rollup's output (kind =
    rollup): a later rollup or import over the folder lists it as no campaign workbook, never as a campaign."""
    from .. import __version__
    from ..contract import KIND_ROLLUP, META_SHEET, Meta, meta_rows

    ws = wb.add_worksheet(META_SHEET)
    for r, row in enumerate(meta_rows(Meta(locale=lang, generator=f"campaign-sheets {__version__}", kind=KIND_ROLLUP))):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    ws.hide()


def _headers(columns: list[str]) -> list[str]:
    """Excel table headers: unique ignoring case (extra columns 'Extra' and 'extra' may both exist,
    and a label may repeat another column's)."""
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


def _shown_width(value: Any, col: str) -> int:
    """About how many columns a cell's value takes as the rollup formats it."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return 0
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return 10
    if isinstance(value, bool):
        return 5
    if isinstance(value, (int, float)) or hasattr(value, "item"):
        v = value.item() if hasattr(value, "item") else value
        if isinstance(v, (int, float)):
            if col in PERCENT or col.endswith("_attainment"):
                return 7
            if col in MONEY:
                return len(f"{v:,.0f}") + 1
            if float(v).is_integer():
                return len(f"{v:.0f}")
            return min(11, len(f"{v:.10g}"))   # as the General format shows it
    return display_width(str(value))


SAMPLE = 300       # rows looked at to size a column
TEXT_CAP = 36      # a wider text wraps in its cell
HEADER_LINES = 3   # a header may wrap onto this many lines


def _header_width(header: str) -> int:
    """The narrowest a column can be for its header wrapped on at most HEADER_LINES lines (words
    are not broken; a CJK character may start a line)."""
    words = [w for w in header.replace("·", " ").split() if w]
    longest = max((display_width(w) if w.isascii() else 2 for w in words), default=0)
    return max(longest, -(-display_width(header) // HEADER_LINES))


def _lines(value: Any, width: int) -> int:
    """About how many lines a text wraps onto in a column `width` wide (words are not broken)."""
    if not isinstance(value, str):
        return 1
    room = max(1, width - 1)
    return sum(max(1, -(-display_width(part) * 11 // (10 * room))) for part in value.split("\n"))


def _table(ws: Any, key: str, frame: pd.DataFrame, fmts: dict, words: Words) -> None:
    keys = [str(c) for c in frame.columns]
    cols = _headers([words.header(key, c) for c in keys]) or ["(empty)"]
    maps = [words.values(key, c) for c in keys]

    def shown(ci: int, value: Any) -> Any:
        mapping = maps[ci]
        return mapping.get(value, value) if mapping is not None and isinstance(value, str) else value

    # widths from the header (wrapped) and the values as shown (a CJK character is two columns)
    need = [0] * len(cols)
    for row in frame.head(SAMPLE).itertuples(index=False):
        for ci, value in enumerate(row):
            need[ci] = max(need[ci], _shown_width(shown(ci, value), keys[ci]))
    widths = [min(TEXT_CAP, max(5, _header_width(h), v) + 1) for h, v in zip(cols, need)]
    lines = max((min(HEADER_LINES + 1, -(-display_width(h) // max(1, w - 1))) for h, w in zip(cols, widths)), default=1)
    for i, w in enumerate(widths):
        ws.set_column(i, i, w, fmts["wrap"] if need[i] + 1 > TEXT_CAP else fmts["top"])
    ws.set_row(0, 16 * lines + 2)
    n = len(frame)
    ws.add_table(0, 0, max(n, 1), len(cols) - 1, {
        "name": f"rollup_{key}"[:250], "style": "Table Style Light 9",
        "columns": [{"header": c, "header_format": fmts["header"]} for c in cols],
    })
    wrapped = [i for i in range(len(keys)) if need[i] + 1 > TEXT_CAP]
    for r, row in enumerate(frame.itertuples(index=False), 1):
        for ci, value in enumerate(row):
            _cell(ws, r, ci, shown(ci, value), fmts, keys[ci])
        if wrapped:   # a row's height for its wrapped text (spreadsheets do not all work it out on opening)
            tall = max(_lines(row[i], widths[i]) for i in wrapped)
            if tall > 1:
                ws.set_row(r, 16 * tall + 1)
    ws.freeze_panes(1, 0)
    last = max(n, 1)

    def cf(col: str, crit: dict) -> None:
        if col in keys:
            i = keys.index(col)
            ws.conditional_format(1, i, last, i, crit)

    def word(col: str, value: str) -> str:
        """A text condition compares the word the cell shows."""
        mapping = maps[keys.index(col)] if col in keys else None
        shown = mapping.get(value, value) if mapping else value
        return '"' + str(shown).replace('"', '""') + '"'
    if key == "campaigns":
        cf("budget_used", {"type": "cell", "criteria": ">", "value": 1, "format": fmts["bad"]})
        cf("tasks_overdue", {"type": "cell", "criteria": ">", "value": 0, "format": fmts["warn"]})
        cf("tasks_unfinished_at_close", {"type": "cell", "criteria": ">", "value": 0, "format": fmts["warn"]})
        cf("risks_open_high", {"type": "cell", "criteria": ">", "value": 0, "format": fmts["bad"]})
        cf("attainment", {"type": "cell", "criteria": ">=", "value": 1, "format": fmts["good"]})
        cf("attainment", {"type": "cell", "criteria": "between", "minimum": 0.0000001, "maximum": 0.8, "format": fmts["bad"]})
        cf("errors", {"type": "cell", "criteria": ">", "value": 0, "format": fmts["bad"]})
    elif key in ("files", "issues"):
        for col, value, fmt in (("status", "errors", "bad"), ("status", "rejected", "bad"), ("status", "not_campaign", "bad"),
                                ("status", "warnings", "warn"), ("status", "superseded", "warn"),
                                ("severity", "error", "bad"), ("severity", "warning", "warn")):
            cf(col, {"type": "cell", "criteria": "==", "value": word(col, value), "format": fmts[fmt]})
    elif key == "kpi_series":
        cf("status", {"type": "cell", "criteria": "==", "value": word("status", "alert"), "format": fmts["bad"]})
        cf("status", {"type": "cell", "criteria": "==", "value": word("status", "warning"), "format": fmts["warn"]})
    elif key == "budget_by_category":
        cf("used", {"type": "cell", "criteria": ">", "value": 1, "format": fmts["bad"]})


def _charts(wb: Any, dash: Any, frames: dict[str, pd.DataFrame], names: dict[str, str], L: Any, words: Words) -> None:
    def ref(key: str, col: str, n: int) -> str:
        i = list(frames[key].columns).index(col)
        from xlsxwriter.utility import xl_col_to_name

        c = xl_col_to_name(i)
        sheet = names[key].replace("'", "''")
        return f"='{sheet}'!${c}$2:${c}${n + 1}"

    cat = frames.get("budget_by_category")
    if cat is not None and len(cat):
        ch = wb.add_chart({"type": "column"})
        for col in ("planned", "actual"):
            ch.add_series({"name": words.header("budget_by_category", col), "categories": ref("budget_by_category", "category_label", len(cat)),
                           "values": ref("budget_by_category", col, len(cat))})
        ch.set_title({"name": L("by_category")})
        ch.set_y_axis({"num_format": "¥#,##0"})
        ch.set_size({"width": 560, "height": 300})
        dash.insert_chart(2, 3, ch)
    c = frames.get("campaigns")
    if c is not None and len(c) and "attainment" in c:
        n = min(len(c), 20)
        ch = wb.add_chart({"type": "bar"})
        ch.add_series({"name": words.header("campaigns", "attainment"), "categories": ref("campaigns", "campaign_id", n),
                       "values": ref("campaigns", "attainment", n)})
        ch.set_title({"name": L("attainment")})
        ch.set_x_axis({"num_format": "0%"})
        ch.set_legend({"none": True})
        ch.set_size({"width": 560, "height": 380})
        dash.insert_chart(18, 3, ch)


__all__ = ["write_rollup_xlsx"]
