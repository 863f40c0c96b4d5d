"""Plan a workbook in memory: every sheet, cell, table, validation, format and chart.

Pure: no file is touched here. `write_workbook` (writer.py) turns the plan into bytes, and the
importer reads the same placements back from the `_meta` sheet this plan describes.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from .. import formula as f
from ..compute import BookValues, date_serial, sheet_value
from ..contract import RESERVED_SHEETS, safe_sheet_name
from ..i18n import t
from ..spec import model as m
from ..spec.loader import LoadedSpec
from ..spec.resolve import ResolvedTable
from . import styles
from .dashboard import plan_dashboard
from .gantt import plan_gantt
from .guide import plan_guide
from .hidden import plan_lists, plan_meta, plan_spec
from .plan import Layout, SheetPlan, TablePlacement, table_name
from .tables import render_table


class Planner:
    def __init__(self, loaded: LoadedSpec, lang: str, example: bool, as_of: dt.date | None = None) -> None:
        self.loaded, self.spec, self.index, self.lang, self.example = loaded, loaded.spec, loaded.index, lang, example
        self.used_names: set[str] = set(RESERVED_SHEETS)
        self.tables: dict[str, TablePlacement] = {}
        self.names: dict[str, str] = {}
        self.accent = self.spec.branding.accent
        self.styles_cache: dict[str, dict] = {}
        form = self.spec.form()
        self.form_values: dict[str, Any] = {}
        if form and example:
            self.form_values = {fl.key: self.input_value(fl, form.example.get(fl.key)) for fl in form.fields}
        self.today = f.date_to_serial(as_of) if as_of else self.example_today()

    def style(self, role: str, ctype: m.ColumnType | None = None) -> dict:
        return styles.cell(self.lang, role, ctype, self.spec.currency, self.accent)

    def example_today(self) -> float:
        """TODAY() for cached values: a fixed date so builds are byte-identical.

        For the example it is the last daily-log or KPI date (the day the example was
        'filled'); otherwise the campaign start, or 2000-01-01 for an empty template.
        """
        dates: list[float] = []
        if self.example:
            for table in self.spec.tables():
                for col in self.index.tables[table.key].columns:
                    if col.type == m.ColumnType.date and table.key in ("daily_log", "kpi_daily"):
                        dates += [date_serial(r[col.key]) for r in table.example if r.get(col.key)]
        if dates:
            return max(dates)
        start = self.form_values.get(self.index.campaign_field("start") or "")
        return start if isinstance(start, float) else f.date_to_serial(dt.date(2000, 1, 1))

    # -- values ----------------------------------------------------------------------
    def input_value(self, col: m.Column, raw: Any) -> Any:
        """An example/prefill value from the spec, in spreadsheet space."""
        return sheet_value(self.index, col, raw, self.lang)

    def table_rows(self, resolved: ResolvedTable) -> list[dict[str, Any]]:
        table = resolved.table
        rows: list[dict[str, Any]] = []
        if table.prefill:
            rows = self.prefill_rows(resolved)
        elif self.example:
            for raw in table.example:
                rows.append({c.key: self.input_value(c, raw.get(c.key)) for c in resolved.columns if c.formula is None})
        n = max(table.rows, len(rows))
        return rows + [{} for _ in range(n - len(rows))]

    def prefill_rows(self, resolved: ResolvedTable) -> list[dict[str, Any]]:
        return prefill_rows(self.spec, resolved, self.lang, self.example)

    # -- plan --------------------------------------------------------------------------
    def plan(self) -> Layout:
        sheet_names = {s.key: safe_sheet_name(m.text_for(s.title, self.lang), self.used_names) for s in self.spec.sheets}
        # Place every table first (positions only), so formulas can refer across sheets.
        rows: dict[str, list[dict]] = {}
        self.placements: dict[str, list] = {}
        for sheet in self.spec.sheets:
            top = 3 if sheet.help else 2
            for table in sheet.tables:
                resolved = self.index.tables[table.key]
                rows[table.key] = self.table_rows(resolved)
                top = self.place_table(sheet_names[sheet.key], resolved, top, len(rows[table.key]))
        self.book = BookValues(self.index, self.lang, rows, self.form_values, self.today)
        self.lists_sheet = plan_lists(self)
        sheets = []
        for sheet in self.spec.sheets:
            plan = SheetPlan(sheet.key, sheet_names[sheet.key], sheet.kind.value, protect=self.spec.protect,
                             landscape=sheet.landscape, tab_color=sheet.tab_color)
            self.sheet_header(plan, sheet)
            if sheet.kind == m.SheetKind.guide:
                plan_guide(self, plan, sheet, sheet_names)
            elif sheet.kind == m.SheetKind.dashboard:
                plan_dashboard(self, plan, sheet)
            for table in sheet.tables:
                render_table(self, plan, self.tables[table.key])
            if sheet.gantt:
                plan_gantt(self, plan, sheet.gantt)
            if len(sheet.tables) == 1 and not sheet.form:
                tp = self.tables[sheet.tables[0].key]
                plan.freeze = (tp.first_row, 0)
                plan.repeat_rows = (tp.header_row, tp.header_row)
            elif sheet.tables:
                plan.freeze = (2, 0)
            sheets.append(plan)
        sheets.append(self.lists_sheet)
        sheets.append(plan_meta(self))
        sheets.append(plan_spec(self))
        return Layout(self.spec, self.lang, sheets, self.names, self.tables, self.meta, self.book)

    def place_table(self, sheet_name: str, resolved: ResolvedTable, top: int, nrows: int) -> int:
        table = resolved.table
        header = top + (2 if table.help else 1)
        labels = {c.key: m.text_for(c.label, self.lang) for c in resolved.columns}
        tp = TablePlacement(
            key=table.key, sheet=sheet_name, name=table_name(table.key), header_row=header,
            first_row=header + 1, last_row=header + nrows, first_col=0, resolved=resolved, labels=labels,
            title_row=top, total_row=header + nrows + 1 if table.totals else None,
        )
        self.tables[table.key] = tp
        return (tp.total_row or tp.last_row) + 3

    # -- common pieces ------------------------------------------------------------------
    def sheet_header(self, plan: SheetPlan, sheet: m.Sheet) -> None:
        plan.put(0, 0, m.text_for(sheet.title, self.lang), self.style("title"))
        plan.heights[0] = 28
        if sheet.help:
            plan.put(1, 0, m.text_for(sheet.help, self.lang), self.style("help"))
            plan.merges.append((1, 0, 1, 7))
            plan.heights[1] = 32


def prefill_rows(spec: m.Spec, resolved: ResolvedTable, lang: str, example: bool = False) -> list[dict[str, Any]]:
    """The rows a prefilled table starts with (one per item of its list; a KPI's unit, direction and
    figures), in spreadsheet space: what a workbook holds before anyone types."""
    cols = resolved.columns
    rows = []
    for item in spec.list_items(resolved.table.prefill):
        row: dict[str, Any] = {cols[0].key: m.text_for(item.label, lang) or item.key}
        kpi = next((k for k in spec.kpis if k.key == item.key), None) if resolved.table.prefill == "kpis" else None
        if kpi:
            extra = {
                "unit": m.text_for(kpi.unit, lang) or None,
                "direction": t("direction." + kpi.direction.value, lang),
                **kpi_figures(kpi, example),
            }
            for c in cols[1:]:
                if c.key in extra and extra[c.key] is not None:
                    row[c.key] = extra[c.key]
        rows.append(row)
    return rows


def kpi_figures(kpi: m.Kpi, example: bool) -> dict[str, float | None]:
    """A KPI's target, alert and warning as a workbook starts with them: the spec's defaults, or,
    in the worked example, its own figures (an empty workbook holds no figure of the example)."""
    own = kpi.example if example and kpi.example else None
    return {k: getattr(own, k) if own is not None and getattr(own, k) is not None else getattr(kpi, k)
            for k in ("target", "alert", "warning")}


def plan_layout(loaded: LoadedSpec, lang: str = "zh-CN", example: bool = False,
                as_of: dt.date | None = None) -> Layout:
    """Plan the workbook for `loaded` in `lang`, pre-filled with the spec's example if asked.

    `as_of` is the TODAY() used for cached values (default: a fixed date, for identical bytes).
    """
    return Planner(loaded, lang, example, as_of).plan()


__all__ = ["plan_layout", "prefill_rows", "Layout", "SheetPlan", "TablePlacement"]
