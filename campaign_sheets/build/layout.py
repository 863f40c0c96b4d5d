"""Plan a workbook in memory: every sheet, cell, table, validation, format and chart.

Pure: no file is touched here. `write_workbook` (writer.py) turns the plan into bytes, and the
importer reads the same placements back from the `_meta` sheet this plan describes.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from .. import formula as f
from ..contract import LISTS_SHEET, META_SHEET, Meta, TableEntry, meta_rows, safe_sheet_name
from ..compute import BookValues, date_serial, sheet_value
from ..i18n import t
from ..spec import model as m
from ..spec.loader import LoadedSpec
from ..spec.index import parse_guarded
from ..spec.resolve import ResolvedTable
from . import styles

GANTT_GAP = 1


# --------------------------------------------------------------------------- plan types
@dataclass
class Cell:
    value: Any = None
    formula: str | None = None
    style: dict = field(default_factory=dict)
    link: str | None = None


@dataclass
class Validation:
    first_row: int
    col: int
    last_row: int
    options: dict


@dataclass
class CondFormat:
    ranges: str  # space-separated A1 ranges; the formula is relative to the first one's top-left
    options: dict


@dataclass
class Chart:
    kind: str
    title: str
    categories: str
    series: list[tuple[str, str]]  # (name, values range)
    anchor: tuple[int, int]
    y_format: str | None = None


@dataclass
class TablePlacement:
    """Where a table landed: used by formulas, validations, charts and `_meta`."""

    key: str
    sheet: str
    name: str
    header_row: int
    first_row: int
    last_row: int
    first_col: int
    resolved: ResolvedTable
    labels: dict[str, str]
    title_row: int = 0
    total_row: int | None = None

    def col(self, key: str) -> int:
        return self.first_col + [c.key for c in self.resolved.columns].index(key)

    @property
    def last_col(self) -> int:
        return self.first_col + len(self.resolved.columns) - 1

    def abs_range(self, key: str) -> str:
        c = xl_col_to_name(self.col(key))
        return f"{quote_sheet(self.sheet)}!${c}${self.first_row + 1}:${c}${self.last_row + 1}"


@dataclass
class SheetPlan:
    key: str
    name: str
    kind: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    tables: list[dict] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    cond_formats: list[CondFormat] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    freeze: tuple[int, int] | None = None
    hidden: bool = False
    protect: bool = False
    landscape: bool = True
    repeat_rows: tuple[int, int] | None = None
    tab_color: str | None = None
    hide_gridlines: bool = True
    wide: bool = False

    def put(self, row: int, col: int, value: Any = None, style: dict | None = None, *,
            formula: str | None = None, link: str | None = None) -> None:
        self.cells[(row, col)] = Cell(value, formula, style or {}, link)


@dataclass
class Layout:
    spec: m.Spec
    lang: str
    sheets: list[SheetPlan]
    names: dict[str, str]
    tables: dict[str, TablePlacement]
    meta: Meta
    book: BookValues


# --------------------------------------------------------------------------- naming
def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def sref_label(label: str) -> str:
    """A header label inside a structured reference: ' escapes [ ] # and '."""
    return re.sub(r"([\[\]#'])", r"'\1", label)


def table_name(key: str) -> str:
    return f"tbl_{key}"


# --------------------------------------------------------------------------- reference renderers
class CellNames(f.ExcelNames):
    """Structured references, for formulas in cells."""

    def __init__(self, plan: "Planner", table: TablePlacement | None, item_cell: str | None = None) -> None:
        self.plan, self.table, self.item_cell = plan, table, item_cell

    def row(self, name: str) -> str:
        tp = self.table
        if name in tp.resolved.groups:
            keys = tp.resolved.groups[name]
            first, last = sref_label(tp.labels[keys[0]]), sref_label(tp.labels[keys[-1]])
            return f"{tp.name}[[#This Row],[{first}]:[{last}]]"
        return f"{tp.name}[[#This Row],[{sref_label(tp.labels[name])}]]"

    def scoped(self, scope: str, name: str) -> str:
        if scope in self.plan.tables:
            tp = self.plan.tables[scope]
            return f"{tp.name}[[{sref_label(tp.labels[name])}]]"
        return f"{scope}_{name}"

    def item(self, list_name: str | None, key: str) -> str:
        if list_name is None:
            return self.item_cell or '""'
        return f.excel_string(self.plan.spec.list_label(list_name, key, self.plan.lang))


class RangeNames(CellNames):
    """A1 references relative to a table's first data row, for conditional formats and validations."""

    def row(self, name: str) -> str:
        tp = self.table
        r = tp.first_row + 1
        if name in tp.resolved.groups:
            keys = tp.resolved.groups[name]
            return f"${xl_col_to_name(tp.col(keys[0]))}{r}:${xl_col_to_name(tp.col(keys[-1]))}{r}"
        return f"${xl_col_to_name(tp.col(name))}{r}"

    def scoped(self, scope: str, name: str) -> str:
        if scope in self.plan.tables:
            return self.plan.tables[scope].abs_range(name)
        return f"{scope}_{name}"


