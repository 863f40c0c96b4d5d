"""Tables: Excel tables with headers, formulas, totals, validations and rule colours."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import xl_rowcol_to_cell

from .. import formula as f
from ..i18n import t
from ..spec import model as m
from ..spec.index import parse_guarded
from . import styles
from .names import CellNames, RangeNames
from .plan import CondFormat, SheetPlan, TablePlacement, Validation, sref_label

if TYPE_CHECKING:
    from .layout import Planner


def render_table(p: Planner, plan: SheetPlan, tp: TablePlacement) -> None:
    table, cols = tp.resolved.table, tp.resolved.columns
    plan.put(tp.title_row, 0, m.text_for(table.title, p.lang), p.style("subtitle"))
    if table.help:
        plan.put(tp.title_row + 1, 0, m.text_for(table.help, p.lang), p.style("help"))
        plan.merges.append((tp.title_row + 1, 0, tp.title_row + 1, max(tp.last_col, 5)))
        plan.heights[tp.title_row + 1] = 30
    plan.heights[tp.header_row] = 32
    names = CellNames(p, tp)
    groups = frozenset(tp.resolved.groups)
    excel = {c.key: "=" + f.to_excel(parse_guarded(c.formula, groups), names) for c in cols if c.formula}
    columns_opt = []
    for col in cols:
        opt: dict[str, Any] = {"header": tp.labels[col.key], "header_format": p.style("header")}
        if col.formula:
            opt["formula"] = excel[col.key]
        if col.key in table.totals:   # the table's own record of its totals (Excel's drop-down)
            kind = table.totals[col.key].value
            opt["total_function"] = kind if kind != "average" else total_formula(kind, f"[{sref_label(tp.labels[col.key])}]")
        elif table.totals and col is cols[0]:
            opt["total_string"] = t("total", p.lang)
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
            fmt = p.style("formula", ctype)
            for i in range(tp.last_row - tp.first_row + 1):
                plan.put(tp.first_row + i, c, p.book.value(table.key, i, col.key), fmt, formula=excel[col.key])
        else:
            fmt = p.style("formula" if locked_first and ci == 0 else "input", ctype)
            for i in range(tp.last_row - tp.first_row + 1):
                cell_fmt = fmt
                if table.prefill == "kpis" and i < len(p.spec.kpis) and ctype in m.NUMERIC_TYPES and ci:
                    cell_fmt = p.style("input", p.spec.kpis[i].type)  # 8% for a rate, ¥ for money
                plan.put(tp.first_row + i, c, p.book.rows[table.key][i].get(col.key), cell_fmt)
            if not (locked_first and ci == 0):
                validation(p, plan, tp, col)
        if col.hidden:
            plan.widths[c] = 0
    if tp.total_row is not None:
        totals_row(p, plan, tp)
    rule_formats(p, plan, tp)


_SUBTOTALS = {"sum": 109, "count": 103, "average": 101, "max": 104, "min": 105}


def total_formula(kind: str, ref: str) -> str:
    """The totals formula over column `ref`: SUBTOTAL, which skips filtered rows and text (the ''
    of blank formula rows); an average of nothing would be #DIV/0!, so it is blank instead."""
    formula = f"SUBTOTAL({_SUBTOTALS[kind]},{ref})"
    return f'IFERROR({formula},"")' if kind == "average" else formula


def totals_row(p: Planner, plan: SheetPlan, tp: TablePlacement) -> None:
    """The totals row: its label in the first column, a SUBTOTAL with its computed value under
    each totalled column (the table declares the same functions, for Excel's totals drop-down)."""
    table, cols = tp.resolved.table, tp.resolved.columns
    for col in cols:
        c = tp.col(col.key)
        style = dict(p.style("formula", col.result or col.type), bold=True)
        kind = table.totals[col.key].value if col.key in table.totals else None
        if kind is not None:
            formula = total_formula(kind, f"{tp.name}[{sref_label(tp.labels[col.key])}]")
            plan.put(tp.total_row, c, total_value(p, tp, col.key, kind), style, formula="=" + formula)
        elif col is cols[0]:
            plan.put(tp.total_row, c, t("total", p.lang), style)
        else:
            plan.put(tp.total_row, c, None, style)


def total_value(p: Planner, tp: TablePlacement, key: str, kind: str) -> Any:
    """What the totals row's SUBTOTAL computes over the column's values."""
    values = p.book.column(tp.key, key)
    nums = [v for v in values if isinstance(v, float)]
    if kind == "sum":
        return sum(nums)
    if kind == "count":   # COUNTA: a formula cell counts even when its result is ''
        formula = tp.resolved.column(key).formula is not None
        return float(len([v for v in values if formula or v not in (None, "")]))
    if kind == "average":
        return sum(nums) / len(nums) if nums else ""
    return (max if kind == "max" else min)(nums) if nums else 0.0


def rule_formats(p: Planner, plan: SheetPlan, tp: TablePlacement) -> None:
    names = RangeNames(p, tp)
    for rule in p.index.rules[tp.key]:
        keys = rule.columns or [c.key for c in tp.resolved.columns]
        ranges = " ".join(
            f"{xl_rowcol_to_cell(tp.first_row, tp.col(k))}:{xl_rowcol_to_cell(tp.last_row, tp.col(k))}" for k in keys
        )
        plan.cond_formats.append(CondFormat(ranges, {
            "type": "formula", "criteria": "=" + f.to_excel(f.parse(rule.when), names),
            "format": styles.conditional(rule.style.value),
            "stop_if_true": rule.style == m.Style.bad,  # red wins over amber on the same cell
        }))


def validation(p: Planner, plan: SheetPlan, tp: TablePlacement, col: m.Column) -> None:
    opts = validation_options(p, col)
    if opts:
        plan.validations.append(Validation(tp.first_row, tp.col(col.key), tp.last_row, opts))


def validation_options(p: Planner, col: m.Column) -> dict | None:
    """xlsxwriter data_validation options for an input column: type check, input message, alert."""
    lang = p.lang
    help_text = m.text_for(col.help, lang)
    bounds = bounds_text(p, col)
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
        opts = {"validate": "list", "source": "=" + p.tables[scope].abs_range(key), "error_type": "warning"}
        hint = t("dv.reference", lang, target=p.tables[scope].labels[key])
    elif ty == m.ColumnType.person and p.spec.people:
        scope, _, key = p.spec.people.partition(".")
        opts = {"validate": "list", "source": "=" + p.tables[scope].abs_range(key), "error_type": "warning"}
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


def bounds_text(p: Planner, col: m.Column) -> str:
    def show(v: Any) -> str:
        if col.type == m.ColumnType.percent and isinstance(v, float):
            return f"{v:.0%}"
        return f"{v:g}" if isinstance(v, float) else str(v)
    if col.min is not None and col.max is not None:
        return t("dv.between", p.lang, lo=show(col.min), hi=show(col.max))
    if col.min is not None:
        return t("dv.min", p.lang, lo=show(col.min))
    if col.max is not None:
        return t("dv.max", p.lang, hi=show(col.max))
    return ""

# -- special sheets -----------------------------------------------------------------
