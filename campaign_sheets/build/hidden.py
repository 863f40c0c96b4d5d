"""The hidden sheets of the workbook contract: `_lists` (dropdown sources), `_meta` and `_spec` (the
resolved spec, so the workbook can be read where its spec file is not)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name

from ..i18n import t
from ..spec import model as m
from ..contract import KIND_CAMPAIGN, LISTS_SHEET, META_SHEET, SPEC_SHEET, Meta, TableEntry, meta_rows, spec_rows
from .plan import SheetPlan, quote_sheet

if TYPE_CHECKING:
    from .layout import Planner


def plan_lists(p: Planner) -> SheetPlan:
    plan = SheetPlan("_lists", LISTS_SHEET, "lists", hidden=True, protect=p.spec.protect)
    lists = {name: [m.text_for(i.label, p.lang) or i.key for i in items] for name, items in p.spec.lists.items()}
    lists["yes_no"] = [t("yes", p.lang), t("no", p.lang)]
    for c, (name, labels) in enumerate(sorted(lists.items())):
        plan.put(0, c, name, p.style("header"))
        for r, label in enumerate(labels, 1):
            plan.put(r, c, label)
        col = xl_col_to_name(c)
        p.names[f"list_{name}"] = f"={quote_sheet(LISTS_SHEET)}!${col}$2:${col}${len(labels) + 1}"
        plan.widths[c] = 18
    return plan


def plan_meta(p: Planner) -> SheetPlan:
    from .. import __version__

    plan = SheetPlan("_meta", META_SHEET, "meta", hidden=True, protect=p.spec.protect)
    tables = {tp.key: TableEntry(tp.key, tp.sheet, tp.name, tp.header_row + 1, tp.first_row + 1, tp.last_row + 1,
                                 tp.first_col + 1, tuple(c.key for c in tp.resolved.columns))
              for tp in p.tables.values()}
    p.meta = Meta(template=p.spec.template, version=p.spec.version, spec_sha256=p.loaded.sha256,
                     locale=p.lang, example=p.example, generator=f"campaign-sheets {__version__}",
                     kind=KIND_CAMPAIGN, tables=tables)
    for r, row in enumerate(meta_rows(p.meta)):
        for c, value in enumerate(row):
            plan.put(r, c, value)
    return plan


def plan_spec(p: Planner) -> SheetPlan:
    plan = SheetPlan("_spec", SPEC_SHEET, "spec", hidden=True, protect=p.spec.protect)
    for r, row in enumerate(spec_rows(p.spec.model_dump(mode="json", exclude_defaults=True), p.loaded.sha256)):
        for c, value in enumerate(row):
            plan.put(r, c, value)
    return plan