# --------------------------------------------------------------------------- the planner
class Planner:
    def __init__(self, loaded: LoadedSpec, lang: str, example: bool, as_of: dt.date | None = None) -> None:
        self.loaded, self.spec, self.index, self.lang, self.example = loaded, loaded.spec, loaded.index, lang, example
        self.used_names: set[str] = {META_SHEET, LISTS_SHEET}
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
        start = self.form_values.get("start")
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
        cols = resolved.columns
        rows = []
        for item in self.spec.list_items(resolved.table.prefill):
            row: dict[str, Any] = {cols[0].key: m.text_for(item.label, self.lang) or item.key}
            kpi = next((k for k in self.spec.kpis if k.key == item.key), None) if resolved.table.prefill == "kpis" else None
            if kpi:
                extra = {
                    "unit": m.text_for(kpi.unit, self.lang) or None,
                    "direction": t("direction." + kpi.direction.value, self.lang),
                    "target": kpi.target, "alert": kpi.alert, "warning": kpi.warning,
                }
                for c in cols[1:]:
                    if c.key in extra and extra[c.key] is not None:
                        row[c.key] = extra[c.key]
            rows.append(row)
        return rows

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
        self.lists_sheet = self.plan_lists()
        sheets = []
        for sheet in self.spec.sheets:
            plan = SheetPlan(sheet.key, sheet_names[sheet.key], sheet.kind.value, protect=self.spec.protect,
                             landscape=sheet.landscape, tab_color=sheet.tab_color)
            self.sheet_header(plan, sheet)
            if sheet.kind == m.SheetKind.guide:
                self.plan_guide(plan, sheet, sheet_names)
            elif sheet.kind == m.SheetKind.dashboard:
                self.plan_dashboard(plan, sheet)
            for table in sheet.tables:
                self.render_table(plan, self.tables[table.key])
            if sheet.gantt:
                self.plan_gantt(plan, sheet.gantt)
            if len(sheet.tables) == 1 and not sheet.form:
                tp = self.tables[sheet.tables[0].key]
                plan.freeze = (tp.first_row, 0)
                plan.repeat_rows = (tp.header_row, tp.header_row)
            elif sheet.tables:
                plan.freeze = (2, 0)
            sheets.append(plan)
        sheets.append(self.lists_sheet)
        sheets.append(self.plan_meta())
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

    def render_table(self, plan: SheetPlan, tp: TablePlacement) -> None:
        table, cols = tp.resolved.table, tp.resolved.columns
        plan.put(tp.title_row, 0, m.text_for(table.title, self.lang), self.style("subtitle"))
        if table.help:
            plan.put(tp.title_row + 1, 0, m.text_for(table.help, self.lang), self.style("help"))
            plan.merges.append((tp.title_row + 1, 0, tp.title_row + 1, max(tp.last_col, 5)))
            plan.heights[tp.title_row + 1] = 30
        plan.heights[tp.header_row] = 32
        names = CellNames(self, tp)
        groups = frozenset(tp.resolved.groups)
        excel = {c.key: "=" + f.to_excel(parse_guarded(c.formula, groups), names) for c in cols if c.formula}
        columns_opt = []
        for col in cols:
            opt: dict[str, Any] = {"header": tp.labels[col.key], "header_format": self.style("header")}
            if col.formula:
                opt["formula"] = excel[col.key]
            if table.totals:
                if col.key in table.totals:
                    kind = table.totals[col.key].value
                    opt["total_function"] = kind
                    opt["total_value"] = self.total_value(tp, col.key, kind)
                elif col is cols[0]:
                    opt["total_string"] = t("total", self.lang)
            columns_opt.append(opt)
        last = tp.total_row if tp.total_row is not None else tp.last_row
        plan.tables.append({
            "first_row": tp.header_row, "first_col": tp.first_col, "last_row": last, "last_col": tp.last_col,
            "options": {"name": tp.name, "columns": columns_opt, "style": "Table Style Light 9",
                        "total_row": tp.total_row is not None, "autofilter": True},
        })
        locked_first = bool(table.prefill)
        for ci, col in enumerate(cols):
            c = tp.col(col.key)
            plan.widths[c] = max(plan.widths.get(c, 0), col.width or styles.default_width(col.type))
            ctype = col.result or (m.ColumnType.number if col.type == m.ColumnType.formula else col.type)
            if col.formula:
                fmt = self.style("formula", ctype)
                for i in range(tp.last_row - tp.first_row + 1):
                    plan.put(tp.first_row + i, c, self.book.value(table.key, i, col.key), fmt, formula=excel[col.key])
            else:
                fmt = self.style("formula" if locked_first and ci == 0 else "input", ctype)
                for i in range(tp.last_row - tp.first_row + 1):
                    cell_fmt = fmt
                    if table.prefill == "kpis" and i < len(self.spec.kpis) and ctype in m.NUMERIC_TYPES and ci:
                        cell_fmt = self.style("input", self.spec.kpis[i].type)  # 8% for a rate, ¥ for money
                    plan.put(tp.first_row + i, c, self.book.rows[table.key][i].get(col.key), cell_fmt)
                if not (locked_first and ci == 0):
                    self.validation(plan, tp, col)
            if col.hidden:
                plan.widths[c] = 0
        if tp.total_row is not None:
            for col in cols:
                c = tp.col(col.key)
                ctype = col.result or col.type
                plan.put(tp.total_row, c, None, dict(self.style("formula", ctype), bold=True))
        self.rule_formats(plan, tp)

    def total_value(self, tp: TablePlacement, key: str, kind: str) -> Any:
        values = self.book.column(tp.key, key)
        nums = [v for v in values if isinstance(v, float)]
        if kind == "sum":
            return sum(nums)
        if kind == "count":
            return len([v for v in values if v not in (None, "")])
        if kind == "average":
            return sum(nums) / len(nums) if nums else 0
        return (max if kind == "max" else min)(nums) if nums else 0

    def rule_formats(self, plan: SheetPlan, tp: TablePlacement) -> None:
        names = RangeNames(self, tp)
        for rule in self.index.rules[tp.key]:
            keys = rule.columns or [c.key for c in tp.resolved.columns]
            ranges = " ".join(
                f"{xl_rowcol_to_cell(tp.first_row, tp.col(k))}:{xl_rowcol_to_cell(tp.last_row, tp.col(k))}" for k in keys
            )
            plan.cond_formats.append(CondFormat(ranges, {
                "type": "formula", "criteria": "=" + f.to_excel(f.parse(rule.when), names),
                "format": styles.conditional(rule.style.value),
                "stop_if_true": rule.style == m.Style.bad,  # red wins over amber on the same cell
            }))

    def validation(self, plan: SheetPlan, tp: TablePlacement, col: m.Column) -> None:
        opts = self.validation_options(col)
        if opts:
            plan.validations.append(Validation(tp.first_row, tp.col(col.key), tp.last_row, opts))

    def validation_options(self, col: m.Column) -> dict | None:
        """xlsxwriter data_validation options for an input column: type check, input message, alert."""
        lang = self.lang
        help_text = m.text_for(col.help, lang)
        bounds = self.bounds_text(col)
        ty = col.type
        opts: dict[str, Any]
        if ty in (m.ColumnType.integer, m.ColumnType.number, m.ColumnType.money, m.ColumnType.percent):
            lo = col.min if col.min is not None else -1e12
            hi = col.max if col.max is not None else 1e12
            opts = {"validate": "integer" if ty == m.ColumnType.integer else "decimal", "criteria": "between",
                    "minimum": lo, "maximum": hi}
            hint = t("dv.integer" if ty == m.ColumnType.integer else "dv.percent" if ty == m.ColumnType.percent else "dv.number", lang, bounds=bounds)
        elif ty in m.DATE_TYPES:
            lo = col.min if isinstance(col.min, dt.date) else dt.date(2000, 1, 1)
            hi = col.max if isinstance(col.max, dt.date) else dt.date(2100, 12, 31)
            opts = {"validate": "date", "criteria": "between", "minimum": lo, "maximum": hi}
            hint = t("dv.date", lang, bounds="")
        elif ty in (m.ColumnType.choice, m.ColumnType.bool):
            name = f"list_{col.choices}" if ty == m.ColumnType.choice else "list_yes_no"
            opts = {"validate": "list", "source": "=" + name}
            hint = t("dv.choice", lang)
        elif ty == m.ColumnType.reference and col.ref:
            scope, _, key = col.ref.partition(".")
            opts = {"validate": "list", "source": "=" + self.tables[scope].abs_range(key), "error_type": "warning"}
            hint = t("dv.reference", lang, target=self.tables[scope].labels[key])
        elif ty == m.ColumnType.person and self.spec.people:
            scope, _, key = self.spec.people.partition(".")
            opts = {"validate": "list", "source": "=" + self.tables[scope].abs_range(key), "error_type": "warning"}
            hint = t("dv.person", lang)
        elif ty == m.ColumnType.text and col.max_length:
            opts = {"validate": "length", "criteria": "<=", "value": col.max_length}
            hint = t("dv.text", lang, n=col.max_length)
        else:
            opts = {"validate": "any"}
            hint = ""
        message = " ".join(x for x in (help_text, hint, t("required", lang) if col.required else "") if x)
        if message:
            opts["input_title"] = m.text_for(col.label, lang)[:32]
            opts["input_message"] = message[:255]
        if opts["validate"] != "any":
            opts["error_title"] = t("dv.error_title", lang)[:32]
            opts["error_message"] = (hint or t("dv.error_title", lang))[:255]
        elif not message:
            return None
        return opts

    def bounds_text(self, col: m.Column) -> str:
        def show(v: Any) -> str:
            if col.type == m.ColumnType.percent and isinstance(v, float):
                return f"{v:.0%}"
            return f"{v:g}" if isinstance(v, float) else str(v)
        if col.min is not None and col.max is not None:
            return t("dv.between", self.lang, lo=show(col.min), hi=show(col.max))
        if col.min is not None:
            return t("dv.min", self.lang, lo=show(col.min))
        if col.max is not None:
            return t("dv.max", self.lang, hi=show(col.max))
        return ""

    # -- special sheets -----------------------------------------------------------------
    def plan_guide(self, plan: SheetPlan, sheet: m.Sheet, sheet_names: dict[str, str]) -> None:
        plan.put(0, 0, m.text_for(self.spec.title, self.lang), self.style("title"))
        plan.merges.append((0, 0, 0, 5))
        if self.spec.branding.company:
            plan.put(1, 0, m.text_for(self.spec.branding.company, self.lang), self.style("help"))
        plan.widths.update({0: 22, 1: 56, 2: 18, 3: 18, 4: 18, 5: 18})
        row = 3
        if sheet.form:
            form = sheet.form
            plan.put(row, 0, m.text_for(form.title, self.lang), self.style("subtitle"))
            row += 1
            for fl in form.fields:
                plan.put(row, 0, m.text_for(fl.label, self.lang), self.style("label"))
                value = self.form_values.get(fl.key)
                plan.put(row, 1, value, self.style("input", fl.type))
                if isinstance(value, str) and _display_width(value) > 56:  # wrapped: give it the lines
                    plan.heights[row] = 15 * -(-_display_width(value) // 56)
                name = f"{form.key}_{fl.key}"
                self.names[name] = f"={quote_sheet(plan.name)}!$B${row + 1}"
                opts = self.validation_options(fl)
                if opts:
                    plan.validations.append(Validation(row, 1, row, opts))
                if fl.help:
                    plan.put(row, 2, m.text_for(fl.help, self.lang), self.style("help"))
                    plan.merges.append((row, 2, row, 5))
                row += 1
            row += 1
        if sheet.sections:
            plan.put(row, 0, t("how_to_fill", self.lang), self.style("subtitle"))
            row += 1
            for i, section in enumerate(sheet.sections, 1):
                text = m.text_for(section, self.lang)
                plan.put(row, 0, f"{i}. {text}", self.style("paragraph"))
                plan.merges.append((row, 0, row, 5))
                plan.heights[row] = 15 * max(1, -(-_display_width(text) // 120))
                row += 1
            plan.put(row, 0, t("protected_note", self.lang), self.style("help"))
            plan.merges.append((row, 0, row, 5))
            plan.heights[row] = 30
            row += 2
        plan.put(row, 0, t("sheets_overview", self.lang), self.style("subtitle"))
        row += 1
        for other in self.spec.sheets:
            if other.key == sheet.key:
                continue
            name = sheet_names[other.key]
            plan.put(row, 0, name, self.style("link"), link=f"internal:{quote_sheet(name)}!A1")
            plan.put(row, 1, m.text_for(other.help, self.lang), self.style("help"))
            plan.merges.append((row, 1, row, 5))
            row += 1
        row += 1
        plan.put(row, 0, t("legend", self.lang), self.style("subtitle"))
        row += 1
        for role, key in (("input", "legend.input"), ("formula", "legend.formula"), ("bad", "legend.bad"),
                          ("warn", "legend.warn"), ("good", "legend.good"), ("info", "legend.info")):
            style = self.style(role) if role in ("input", "formula") else self.style(role)
            plan.put(row, 0, "", dict(style, locked=True))
            plan.put(row, 1, t(key, self.lang))
            plan.merges.append((row, 1, row, 5))
            row += 1
        row += 1
        plan.put(row, 0, t("template", self.lang), self.style("label"))
        plan.put(row, 1, f"{self.spec.template} (v{self.spec.version})")
        self.guide_anchor = row

    def plan_gantt(self, plan: SheetPlan, gantt: m.Gantt) -> None:
        """A day grid right of the task table: bars by conditional format, today marked.

        The grid starts at the earliest task start (preparation often begins before the
        campaign), or at the campaign start while no task has a date.
        """
        tp = self.tables[gantt.table]
        start_name = self.form_start_name()
        first = tp.last_col + 1 + GANTT_GAP
        starts = [v for v in self.book.column(tp.key, gantt.start) if isinstance(v, float)]
        campaign_start = self.form_values.get("start")
        origin = min(starts) if starts else campaign_start if isinstance(campaign_start, float) else None
        fallback = f'IF({start_name}="","",{start_name})' if start_name else '""'
        start_range = f"{tp.name}[[{sref_label(tp.labels[gantt.start])}]]"
        plan.put(tp.title_row, first, t("gantt", self.lang), self.style("subtitle"))
        for k in range(gantt.days):
            c = first + k
            if k == 0:
                formula = f"=IF(COUNT({start_range})>0,MIN({start_range}),{fallback})"
            else:
                prev = xl_rowcol_to_cell(tp.header_row, c - 1)
                formula = f'=IF({prev}="","",{prev}+1)'
            cached = origin + k if origin is not None else ""
            plan.put(tp.header_row, c, cached, self.style("gantt_head"), formula=formula)
            plan.widths[c] = 3.2
            for r in range(tp.first_row, tp.last_row + 1):
                plan.put(r, c, None, self.style("gantt"))
        plan.wide = True
        last = first + gantt.days - 1
        grid = f"{xl_rowcol_to_cell(tp.first_row, first)}:{xl_rowcol_to_cell(tp.last_row, last)}"
        head = f"{xl_col_to_name(first)}${tp.header_row + 1}"
        s = f"${xl_col_to_name(tp.col(gantt.start))}{tp.first_row + 1}"
        e = f"${xl_col_to_name(tp.col(gantt.end))}{tp.first_row + 1}"
        inside = f'AND({head}<>"",{s}<>"",{e}<>"",{head}>={s},{head}<={e})'
        plan.cond_formats.append(CondFormat(
            f"{xl_rowcol_to_cell(tp.header_row, first)}:{xl_rowcol_to_cell(tp.last_row, last)}",
            {"type": "formula", "criteria": f'=AND({head}<>"",{head}=TODAY())', "format": dict(styles.TODAY_MARK)},
        ))
        if gantt.status and gantt.done:
            status_col = tp.resolved.column(gantt.status)
            done = self.spec.list_label(status_col.choices, gantt.done, self.lang) if status_col.choices else gantt.done
            st = f"${xl_col_to_name(tp.col(gantt.status))}{tp.first_row + 1}"
            plan.cond_formats.append(CondFormat(grid, {
                "type": "formula", "criteria": f"=AND({inside},{st}={f.excel_string(done)})",
                "format": {"bg_color": styles.FILLS["good"][0]}, "stop_if_true": True,
            }))
            overdue = f'AND({inside},{e}<TODAY(),{st}<>{f.excel_string(done)})'
            plan.cond_formats.append(CondFormat(grid, {
                "type": "formula", "criteria": f"={overdue}", "format": {"bg_color": styles.FILLS["bad"][0]},
                "stop_if_true": True,
            }))
        plan.cond_formats.append(CondFormat(grid, {
            "type": "formula", "criteria": f"={inside}", "format": {"bg_color": "#5B9BD5"},
        }))
        plan.freeze = (tp.first_row, 2)

    def form_start_name(self) -> str | None:
        form = self.spec.form()
        if form and any(fl.key == "start" for fl in form.fields):
            return f"{form.key}_start"
        return None

    def plan_dashboard(self, plan: SheetPlan, sheet: m.Sheet) -> None:
        plan.widths.update({0: 30, 1: 18, 2: 14, 3: 3})
        row = 3 if sheet.help else 2
        names = CellNames(self, None)
        for metric in sheet.metrics:
            plan.put(row, 0, m.text_for(metric.label, self.lang), self.style("label"))
            value = self.book.evaluate(metric.formula)
            plan.put(row, 1, value, self.style("metric", metric.type),
                     formula="=" + f.to_excel(f.parse(metric.formula), names))
            row += 1
        row += 1
        self.breakdowns: dict[str, tuple[int, int, dict[str, int]]] = {}
        for br in sheet.breakdowns:
            plan.put(row, 0, m.text_for(br.title, self.lang), self.style("subtitle"))
            row += 1
            plan.put(row, 0, "", self.style("header"))
            cols = {}
            for j, metric in enumerate(br.columns, 1):
                plan.put(row, j, m.text_for(metric.label, self.lang), self.style("header"))
                cols[metric.key] = j
            row += 1
            first = row
            for item in self.spec.list_items(br.over):
                label = m.text_for(item.label, self.lang) or item.key
                plan.put(row, 0, label, self.style("label"))
                item_names = CellNames(self, None, item_cell=f"$A${row + 1}")
                for j, metric in enumerate(br.columns, 1):
                    value = self.book.evaluate(metric.formula, item=label)
                    plan.put(row, j, value, self.style("formula", metric.type),
                             formula="=" + f.to_excel(f.parse(metric.formula), item_names))
                row += 1
            self.breakdowns[br.key] = (first, row - 1, cols)
            row += 1
        for i, chart in enumerate(sheet.charts):
            anchor = (2 + (i // 2) * 18, 4 + (i % 2) * 8)
            plan.charts.append(self.chart(plan, chart, anchor))

    def chart(self, plan: SheetPlan, chart: m.Chart, anchor: tuple[int, int]) -> Chart:
        def rng(ref: str) -> tuple[str, str]:
            scope, _, key = ref.partition(".")
            if scope in self.tables:
                tp = self.tables[scope]
                return tp.labels[key], tp.abs_range(key)
            first, last, cols = self.breakdowns[scope]
            c = 0 if key == "item" else cols[key]
            col = xl_col_to_name(c)
            br = next(b for s in self.spec.sheets for b in s.breakdowns if b.key == scope)
            label = "" if key == "item" else m.text_for(next(x for x in br.columns if x.key == key).label, self.lang)
            return label, f"{quote_sheet(plan.name)}!${col}${first + 1}:${col}${last + 1}"
        return Chart(
            kind=chart.type.value, title=m.text_for(chart.title, self.lang), categories=rng(chart.categories)[1],
            series=[rng(s) for s in chart.series], anchor=anchor, y_format=chart.y_format,
        )

    def plan_lists(self) -> SheetPlan:
        plan = SheetPlan("_lists", LISTS_SHEET, "lists", hidden=True, protect=self.spec.protect)
        lists = {name: [m.text_for(i.label, self.lang) or i.key for i in items] for name, items in self.spec.lists.items()}
        lists["yes_no"] = [t("yes", self.lang), t("no", self.lang)]
        for c, (name, labels) in enumerate(sorted(lists.items())):
            plan.put(0, c, name, self.style("header"))
            for r, label in enumerate(labels, 1):
                plan.put(r, c, label)
            col = xl_col_to_name(c)
            self.names[f"list_{name}"] = f"={quote_sheet(LISTS_SHEET)}!${col}$2:${col}${len(labels) + 1}"
            plan.widths[c] = 18
        return plan

    def plan_meta(self) -> SheetPlan:
        from .. import __version__

        plan = SheetPlan("_meta", META_SHEET, "meta", hidden=True, protect=self.spec.protect)
        tables = {tp.key: TableEntry(tp.key, tp.sheet, tp.name, tp.header_row + 1, tp.first_row + 1, tp.last_row + 1,
                                     tp.first_col + 1, tuple(c.key for c in tp.resolved.columns))
                  for tp in self.tables.values()}
        self.meta = Meta(template=self.spec.template, version=self.spec.version, spec_sha256=self.loaded.sha256,
                         locale=self.lang, example=self.example, generator=f"campaign-sheets {__version__}",
                         tables=tables)
        for r, row in enumerate(meta_rows(self.meta)):
            for c, value in enumerate(row):
                plan.put(r, c, value)
        return plan


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def plan_layout(loaded: LoadedSpec, lang: str = "zh-CN", example: bool = False,
                as_of: dt.date | None = None) -> Layout:
    """Plan the workbook for `loaded` in `lang`, pre-filled with the spec's example if asked.

    `as_of` is the TODAY() used for cached values (default: a fixed date, for identical bytes).
    """
    return Planner(loaded, lang, example, as_of).plan()


__all__ = ["plan_layout", "Layout", "SheetPlan", "TablePlacement"]
