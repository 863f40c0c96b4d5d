"""The Gantt grid beside the task table: a day per column, bars by conditional format."""
from __future__ import annotations

from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from .. import formula as f
from ..i18n import t
from ..spec import model as m
from . import styles
from .plan import CondFormat, SheetPlan, sref_label

GANTT_GAP = 1   # blank columns between the task table and the grid

if TYPE_CHECKING:
    from .layout import Planner


def plan_gantt(p: Planner, plan: SheetPlan, gantt: m.Gantt) -> None:
    """A day grid right of the task table: bars by conditional format, today marked.

    The grid starts at the earliest task start (preparation often begins before the
    campaign), or at the campaign start while no task has a date.
    """
    tp = p.tables[gantt.table]
    start_name = form_start_name(p)
    first = tp.last_col + 1 + GANTT_GAP
    starts = [v for v in p.book.column(tp.key, gantt.start) if isinstance(v, float)]
    campaign_start = p.form_values.get(p.index.campaign_field("start") or "")
    origin = min(starts) if starts else campaign_start if isinstance(campaign_start, float) else None
    fallback = f'IF({start_name}="","",{start_name})' if start_name else '""'
    start_range = f"{tp.name}[[{sref_label(tp.labels[gantt.start])}]]"
    plan.put(tp.title_row, first, t("gantt", p.lang), p.style("subtitle"))
    for k in range(gantt.days):
        c = first + k
        if k == 0:
            formula = f"=IF(COUNT({start_range})>0,MIN({start_range}),{fallback})"
        else:
            prev = xl_rowcol_to_cell(tp.header_row, c - 1)
            formula = f'=IF({prev}="","",{prev}+1)'
        cached = origin + k if origin is not None else ""
        plan.put(tp.header_row, c, cached, p.style("gantt_head"), formula=formula)
        plan.widths[c] = 3.2
        for r in range(tp.first_row, tp.last_row + 1):
            plan.put(r, c, None, p.style("gantt"))
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
        done = p.spec.list_label(status_col.choices, gantt.done, p.lang) if status_col.choices else gantt.done
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


def form_start_name(p: Planner) -> str | None:
    """The defined name of the campaign's start date (the grid's first day while no task has one)."""
    start = p.index.campaign_field("start")
    return f"{p.index.form.key}_{start}" if start and p.index.form else None
