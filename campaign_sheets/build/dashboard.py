"""The dashboard sheet: metrics, breakdowns over a list, and charts."""
from __future__ import annotations

from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name

from .. import formula as f
from ..spec import model as m
from .names import CellNames
from .plan import Chart, SheetPlan, quote_sheet

if TYPE_CHECKING:
    from .layout import Planner


def plan_dashboard(p: Planner, plan: SheetPlan, sheet: m.Sheet) -> None:
    plan.widths.update({0: 30, 1: 18, 2: 14, 3: 3})
    row = 3 if sheet.help else 2
    names = CellNames(p, None)
    for metric in sheet.metrics:
        plan.put(row, 0, m.text_for(metric.label, p.lang), p.style("label"))
        source = p.index.metric_formulas[metric.key]
        value = p.book.evaluate(source)
        plan.put(row, 1, value, p.style("metric", metric.type), formula="=" + f.to_excel(f.parse(source), names))
        row += 1
    row += 1
    p.breakdowns: dict[str, tuple[int, int, dict[str, int]]] = {}
    for br in sheet.breakdowns:
        plan.put(row, 0, m.text_for(br.title, p.lang), p.style("subtitle"))
        row += 1
        plan.put(row, 0, "", p.style("header"))
        cols = {}
        for j, metric in enumerate(br.columns, 1):
            plan.put(row, j, m.text_for(metric.label, p.lang), p.style("header"))
            cols[metric.key] = j
        row += 1
        first = row
        for item in p.spec.list_items(br.over):
            label = m.text_for(item.label, p.lang) or item.key
            plan.put(row, 0, label, p.style("label"))
            item_names = CellNames(p, None, item_cell=f"$A${row + 1}")
            for j, metric in enumerate(br.columns, 1):
                value = p.book.evaluate(metric.formula, item=label)
                plan.put(row, j, value, p.style("formula", metric.type),
                         formula="=" + f.to_excel(f.parse(metric.formula), item_names))
            row += 1
        p.breakdowns[br.key] = (first, row - 1, cols)
        row += 1
    for i, chart in enumerate(sheet.charts):
        anchor = (2 + (i // 2) * 18, 4 + (i % 2) * 8)
        plan.charts.append(plan_chart(p, plan, chart, anchor))


def plan_chart(p: Planner, plan: SheetPlan, chart: m.Chart, anchor: tuple[int, int]) -> Chart:
    def rng(ref: str) -> tuple[str, str]:
        scope, _, key = ref.partition(".")
        if scope in p.tables:
            tp = p.tables[scope]
            return tp.labels[key], tp.abs_range(key)
        first, last, cols = p.breakdowns[scope]
        c = 0 if key == "item" else cols[key]
        col = xl_col_to_name(c)
        br = next(b for s in p.spec.sheets for b in s.breakdowns if b.key == scope)
        label = "" if key == "item" else m.text_for(next(x for x in br.columns if x.key == key).label, p.lang)
        return label, f"{quote_sheet(plan.name)}!${col}${first + 1}:${col}${last + 1}"
    return Chart(
        kind=chart.type.value, title=m.text_for(chart.title, p.lang), categories=rng(chart.categories)[1],
        series=[rng(s) for s in chart.series], anchor=anchor, y_format=chart.y_format,
    )
